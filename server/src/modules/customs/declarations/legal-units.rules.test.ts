import { describe, expect, it } from 'vitest';
import { legalQuantities } from './legal-units.rules.js';

const at = { orderNo: 'SO-1', gnum: 1 };
const codes = (r: ReturnType<typeof legalQuantities>) => (r.ok ? [] : r.problems.map((p) => p.code));

describe('legal quantities and units of a list line (issue 14 point 2)', () => {
  it('converts the declared quantity into the HS code legal unit with the goods factor', () => {
    // 0402 milk powder: legal unit 035 kg; 3 tins (122) of 0.9 kg
    const r = legalQuantities(
      { sku: 'MILK', gcode: '0402290000', unit: '122', legalUnit: '035', legalQtyPerUnit: '0.90000' },
      '3',
      at,
    );
    expect(r).toEqual({ ok: true, values: { qty1: '2.7', unit1: '035' } });
  });

  it('refuses milk powder declared in tins without a legal unit, instead of copying the tin (the old qty1 = qty)', () => {
    const r = legalQuantities({ sku: 'MILK', gcode: '0402290000', unit: '122' }, '3', at);
    expect(codes(r)).toEqual(['LEGAL_UNIT_MISSING']);
    if (!r.ok)
      expect(r.problems[0].message).toMatch(/first legal unit is 035, not the declared unit 122: set legalUnit 035/);
  });

  it('refuses a legal unit the tariff does not give the HS code', () => {
    const r = legalQuantities(
      { sku: 'MILK', gcode: '0402290000', unit: '122', legalUnit: '036', legalQtyPerUnit: '900' },
      '1',
      at,
    );
    expect(codes(r)).toEqual(['LEGAL_UNIT_MISMATCH']);
  });

  it('needs the second legal unit where the HS code has one, and writes qty2/unit2 from it', () => {
    // 6109100000 T-shirts: 011 and 035
    expect(codes(legalQuantities({ sku: 'TEE', gcode: '6109100000', unit: '011' }, '2', at))).toEqual([
      'LEGAL_UNIT2_MISSING',
    ]);
    expect(
      legalQuantities(
        { sku: 'TEE', gcode: '6109100000', unit: '011', legalUnit2: '035', legalQty2PerUnit: '0.25' },
        '2',
        at,
      ),
    ).toEqual({ ok: true, values: { qty1: '2', unit1: '011', qty2: '0.5', unit2: '035' } });
    // a second unit the HS code does not have is refused
    expect(
      codes(
        legalQuantities(
          { sku: 'MILK', gcode: '0402290000', unit: '035', legalUnit2: '007', legalQty2PerUnit: '1' },
          '1',
          at,
        ),
      ),
    ).toEqual(['LEGAL_UNIT2_MISMATCH']);
  });

  it('takes the declared unit as the legal unit when the goods master leaves legalUnit empty (its documented meaning)', () => {
    expect(legalQuantities({ sku: 'X', gcode: '3304990010', unit: '011' }, '4', at)).toEqual({
      ok: true,
      values: { qty1: '4', unit1: '011' },
    });
    // an HS code the reference does not list takes the goods' own legal units
    expect(
      legalQuantities(
        { sku: 'X', gcode: '3304990010', unit: '011', legalUnit: '035', legalQtyPerUnit: '0.05' },
        '4',
        at,
      ),
    ).toEqual({ ok: true, values: { qty1: '0.2', unit1: '035' } });
  });

  it('asks for the factor of a legal unit that is not the declared unit', () => {
    const r = legalQuantities({ sku: 'X', gcode: '3304990010', unit: '011', legalUnit: '035' }, '1', at);
    expect(codes(r)).toEqual(['LEGAL_QTY_MISSING']);
  });

  it('rounds the legal quantity half up to the 5 decimals of the field', () => {
    const r = legalQuantities(
      { sku: 'X', gcode: '3304990010', unit: '011', legalUnit: '035', legalQtyPerUnit: '0.33333' },
      '0.5',
      at,
    );
    expect(r).toEqual({ ok: true, values: { qty1: '0.16667', unit1: '035' } });
  });
});

import { describe, expect, it } from 'vitest';
import { interpretCode, putawayRefusal, stocktakeDifferences, weightVerdict } from './floor.rules.js';

describe('what a scan is', () => {
  it('reads GS1 codes with an AIM prefix, FNC1, human-readable brackets or bare SSCC', () => {
    expect(interpretCode(']C100306901234000000019')).toEqual({ kind: 'sscc', sscc: '306901234000000019' });
    expect(interpretCode('00306901234000000019')).toEqual({ kind: 'sscc', sscc: '306901234000000019' });
    expect(interpretCode('0104006381333931\u001d10LOT7\u001d3012')).toEqual({
      kind: 'gs1-goods',
      gtin: '04006381333931',
      batch: 'LOT7',
      expiry: null,
      count: 12,
    });
    expect(interpretCode('(01)04006381333931(17)281231(10)B1')).toMatchObject({
      kind: 'gs1-goods',
      batch: 'B1',
      expiry: '2028-12-31',
    });
    expect(interpretCode('0104006381333931<GS>10LOT7')).toMatchObject({ kind: 'gs1-goods', batch: 'LOT7' });
    expect(interpretCode('0104006381333931')).toMatchObject({ kind: 'gs1-goods', gtin: '04006381333931', batch: '' });
  });

  it('leaves location codes, SKUs and waybill numbers as plain text, and refuses the unreadable', () => {
    expect(interpretCode('A-01-02\r\n')).toEqual({ kind: 'plain', text: 'A-01-02' });
    expect(interpretCode('4006381333931')).toEqual({ kind: 'plain', text: '4006381333931' });
    // an EAN-13 read with its AIM identifier: the identifier is not part of the code
    expect(interpretCode(']E04006381333931')).toEqual({ kind: 'plain', text: '4006381333931' });
    expect(interpretCode('')).toMatchObject({ kind: 'invalid', reason: 'empty scan' });
    expect(interpretCode('00306901234000000017')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('unreadable GS1'),
    });
    expect(interpretCode('x'.repeat(101))).toMatchObject({ kind: 'invalid' });
  });
});

describe('put-away zones', () => {
  const at = (zone: 'bonded' | 'non-bonded' | 'inspection' | 'returns' | 'quarantine', purpose = 'storage') => ({
    code: 'L1',
    zone,
    purpose,
  });
  it('keeps bonded and non-bonded apart and the inspection and returns areas for their flows', () => {
    const bonded = { bonded: true, sku: 'S1' };
    const free = { bonded: false, sku: 'S2' };
    expect(putawayRefusal(bonded, at('bonded'))).toBeNull();
    expect(putawayRefusal(free, at('non-bonded'))).toBeNull();
    expect(putawayRefusal(bonded, at('quarantine'))).toBeNull();
    expect(putawayRefusal(bonded, at('non-bonded'))?.en).toMatch(
      /bonded goods \(S1\) cannot go into the non-bonded zone/,
    );
    expect(putawayRefusal(free, at('bonded'))?.en).toMatch(/not bonded stock/);
    expect(putawayRefusal(bonded, at('inspection'))?.en).toMatch(/inspection area/);
    expect(putawayRefusal(bonded, at('returns'))?.en).toMatch(/returns flow/);
    expect(putawayRefusal(bonded, at('bonded', 'dock'))?.en).toMatch(/dock location, not storage/);
  });
});

describe('weight check', () => {
  const v = (gross: number, declared: number | null, expected: number | null) =>
    weightVerdict({
      grossGrams: gross,
      declaredGrams: declared,
      expectedGrams: expected,
      toleranceGrams: 50,
      tolerancePct: 5,
    });
  it('passes within the larger of the fixed and the relative tolerance, holds outside', () => {
    expect(v(1040, 1000, 1000)).toMatchObject({ within: true, toleranceGrams: 50 });
    expect(v(1060, 1000, 1000)).toMatchObject({ within: false, message: expect.stringContaining('declared 1.000 kg') });
    expect(v(10_400, 10_000, 10_000)).toMatchObject({ within: true, toleranceGrams: 500 });
    expect(v(1000, 1000, 1300)).toMatchObject({
      within: false,
      message: expect.stringContaining('should weigh about 1.300 kg'),
    });
    expect(v(1000, null, null)).toMatchObject({
      within: false,
      message: expect.stringContaining('nothing is declared'),
    });
  });
});

describe('stock-take differences', () => {
  it('lists only what differs, both ways, and adjusts nothing', () => {
    const expected = [
      { location: 'A', ownerCode: 'O', sku: 'S1', batch: 'B', qty: 5 },
      { location: 'A', ownerCode: 'O', sku: 'S2', batch: 'B', qty: 3 },
      { location: 'B', ownerCode: 'O', sku: 'S1', batch: 'B', qty: 2 },
    ];
    const counted = [
      { location: 'A', ownerCode: 'O', sku: 'S1', batch: 'B', qty: 2 },
      { location: 'A', ownerCode: 'O', sku: 'S1', batch: 'B', qty: 3 },
      { location: 'A', ownerCode: 'O', sku: 'S2', batch: 'B', qty: 2 },
      { location: 'B', ownerCode: 'O', sku: 'S9', batch: '', qty: 1 },
    ];
    expect(stocktakeDifferences(expected, counted)).toEqual([
      { location: 'A', ownerCode: 'O', sku: 'S2', batch: 'B', expected: 3, counted: 2, difference: -1 },
      { location: 'B', ownerCode: 'O', sku: 'S1', batch: 'B', expected: 2, counted: 0, difference: -2 },
      { location: 'B', ownerCode: 'O', sku: 'S9', batch: '', expected: 0, counted: 1, difference: 1 },
    ]);
  });
});

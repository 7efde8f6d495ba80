import { legalUnitsOf } from '../messages/code-lists.js';
import { formatDecimal, multiply, parseDecimal } from '../rules/money.js';
import type { Mismatch } from '../rules/three-document-match.js';

/**
 * Legal (statutory) quantities of a list line (DOMAIN.md §4): customs checks `unit1` (and `unit2`
 * where the HS code has a second legal unit) against the HS code's legal units, so they come
 * from the goods master, never from the declared unit: `legalUnit` with `legalQtyPerUnit` (how
 * many legal units one declared unit is, e.g. 0.9 kg a tin), and `legalUnit2`/`legalQty2PerUnit`.
 * A goods record without `legalUnit` says its declared unit is the legal unit (factor 1), as the
 * master-data and seller APIs define it. Where the shipped tariff reference (code-lists/
 * hs-legal-units.json) knows the HS code, the units must be its units, and a second legal unit
 * it has must be set. Pure.
 */
export interface LegalUnitGoods {
  sku: string;
  gcode: string;
  unit: string;
  legalUnit?: string | null;
  legalQtyPerUnit?: string | null;
  legalUnit2?: string | null;
  legalQty2PerUnit?: string | null;
}

export type LegalQuantities = { qty1: string; unit1: string; qty2?: string; unit2?: string };

const trim = (units: bigint) => formatDecimal(units).replace(/\.?0+$/, '');

export function legalQuantities(
  goods: LegalUnitGoods,
  qty: string,
  where: { orderNo: string; gnum: number },
): { ok: true; values: LegalQuantities } | { ok: false; problems: Mismatch[] } {
  const ref = legalUnitsOf(goods.gcode);
  const problems: Mismatch[] = [];
  const field = `goods[${goods.sku}]`;
  const about = `order ${where.orderNo}: line ${where.gnum} (${goods.sku}, HS ${goods.gcode})`;
  const fail = (code: string, f: string, expected: string, actual: string, message: string) =>
    problems.push({ code, field: `${field}.${f}`, expected, actual, message: `${about}: ${message}` });

  const resolve = (n: 1 | 2, unit: string | null | undefined, factor: string | null | undefined, want?: string) => {
    // The goods master leaves legalUnit empty when the declared unit is the legal unit (the
    // seller and master-data APIs say so); a second unit is never implied unless it is the unit.
    const u = unit || (n === 1 || want === goods.unit ? goods.unit : null);
    const f = unit ? (factor ?? (unit === goods.unit ? '1' : null)) : u ? '1' : null;
    const name = n === 1 ? 'legalUnit' : 'legalUnit2';
    const per = n === 1 ? 'legalQtyPerUnit' : 'legalQty2PerUnit';
    if (!u) {
      if (n === 2 && !want) return null;
      fail(
        n === 1 ? 'LEGAL_UNIT_MISSING' : 'LEGAL_UNIT2_MISSING',
        name,
        want ?? 'the legal unit of the HS code',
        '',
        want
          ? `the HS code's ${n === 1 ? 'first' : 'second'} legal unit is ${want}: set ${name} ${want} and ${per} (how many ${want} one ${goods.unit} is) in the goods master`
          : `no legal unit: set legalUnit (the HS code's first legal unit, e.g. 035 kg) and legalQtyPerUnit (how many of it one ${goods.unit} is) in the goods master`,
      );
      return null;
    }
    if (ref && want !== u && n === 1 && !unit) {
      fail(
        'LEGAL_UNIT_MISSING',
        name,
        want ?? '',
        u,
        `the HS code's first legal unit is ${want}, not the declared unit ${u}: set legalUnit ${want} and legalQtyPerUnit (how many ${want} one ${goods.unit} is) in the goods master`,
      );
      return null;
    }
    if (ref && want !== u) {
      fail(
        n === 1 ? 'LEGAL_UNIT_MISMATCH' : 'LEGAL_UNIT2_MISMATCH',
        name,
        want ?? '(none)',
        u,
        want
          ? `the HS code's ${n === 1 ? 'first' : 'second'} legal unit is ${want}, the goods master says ${u}`
          : `the HS code has no second legal unit, the goods master says ${u}: remove legalUnit2`,
      );
      return null;
    }
    if (!f) {
      fail(
        n === 1 ? 'LEGAL_QTY_MISSING' : 'LEGAL_QTY2_MISSING',
        per,
        `how many ${u} one ${goods.unit} is`,
        '',
        `set ${per} (how many ${u} one ${goods.unit} is) in the goods master`,
      );
      return null;
    }
    return { unit: u, qty: trim(multiply(parseDecimal(qty), parseDecimal(f))) };
  };

  const first = resolve(1, goods.legalUnit, goods.legalQtyPerUnit, ref?.unit1);
  const second = resolve(2, goods.legalUnit2, goods.legalQty2PerUnit, ref?.unit2);
  if (problems.length || !first) return { ok: false, problems };
  return {
    ok: true,
    values: { qty1: first.qty, unit1: first.unit, ...(second ? { qty2: second.qty, unit2: second.unit } : {}) },
  };
}

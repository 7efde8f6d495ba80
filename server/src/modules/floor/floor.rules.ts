import { GS, parseGs1, splitAimPrefix } from '@wms/contracts';
import { say, type Text } from './floor.messages.js';

/**
 * Pure rules of the floor: what a scanned code is, where goods may go, whether a weight is right.
 * The service reads the database and applies these; nothing here touches I/O.
 */

/** What a scan can be before the database says which goods, location or parcel it names. */
export type ScannedCode =
  | { kind: 'sscc'; sscc: string }
  | { kind: 'gs1-goods'; gtin: string; batch: string; expiry: string | null; count: number | null }
  | { kind: 'plain'; text: string }
  | { kind: 'invalid'; reason: string };

/** `(01)04006381333931(10)LOT7` -> element string with FNC1 separators. */
function fromHumanReadable(text: string): string | null {
  if (!/^(\(\d{2,4}\)[^()]+)+$/.test(text)) return null;
  const parts = [...text.matchAll(/\((\d{2,4})\)([^()]+)/g)];
  return parts.map(([, ai, value], i) => `${ai}${value}${i < parts.length - 1 ? GS : ''}`).join('');
}

export function interpretCode(raw: string, now = new Date()): ScannedCode {
  const text = raw.replace(/[\r\n]+$/g, '').replace(/<GS>/g, GS);
  if (!text.trim()) return { kind: 'invalid', reason: 'empty scan' };
  let element: string | null = null;
  // a keyboard-wedge scanner may put the AIM symbology identifier in front (]C1 = GS1-128, ...)
  const aim = splitAimPrefix(text);
  if (aim.isGs1) element = aim.data;
  else if (aim.symbology) return plainOrTooLong(aim.data);
  else if (text.includes(GS)) element = text;
  else if (text.startsWith('(')) element = fromHumanReadable(text);
  else if (/^00\d{18}$/.test(text)) element = text;
  else if (/^01\d{14}($|10|11|15|17|21|30|37)/.test(text)) element = text;
  if (element !== null) {
    const parsed = parseGs1(element, now);
    if (!parsed.ok)
      return { kind: 'invalid', reason: `unreadable GS1 code: ${parsed.errors.map((e) => e.message).join('; ')}` };
    const d = parsed.data;
    if (d.sscc) return { kind: 'sscc', sscc: d.sscc };
    const gtin = d.gtin ?? d.contentGtin;
    if (gtin)
      return {
        kind: 'gs1-goods',
        gtin,
        batch: d.batch ?? '',
        expiry: d.expiry ?? d.bestBefore ?? null,
        count: d.count ?? null,
      };
    return { kind: 'invalid', reason: 'a GS1 code without an SSCC or a GTIN: scan the goods or the pallet label' };
  }
  return plainOrTooLong(text);
}

function plainOrTooLong(text: string): ScannedCode {
  if (text.length > 100) return { kind: 'invalid', reason: 'scan longer than 100 characters' };
  return { kind: 'plain', text: text.trim() };
}

export type ZoneKind = 'bonded' | 'non-bonded' | 'inspection' | 'returns' | 'quarantine';

/**
 * Put-away rule (DOMAIN.md §2, §6): bonded goods only into bonded zones, non-bonded goods never
 * into them, nothing into the inspection area without a customs reason, returns only through the
 * returns flow. Quarantine takes anything.
 */
export function putawayRefusal(
  goods: { bonded: boolean; sku: string },
  target: { code: string; zone: ZoneKind; purpose: string },
): Text | null {
  if (target.purpose !== 'storage') return say.notStorage(target.code, target.purpose);
  switch (target.zone) {
    case 'inspection':
      return say.inspectionArea(target.code);
    case 'returns':
      return say.returnsArea(target.code);
    case 'non-bonded':
      return goods.bonded ? say.bondedIntoFree(goods.sku, target.code) : null;
    case 'bonded':
      return goods.bonded ? null : say.freeIntoBonded(goods.sku, target.code);
    case 'quarantine':
      return null;
  }
}

export interface WeightVerdict {
  within: boolean;
  grossGrams: number;
  declaredGrams: number | null;
  expectedGrams: number | null;
  toleranceGrams: number;
  /** What the operator sees. */
  message: string;
}

/**
 * Weight check (DOMAIN.md §8): the scale's stable gross weight against the declared gross weight
 * (the list) and the weight expected from the goods master. Tolerance: the larger of a fixed
 * number of grams and a share of the declared weight.
 */
export function weightVerdict(input: {
  grossGrams: number;
  declaredGrams: number | null;
  expectedGrams: number | null;
  toleranceGrams: number;
  tolerancePct: number;
}): WeightVerdict {
  const reference = input.declaredGrams ?? input.expectedGrams;
  const toleranceGrams = Math.max(input.toleranceGrams, Math.round(((reference ?? 0) * input.tolerancePct) / 100));
  const off = (ref: number | null) => ref !== null && Math.abs(input.grossGrams - ref) > toleranceGrams;
  const kg = (g: number) => `${(g / 1000).toFixed(3)} kg`;
  const base = {
    grossGrams: input.grossGrams,
    declaredGrams: input.declaredGrams,
    expectedGrams: input.expectedGrams,
    toleranceGrams,
  };
  if (reference === null)
    return {
      ...base,
      within: false,
      message: `weighed ${kg(input.grossGrams)} but nothing is declared or expected to compare with: hold for review`,
    };
  if (off(input.declaredGrams))
    return {
      ...base,
      within: false,
      message: `weighed ${kg(input.grossGrams)}, declared ${kg(input.declaredGrams!)}: off by more than ${toleranceGrams} g, hold for review`,
    };
  if (off(input.expectedGrams))
    return {
      ...base,
      within: false,
      message: `weighed ${kg(input.grossGrams)}, the goods should weigh about ${kg(input.expectedGrams!)}: off by more than ${toleranceGrams} g, hold for review`,
    };
  return { ...base, within: true, message: `weight ${kg(input.grossGrams)} matches (tolerance ${toleranceGrams} g)` };
}

/** Stock-take: counted against the ledger, per location, SKU and batch; only the differences. */
export interface StockCount {
  location: string;
  ownerCode: string;
  sku: string;
  batch: string;
  qty: number;
}

export function stocktakeDifferences(
  expected: StockCount[],
  counted: StockCount[],
): Array<Omit<StockCount, 'qty'> & { expected: number; counted: number; difference: number }> {
  const rows = new Map<string, Omit<StockCount, 'qty'> & { expected: number; counted: number }>();
  const add = (side: 'expected' | 'counted', list: StockCount[]) => {
    for (const { qty, ...place } of list) {
      const k = [place.location, place.ownerCode, place.sku, place.batch].join('\u0000');
      const row = rows.get(k) ?? { ...place, expected: 0, counted: 0 };
      row[side] += qty;
      rows.set(k, row);
    }
  };
  add('expected', expected);
  add('counted', counted);
  return [...rows.values()]
    .filter((r) => r.expected !== r.counted)
    .map((r) => ({ ...r, difference: r.counted - r.expected }))
    .sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : a.sku < b.sku ? -1 : 1));
}

import { say, type Text } from '../floor/floor.messages.js';

/** Pure rules of storage: where goods may go, and what a count says against the ledger. */

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

import type { Loose } from './api.js';

/** The stock buckets of the seller ledger (migration 0910), in the order a seller reads them. */
export const BUCKETS = ['inbound', 'receiving', 'available', 'reserved', 'unfulfillable', 'on_hold', 'bonded'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface BucketRow {
  warehouseCode: string;
  sku: string;
  ownerCode: string;
  lotNo: string;
  qty: Record<Bucket, number>;
  total: number;
}

const num = (v: unknown) => {
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
};

/**
 * One row of the buckets answer, whichever way it spells its quantities: a `buckets` object
 * (`{ available: 3 }`), camel-case fields (`onHold`), or one bucket per row (`bucket` + `qty`).
 */
export function bucketRowOf(row: Loose): BucketRow {
  const source: Loose = row.buckets ?? row.qty ?? row;
  const qty = {} as Record<Bucket, number>;
  for (const b of BUCKETS) {
    const camel = b.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    qty[b] = num(typeof source === 'object' ? (source[b] ?? source[camel]) : 0);
  }
  if (typeof row.bucket === 'string' && (BUCKETS as readonly string[]).includes(row.bucket))
    qty[row.bucket as Bucket] = num(row.qty);
  const total = BUCKETS.filter((b) => b !== 'bonded').reduce((sum, b) => sum + qty[b], 0);
  return {
    warehouseCode: String(row.warehouseCode ?? ''),
    sku: String(row.sku ?? ''),
    ownerCode: String(row.ownerCode ?? ''),
    lotNo: String(row.lotNo ?? ''),
    qty,
    total,
  };
}

/** Rows of the same warehouse, owner and SKU (and lot) added together: one row per key. */
export function mergeRows(rows: BucketRow[], byLot = false): BucketRow[] {
  const out = new Map<string, BucketRow>();
  for (const row of rows) {
    const key = [row.warehouseCode, row.ownerCode, row.sku, byLot ? row.lotNo : ''].join('\u0000');
    const seen = out.get(key);
    if (!seen) {
      out.set(key, { ...row, lotNo: byLot ? row.lotNo : '', qty: { ...row.qty } });
      continue;
    }
    for (const b of BUCKETS) seen.qty[b] += row.qty[b];
    seen.total += row.total;
  }
  return [...out.values()];
}

/** Units per warehouse and bucket (for the stacked bar): never summed across warehouses. */
export function byWarehouse(rows: BucketRow[]): Map<string, Record<Bucket, number>> {
  const out = new Map<string, Record<Bucket, number>>();
  for (const row of rows) {
    const sums =
      out.get(row.warehouseCode) ?? (Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>);
    for (const b of BUCKETS) sums[b] += row.qty[b];
    out.set(row.warehouseCode, sums);
  }
  return out;
}

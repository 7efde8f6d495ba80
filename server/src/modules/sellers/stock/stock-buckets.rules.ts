import type { StockBucket, StockEvent } from '@wms/contracts';
import { AppError } from '../../../platform/http/app-error.js';

/**
 * How a seller's stock moves between buckets (issue 12, DOMAIN.md §10). Pure: the repository
 * writes what these rules allow.
 */

/** One change: `qty` whole units of a SKU's lot move from one bucket to another. */
export interface StockMove {
  ownerCode: string;
  warehouseCode: string;
  sku: string;
  /** The arrival (lot) the units belong to; '' when none. */
  lotNo?: string;
  /** null: the units come into the seller's stock (booked on a shipment, found over, returned). */
  from: StockBucket | null;
  /** null: the units leave it (shipped, short at close, destroyed). */
  to: StockBucket | null;
  qty: number;
  event: StockEvent;
  docType: string;
  docNo: string;
  reason?: string;
}

export interface Balance {
  ownerCode: string;
  warehouseCode: string;
  sku: string;
  bucket: StockBucket;
  lotNo: string;
  qty: number;
}

const BUCKET_WORDS: Record<StockBucket, string> = {
  inbound: 'inbound',
  receiving: 'receiving',
  available: 'available',
  reserved: 'reserved',
  unfulfillable: 'unfulfillable',
  on_hold: 'on hold',
};

export const balanceKey = (
  m: { ownerCode: string; warehouseCode: string; sku: string; lotNo?: string },
  bucket: StockBucket,
): string => JSON.stringify([m.ownerCode, m.warehouseCode, m.sku, bucket, m.lotNo ?? '']);

/**
 * Refuses a malformed move, and — given the current balances of the buckets the moves take from —
 * moves that would take a bucket below zero (the moves apply in order, so one batch may fill a
 * bucket and then take from it).
 */
export function checkMoves(moves: StockMove[], balances?: Balance[]): void {
  for (const m of moves) {
    if (!Number.isSafeInteger(m.qty) || m.qty <= 0)
      throw new AppError('VALIDATION_FAILED', `quantity of ${m.sku} must be a whole number above zero (got ${m.qty})`);
    if (m.from === null && m.to === null)
      throw new AppError('VALIDATION_FAILED', `a move of ${m.sku} needs a bucket it leaves or one it enters`);
    if (m.from === m.to) throw new AppError('VALIDATION_FAILED', `a move of ${m.sku} must change its bucket`);
  }
  if (!balances) return;
  const held = new Map<string, number>();
  for (const b of balances) held.set(balanceKey(b, b.bucket), b.qty);
  for (const m of moves) {
    if (m.to !== null) {
      const key = balanceKey(m, m.to);
      held.set(key, (held.get(key) ?? 0) + m.qty);
    }
    if (m.from !== null) {
      const key = balanceKey(m, m.from);
      const have = held.get(key) ?? 0;
      if (have < m.qty)
        throw new AppError(
          'CONFLICT',
          `only ${have} of ${m.sku}${m.lotNo ? ` (lot ${m.lotNo})` : ''} ${BUCKET_WORDS[m.from]} in ${m.warehouseCode}, ` +
            `${m.qty} asked for ${m.docType} ${m.docNo}: check the quantity`,
        );
      held.set(key, have - m.qty);
    }
  }
}

/** The balances a ledger gives: what seller_stock_balance must always equal (the property tests' oracle). */
export function balancesOf(moves: StockMove[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of moves) {
    if (m.to !== null) out.set(balanceKey(m, m.to), (out.get(balanceKey(m, m.to)) ?? 0) + m.qty);
    if (m.from !== null) out.set(balanceKey(m, m.from), (out.get(balanceKey(m, m.from)) ?? 0) - m.qty);
  }
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

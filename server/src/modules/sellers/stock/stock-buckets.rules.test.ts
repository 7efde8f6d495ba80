import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Balance, balancesOf, checkMoves, type StockMove } from './stock-buckets.rules.js';

const base = { ownerCode: 'OWN', warehouseCode: 'OW-DE1', sku: 'SKU-1', docType: 'shipment', docNo: 'ASN-1' } as const;

describe('stock bucket moves', () => {
  it('refuses a move that would take a bucket below zero, naming SKU, bucket and warehouse', () => {
    const moves: StockMove[] = [{ ...base, from: 'available', to: 'reserved', qty: 3, event: 'order.reserved' }];
    const balances: Balance[] = [{ ...base, bucket: 'available', lotNo: '', qty: 2 }];
    expect(() => checkMoves(moves, balances)).toThrow(/only 2 of SKU-1 available in OW-DE1, 3 asked/);
  });

  it('lets one batch fill a bucket and take from it', () => {
    const moves: StockMove[] = [
      { ...base, from: null, to: 'receiving', qty: 5, event: 'receipt.over' },
      { ...base, from: 'receiving', to: 'available', qty: 5, event: 'putaway.done' },
    ];
    expect(() => checkMoves(moves, [])).not.toThrow();
  });

  it('refuses malformed moves', () => {
    expect(() => checkMoves([{ ...base, from: null, to: null, qty: 1, event: 'receipt.over' }])).toThrow(
      /needs a bucket/,
    );
    expect(() => checkMoves([{ ...base, from: 'available', to: 'available', qty: 1, event: 'receipt.over' }])).toThrow(
      /change its bucket/,
    );
    expect(() => checkMoves([{ ...base, from: null, to: 'available', qty: 1.5, event: 'receipt.over' }])).toThrow(
      /whole number/,
    );
  });

  it('a ledger that the rules accepted never sums to a negative bucket', () => {
    const bucket = fc.constantFrom('inbound', 'receiving', 'available', 'reserved', 'unfulfillable', 'on_hold', null);
    fc.assert(
      fc.property(
        fc.array(fc.record({ from: bucket, to: bucket, qty: fc.integer({ min: 1, max: 5 }) }), { maxLength: 60 }),
        (raw) => {
          const accepted: StockMove[] = [];
          for (const r of raw) {
            const move = { ...base, ...r, event: 'receipt.over' } as StockMove;
            const now = [...balancesOf(accepted)].map(([k, qty]) => {
              const [ownerCode, warehouseCode, sku, bucket, lotNo] = JSON.parse(k);
              return { ownerCode, warehouseCode, sku, bucket, lotNo, qty } as Balance;
            });
            try {
              checkMoves([move], now);
              accepted.push(move);
            } catch {
              // refused: the ledger stays as it was
            }
          }
          for (const qty of balancesOf(accepted).values()) expect(qty).toBeGreaterThan(0);
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FORMAT_ERROR_STATUS,
  isApproved,
  type OrderedReceipt,
  RECEIPT_TABLES,
  type ReceiptFamily,
  standing,
  stepOf,
  supersedes,
} from './receipt-order.js';

/** Customs time of minute `m` after 10:00 on 2026-11-25, in customs' millisecond format. */
const at = (m: number) => `20261125${10 + Math.floor(m / 60)}${String(m % 60).padStart(2, '0')}00000`;
const r = (returnStatus: number, minute: number): OrderedReceipt => ({ returnStatus, returnTime: at(minute) });

/**
 * Real customs histories per family, in the order customs decided them: whatever the order of
 * delivery, duplicates and stray late copies, the end state must be the last decision.
 */
const HISTORIES: Record<ReceiptFamily, number[][]> = {
  list: [
    [2, 120, 399, 800],
    [120, 500, 800],
    [120, 500, 501, 800], // detention handed over, released after clearance
    [120, 500, 100], // inspection ending in a rejection: fix and re-declare
    [-621041, 120, 800], // a processing error superseded by acceptance and release
    [-301010, 120],
    [120, 800, 899], // closed after release: the release stands
    [120, 800, 502], // detained after the release
    [120, 300, 399, 800, 899],
    [120, 500, 800, 700],
    [4, 2, 120, 100],
  ],
  cancel: [
    [120, 399],
    [120, 800],
    [120, 100],
    [-1, 120, 399],
    [120, 300, 100, 399],
  ],
  return: [
    [120, 399],
    [120, 800],
    [120, 100],
    [-1, 120, 800],
    [2, 120, 300, 399],
  ],
  summary: [
    [120, 800],
    [120, 100],
    [-1, 120, 800],
    [120, 399, 800],
    [120, 100, 800],
  ],
  manifest: [
    [120, 800],
    [120, 100],
    [-1, 120, 800],
    [2, 120, 399, 800],
  ],
};

const FAMILIES = Object.keys(RECEIPT_TABLES) as ReceiptFamily[];
const codesOf = (family: ReceiptFamily) =>
  RECEIPT_TABLES[family].flatMap((s) => s.codes.map((c) => (c === 'negative' ? -301010 : c)));

const fold = (family: ReceiptFamily, receipts: OrderedReceipt[]) => standing(family, receipts);

describe('receipt order: one transition table per family', () => {
  it('a late 120 never undoes a release; a later customs decision of the same step does', () => {
    expect(supersedes('list', r(800, 10), r(120, 20))).toMatchObject({ wins: false });
    expect(supersedes('list', r(501, 10), r(800, 20))).toEqual({ wins: true, because: 'later' });
    expect(supersedes('list', r(800, 20), r(501, 10))).toMatchObject({ wins: false });
    expect(supersedes('list', r(800, 10), r(501, 20))).toEqual({ wins: true, because: 'later' });
    expect(supersedes('list', r(500, 10), r(100, 20))).toEqual({ wins: true, because: 'later' });
    expect(supersedes('list', r(-621041, 10), r(120, 20))).toEqual({ wins: true, because: 'stronger' });
    expect(supersedes('list', r(120, 10), r(-621041, 20))).toMatchObject({ wins: false });
    expect(supersedes('list', r(800, 10), r(899, 20))).toEqual({ wins: true, because: 'stronger' });
    // the same time: a detention beats a release, an inspection beats a rejection
    expect(supersedes('list', r(800, 10), r(502, 10))).toEqual({ wins: true, because: 'same-time-stronger' });
    expect(supersedes('list', r(500, 10), r(100, 10))).toMatchObject({ wins: false });
    expect(supersedes('list', r(800, 10), r(4242, 30))).toEqual({ wins: false, because: 'unknown returnStatus 4242' });
  });

  it('approves cancels with 399 (and 800), returns with 399 or 800, and an approval is final', () => {
    expect(fold('cancel', [r(120, 1), r(399, 2)])?.returnStatus).toBe(399);
    expect(fold('cancel', [r(399, 2), r(100, 3)])?.returnStatus).toBe(399);
    expect(fold('return', [r(800, 2), r(120, 1)])?.returnStatus).toBe(800);
    expect([399, 800].map((s) => isApproved(s))).toEqual([true, true]);
    expect([null, 120, 100, 300, -1].some((s) => isApproved(s))).toBe(false);
    // the list table has no approval: a 399 there is a decision waiting for release
    expect(fold('list', [r(120, 1), r(399, 2)])?.returnStatus).toBe(399);
  });

  it('files a CEB900 as a processing error', () => {
    expect(supersedes('list', r(FORMAT_ERROR_STATUS, 5), r(120, 6))).toEqual({ wins: true, because: 'stronger' });
    expect(supersedes('list', null, r(FORMAT_ERROR_STATUS, 5))).toEqual({ wins: true, because: 'first' });
    expect(supersedes('cancel', r(120, 5), r(FORMAT_ERROR_STATUS, 6))).toMatchObject({ wins: false });
  });

  describe.each(FAMILIES)('%s receipts (property)', (family) => {
    it('any order of the same receipts, with any duplicates, ends in the same state', () => {
      const codes = [...codesOf(family), -621041, 4242];
      const receipt = fc.record({ returnStatus: fc.constantFrom(...codes), returnTime: fc.nat(5).map(at) });
      fc.assert(
        fc.property(
          fc
            .array(receipt, { minLength: 1, maxLength: 10 })
            .chain((set) =>
              fc.tuple(
                fc.constant(set),
                fc.shuffledSubarray(set, { minLength: set.length, maxLength: set.length }),
                fc.array(fc.constantFrom(...set), { maxLength: 6 }),
              ),
            ),
          ([set, shuffled, copies]) => {
            const end = fold(family, set);
            const key = (x: OrderedReceipt | null) => (x ? `${x.returnStatus}@${x.returnTime}` : null);
            expect(key(fold(family, shuffled))).toBe(key(end));
            expect(key(fold(family, [...copies, ...shuffled, ...copies]))).toBe(key(end));
          },
        ),
        { numRuns: 500 },
      );
    });

    it('a real customs history ends in its last decision, whatever the delivery order, copies and stray late receipts', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...HISTORIES[family]).chain((history) => {
            // each decision a few minutes after the previous one, as customs times them
            const decided = history.map((code, i) => r(code, i * 3));
            return fc.tuple(
              fc.constant(history),
              fc.shuffledSubarray(decided, { minLength: decided.length, maxLength: decided.length }),
              fc.array(fc.constantFrom(...decided), { maxLength: 5 }),
              // a late copy of an earlier acceptance, stamped with a time after everything
              fc.array(fc.constantFrom(1, 2, 3, 120, 300), { maxLength: 2 }),
            );
          }),
          ([history, delivered, copies, strays]) => {
            const last = history[history.length - 1];
            expect(fold(family, [...copies, ...delivered])?.returnStatus).toBe(last);
            // once a decision beyond waiting stands, a late waiting receipt is only noise
            if (stepOf(family, last)!.step > stepOf(family, 300)!.step) {
              const late = strays.map((code) => r(code, 40));
              expect(fold(family, [...late, ...delivered, ...copies, ...late])?.returnStatus).toBe(last);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});

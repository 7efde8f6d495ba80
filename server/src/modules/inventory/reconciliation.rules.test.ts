import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  reconciliationVerdict,
  UNBOOKED_REASONS,
  type UnbookedUnits,
  unbookedMessage,
  unbookedReason,
} from './reconciliation.rules.js';

const totals = { bookLines: 3, bookUnits: 100, shelfUnits: 100, linesWithDifference: 0 };
const unit = (reason: UnbookedUnits['reason'], units: number): UnbookedUnits => ({
  reason,
  deliveryNo: 'IN1',
  ownerCode: 'OWN',
  sku: 'SKU9',
  batch: '',
  location: 'QT-01',
  units,
});

describe('reconciliation counts everything physical (DOMAIN.md §6)', () => {
  it('is balanced only when the book lines agree and nothing is off the book', () => {
    expect(reconciliationVerdict(totals, []).balanced).toBe(true);
    const withUnbooked = reconciliationVerdict(totals, [unit('unexpected', 1), unit('over-delivered', 1)]);
    expect(withUnbooked.balanced).toBe(false);
    expect(withUnbooked.totals).toMatchObject({ shelfUnits: 100, unbookedUnits: 2, physicalUnits: 102 });
    expect(withUnbooked.unbooked.byReason).toEqual({
      unexpected: 1,
      'over-delivered': 1,
      'off-the-book': 0,
      'awaiting-entry-document': 0,
    });
    expect(reconciliationVerdict({ ...totals, linesWithDifference: 1 }, []).balanced).toBe(false);
  });

  it('says why units are off the book', () => {
    expect(unbookedReason({ expected: 0, onBook: true })).toBe('unexpected');
    expect(unbookedReason({ expected: 0, onBook: false })).toBe('unexpected');
    expect(unbookedReason({ expected: 5, onBook: false })).toBe('off-the-book');
    expect(unbookedReason({ expected: 5, onBook: true })).toBe('over-delivered');
    expect(unbookedMessage(unit('over-delivered', 2)).en).toBe(
      '2 × SKU9 at QT-01 (delivery IN1): more than the delivery and its entry document cover, not on the book; declare the excess or send it back',
    );
    expect(unbookedMessage({ ...unit('awaiting-entry-document', 3), batch: 'B1' }).zh).toBe(
      'SKU9 批次 B1 3 件，位于 QT-01（到货单 IN1）：已清点到货，等待核注清单入账',
    );
  });

  it('property: the totals add up and balanced means nothing unbooked and no line differing', () => {
    const item = fc.record({
      reason: fc.constantFrom(...UNBOOKED_REASONS),
      units: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), fc.nat(1000), fc.nat(3), (items, shelf, differing) => {
        const v = reconciliationVerdict(
          { bookLines: 4, bookUnits: shelf, shelfUnits: shelf, linesWithDifference: differing },
          items.map((i) => unit(i.reason, i.units)),
        );
        const sum = items.reduce((s, i) => s + i.units, 0);
        expect(v.unbooked.units).toBe(sum);
        expect(Object.values(v.unbooked.byReason).reduce((s, n) => s + n, 0)).toBe(sum);
        expect(v.unbooked.items.reduce((s, i) => s + i.units, 0)).toBe(sum);
        expect(v.totals.physicalUnits).toBe(v.totals.shelfUnits + v.totals.unbookedUnits);
        expect(v.balanced).toBe(sum === 0 && differing === 0);
        for (const i of v.unbooked.items) expect(i.message.length && i.messageZh.length).toBeGreaterThan(0);
      }),
    );
  });
});

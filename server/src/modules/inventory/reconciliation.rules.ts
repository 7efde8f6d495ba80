/**
 * Reconciliation counts everything physical (DOMAIN.md §6 "book equals shelf", issue 11): besides
 * the book lines, units that are in the centre but on no book line are a difference of their own
 * that customs sees — goods nobody expected, goods over what the delivery said, goods with no line
 * in the account book, and goods counted in whose entry document has not come. They never hide
 * behind `balanced: true`.
 */

export const UNBOOKED_REASONS = ['unexpected', 'over-delivered', 'off-the-book', 'awaiting-entry-document'] as const;
export type UnbookedReason = (typeof UNBOOKED_REASONS)[number];

export interface UnbookedUnits {
  reason: UnbookedReason;
  deliveryNo: string | null;
  ownerCode: string;
  sku: string;
  batch: string;
  location: string;
  units: number;
}

/**
 * Why units a delivery brought in sit off the book (they went to quarantine at its close): the
 * delivery did not list the goods; the goods have no line in the account book; or more came than
 * the delivery listed.
 */
export function unbookedReason(input: { expected: number; onBook: boolean }): UnbookedReason {
  if (input.expected === 0) return 'unexpected';
  if (!input.onBook) return 'off-the-book';
  return 'over-delivered';
}

/** What customs is told about one group of unbooked units, and what the centre must do. */
export function unbookedMessage(u: UnbookedUnits): { en: string; zh: string } {
  const what = `${u.units} × ${u.sku}${u.batch ? ` batch ${u.batch}` : ''} at ${u.location}`;
  const from = u.deliveryNo ? ` (delivery ${u.deliveryNo})` : '';
  const zhWhat = `${u.sku}${u.batch ? ` 批次 ${u.batch}` : ''} ${u.units} 件，位于 ${u.location}`;
  const zhFrom = u.deliveryNo ? `（到货单 ${u.deliveryNo}）` : '';
  switch (u.reason) {
    case 'unexpected':
      return {
        en: `${what}${from}: not on the delivery, not on the book; declare them or send them back`,
        zh: `${zhWhat}${zhFrom}：不在到货单上，未入账册；请申报或退运`,
      };
    case 'over-delivered':
      return {
        en: `${what}${from}: more than the delivery and its entry document cover, not on the book; declare the excess or send it back`,
        zh: `${zhWhat}${zhFrom}：超出到货单及入区单证数量，未入账册；请申报或退运多出部分`,
      };
    case 'off-the-book':
      return {
        en: `${what}${from}: the goods have no line in the account book; add the book line and declare them, or send them back`,
        zh: `${zhWhat}${zhFrom}：账册中没有此商品的备案项，请备案申报或退运`,
      };
    case 'awaiting-entry-document':
      return {
        en: `${what}${from}: counted in, waiting for the entry verification list that books them`,
        zh: `${zhWhat}${zhFrom}：已清点到货，等待核注清单入账`,
      };
  }
}

export interface BookTotals {
  bookLines: number;
  bookUnits: number;
  shelfUnits: number;
  linesWithDifference: number;
}

/**
 * The verdict and totals: balanced only when every book line agrees and nothing physical is off
 * the book; the physical count is the book lines' shelves plus the unbooked units.
 */
export function reconciliationVerdict(totals: BookTotals, unbooked: UnbookedUnits[]) {
  const byReason = Object.fromEntries(UNBOOKED_REASONS.map((r) => [r, 0])) as Record<UnbookedReason, number>;
  for (const u of unbooked) byReason[u.reason] += u.units;
  const unbookedUnits = unbooked.reduce((s, u) => s + u.units, 0);
  return {
    balanced: totals.linesWithDifference === 0 && unbookedUnits === 0,
    totals: { ...totals, unbookedUnits, physicalUnits: totals.shelfUnits + unbookedUnits },
    unbooked: {
      units: unbookedUnits,
      byReason,
      items: unbooked.map((u) => {
        const m = unbookedMessage(u);
        return { ...u, message: m.en, messageZh: m.zh };
      }),
    },
  };
}

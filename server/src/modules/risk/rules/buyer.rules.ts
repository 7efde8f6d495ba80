import type { RiskRuleParams } from '@wms/contracts';
import { formatDecimal, parseDecimal } from '../../customs/rules/money.js';
import type { WarningDraft } from './warning.js';

/**
 * Rules on the people behind the parcels (DOMAIN.md §5 limits, §8): a buyer near or over the
 * yearly limit, many buyers behind one consignee address or phone (orders split to stay under
 * the limits), one payer paying for many buyers, and frequent returns.
 */

export interface BuyerYear {
  buyerIdNumber: string;
  buyerName: string;
  year: string;
  /** Declared this year (lists not rejected), a decimal string (CNY). */
  total: string;
  lists: number;
  /** The newest parcel, the one a hold would stop. */
  latest: { logisticsNo: string; orderNo: string; paid: string };
}

const mask = (id: string) => (id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id);

/** Rule 3a: the buyer's year at or past the approach share of the yearly limit, or one order over the per-order limit. */
export function buyerLimit(year: BuyerYear, params: RiskRuleParams['buyer-limit']): WarningDraft | null {
  const total = parseDecimal(year.total);
  const limit = parseDecimal(params.yearLimitCny);
  const paid = parseDecimal(year.latest.paid);
  const orderLimit = parseDecimal(params.orderLimitCny);
  const over = total > limit;
  const approaching = total * 100n >= limit * BigInt(params.approachPct);
  const orderOver = paid > orderLimit;
  if (!over && !approaching && !orderOver) return null;
  const share = limit > 0n ? Number((total * 1000n) / limit) / 10 : 0;
  const reason = over
    ? `buyer ${year.buyerName} (${mask(year.buyerIdNumber)}) is over the yearly limit: ${formatDecimal(total)} of ${params.yearLimitCny} CNY in ${year.year}`
    : approaching
      ? `buyer ${year.buyerName} (${mask(year.buyerIdNumber)}) is at ${share}% of the yearly limit: ${formatDecimal(total)} of ${params.yearLimitCny} CNY in ${year.year}`
      : `buyer ${year.buyerName} (${mask(year.buyerIdNumber)}): order ${year.latest.orderNo} of ${formatDecimal(paid)} CNY is over the ${params.orderLimitCny} CNY per-order limit`;
  return {
    rule: 'buyer-limit',
    subjectKind: 'buyer',
    subjectId: `${year.year}/${year.buyerIdNumber}`,
    logisticsNo: year.latest.logisticsNo,
    severity: over || orderOver ? 'high' : 'warning',
    reason,
    evidence: {
      buyerIdNumber: year.buyerIdNumber,
      buyerName: year.buyerName,
      year: year.year,
      total: formatDecimal(total),
      lists: year.lists,
      sharePct: share,
      yearLimitCny: params.yearLimitCny,
      approachPct: params.approachPct,
      orderLimitCny: params.orderLimitCny,
      latest: year.latest,
    },
  };
}

export interface SharedParty {
  /** The address, phone or payer id the orders share. */
  key: string;
  kind: 'address' | 'phone' | 'payer';
  buyers: Array<{ buyerIdNumber: string; buyerName: string }>;
  orders: Array<{ orderNo: string; logisticsNo: string | null; buyerIdNumber: string; at: string }>;
}

/** Rules 3b and 3c: many different buyers behind one consignee address or phone, or one payer. */
export function sharedParty(
  party: SharedParty,
  params: RiskRuleParams['shared-consignee'] | RiskRuleParams['shared-payer'],
): WarningDraft | null {
  const buyers = new Map(party.buyers.map((b) => [b.buyerIdNumber, b]));
  if (buyers.size < params.maxBuyers) return null;
  const newest = [...party.orders].sort((a, b) => (a.at < b.at ? 1 : -1)).find((o) => o.logisticsNo);
  const payer = party.kind === 'payer';
  const what = payer
    ? `payer ${mask(party.key)}`
    : party.kind === 'phone'
      ? `consignee phone ${party.key}`
      : `consignee address "${party.key}"`;
  return {
    rule: payer ? 'shared-payer' : 'shared-consignee',
    subjectKind: payer ? 'payer' : 'consignee',
    subjectId: `${party.kind}:${party.key}`,
    logisticsNo: newest?.logisticsNo ?? null,
    severity: 'warning',
    reason: payer
      ? `${what} paid for ${buyers.size} different buyers within ${params.windowDays} days (${params.maxBuyers} or more is a warning)`
      : `${buyers.size} different buyers ship to ${what} within ${params.windowDays} days: orders may be split to stay under the limits`,
    evidence: {
      [party.kind]: party.key,
      buyers: [...buyers.values()].map((b) => ({ buyerName: b.buyerName, buyerIdNumber: mask(b.buyerIdNumber) })),
      orders: party.orders.slice(0, 50),
      maxBuyers: params.maxBuyers,
      windowDays: params.windowDays,
    },
  };
}

export interface ReturnHistory {
  kind: 'buyer' | 'consignee';
  key: string;
  name: string;
  returns: Array<{ returnNo: string; logisticsNo: string; orderNo: string; at: string; reason: string }>;
}

/** Rule 4: a buyer or consignee returning often. */
export function frequentReturns(
  history: ReturnHistory,
  params: RiskRuleParams['frequent-returns'],
): WarningDraft | null {
  if (history.returns.length < params.maxReturns) return null;
  const newest = [...history.returns].sort((a, b) => (a.at < b.at ? 1 : -1))[0];
  const who = history.kind === 'buyer' ? `buyer ${history.name} (${mask(history.key)})` : `consignee ${history.key}`;
  return {
    rule: 'frequent-returns',
    subjectKind: history.kind,
    subjectId: `returns:${history.key}`,
    logisticsNo: null,
    severity: 'notice',
    reason: `${who} returned ${history.returns.length} parcels within ${params.windowDays} days (${params.maxReturns} or more is a warning)`,
    evidence: {
      [history.kind]: history.kind === 'buyer' ? mask(history.key) : history.key,
      name: history.name,
      returns: history.returns.slice(0, 50),
      newest: newest.logisticsNo,
      maxReturns: params.maxReturns,
      windowDays: params.windowDays,
    },
  };
}

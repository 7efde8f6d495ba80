import {
  CREDIT_GRADE_LABELS,
  CREDIT_GRADES,
  type CreditGrade,
  type CreditTable,
  DEFAULT_INSPECTION_RATES,
  type GradeRate,
  inspectionRateOf,
  PPM,
  percentOfPpm,
  pickedForInspection,
} from '@wms/contracts';

/**
 * Credit-graded inspection, the pure part (issue 13, DOMAIN.md §8): the WMS's own pre-selection of
 * a list for inspection, and actual against configured inspection rates.
 */

/** Who placed a pre-selection hold (inventory_list.held_by): a customs officer lifts it after the inspection. */
export const PRESELECTION_HOLDER = 'credit-selection';

/** The draw key of the WMS's pre-selection: its own, so it never picks the same lists customs does. */
export const preselectionKey = (copNo: string) => `preselect|${copNo}`;

export interface Preselection {
  grade: CreditGrade;
  ratePpm: number;
  b2b: boolean;
  reason: string;
}

/**
 * Whether the WMS pre-selects a list for inspection: its draw (`unitDraw(seed, preselect|copNo)`)
 * below the rate of its enterprise's grade (the B2B rate for 9710/9810) — the same rule as the
 * customs simulator, so over many lists the share pre-selected is the configured rate.
 */
export function preselect(
  list: { copNo: string; ebcCode: string; tradeMode: string },
  table: CreditTable,
  draw: number,
): Preselection | null {
  const rate = inspectionRateOf(table, list.ebcCode, list.tradeMode);
  if (!pickedForInspection(draw, rate.ratePpm)) return null;
  const label = CREDIT_GRADE_LABELS[rate.grade];
  return {
    ...rate,
    reason: `pre-selected for inspection by credit grade: ${list.ebcCode} is ${label.en} (${label.zh}), ${rate.b2b ? 'B2B ' : ''}rate ${percentOfPpm(rate.ratePpm)}; take the parcel to the inspection area`,
  };
}

/** One enterprise's lists in a period, as counted from the receipts (credit.repository.ts). */
export interface EnterpriseCount {
  enterpriseCode: string;
  name: string | null;
  grade: CreditGrade;
  /** Lists customs answered (a receipt of 100 or more) and of those the inspected ones (a 500 receipt). */
  lists: number;
  inspected: number;
  /** Of the lists, the B2B ones (9710/9810) and their inspected. */
  b2bLists: number;
}

export interface RateFigures {
  lists: number;
  inspected: number;
  actualRate: number;
  configuredRate: number;
  bound: number;
  withinBound: boolean;
}

const round6 = (x: number) => Math.round(x * PPM) / PPM;

/**
 * Actual against configured: `expectedPpm` is the sum of each list's configured rate, so the
 * configured rate of a group is their mean. The bound is 4 standard deviations of the binomial
 * share (the variance of a sum of Bernoulli draws at the lists' rates, over n²): a selector at the
 * configured rate is outside it about once in 16,000 groups.
 */
export function rateFigures(lists: number, inspected: number, expectedPpm: number, variancePpm2: number): RateFigures {
  if (!lists) return { lists, inspected, actualRate: 0, configuredRate: 0, bound: 0, withinBound: true };
  const actualRate = inspected / lists;
  const configuredRate = expectedPpm / PPM / lists;
  const bound = (4 * Math.sqrt(variancePpm2 / PPM / PPM)) / lists;
  return {
    lists,
    inspected,
    actualRate: round6(actualRate),
    configuredRate: round6(configuredRate),
    bound: round6(bound),
    // compared before rounding; a hair of tolerance for the floating point of the sums
    withinBound: Math.abs(actualRate - configuredRate) <= bound + 1e-12,
  };
}

/** The expected count (ppm) and its variance (ppm²) of `n` lists at one rate. */
const expectation = (n: number, ratePpm: number) => ({ e: n * ratePpm, v: n * ratePpm * (PPM - ratePpm) });

/** By enterprise, by grade (all five, in grade order) and in total, from the counts and the rates in force. */
export function inspectionRates(counts: EnterpriseCount[], rates: Partial<Record<CreditGrade, GradeRate>>) {
  const rateOf = (grade: CreditGrade) => rates[grade] ?? DEFAULT_INSPECTION_RATES[grade];
  const sums = (c: EnterpriseCount) => {
    const r = rateOf(c.grade);
    const plain = expectation(c.lists - c.b2bLists, r.ratePpm);
    const b2b = expectation(c.b2bLists, r.b2bRatePpm ?? r.ratePpm);
    return { e: plain.e + b2b.e, v: plain.v + b2b.v };
  };
  const enterprises = [...counts]
    .sort(
      (a, b) =>
        CREDIT_GRADES.indexOf(a.grade) - CREDIT_GRADES.indexOf(b.grade) ||
        (a.enterpriseCode < b.enterpriseCode ? -1 : 1),
    )
    .map((c) => {
      const s = sums(c);
      return {
        enterpriseCode: c.enterpriseCode,
        name: c.name,
        grade: c.grade,
        ...rateFigures(c.lists, c.inspected, s.e, s.v),
      };
    });
  const total = { lists: 0, inspected: 0, e: 0, v: 0 };
  const grades = CREDIT_GRADES.map((grade) => {
    const of = counts.filter((c) => c.grade === grade);
    const g = { lists: 0, inspected: 0, e: 0, v: 0 };
    for (const c of of) {
      const s = sums(c);
      g.lists += c.lists;
      g.inspected += c.inspected;
      g.e += s.e;
      g.v += s.v;
    }
    total.lists += g.lists;
    total.inspected += g.inspected;
    total.e += g.e;
    total.v += g.v;
    const r = rateOf(grade);
    return {
      grade,
      ratePpm: r.ratePpm,
      b2bRatePpm: r.b2bRatePpm,
      enterprises: of.length,
      ...rateFigures(g.lists, g.inspected, g.e, g.v),
      // a grade with no list: its configured rate is still worth showing
      ...(g.lists ? {} : { configuredRate: round6(r.ratePpm / PPM) }),
    };
  });
  return { total: rateFigures(total.lists, total.inspected, total.e, total.v), grades, enterprises };
}

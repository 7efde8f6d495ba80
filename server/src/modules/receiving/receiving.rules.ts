/**
 * The receiving report (DOMAIN.md §6): per SKU, what was expected against what was counted good,
 * damaged or unexpected; over = good beyond the expected quantity, short = expected not counted
 * (good or damaged). Pure: the service reads the counts and books by it.
 */
export interface ReceivingCount {
  sku: string;
  condition: 'good' | 'damaged' | 'unexpected';
  qty: number;
}

export interface ReceivingReportLine {
  sku: string;
  expected: number;
  good: number;
  damaged: number;
  unexpected: number;
  over: number;
  short: number;
}

/** One line per SKU expected or counted, in SKU order. */
export function receivingReport(
  expectedLines: Array<{ sku: string; qty: number }>,
  counts: ReceivingCount[],
): ReceivingReportLine[] {
  const skus = [...new Set([...expectedLines.map((l) => l.sku), ...counts.map((c) => c.sku)])].sort();
  return skus.map((sku) => {
    const expected = expectedLines.filter((l) => l.sku === sku).reduce((s, l) => s + l.qty, 0);
    const sum = (c: ReceivingCount['condition']) =>
      counts.filter((x) => x.sku === sku && x.condition === c).reduce((s, x) => s + x.qty, 0);
    const good = sum('good');
    const damaged = sum('damaged');
    const unexpected = sum('unexpected');
    return {
      sku,
      expected,
      good,
      damaged,
      unexpected,
      over: Math.max(0, good - expected),
      short: Math.max(0, expected - good - damaged),
    };
  });
}

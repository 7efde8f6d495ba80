/**
 * Pure rules of receiving (DOMAIN.md §6, §10): what a counted unit is against the expected
 * delivery lines, and the receiving report per SKU. The service reads the counts and books by it.
 */
import type { ReceivingReportLine } from '@wms/contracts';

/** The report line's shape is in contracts (the handheld reads it too). */
export type { ReceivingReportLine };

/** An expected delivery line (the ASN): batch and expiry when the sender named them. */
export interface ExpectedLine {
  sku: string;
  qty: number;
  batch?: string;
  /** YYYY-MM-DD, as GS1 AI 17 is read. */
  expiry?: string;
}

export type CountCondition = 'good' | 'damaged' | 'unexpected' | 'batch_mismatch';

export interface ReceivingCount {
  sku: string;
  condition: CountCondition;
  qty: number;
}

/** How one scanned unit is counted, and when it differs, from what. */
export type ReceivedAs =
  | { condition: 'good' | 'damaged' | 'unexpected' }
  | { condition: 'batch_mismatch'; differs: 'batch' | 'expiry'; expectedBatch: string; expectedExpiry: string | null };

/**
 * A unit of an SKU the delivery does not expect is unexpected; a damaged one is damaged whatever
 * its batch. A good unit whose scanned batch (or expiry) matches no expected line of its SKU is a
 * difference, not good stock of the expected batch: it is set aside for the supervisor. A line
 * without a batch (or expiry) takes any; a scan that names none (a plain SKU label) cannot differ.
 */
export function receivedAs(
  lines: ExpectedLine[],
  scanned: { sku: string; batch: string; expiry: string | null; condition: 'good' | 'damaged' },
): ReceivedAs {
  const ofSku = lines.filter((l) => l.sku === scanned.sku);
  if (!ofSku.length) return { condition: 'unexpected' };
  if (scanned.condition === 'damaged') return { condition: 'damaged' };
  const batchFits = (l: ExpectedLine) => !l.batch || !scanned.batch || l.batch === scanned.batch;
  const expiryFits = (l: ExpectedLine) => !l.expiry || !scanned.expiry || l.expiry === scanned.expiry;
  if (ofSku.some((l) => batchFits(l) && expiryFits(l))) return { condition: 'good' };
  const sameBatch = ofSku.find(batchFits);
  const line = sameBatch ?? ofSku.find((l) => l.batch) ?? ofSku[0];
  return {
    condition: 'batch_mismatch',
    differs: sameBatch ? 'expiry' : 'batch',
    expectedBatch: line.batch ?? '',
    expectedExpiry: line.expiry ?? null,
  };
}

/**
 * One line per SKU expected or counted, in SKU order: over = good beyond the expected quantity;
 * short = expected not counted at all (neither good, damaged nor of another batch).
 */
export function receivingReport(expectedLines: ExpectedLine[], counts: ReceivingCount[]): ReceivingReportLine[] {
  const skus = [...new Set([...expectedLines.map((l) => l.sku), ...counts.map((c) => c.sku)])].sort();
  return skus.map((sku) => {
    const expected = expectedLines.filter((l) => l.sku === sku).reduce((s, l) => s + l.qty, 0);
    const sum = (c: CountCondition) =>
      counts.filter((x) => x.sku === sku && x.condition === c).reduce((s, x) => s + x.qty, 0);
    const good = sum('good');
    const damaged = sum('damaged');
    const unexpected = sum('unexpected');
    const batchMismatch = sum('batch_mismatch');
    return {
      sku,
      expected,
      good,
      damaged,
      unexpected,
      batchMismatch,
      over: Math.max(0, good - expected),
      short: Math.max(0, expected - good - damaged - batchMismatch),
    };
  });
}

/** A batch difference as the report lists it: what came against what was expected. */
export interface BatchDifference {
  sku: string;
  batch: string;
  expiry: string | null;
  qty: number;
  expectedBatches: string[];
}

/** The counted units of another batch or expiry, against the batches the delivery expected. */
export function batchDifferences(
  expectedLines: ExpectedLine[],
  counts: Array<{ sku: string; batch: string; expiry: string | null; condition: CountCondition; qty: number }>,
): BatchDifference[] {
  return counts
    .filter((c) => c.condition === 'batch_mismatch')
    .map((c) => ({
      sku: c.sku,
      batch: c.batch,
      expiry: c.expiry,
      qty: c.qty,
      expectedBatches: [...new Set(expectedLines.filter((l) => l.sku === c.sku).map((l) => l.batch ?? ''))].filter(
        Boolean,
      ),
    }));
}

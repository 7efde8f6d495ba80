import type { RiskRuleParams } from '@wms/contracts';
import { formatDecimal, parseDecimal } from '../../customs/rules/money.js';
import type { WarningDraft } from './warning.js';

/**
 * Rules on one parcel (DOMAIN.md §8): its weight on the scale against the declaration, and the
 * declared unit values of its lines against the site's own history of the same HS code.
 */

export interface WeightCheckFact {
  checkId: string;
  logisticsNo: string;
  stationId: string;
  grossGrams: number;
  declaredGrams: number | null;
  expectedGrams: number | null;
  toleranceGrams: number;
  within: boolean;
  at: string;
}

/** Rule 1: a weight check out of tolerance (the parcel is already on a weight hold) is a warning with its numbers. */
export function weightDeviation(
  check: WeightCheckFact,
  params: RiskRuleParams['weight-deviation'],
): WarningDraft | null {
  if (check.within) return null;
  const reference = check.declaredGrams ?? check.expectedGrams;
  const kg = (g: number) => `${(g / 1000).toFixed(3)} kg`;
  const deviation = reference === null ? null : check.grossGrams - reference;
  return {
    rule: 'weight-deviation',
    subjectKind: 'parcel',
    subjectId: check.logisticsNo,
    logisticsNo: check.logisticsNo,
    severity: params.severity,
    reason:
      reference === null
        ? `parcel ${check.logisticsNo} weighed ${kg(check.grossGrams)} with nothing declared to compare with`
        : `parcel ${check.logisticsNo} weighed ${kg(check.grossGrams)} against ${kg(reference)} ${check.declaredGrams !== null ? 'declared' : 'expected'}: ${deviation! > 0 ? '+' : ''}${deviation} g, beyond the ${check.toleranceGrams} g tolerance`,
    evidence: {
      grossGrams: check.grossGrams,
      declaredGrams: check.declaredGrams,
      expectedGrams: check.expectedGrams,
      deviationGrams: deviation,
      deviationPct: reference ? Math.round((deviation! * 1000) / reference) / 10 : null,
      toleranceGrams: check.toleranceGrams,
      stationId: check.stationId,
      weightCheckId: check.checkId,
      at: check.at,
    },
  };
}

export interface DeclaredLine {
  gnum: number;
  itemNo: string;
  sku: string;
  gcode: string;
  gname: string;
  /** Declared unit price, a decimal string (CNY). */
  price: string;
}

export interface PriceReference {
  gcode: string;
  /** Median of the site's declared unit prices of the HS code over the window, a decimal string. */
  median: string;
  samples: number;
}

/** Rule 2: a declared unit value below the band of the reference value of the same HS code. */
export function lowValue(
  parcel: { logisticsNo: string; copNo: string; orderNo: string; lines: DeclaredLine[] },
  references: Map<string, PriceReference>,
  params: RiskRuleParams['low-value'],
): WarningDraft | null {
  const low: Array<Record<string, unknown>> = [];
  for (const line of parcel.lines) {
    const ref = references.get(line.gcode);
    if (!ref || ref.samples < params.minSamples) continue;
    const price = parseDecimal(line.price);
    const median = parseDecimal(ref.median);
    if (median <= 0n) continue;
    // price < median × band%, exactly: price × 100 < median × band
    if (price * 100n >= median * BigInt(params.bandPct)) continue;
    low.push({
      gnum: line.gnum,
      itemNo: line.itemNo,
      sku: line.sku,
      gcode: line.gcode,
      gname: line.gname,
      price: formatDecimal(price),
      referenceMedian: formatDecimal(median),
      referenceSamples: ref.samples,
      sharePct: Number((price * 1000n) / median) / 10,
    });
  }
  if (!low.length) return null;
  const first = low[0];
  return {
    rule: 'low-value',
    subjectKind: 'parcel',
    subjectId: parcel.logisticsNo,
    logisticsNo: parcel.logisticsNo,
    severity: 'warning',
    reason: `parcel ${parcel.logisticsNo}: ${first.gname} (HS ${first.gcode}) declared at ${first.price} CNY a unit, ${first.sharePct}% of the site's median ${first.referenceMedian} CNY${low.length > 1 ? ` (and ${low.length - 1} more line(s))` : ''}, below the ${params.bandPct}% band`,
    evidence: {
      copNo: parcel.copNo,
      orderNo: parcel.orderNo,
      bandPct: params.bandPct,
      windowDays: params.windowDays,
      lines: low,
    },
  };
}

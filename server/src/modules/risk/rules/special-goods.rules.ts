import type { RiskRuleParams, TrackedStep } from '@wms/contracts';
import type { WarningDraft } from './warning.js';

/**
 * Special goods (DOMAIN.md §8: e.g. controlled knives) need every step tracked, end to end: a
 * step on the trace without the steps it needs before it (picked with no put-away of the goods,
 * out of the gate without a weighing) is a warning.
 */

export interface GoodsLine {
  ownerCode: string;
  sku: string;
  gcode: string;
  gname: string;
}

/** Whether a line is special goods: its HS code starts with a listed prefix, or its SKU (or OWNER/SKU) is listed. */
export function isSpecialGoods(line: GoodsLine, params: RiskRuleParams['special-goods']): boolean {
  return (
    params.hsPrefixes.some((p) => line.gcode.startsWith(p)) ||
    params.skus.includes(line.sku) ||
    params.skus.includes(`${line.ownerCode}/${line.sku}`)
  );
}

/** A trace event as the tracked step it is, or null when it is none (DOMAIN.md §7, CBV bizStep). */
export function trackedStep(event: {
  objectKind: string;
  bizStep: string;
  disposition: string | null;
}): TrackedStep | null {
  if (event.objectKind === 'stock' && event.bizStep === 'storing') return 'storing';
  if (event.objectKind === 'book-line' && event.bizStep === 'receiving') return 'receiving';
  if (event.objectKind !== 'parcel') return null;
  if (event.bizStep === 'picking' && event.disposition !== 'short') return 'picking';
  if (event.disposition === 'weighed' || event.disposition === 'weight_hold') return 'weighing';
  if (event.bizStep === 'packing') return 'packing';
  if (event.bizStep === 'departing' && event.disposition === 'in_transit') return 'departing';
  return null;
}

export interface SeenStep {
  step: TrackedStep;
  at: string;
  traceId: string;
  readPoint: string | null;
}

/** The special-goods rule on one parcel: every step seen whose required earlier steps were not seen. */
export function missingSteps(
  parcel: { logisticsNo: string; lines: GoodsLine[] },
  seen: SeenStep[],
  params: RiskRuleParams['special-goods'],
): WarningDraft | null {
  const special = parcel.lines.filter((l) => isSpecialGoods(l, params));
  if (!special.length) return null;
  const steps = new Set(seen.map((s) => s.step));
  const gaps: Array<{ step: TrackedStep; missing: TrackedStep[]; at: string }> = [];
  for (const requirement of params.requires) {
    const at = seen.find((s) => s.step === requirement.step);
    if (!at) continue;
    const missing = requirement.after.filter((before) => !steps.has(before));
    if (missing.length) gaps.push({ step: requirement.step, missing, at: at.at });
  }
  if (!gaps.length) return null;
  const goods = special.map((l) => `${l.gname} (HS ${l.gcode})`).join(', ');
  return {
    rule: 'special-goods',
    subjectKind: 'parcel',
    subjectId: parcel.logisticsNo,
    logisticsNo: parcel.logisticsNo,
    severity: 'high',
    reason: `special goods ${goods} in parcel ${parcel.logisticsNo}: ${gaps.map((g) => `${g.step} without ${g.missing.join(' and ')}`).join('; ')}`,
    evidence: {
      goods: special,
      gaps,
      seen: [...seen].sort((a, b) => (a.at < b.at ? -1 : 1)),
      requires: params.requires,
    },
  };
}

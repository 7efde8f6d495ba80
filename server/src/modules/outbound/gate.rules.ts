import { canPassGate } from '../customs/rules/customs-status.js';
import { shippedRefusal } from '../parcels/shipped.rules.js';

/** The fields of a parcel's list that the gate rule reads. */
export interface GateFacts {
  logistics_no: string;
  state: 'draft' | 'blocked' | 'declared' | 'rejected' | 'cancelled';
  direction: 'import' | 'export';
  customs_status: number | null;
  customs_status_info: string | null;
  hold_reason: string | null;
  /** `weight-check` for the warehouse's own weight hold; a customs officer's name otherwise. */
  held_by?: string | null;
  gate_passed_at: Date | string | null;
  gate_pass_no?: string | null;
  packed_at: Date | string | null;
}

/** What the floor recorded about the parcel: its weighings, its label, the trip it left on. */
export interface FloorFacts {
  weighings: number;
  /** The newest weighing; a lifted weight-check hold is recorded on the weighing it accepted. */
  latestWeighing: {
    grossGrams: number;
    within: boolean;
    holdLiftedBy: string | null;
    holdLiftReason: string | null;
  } | null;
  /** A label print the printer confirmed (`done`), and the status of the last print asked for. */
  labelPrinted: boolean;
  lastLabelStatus: string | null;
  tripNo: string | null;
}

/**
 * Per warehouse (DOMAIN.md §2): a bonded centre weighs and labels every parcel before the gate;
 * an overseas site whose carrier weighs and labels can turn either check off. Defaults on.
 */
export interface GateSettings {
  requireWeighing: boolean;
  requireLabel: boolean;
}
export const DEFAULT_GATE_SETTINGS: GateSettings = { requireWeighing: true, requireLabel: true };

export const GATE_CHECKS = ['not-shipped', 'released', 'not-held', 'packed', 'weighed', 'labelled'] as const;
export type GateCheckName = (typeof GATE_CHECKS)[number];

export interface GateCheck {
  check: GateCheckName;
  ok: boolean;
  /** Why it holds or, when it does not, what the worker does about it (en, zh). */
  reason: string;
  reasonZh: string;
}

export interface GateDecision {
  allowed: boolean;
  /** The first failing check's reason (what to do first), or why it may pass. */
  reason: string;
  reasonZh: string;
  checks: GateCheck[];
}

type Check = { ok: true; reason: string; reasonZh: string } | { ok: false; reason: string; reasonZh: string };
const pass = (reason: string, reasonZh: string): Check => ({ ok: true, reason, reasonZh });
const fail = (reason: string, reasonZh: string): Check => ({ ok: false, reason, reasonZh });
const kg = (g: number) => `${(g / 1000).toFixed(3)} kg`;

/** Import parcels are picked and packed here; export parcels arrive packed at a consolidation warehouse. */
export const needsPacking = (list: Pick<GateFacts, 'direction'>) => list.direction === 'import';

/** DOMAIN.md §4: only a declared list customs released (800, or 899 after it) may leave; a cancelled one never. */
export function releasedCheck(list: GateFacts): Check {
  const no = list.logistics_no;
  if (list.state === 'cancelled')
    return fail(`parcel ${no}: its list was cancelled: it cannot ship`, `包裹 ${no}：清单已撤销，不能出区`);
  if (list.state !== 'declared' && list.state !== 'rejected')
    return fail(
      `parcel ${no}: not declared to customs (list ${list.state}): cannot ship`,
      `包裹 ${no}：未向海关申报（清单${list.state === 'blocked' ? '三单对碰未通过' : '草稿'}）：不能出区`,
    );
  const customs = canPassGate({ status: list.customs_status, statusInfo: list.customs_status_info });
  return customs.allowed
    ? pass(customs.reason, customs.reasonZh)
    : fail(`parcel ${no} is ${customs.reason}`, `包裹 ${no}：${customs.reasonZh}`);
}

/** A hold stops the parcel whoever placed it; the weight-check hold is the warehouse's own (DOMAIN.md §8). */
export function heldCheck(list: GateFacts): Check {
  const no = list.logistics_no;
  if (!list.hold_reason) return pass('not held', '未被扣留');
  if (list.held_by === 'weight-check')
    return fail(
      `parcel ${no} is on a warehouse weight-check hold (${list.hold_reason}): a supervisor re-weighs it and lifts the hold with the reason`,
      `包裹 ${no} 因仓库称重复核暂扣（${list.hold_reason}）：请主管复称后填写原因解除`,
    );
  return fail(
    `parcel ${no} is held by customs (${list.hold_reason}): keep it in the held area`,
    `包裹 ${no} 被海关扣留（${list.hold_reason}）：请放在扣留区`,
  );
}

export function packedCheck(list: GateFacts): Check {
  const no = list.logistics_no;
  if (!needsPacking(list)) return pass('arrives packed (export)', '出口包裹到仓即已打包');
  return list.packed_at
    ? pass('packed', '已打包')
    : fail(`parcel ${no} is not packed yet: pack it first`, `包裹 ${no} 尚未打包：请先打包`);
}

/**
 * DOMAIN.md §8: the scale's gross weight agrees with the declaration within tolerance; or a
 * weighing out of tolerance was accepted: the parcel was re-weighed after the hold and a
 * supervisor lifted the hold with the reason (recorded on that re-weigh).
 */
export function weighedCheck(list: GateFacts, floor: FloorFacts, settings: GateSettings): Check {
  const no = list.logistics_no;
  if (!settings.requireWeighing) return pass('this warehouse does not weigh at the gate', '本仓出区不要求称重');
  const w = floor.latestWeighing;
  if (!w || floor.weighings === 0)
    return fail(
      `parcel ${no} was never weighed: put it on the scale at a packing station`,
      `包裹 ${no} 尚未称重：请在打包台过秤`,
    );
  if (w.within) return pass(`weighed ${kg(w.grossGrams)}, within tolerance`, `称重 ${kg(w.grossGrams)}，在允许误差内`);
  if (w.holdLiftReason && floor.weighings >= 2)
    return pass(
      `re-weighed ${kg(w.grossGrams)}, accepted by ${w.holdLiftedBy ?? 'a supervisor'}: ${w.holdLiftReason}`,
      `复称 ${kg(w.grossGrams)}，已由 ${w.holdLiftedBy ?? '主管'} 确认：${w.holdLiftReason}`,
    );
  return fail(
    `parcel ${no} weighed ${kg(w.grossGrams)}, out of tolerance: a supervisor re-weighs it and lifts the weight hold with the reason`,
    `包裹 ${no} 称重 ${kg(w.grossGrams)} 超出允许误差：请主管复称后填写原因解除称重暂扣`,
  );
}

export function labelledCheck(list: GateFacts, floor: FloorFacts, settings: GateSettings): Check {
  const no = list.logistics_no;
  if (!settings.requireLabel) return pass('this warehouse does not label at the gate', '本仓出区不要求面单');
  if (floor.labelPrinted) return pass('label printed', '面单已打印');
  if (floor.lastLabelStatus)
    return fail(
      `parcel ${no}: its label did not print (${floor.lastLabelStatus}): check the printer and reprint the label with the reason`,
      `包裹 ${no}：面单未打印成功（${floor.lastLabelStatus}）：请检查打印机并注明原因补打`,
    );
  return fail(
    `parcel ${no} has no label: print its label at the packing station`,
    `包裹 ${no} 没有面单：请在打包台打印面单`,
  );
}

/**
 * The gate rule (DOMAIN.md §4, §6, §8): a parcel passes the outbound gate only when it has not
 * left already, customs released it (800), nobody holds it, it is packed (import), weighed within
 * tolerance (or its out-of-tolerance weight accepted after a re-weigh) and labelled, each as the
 * warehouse asks. Every check is answered; the first that fails says what to do first.
 */
export function gateDecision(
  list: GateFacts,
  floor: FloorFacts,
  settings: GateSettings = DEFAULT_GATE_SETTINGS,
  timeZone?: string,
): GateDecision {
  const shipped = shippedRefusal(
    { logisticsNo: list.logistics_no, gatePassedAt: list.gate_passed_at, gatePassNo: list.gate_pass_no ?? null },
    floor.tripNo,
    timeZone,
  );
  const results: Array<[GateCheckName, Check]> = [
    ['not-shipped', shipped ? fail(shipped.en, shipped.zh) : pass('still inside', '仍在区内')],
    ['released', releasedCheck(list)],
    ['not-held', heldCheck(list)],
    ['packed', packedCheck(list)],
    ['weighed', weighedCheck(list, floor, settings)],
    ['labelled', labelledCheck(list, floor, settings)],
  ];
  const checks = results.map(([check, r]) => ({ check, ok: r.ok, reason: r.reason, reasonZh: r.reasonZh }));
  const first = checks.find((c) => !c.ok);
  if (first) return { allowed: false, reason: first.reason, reasonZh: first.reasonZh, checks };
  const released = checks[1];
  return { allowed: true, reason: released.reason, reasonZh: released.reasonZh, checks };
}

/** The names of the checks that fail (kept in the trace of a refusal). */
export const failedChecks = (d: GateDecision) => d.checks.filter((c) => !c.ok).map((c) => c.check);

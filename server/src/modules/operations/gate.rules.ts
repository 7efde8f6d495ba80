import { canPassGate } from '../customs/rules/customs-status.js';

/** The fields of a parcel's list that the gate rule reads. */
export interface GateFacts {
  logistics_no: string;
  state: 'draft' | 'blocked' | 'declared' | 'rejected' | 'cancelled';
  direction: 'import' | 'export';
  customs_status: number | null;
  customs_status_info: string | null;
  hold_reason: string | null;
  gate_passed_at: Date | string | null;
  packed_at: Date | string | null;
}

/**
 * The gate rule (DOMAIN.md §4, §6): a parcel passes the outbound gate only when customs released
 * it (800), nobody holds it, and (import) it is packed. Every refusal says why and what to do.
 */
export function gateDecision(list: GateFacts): { allowed: boolean; reason: string; reasonZh: string } {
  const no = list.logistics_no;
  const refuse = (reason: string, reasonZh: string) => ({ allowed: false, reason, reasonZh });
  if (list.gate_passed_at) {
    const at = new Date(list.gate_passed_at).toISOString();
    return refuse(`parcel ${no} already passed the gate at ${at}`, `包裹 ${no} 已于 ${at} 出卡口`);
  }
  if (list.state === 'cancelled')
    return refuse(`parcel ${no}: its list was cancelled: it cannot ship`, `包裹 ${no}：清单已撤销，不能出区`);
  if (list.state !== 'declared' && list.state !== 'rejected')
    return refuse(
      `parcel ${no}: not declared to customs (list ${list.state}): cannot ship`,
      `包裹 ${no}：未向海关申报（清单${list.state === 'blocked' ? '三单对碰未通过' : '草稿'}）：不能出区`,
    );
  if (list.hold_reason)
    return refuse(
      `parcel ${no} is held by customs (${list.hold_reason}): keep it in the held area`,
      `包裹 ${no} 被扣留（${list.hold_reason}）：请放在扣留区`,
    );
  const customs = canPassGate({ status: list.customs_status, statusInfo: list.customs_status_info });
  if (!customs.allowed) return refuse(`parcel ${no} is ${customs.reason}`, `包裹 ${no}：${customs.reasonZh}`);
  // import parcels are picked from stock here; export parcels arrive packed at a consolidation warehouse
  if (!list.packed_at && list.direction === 'import')
    return refuse(
      `parcel ${no} is released but not packed yet: pack it first`,
      `包裹 ${no} 已放行但尚未打包：请先打包`,
    );
  return { allowed: true, reason: customs.reason, reasonZh: customs.reasonZh };
}

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
export function gateDecision(list: GateFacts): { allowed: boolean; reason: string } {
  const no = list.logistics_no;
  if (list.gate_passed_at)
    return {
      allowed: false,
      reason: `parcel ${no} already passed the gate at ${new Date(list.gate_passed_at).toISOString()}`,
    };
  if (list.state === 'cancelled')
    return { allowed: false, reason: `parcel ${no}: its list was cancelled: it cannot ship` };
  if (list.state !== 'declared' && list.state !== 'rejected')
    return { allowed: false, reason: `parcel ${no}: not declared to customs (list ${list.state}): cannot ship` };
  if (list.hold_reason)
    return {
      allowed: false,
      reason: `parcel ${no} is held by customs (${list.hold_reason}): keep it in the held area`,
    };
  const customs = canPassGate({ status: list.customs_status, statusInfo: list.customs_status_info });
  if (!customs.allowed) return { allowed: false, reason: `parcel ${no} is ${customs.reason}` };
  // import parcels are picked from stock here; export parcels arrive packed at a consolidation warehouse
  if (!list.packed_at && list.direction === 'import')
    return { allowed: false, reason: `parcel ${no} is released but not packed yet: pack it first` };
  return { allowed: true, reason: customs.reason };
}

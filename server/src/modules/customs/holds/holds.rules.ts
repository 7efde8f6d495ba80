/**
 * Customs holds and inspection results (issue 13, DOMAIN.md §4): pure rules, no I/O.
 *
 * - A hold and a lift each need a reason, and each is signed by whoever acts (user id, login, name).
 * - Only a customs officer lifts a customs hold; the warehouse's own weight-check hold may also be
 *   lifted by a supervisor after a re-weigh (DOMAIN.md §8).
 * - An inspection result is the officer's finding, not customs' decision: a discrepancy keeps the
 *   parcel held for customs; found as declared changes nothing — release comes only from the
 *   receipt (800), as the inventory-list receipt table of DOMAIN.md §4 says.
 */

/** Who signs a hold, a lift or an inspection result. */
export interface Signature {
  userId: string;
  username: string;
  name: string;
}

export const WEIGHT_CHECK = 'weight-check';

export interface HeldParcel {
  logisticsNo: string;
  holdReason: string | null;
  heldBy: string | null;
  heldAt: Date | string | null;
  gatePassedAt: Date | string | null;
  customsStatus: number | null;
}

export type Verdict =
  | { ok: true }
  | { ok: false; code: 'CUSTOMS_STATE' | 'FORBIDDEN' | 'VALIDATION_FAILED' | 'CONFLICT'; message: string };

const refuse = (code: Exclude<Verdict, { ok: true }>['code'], message: string): Verdict => ({
  ok: false,
  code,
  message,
});

/** Whether an officer may place a hold on this parcel now. */
export function mayHold(p: HeldParcel, heldByName: string | null): Verdict {
  if (p.gatePassedAt)
    return refuse('CUSTOMS_STATE', `parcel ${p.logisticsNo} already left through the gate; it cannot be held`);
  if (p.holdReason && p.heldBy !== WEIGHT_CHECK)
    return refuse(
      'CONFLICT',
      `parcel ${p.logisticsNo} is already held by ${heldByName ?? p.heldBy ?? 'customs'} (${p.holdReason}); lift that hold first if the reason changed`,
    );
  return { ok: true };
}

/** Whether this user may lift the parcel's hold with this reason. */
export function mayLift(p: HeldParcel, isCustoms: boolean, reason: string | undefined): Verdict {
  if (!p.holdReason) return refuse('CUSTOMS_STATE', `parcel ${p.logisticsNo} is not held`);
  const weightHold = p.heldBy === WEIGHT_CHECK;
  if (!isCustoms && !weightHold)
    return refuse(
      'FORBIDDEN',
      `parcel ${p.logisticsNo} is held by customs (${p.holdReason}): only a customs officer can lift that hold`,
    );
  if (!reason?.trim())
    return refuse(
      'VALIDATION_FAILED',
      weightHold
        ? `say why the weight-check hold of parcel ${p.logisticsNo} is lifted: send { "reason": "re-weighed: 1,250 g, within tolerance" }`
        : `say why the customs hold of parcel ${p.logisticsNo} is lifted: send { "reason": "opened and checked: goods as declared" }`,
    );
  return { ok: true };
}

/** Receipt statuses under which an inspection is going on (500) or that follow a finding (detained). */
const INSPECTED = new Set([500]);

/** Whether an inspection result may be recorded for the parcel now. */
export function mayRecordInspection(p: HeldParcel): Verdict {
  if (p.gatePassedAt)
    return refuse(
      'CUSTOMS_STATE',
      `parcel ${p.logisticsNo} already left through the gate; there is nothing to inspect`,
    );
  const customsHold = Boolean(p.holdReason) && p.heldBy !== WEIGHT_CHECK;
  if (!INSPECTED.has(p.customsStatus ?? -1) && !customsHold)
    return refuse(
      'CUSTOMS_STATE',
      `parcel ${p.logisticsNo} is not under inspection (customs status ${p.customsStatus ?? 'none'}) nor held by customs: hold it first to inspect it`,
    );
  return { ok: true };
}

export interface InspectionOutcome {
  /** The hold to place (a discrepancy on a parcel not held by customs yet), or null. */
  holdReason: string | null;
  /** What the WMS does with the parcel now, for the officer. */
  next: string;
}

/** What the WMS does after an inspection result: it never releases a parcel by itself. */
export function inspectionOutcome(
  p: HeldParcel,
  result: 'as-declared' | 'discrepancy',
  notes: string,
): InspectionOutcome {
  const customsHold = Boolean(p.holdReason) && p.heldBy !== WEIGHT_CHECK;
  if (result === 'discrepancy')
    return {
      holdReason: customsHold ? null : `inspection discrepancy: ${notes}`.slice(0, 500),
      next: `parcel ${p.logisticsNo} stays held for customs; the gate refuses it until an officer lifts the hold`,
    };
  const waiting =
    p.customsStatus === 800
      ? 'customs already released it (800)'
      : `it waits for the customs release receipt (800); the gate refuses it until then (status ${p.customsStatus ?? 'none'})`;
  return {
    holdReason: null,
    next: customsHold
      ? `found as declared: ${waiting}, and its customs hold stays until an officer lifts it`
      : `found as declared: ${waiting}`,
  };
}

/**
 * The 9610 export chain after the list (DOMAIN.md §3-§4, issue 14 point 8): the arrival report
 * (CEB507, 运抵单), the master/sub waybill list (CEB607, 总分单) and the departure report (CEB509,
 * 离境单). Their receipts (CEB508 / CEB608 / CEB510) are their own message family, kept apart from
 * the list rules in customs-status.ts on purpose: nothing here is released or held, customs only
 * records (审结) what the site reports.
 *
 * The status of one such declaration is a pure function of the SET of its receipts: they are
 * replayed in customs time (`returnTime`, then business rank for equal times), so any arrival
 * order, and any duplicate, gives the same end state. Replaying in customs time is what lets a
 * later customs decision supersede an earlier one:
 *   - a processing error (negative) or a send failure (4) is superseded by any later receipt;
 *   - a rejection (100) stands against a later 120/300 of the same declaration (re-declare it),
 *     but a later 399/800 (customs recorded it after all) supersedes it;
 *   - once recorded (399, or 800 as some sites send), nothing undoes it: a late 120 is noise.
 */
export interface ManifestReceipt {
  returnStatus: number;
  /** YYYYMMDDhhmmss or YYYYMMDDhhmmssfff, as customs sends it. */
  returnTime: string;
  returnInfo?: string | null;
}

export interface ManifestStatus {
  status: number;
  statusTime: string;
  statusInfo: string | null;
}

export type ManifestKind = 'arrival' | 'waybill' | 'departure';

/** The receipt message of each kind, and the declaration it answers. */
export const MANIFEST_MESSAGES: Record<ManifestKind, { declaration: string; receipt: string }> = {
  arrival: { declaration: 'CEB507', receipt: 'CEB508' },
  waybill: { declaration: 'CEB607', receipt: 'CEB608' },
  departure: { declaration: 'CEB509', receipt: 'CEB510' },
};

/** Recorded by customs: the report stands. */
export const isRecorded = (status: number | null | undefined): boolean => status === 399 || status === 800;

/** Customs has the report (accepted or recorded): the next step of the chain may follow. */
export const isAccepted = (status: number | null | undefined): boolean =>
  status === 120 || status === 300 || isRecorded(status);

/** Business rank within the family; unknown codes rank -1 and never move a status. */
export function manifestRank(code: number): number {
  if (code < 0) return 12;
  switch (code) {
    case 1:
    case 2:
    case 3:
      return 10;
    case 4:
      return 11;
    case 120:
      return 20;
    case 300:
      return 30;
    case 100:
      return 45;
    case 399:
    case 800:
      return 60;
    default:
      return -1;
  }
}

const normaliseTime = (time: string) => time.padEnd(17, '0');

/** One step of the replay: does `next` (later or equal in customs time) replace `current`? */
function supersedes(current: ManifestReceipt, next: ManifestReceipt): boolean {
  const c = current.returnStatus;
  const n = next.returnStatus;
  if (isRecorded(c)) return isRecorded(n) && manifestRank(n) >= manifestRank(c) && n >= c;
  if (isRecorded(n)) return true;
  if (c < 0 || c === 4) return true;
  if (c === 100) return false;
  return manifestRank(n) >= manifestRank(c);
}

/**
 * The status a set of receipts of one declaration gives (null when none counts), with the reason
 * each receipt that did not change it was ignored.
 */
export function manifestStatus(receipts: readonly ManifestReceipt[]): ManifestStatus | null {
  const seen = new Set<string>();
  const known = receipts
    .filter((r) => manifestRank(r.returnStatus) >= 0)
    .filter((r) => {
      const key = `${r.returnStatus}|${normaliseTime(r.returnTime)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(
      (a, b) =>
        normaliseTime(a.returnTime).localeCompare(normaliseTime(b.returnTime)) ||
        manifestRank(a.returnStatus) - manifestRank(b.returnStatus) ||
        a.returnStatus - b.returnStatus,
    );
  let current: ManifestReceipt | null = null;
  for (const r of known) if (current === null || supersedes(current, r)) current = r;
  return current
    ? { status: current.returnStatus, statusTime: current.returnTime, statusInfo: current.returnInfo ?? null }
    : null;
}

/** Did a receipt move the status? If not, why (for the receipt history). */
export function receiptEffect(
  before: ManifestStatus | null,
  after: ManifestStatus | null,
  receipt: ManifestReceipt,
): { changed: boolean; ignoredBecause: string | null } {
  if (manifestRank(receipt.returnStatus) < 0)
    return { changed: false, ignoredBecause: `unknown returnStatus ${receipt.returnStatus}` };
  const changed = before?.status !== after?.status || before?.statusTime !== after?.statusTime;
  return changed
    ? { changed, ignoredBecause: null }
    : {
        changed,
        ignoredBecause: `status ${after?.status ?? 'none'} stands: receipt ${receipt.returnStatus} of ${receipt.returnTime} does not supersede it`,
      };
}

/** A parcel as the arrival report sees it. */
export interface ArrivingParcel {
  logisticsNo: string;
  /** null: no export list names this waybill number. */
  list: { direction: 'import' | 'export'; tradeMode: string; state: string; warehouseCode: string } | null;
  /** The accepted-or-pending arrival already reported for it, if any. */
  arrivedOn: { copNo: string; status: number | null } | null;
}

/**
 * Which scanned parcels may be reported as arrived (CEB507) at this consolidation warehouse: a
 * 9610 export list of this warehouse, declared (not rejected nor cancelled), not already reported
 * on an arrival customs has not rejected. Each refusal says what to do.
 */
export function arrivalProblems(warehouseCode: string, parcels: readonly ArrivingParcel[]): string[] {
  const problems: string[] = [];
  const twice = new Set<string>();
  for (const p of parcels) {
    if (twice.has(p.logisticsNo)) {
      problems.push(`${p.logisticsNo}: scanned twice in this arrival; report it once`);
      continue;
    }
    twice.add(p.logisticsNo);
    if (!p.list) {
      problems.push(`${p.logisticsNo}: no export list names this waybill; declare its CEB603 list first`);
      continue;
    }
    if (p.list.direction !== 'export' || p.list.tradeMode !== '9610')
      problems.push(
        `${p.logisticsNo}: is a ${p.list.direction} ${p.list.tradeMode} parcel; only 9610 export parcels are reported on arrival`,
      );
    else if (p.list.warehouseCode !== warehouseCode)
      problems.push(`${p.logisticsNo}: its list is for warehouse ${p.list.warehouseCode}, not ${warehouseCode}`);
    else if (p.list.state !== 'declared')
      problems.push(`${p.logisticsNo}: its list is ${p.list.state}; fix and re-declare it before it is reported`);
    else if (p.arrivedOn && p.arrivedOn.status !== 100 && !(p.arrivedOn.status !== null && p.arrivedOn.status < 0))
      problems.push(`${p.logisticsNo}: already reported as arrived on ${p.arrivedOn.copNo}`);
  }
  return problems;
}

/** A parcel on a vehicle trip, for the master waybill (CEB607) and the departure (CEB509). */
export interface TripParcel {
  logisticsNo: string;
  sscc: string;
  invtNo: string | null;
  listStatus: number | null;
  /** The status of its latest arrival report (CEB507), null if none was sent. */
  arrivalStatus: number | null | undefined;
}

/**
 * Whether the parcels of a trip may be declared on a master waybill: every one released (800),
 * with its customs list number, and reported as arrived with customs accepting the report.
 */
export function masterWaybillProblems(parcels: readonly TripParcel[]): string[] {
  if (!parcels.length) return ['the trip carries no parcels: load bags or pallets onto it first'];
  const problems: string[] = [];
  for (const p of parcels) {
    if (p.arrivalStatus === undefined)
      problems.push(`${p.logisticsNo} (in ${p.sscc}): never reported as arrived (CEB507); scan it in first`);
    else if (!isAccepted(p.arrivalStatus))
      problems.push(
        `${p.logisticsNo} (in ${p.sscc}): its arrival report is ${p.arrivalStatus === null ? 'not answered yet' : `at ${p.arrivalStatus}`}; wait for customs to accept it or report it again`,
      );
    if (p.listStatus !== 800 || !p.invtNo)
      problems.push(
        `${p.logisticsNo} (in ${p.sscc}): its list is not released (${p.listStatus ?? 'no receipt'}); take it off`,
      );
  }
  return problems;
}

/** Whether the departure (CEB509) may be reported: the vehicle left and customs has the master waybill. */
export function departureProblems(trip: { status: string }, waybill: { copNo: string; status: number | null } | null) {
  const problems: string[] = [];
  if (trip.status !== 'departed') problems.push('the vehicle has not left yet: depart the trip first');
  if (!waybill) problems.push('no master waybill (CEB607) was declared for this trip: declare it first');
  else if (!isAccepted(waybill.status))
    problems.push(
      `the master waybill ${waybill.copNo} is ${waybill.status === null ? 'not answered yet' : `at ${waybill.status}`}: wait for customs to accept it`,
    );
  return problems;
}

/**
 * The customs status of one declared inventory list (and so of its parcels), driven by receipts
 * (`returnStatus`, DOMAIN.md §4). Receipts arrive late, twice and out of order, so the status is
 * not "the last receipt" but a pure function of the SET of receipts for the current declaration:
 *
 *   - idempotent: a receipt is identified by (declaration guid, returnStatus, returnTime); the
 *     same receipt again changes nothing;
 *   - order-tolerant: the status is the receipt with the highest business rank, ties broken by
 *     the later returnTime, so any order of the same receipts gives the same status, and a late
 *     120 after 800 does not move a released list back.
 *
 * Ranks (low to high): waiting 1/2/3 < send failed 4 < processing error (negative) < accepted 120
 * < manual review 300 < decision 399 < rejected 100 < inspection 500 < released 800
 * < detained 501/502/503/599 and return abroad 700 < closed 899.
 * Why detention outranks release: a hold is customs' last word on a parcel and the gate must
 * refuse it even if a release receipt for the same list exists. Why 100 outranks the waiting
 * states: a rejection ends that declaration; the list goes out again as a new declaration
 * (a new guid), whose receipts start a fresh status — the old ones stay in the history.
 */
export interface CustomsReceipt {
  /** The declaration (message guid) this receipt answers. */
  guid: string;
  returnStatus: number;
  /** YYYYMMDDhhmmss or YYYYMMDDhhmmssfff, as customs sends it. */
  returnTime: string;
  returnInfo?: string;
}

export interface ReceiptRecord extends CustomsReceipt {
  /** Did this receipt change the status when it arrived? */
  changedStatus: boolean;
  /** Why it did not, when it did not. */
  ignoredBecause?: string;
}

export interface ListCustomsState {
  /** The guid of the declaration now in force (a re-declaration after 100 replaces it). */
  currentGuid: string;
  /** null until a receipt for the current declaration arrives. */
  status: number | null;
  statusInfo: string | null;
  statusTime: string | null;
  /** Every receipt ever received for this list, in arrival order. */
  history: ReceiptRecord[];
}

export function newListState(guid: string): ListCustomsState {
  return { currentGuid: guid, status: null, statusInfo: null, statusTime: null, history: [] };
}

/** Business rank of a returnStatus; unknown codes rank lowest and never move a status. */
export function statusRank(code: number): number {
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
    case 399:
      return 40;
    case 100:
      return 45;
    case 500:
      return 50;
    case 800:
      return 60;
    case 501:
    case 502:
    case 503:
    case 599:
    case 700:
      return 70;
    case 899:
      return 90;
    default:
      return -1;
  }
}

const receiptKey = (r: CustomsReceipt) => `${r.guid}|${r.returnStatus}|${normaliseTime(r.returnTime)}`;

/** Pads YYYYMMDDhhmmss to millisecond precision so the two formats compare. */
function normaliseTime(time: string): string {
  return time.padEnd(17, '0');
}

export function applyReceipt(
  state: ListCustomsState,
  receipt: CustomsReceipt,
): { state: ListCustomsState; changed: boolean; ignoredBecause?: string } {
  const key = receiptKey(receipt);
  if (state.history.some((r) => receiptKey(r) === key)) {
    return { state, changed: false, ignoredBecause: 'the same receipt was already applied' };
  }
  const record = (changedStatus: boolean, ignoredBecause?: string): ListCustomsState['history'][number] => ({
    ...receipt,
    changedStatus,
    ...(ignoredBecause ? { ignoredBecause } : {}),
  });
  if (receipt.guid !== state.currentGuid) {
    const why = `it answers declaration ${receipt.guid}, not the one in force (${state.currentGuid})`;
    return {
      state: { ...state, history: [...state.history, record(false, why)] },
      changed: false,
      ignoredBecause: why,
    };
  }
  if (statusRank(receipt.returnStatus) < 0) {
    const why = `unknown returnStatus ${receipt.returnStatus}`;
    return {
      state: { ...state, history: [...state.history, record(false, why)] },
      changed: false,
      ignoredBecause: why,
    };
  }
  const current = state.status === null ? null : { code: state.status, time: state.statusTime ?? '' };
  const wins =
    current === null ||
    statusRank(receipt.returnStatus) > statusRank(current.code) ||
    (statusRank(receipt.returnStatus) === statusRank(current.code) &&
      (normaliseTime(receipt.returnTime) > normaliseTime(current.time) ||
        (normaliseTime(receipt.returnTime) === normaliseTime(current.time) && receipt.returnStatus > current.code)));
  if (!wins) {
    const why = `status ${current!.code} stands: receipt ${receipt.returnStatus} comes earlier in the customs process`;
    return {
      state: { ...state, history: [...state.history, record(false, why)] },
      changed: false,
      ignoredBecause: why,
    };
  }
  return {
    state: {
      ...state,
      status: receipt.returnStatus,
      statusInfo: receipt.returnInfo ?? null,
      statusTime: receipt.returnTime,
      history: [...state.history, record(true)],
    },
    changed: true,
  };
}

/** A new declaration of the same list (after a rejection): receipts start over, history is kept. */
export function redeclare(state: ListCustomsState, newGuid: string): ListCustomsState {
  return { ...state, currentGuid: newGuid, status: null, statusInfo: null, statusTime: null };
}

export type RequiredAction = 'none' | 'wait' | 'route-to-inspection' | 'hold' | 'fix-and-redeclare' | 'retry-send';

/** What the warehouse must do with the parcels of a list in this status (DOMAIN.md §4 table). */
export function requiredAction(status: number | null): RequiredAction {
  if (status === null) return 'wait';
  if (status < 0 || status === 100) return 'fix-and-redeclare';
  if (status === 4) return 'retry-send';
  if (status === 500) return 'route-to-inspection';
  if ([501, 502, 503, 599, 700].includes(status)) return 'hold';
  if (status === 800 || status === 899) return 'none';
  return 'wait';
}

const DETENTION: Record<number, string> = {
  501: 'detained, handed to clearance (501)',
  502: 'detained by anti-smuggling (502)',
  503: 'detained for legal handling (503)',
  599: 'detained (599)',
};

/** The gate rule (DOMAIN.md §4, §6): only a released list (800) passes; every refusal says why and what to do. */
export function canPassGate(state: Pick<ListCustomsState, 'status' | 'statusInfo'>): {
  allowed: boolean;
  reason: string;
} {
  const s = state.status;
  const info = state.statusInfo ? ` (${state.statusInfo})` : '';
  if (s === 800) return { allowed: true, reason: 'released by customs (800)' };
  if (s === null) return { allowed: false, reason: 'not declared to customs yet, or no receipt received: cannot ship' };
  if (s === 500) return { allowed: false, reason: 'under customs inspection (500): take it to the inspection area' };
  if (DETENTION[s]) return { allowed: false, reason: `${DETENTION[s]}: hold it, cannot ship` };
  if (s === 700) return { allowed: false, reason: 'to be returned abroad (700): hold it, cannot ship domestically' };
  if (s === 100) return { allowed: false, reason: `rejected by customs (100)${info}: fix and re-declare; cannot ship` };
  if (s < 0)
    return { allowed: false, reason: `customs could not process the declaration (${s})${info}: fix and re-declare` };
  if (s === 4) return { allowed: false, reason: 'the declaration could not be sent (4): send it again' };
  if (s === 899) return { allowed: false, reason: 'the declaration is closed (899): nothing more may leave on it' };
  const waiting: Record<number, string> = {
    1: 'draft',
    2: 'being declared',
    3: 'sent',
    120: 'accepted, waiting for customs',
    300: 'under manual review',
    399: 'decision made, waiting for release',
  };
  return { allowed: false, reason: `${waiting[s] ?? 'waiting'} (${s}): not released yet, cannot ship` };
}

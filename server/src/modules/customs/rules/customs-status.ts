import { FORMAT_ERROR_STATUS, normaliseTime, stepOf, supersedes } from './receipt-order.js';

/**
 * The customs status of one declared inventory list (and so of its parcels), driven by receipts
 * (`returnStatus`, DOMAIN.md §4). Receipts arrive late, twice and out of order, so the status is
 * not "the last receipt" but a pure function of the SET of receipts for the current declaration:
 *
 *   - idempotent: a receipt is identified by (declaration guid, returnStatus, returnTime); the
 *     same receipt again changes nothing;
 *   - order-tolerant: the status is the strongest receipt by the list family's transition table
 *     (`receipt-order.ts`): a late 120 after 800 is noise, while a later customs decision of the
 *     same step supersedes an earlier one (501 -> 800 after clearance, 500 -> 100, and back).
 *
 * Steps (weak to strong): at the e-port 1/2/3 < send failed 4 < processing error (negative,
 * CEB900) < accepted 120 < manual review 300 < decision 399 < {rejected 100, inspection 500}
 * < {released 800, detained 501/502/503/599} < return abroad 700 < closed after release 899.
 * A rejection ends that declaration; the list goes out again as a new declaration (a new guid),
 * whose receipts start a fresh status — the old ones stay in the history.
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

/** Business rank of a returnStatus (its step in the list table); unknown codes rank -1. */
export function statusRank(code: number): number {
  return stepOf('list', code)?.step ?? -1;
}

const receiptKey = (r: CustomsReceipt) => `${r.guid}|${r.returnStatus}|${normaliseTime(r.returnTime)}`;

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
  const current = state.status === null ? null : { returnStatus: state.status, returnTime: state.statusTime ?? '' };
  const order = supersedes('list', current, receipt);
  if (!order.wins) {
    return {
      state: { ...state, history: [...state.history, record(false, order.because)] },
      changed: false,
      ignoredBecause: order.because,
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
  if (isReleased(status)) return 'none';
  return 'wait';
}

/** Released: 800, or 899 (closed after release: the release stands, DOMAIN.md §4). */
export function isReleased(status: number | null): boolean {
  return status === 800 || status === 899;
}

/**
 * The customs time of the release in force (the CEB701 month, issue 14.8): an 800 that stands sets
 * it; a closing 899 keeps it, or stands in for it until the 800 itself arrives (receipts come in
 * any order). Null until released.
 */
export function releaseTime(
  list: { released_time: string | null; customs_status: number | null; customs_status_time: string | null },
  status: number | null,
  changed: boolean,
  r: Pick<CustomsReceipt, 'returnStatus' | 'returnTime'>,
): string | null {
  const known = list.released_time;
  if (changed && status === 800) return r.returnTime;
  if (changed && status === 899) return known ?? r.returnTime;
  // an 800 behind a closing 899: the release's own time replaces the 899's, or an earlier 800's
  const closedAt = list.customs_status === 899 ? list.customs_status_time : null;
  if (
    !changed &&
    status === 899 &&
    r.returnStatus === 800 &&
    (!known || known === closedAt || normaliseTime(r.returnTime) > normaliseTime(known))
  )
    return r.returnTime;
  return known;
}

/** A list whose current declaration customs refused or could not process: fix and re-declare. */
export function isRefused(status: number | null): boolean {
  return status !== null && (status === 100 || status < 0);
}

const DETENTION: Record<number, [string, string]> = {
  501: ['detained, handed to clearance (501)', '已扣留，移交通关处理（501）'],
  502: ['detained by anti-smuggling (502)', '缉私扣留（502）'],
  503: ['detained for legal handling (503)', '扣留待法规处理（503）'],
  599: ['detained (599)', '扣留（599）'],
};

const WAITING: Record<number, [string, string]> = {
  1: ['draft', '暂存'],
  2: ['being declared', '申报中'],
  3: ['sent', '已发送'],
  120: ['accepted, waiting for customs', '海关已入库，等待审核'],
  300: ['under manual review', '人工审核中'],
  399: ['decision made, waiting for release', '已审结，等待放行'],
};

/**
 * The gate rule (DOMAIN.md §4, §6): only a released list (800) passes; every refusal says why and
 * what to do, in English and in Chinese (`reasonZh`) for the worker at the gate.
 */
export function canPassGate(state: Pick<ListCustomsState, 'status' | 'statusInfo'>): {
  allowed: boolean;
  reason: string;
  reasonZh: string;
} {
  const s = state.status;
  const info = state.statusInfo ? ` (${state.statusInfo})` : '';
  const infoZh = state.statusInfo ? `（${state.statusInfo}）` : '';
  const no = (reason: string, reasonZh: string) => ({ allowed: false, reason, reasonZh });
  if (s === 800) return { allowed: true, reason: 'released by customs (800)', reasonZh: '海关已放行（800）' };
  // 899 only ever follows a release: the release stands and a parcel still inside may leave.
  if (s === 899)
    return {
      allowed: true,
      reason: 'released by customs, declaration closed (899)',
      reasonZh: '海关已放行，清单已结关（899）',
    };
  if (s === null)
    return no(
      'not declared to customs yet, or no receipt received: cannot ship',
      '尚未向海关申报或未收到回执：不能出区',
    );
  if (s === 500)
    return no('under customs inspection (500): take it to the inspection area', '海关布控查验（500）：请送到查验区');
  if (DETENTION[s]) return no(`${DETENTION[s][0]}: hold it, cannot ship`, `${DETENTION[s][1]}：请扣留，不能出区`);
  if (s === 700)
    return no('to be returned abroad (700): hold it, cannot ship domestically', '退运（700）：请扣留，不能境内派送');
  if (s === 100)
    return no(
      `rejected by customs (100)${info}: fix and re-declare; cannot ship`,
      `海关退单（100）${infoZh}：请修改后重新申报，不能出区`,
    );
  if (s === FORMAT_ERROR_STATUS)
    return no(
      `the single window refused the message format (CEB900)${info}: fix and re-declare`,
      `报文格式校验未通过（CEB900）${infoZh}：请修改后重新申报`,
    );
  if (s < 0)
    return no(
      `customs could not process the declaration (${s})${info}: fix and re-declare`,
      `海关处理失败（${s}）${infoZh}：请修改后重新申报`,
    );
  if (s === 4) return no('the declaration could not be sent (4): send it again', '申报发送失败（4）：请重新发送');
  const [en, zh] = WAITING[s] ?? ['waiting', '等待中'];
  return no(`${en} (${s}): not released yet, cannot ship`, `${zh}（${s}）：尚未放行，不能出区`);
}

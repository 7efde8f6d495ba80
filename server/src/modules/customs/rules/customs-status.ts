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
  if (s < 0)
    return no(
      `customs could not process the declaration (${s})${info}: fix and re-declare`,
      `海关处理失败（${s}）${infoZh}：请修改后重新申报`,
    );
  if (s === 4) return no('the declaration could not be sent (4): send it again', '申报发送失败（4）：请重新发送');
  if (s === 899)
    return no('the declaration is closed (899): nothing more may leave on it', '清单已结关（899）：不得再出区');
  const [en, zh] = WAITING[s] ?? ['waiting', '等待中'];
  return no(`${en} (${s}): not released yet, cannot ship`, `${zh}（${s}）：尚未放行，不能出区`);
}

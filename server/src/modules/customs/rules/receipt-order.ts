/**
 * Which receipt stands when several answer one declaration (DOMAIN.md §4 "Order of receipts"),
 * one transition table per message family.
 *
 * Receipts arrive late, twice and out of order, so the status of a declaration must not depend
 * on the order of arrival: it is the strongest receipt of the set received. Each family's table
 * lists its steps from weakest to strongest:
 *
 *   - between steps, the stronger step wins whatever the times: order is only noise there
 *     (a late 120 never undoes an 800, an approved cancel is not undone by a stray 100);
 *   - inside a step, the receipt with the later `returnTime` wins: those are customs decisions
 *     that legitimately supersede each other (a detention 501 handed over and released 800 after
 *     clearance; an inspection 500 ending in a rejection 100; and back again);
 *   - at the very same returnTime, the code listed later in the step wins.
 *
 * That makes "beats" a total order on receipts (step, time, position), so folding receipts one by
 * one keeps only the strongest and any order of the same set gives the same end state. A
 * processing error (negative, or a CEB900 format error) is a step below acceptance: a later 120
 * or 800 supersedes it simply by being stronger.
 */

export type ReceiptFamily = 'list' | 'cancel' | 'return' | 'summary' | 'manifest';

/** Step entries: a returnStatus, or every negative returnStatus (processing errors). */
type Code = number | 'negative';
interface Step {
  codes: readonly Code[];
  /** What the step means, for the table's readers and the "stands" explanations. */
  meaning: string;
}

const WAITING: Step[] = [
  { codes: [1, 2, 3], meaning: 'at the e-port (draft, declaring, sent)' },
  { codes: [4], meaning: 'sending to customs failed' },
  { codes: ['negative'], meaning: 'processing error' },
  { codes: [120], meaning: 'accepted into the customs system' },
  { codes: [300], meaning: 'manual review' },
];

/**
 * The tables. Inventory lists (CEB622/604): DOMAIN.md §4's table. Cancels (CEB624/606) approve
 * with 399 ("撤单申请审核通过，清单已成功撤单"); returns (CEB626) have been seen approving with 399 and
 * with 800: both approve. Summaries (CEB702) end in 100 or 800; arrival/departure (CEB508/510)
 * likewise.
 */
export const RECEIPT_TABLES: Record<ReceiptFamily, readonly Step[]> = {
  list: [
    ...WAITING,
    { codes: [399], meaning: 'decision made, waiting for release' },
    // a rejection and an inspection: the later decides (an inspection may end in a rejection)
    { codes: [100, 500], meaning: 'rejected or under inspection' },
    // a release and a detention: the later decides (a detention handed over, then released)
    { codes: [800, 501, 502, 503, 599], meaning: 'released or detained' },
    { codes: [700], meaning: 'to be returned abroad' },
    // closed after release: the release stands
    { codes: [899], meaning: 'closed after release' },
  ],
  cancel: [...WAITING, { codes: [100], meaning: 'cancel refused' }, { codes: [399, 800], meaning: 'cancel approved' }],
  return: [...WAITING, { codes: [100], meaning: 'return refused' }, { codes: [399, 800], meaning: 'return approved' }],
  summary: [
    ...WAITING,
    { codes: [399], meaning: 'decision made' },
    { codes: [100], meaning: 'summary refused' },
    { codes: [800], meaning: 'summarised' },
  ],
  manifest: [
    ...WAITING,
    { codes: [399], meaning: 'decision made' },
    { codes: [100], meaning: 'refused' },
    { codes: [800], meaning: 'recorded' },
  ],
};

export interface OrderedReceipt {
  returnStatus: number;
  /** YYYYMMDDhhmmss or YYYYMMDDhhmmssfff, as customs sends it. */
  returnTime: string;
}

/** Pads YYYYMMDDhhmmss to millisecond precision so the two formats compare. */
export function normaliseTime(time: string): string {
  return time.padEnd(17, '0');
}

type Place = { step: number; position: number };
/** Each family's table as code -> place, plus the place of negative codes (looked up per receipt). */
const PLACES = Object.fromEntries(
  Object.entries(RECEIPT_TABLES).map(([family, table]) => {
    const places = new Map<Code, Place>();
    table.forEach((s, step) => {
      s.codes.forEach((code, position) => {
        places.set(code, { step, position });
      });
    });
    return [family, places];
  }),
) as Record<ReceiptFamily, Map<Code, Place>>;

/** Where a code sits in a family's table; null for a code the family does not know. */
export function stepOf(family: ReceiptFamily, code: number): Place | null {
  return PLACES[family].get(code < 0 ? 'negative' : code) ?? null;
}

export type Ordering =
  | { wins: true; because: 'first' | 'stronger' | 'later' | 'same-time-stronger' }
  | { wins: false; because: string };

/**
 * Does `incoming` take the place of `current` (the receipt in force, null when none)? The answer
 * says why, in words an officer reads in the receipt history.
 */
export function supersedes(family: ReceiptFamily, current: OrderedReceipt | null, incoming: OrderedReceipt): Ordering {
  const next = stepOf(family, incoming.returnStatus);
  if (!next) return { wins: false, because: `unknown returnStatus ${incoming.returnStatus}` };
  if (!current) return { wins: true, because: 'first' };
  const now = stepOf(family, current.returnStatus);
  if (!now) return { wins: true, because: 'stronger' };
  const table = RECEIPT_TABLES[family];
  if (next.step !== now.step)
    return next.step > now.step
      ? { wins: true, because: 'stronger' }
      : {
          wins: false,
          because: `status ${current.returnStatus} stands: receipt ${incoming.returnStatus} (${table[next.step].meaning}) comes earlier in the customs process`,
        };
  const a = normaliseTime(incoming.returnTime);
  const b = normaliseTime(current.returnTime);
  if (a !== b)
    return a > b
      ? { wins: true, because: 'later' }
      : {
          wins: false,
          because: `status ${current.returnStatus} stands: it is the later customs decision (${current.returnTime}) than receipt ${incoming.returnStatus} (${incoming.returnTime})`,
        };
  if (next.position !== now.position)
    return next.position > now.position
      ? { wins: true, because: 'same-time-stronger' }
      : {
          wins: false,
          because: `status ${current.returnStatus} stands: same time as receipt ${incoming.returnStatus}, and the stronger decision`,
        };
  // The same step and position at the same time: only negative codes can differ here.
  if (incoming.returnStatus === current.returnStatus)
    return { wins: false, because: 'the same receipt was already applied' };
  return incoming.returnStatus < current.returnStatus
    ? { wins: true, because: 'same-time-stronger' }
    : { wins: false, because: `status ${current.returnStatus} stands: same time as receipt ${incoming.returnStatus}` };
}

/** The receipt that stands among a set, whatever their order (null when none is known). */
export function standing<R extends OrderedReceipt>(family: ReceiptFamily, receipts: readonly R[]): R | null {
  let best: R | null = null;
  for (const r of receipts) if (supersedes(family, best, r).wins) best = r;
  return best;
}

/** A cancel (CEB624/606) or return (CEB626) that customs approved: 399, or 800 (DOMAIN.md §4). */
export function isApproved(status: number | null): boolean {
  return status === 399 || status === 800;
}

/**
 * CEB900 is the single window's format-error receipt for any message: the message never reached
 * customs. Whatever its own returnStatus (kept with the receipt's fields), it is filed under this
 * code so that it ranks as a processing error and the declaration is marked "fix and re-declare"
 * with its own reason, instead of waiting forever (issue 14.7).
 */
export const FORMAT_ERROR_STATUS = -900;

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CreditTable,
  children,
  escapeXml,
  inspectionRateOf,
  leafFields,
  parseXml,
  pickedForInspection,
} from '@wms/contracts';
import { unitDraw } from '@wms/contracts/draw';
import { writeFileAtomically } from '@wms/contracts/node';
import { CreditSource, type CreditStats, emptyCreditStats } from './credit-selection.js';

/**
 * A stand-in for customs and the single-window client, on the same watched folders a real
 * deployment uses (DOMAIN.md §4): it takes every declaration the WMS writes into the outbox and,
 * after configurable delays, writes the receipts customs would send into the inbox.
 *
 * - Each outbox file is claimed exactly once (renamed into `outbox/taken/`); a file it cannot read
 *   goes to `outbox/rejected/` with a `.error.txt` saying why, as the real client does.
 * - The outcome of an inventory list is deterministic from the seed and the list's own number
 *   (copNo, and how many times it was declared), drawn from a weighted mix, or forced per list
 *   with `overrides` (keyed by copNo, orderNo or logisticsNo).
 * - With credit grades (`credit`, `creditFile`, see credit-selection.ts), whether a list is
 *   inspected follows the grade of its enterprise (the list's ebcCode) and the grade's rate
 *   (DOMAIN.md §8): picked when `unit(seed, "inspect|copNo#n")` is below the rate; a picked list
 *   gets one of the mix's inspection outcomes (inspect, inspect-release, detain; `inspect` when the
 *   mix names none), the others one of its other outcomes (release when it names none).
 * - Receipts can be duplicated and delivered out of order (`duplicateRate`, `reorder`) to exercise
 *   the WMS's idempotent, order-tolerant status machine; their returnTime is always the customs
 *   time of the decision, whatever the delivery order; each decision of one declaration is at
 *   least 1 ms after the previous one, as customs stamps them.
 *
 * Outcomes of a list: released (120, 800); inspected (120, 500), then released or detained;
 * detained and released after clearance (120, 500, 501, 800); released and closed (120, 800, 899);
 * rejected (120, 100); a processing error (negative); a processing error superseded by acceptance
 * and release (-621041, 120, 800); a format error (a CEB900, not even a list receipt). Cancels
 * (CEB624/606) are approved with 399 as the real single window does; returns (CEB626) with 399
 * by default, or 800 (`returnApproval`), as both are seen in practice.
 */
export type ListOutcome =
  | 'release'
  | 'inspect'
  | 'inspect-release'
  | 'detain'
  | 'detain-release'
  | 'release-close'
  | 'reject'
  | 'error'
  | 'error-release'
  | 'format-error';

/** A mix as people write it, `release=8,inspect=1,reject=1`; the authority checks the names. */
export function parseMix(text: string): Partial<Record<ListOutcome, number>> {
  return Object.fromEntries(
    text.split(',').map((part) => {
      const [name, weight] = part.split('=');
      return [name.trim(), Number(weight)];
    }),
  );
}

export const LIST_OUTCOMES: readonly ListOutcome[] = [
  'release',
  'inspect',
  'inspect-release',
  'detain',
  'detain-release',
  'release-close',
  'reject',
  'error',
  'error-release',
  'format-error',
];

export interface CustomsAuthorityOptions {
  outbox: string;
  inbox: string;
  seed?: number;
  /** Relative weights of the list outcomes; default: everything released. */
  mix?: Partial<Record<ListOutcome, number>>;
  /** Forced outcomes by copNo, orderNo or logisticsNo. */
  overrides?: Record<string, ListOutcome>;
  delays?: { acceptMs?: number; decisionMs?: number; afterInspectionMs?: number };
  /** Share of receipts (0..1) delivered twice. */
  duplicateRate?: number;
  /** Deliver the receipts of one declaration in reverse order (800 before 120). */
  reorder?: boolean;
  /** How customs approves a return (CEB626): 399 (default) or 800; both are seen in practice. */
  returnApproval?: 399 | 800;
  pollMs?: number;
  log?: (line: string) => void;
  /** Grades and rates: inspection follows the owner's credit grade (issue 13). */
  credit?: CreditTable;
  /** A JSON credit table, read again when it changes (the simulator as a separate program). */
  creditFile?: string;
}

const INSPECTION_OUTCOMES: readonly ListOutcome[] = ['inspect', 'inspect-release', 'detain'];

/** What picks a list's outcome: its numbers, and for credit grades its enterprise and trade mode. */
export interface ListKeys {
  copNo: string;
  orderNo?: string;
  logisticsNo?: string;
  ebcCode?: string;
  tradeMode?: string;
}

interface Scheduled {
  dueAt: number;
  fileName: string;
  xml: string;
}

interface KnownList {
  copNo: string;
  logisticsNo: string;
  orderNo: string;
  invtNo: string;
  direction: 'I' | 'E';
  guid: string;
  receiptType: 'CEB622' | 'CEB604';
  head: Record<string, string>;
  status: number;
}

export interface AuthorityStats {
  taken: number;
  rejectedFiles: number;
  receiptsWritten: number;
  outcomes: Record<ListOutcome, number>;
  /** Lists decided under credit grades, and how many of them were picked for inspection, per grade. */
  credit: CreditStats;
}

const REJECT_REASONS = [
  '商品编码与品名不符 (the HS code does not match the goods name)',
  '订购人身份信息核验不通过 (the buyer identity check failed)',
  '申报价格明显偏低 (the declared price is implausibly low)',
];

const RECEIPT_OF: Record<string, { type: string; element: string }> = {
  CEB621: { type: 'CEB622', element: 'InventoryReturn' },
  CEB603: { type: 'CEB604', element: 'InventoryReturn' },
  CEB623: { type: 'CEB624', element: 'InvtCancelReturn' },
  CEB605: { type: 'CEB606', element: 'InvtCancelReturn' },
  CEB625: { type: 'CEB626', element: 'InvtRefundReturn' },
  CEB701: { type: 'CEB702', element: 'SummaryReturn' },
  CEB711: { type: 'CEB712', element: 'DeliveryReturn' },
  CEB507: { type: 'CEB508', element: 'ArrivalReturn' },
  CEB509: { type: 'CEB510', element: 'DepartureReturn' },
  CEB607: { type: 'CEB608', element: 'WayBillReturn' },
};

const DOCUMENT_HEAD: Record<string, [string, string | null]> = {
  CEB621: ['Inventory', 'InventoryHead'],
  CEB603: ['Inventory', 'InventoryHead'],
  CEB623: ['InvtCancel', null],
  CEB605: ['InvtCancel', null],
  CEB625: ['InvtRefund', 'InvtRefundHead'],
  CEB701: ['SummaryApply', 'SummaryApplyHead'],
  CEB711: ['Delivery', 'DeliveryHead'],
  CEB507: ['Arrival', 'ArrivalHead'],
  CEB509: ['Departure', 'DepartureHead'],
  CEB607: ['WayBill', 'WayBillHead'],
};

/** Customs time (China Standard Time, UTC+8) as YYYYMMDDhhmmssfff. */
export function customsTimestamp(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}`;
}

/** A number in [0, 1) from the seed and a key: the same pair always gives the same number. */
const unit = unitDraw;

export class CustomsAuthority {
  private readonly seed: number;
  private readonly weights: Array<[ListOutcome, number]>;
  private readonly delays: { acceptMs: number; decisionMs: number; afterInspectionMs: number };
  private readonly queue: Scheduled[] = [];
  private readonly lists = new Map<string, KnownList>();
  private readonly declaredTimes = new Map<string, number>();
  /** Waybill numbers reported as arrived at a supervised site (CEB507 recorded): only they may depart. */
  private readonly arrived = new Set<string>();
  private readonly statePath: string;
  private serial: { I: number; E: number; entry: number; seq: number };
  private readonly credit: CreditSource;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  readonly stats: AuthorityStats = {
    taken: 0,
    rejectedFiles: 0,
    receiptsWritten: 0,
    outcomes: Object.fromEntries(LIST_OUTCOMES.map((o) => [o, 0])) as Record<ListOutcome, number>,
    credit: emptyCreditStats(),
  };

  constructor(private readonly options: CustomsAuthorityOptions) {
    this.seed = options.seed ?? 1;
    const mix = options.mix ?? { release: 1 };
    for (const [o, w] of Object.entries(mix))
      if (!LIST_OUTCOMES.includes(o as ListOutcome) || !(Number(w) >= 0))
        throw new Error(`customs mix: "${o}=${w}" is not an outcome (${LIST_OUTCOMES.join(', ')}) with a weight >= 0`);
    this.weights = LIST_OUTCOMES.filter((o) => (mix[o] ?? 0) > 0).map((o) => [o, mix[o] as number]);
    if (!this.weights.length) throw new Error('the customs mix needs at least one outcome with a positive weight');
    this.credit = new CreditSource(options.credit, options.creditFile, (line) => this.log(line));
    this.delays = {
      acceptMs: options.delays?.acceptMs ?? 200,
      decisionMs: options.delays?.decisionMs ?? 1000,
      afterInspectionMs: options.delays?.afterInspectionMs ?? 3000,
    };
    for (const d of ['taken', 'rejected']) mkdirSync(join(options.outbox, d), { recursive: true });
    mkdirSync(options.inbox, { recursive: true });
    // Serial numbers survive restarts so customs numbers (invtNo, entryId) never repeat.
    // Lists under inspection survive them too, so an inspection can be concluded after a restart.
    this.statePath = join(options.outbox, 'taken', '.authority-state.json');
    const state = existsSync(this.statePath) ? JSON.parse(readFileSync(this.statePath, 'utf8')) : {};
    const {
      inspecting = [],
      arrived = [],
      ...serial
    } = state as { inspecting?: KnownList[]; arrived?: string[]; I?: number; E?: number };
    this.serial = { I: 0, E: 0, entry: 0, seq: 0, ...serial };
    for (const n of arrived) this.arrived.add(n);
    for (const list of inspecting) this.lists.set(list.copNo, list);
  }

  /** The outcome a list gets on its n-th declaration (1 = first): what tests can predict. */
  outcomeFor(keys: ListKeys, declaration = 1): ListOutcome {
    return this.decide(keys, declaration).outcome;
  }

  /** The grades and rates in force (null: outcomes from the mix alone). */
  creditTable(): CreditTable | null {
    return this.credit.current();
  }

  /** Replaces the grades and rates (the dev stack, after the WMS's grades or rates changed). */
  setCredit(table: CreditTable | null): void {
    this.credit.set(table);
  }

  private decide(
    keys: ListKeys,
    declaration: number,
  ): { outcome: ListOutcome; credit?: ReturnType<typeof inspectionRateOf> } {
    const forced =
      this.options.overrides?.[keys.copNo] ??
      (keys.orderNo ? this.options.overrides?.[keys.orderNo] : undefined) ??
      (keys.logisticsNo ? this.options.overrides?.[keys.logisticsNo] : undefined);
    if (forced) return { outcome: forced };
    const key = `${keys.copNo}#${declaration}`;
    const table = this.credit.current();
    if (!table) return { outcome: this.draw(this.weights, unit(this.seed, key)) ?? 'release' };
    const credit = inspectionRateOf(table, keys.ebcCode ?? '', keys.tradeMode);
    const picked = pickedForInspection(unit(this.seed, `inspect|${key}`), credit.ratePpm);
    const kinds = this.weights.filter(([o]) => INSPECTION_OUTCOMES.includes(o) === picked);
    return { outcome: this.draw(kinds, unit(this.seed, key)) ?? (picked ? 'inspect' : 'release'), credit };
  }

  /** The outcome a draw in [0, 1) falls on in a weighted mix (null for an empty mix). */
  private draw(weights: Array<[ListOutcome, number]>, at: number): ListOutcome | null {
    if (!weights.length) return null;
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let r = at * total;
    for (const [o, w] of weights) {
      if (r < w) return o;
      r -= w;
    }
    return weights[weights.length - 1][0];
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 200);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** One pass: take new declarations, write every receipt that is due. */
  tick(): Promise<void> {
    if (!this.ticking)
      this.ticking = Promise.resolve()
        .then(() => {
          this.scanOnce();
          this.flush();
        })
        .catch((error) => this.log(`customs simulator: ${String(error)}`))
        .finally(() => {
          this.ticking = null;
        });
    return this.ticking;
  }

  /** Waits until the outbox is empty and every scheduled receipt has been written. */
  async settle(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await this.tick();
      if (!this.pendingOutbox().length && !this.queue.length) return;
      if (Date.now() > until)
        throw new Error(
          `customs simulator did not settle: ${this.pendingOutbox().length} files waiting, ${this.queue.length} receipts scheduled`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Ends an inspection (a list at 500): release (800) or detain (501). False if not under inspection. */
  conclude(key: string, decision: 'release' | 'detain'): boolean {
    const list = [...this.lists.values()].find(
      (l) => l.status === 500 && (l.copNo === key || l.logisticsNo === key || l.invtNo === key || l.orderNo === key),
    );
    if (!list) return false;
    const now = Date.now();
    const status = decision === 'release' ? 800 : 501;
    this.schedule(list.receiptType, 'InventoryReturn', this.listReceipt(list), [
      {
        at: now,
        status,
        info:
          decision === 'release'
            ? '查验放行 released after inspection'
            : '查验扣留 detained after inspection: handed to clearance',
      },
    ]);
    list.status = status;
    this.saveState();
    return true;
  }

  /** The lists this authority has seen and their last status, for demos and tests. */
  knownLists(): Array<{ copNo: string; logisticsNo: string; invtNo: string; status: number }> {
    return [...this.lists.values()].map(({ copNo, logisticsNo, invtNo, status }) => ({
      copNo,
      logisticsNo,
      invtNo,
      status,
    }));
  }

  private log(line: string): void {
    (this.options.log ?? ((l: string) => console.warn(l)))(line);
  }

  private pendingOutbox(): string[] {
    return readdirSync(this.options.outbox, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.xml') && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  scanOnce(): number {
    let taken = 0;
    for (const file of this.pendingOutbox()) {
      const claimed = join(this.options.outbox, 'taken', file);
      try {
        renameSync(join(this.options.outbox, file), claimed);
      } catch {
        continue; // someone else took it
      }
      taken++;
      this.stats.taken++;
      try {
        this.answer(readFileSync(claimed, 'utf8'));
      } catch (error) {
        const rejected = join(this.options.outbox, 'rejected', file);
        renameSync(claimed, rejected);
        writeFileSync(`${rejected}.error.txt`, `${new Date().toISOString()}\n${(error as Error).message}\n`);
        this.stats.rejectedFiles++;
        this.log(`customs simulator set ${file} aside: ${(error as Error).message}`);
      }
    }
    this.saveState();
    return taken;
  }

  /** Writes every receipt that is due (all of them with `all`). */
  flush(all = false): number {
    const now = Date.now();
    const due = this.queue.filter((s) => all || s.dueAt <= now);
    for (const s of due) {
      this.queue.splice(this.queue.indexOf(s), 1);
      writeFileAtomically(this.options.inbox, s.fileName, s.xml);
      this.stats.receiptsWritten++;
    }
    return due.length;
  }

  private saveState(): void {
    const inspecting = [...this.lists.values()].filter((l) => l.status === 500);
    writeFileSync(this.statePath, JSON.stringify({ ...this.serial, inspecting, arrived: [...this.arrived] }));
  }

  private answer(xml: string): void {
    const root = parseXml(xml);
    const type = root.name.replace(/Message$/, '');
    const shape = DOCUMENT_HEAD[type];
    if (!shape) throw new Error(`${root.name} is not a declaration the single window takes`);
    const document = children(root, shape[0])[0];
    if (!document) throw new Error(`${type} holds no ${shape[0]}`);
    const head = leafFields(shape[1] ? children(document, shape[1])[0] : document);
    if (!/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(head.guid ?? ''))
      throw new Error(`${type}: guid "${head.guid ?? ''}" is not a 36-character upper-case UUID`);
    if (!head.copNo) throw new Error(`${type}: copNo is missing`);
    const receipt = RECEIPT_OF[type];
    const now = Date.now();
    const { acceptMs, decisionMs } = this.delays;
    const basic = {
      guid: head.guid,
      customsCode: head.customsCode ?? '',
      copNo: head.copNo,
      agentCode: head.agentCode ?? '',
    };
    switch (type) {
      case 'CEB621':
      case 'CEB603':
        this.answerList(type, head, now);
        return;
      case 'CEB623':
      case 'CEB605':
      case 'CEB625': {
        const list = [...this.lists.values()].find((l) => l.invtNo === head.invtNo);
        const fields = {
          ...basic,
          ebpCode: head.ebpCode ?? '',
          ebcCode: head.ebcCode ?? '',
          preNo: this.preNo(head.guid),
          invtNo: head.invtNo ?? '',
        };
        const what = type === 'CEB625' ? 'return' : 'cancel';
        // a released list may be cancelled; a return also follows a closed (899) one
        const open = what === 'return' ? list?.status === 800 || list?.status === 899 : list?.status === 800;
        if (!list || !open) {
          this.schedule(receipt.type, receipt.element, fields, [
            {
              at: now + acceptMs,
              status: 100,
              info: `退回: list ${head.invtNo ?? '?'} is not a released list here, so no ${what} is possible`,
            },
          ]);
          return;
        }
        const approval = what === 'cancel' ? 399 : (this.options.returnApproval ?? 399);
        this.schedule(receipt.type, receipt.element, fields, [
          { at: now + acceptMs, status: 120, info: '海关入库成功 accepted' },
          {
            at: now + acceptMs + decisionMs,
            status: approval,
            info:
              what === 'cancel'
                ? '撤单申请审核通过，清单已成功撤单 cancel approved'
                : '退货申请审核通过 return approved',
          },
        ]);
        if (what === 'cancel') list.status = 899;
        return;
      }
      case 'CEB701': {
        const invtNos = children(document, 'SummaryApplyList').map((l) => leafFields(l).invtNo ?? '');
        const unknown = invtNos.filter(
          (n) => ![...this.lists.values()].some((l) => l.invtNo === n && l.status === 800),
        );
        const sumNo = `${head.customsCode}${new Date(now).getUTCFullYear()}S${String(++this.serial.entry).padStart(9, '0')}`;
        const fields = { ...basic, ebcCode: head.ebcCode ?? '', preNo: this.preNo(head.guid), sumNo };
        if (unknown.length) {
          this.schedule(receipt.type, receipt.element, fields, [
            {
              at: now + acceptMs,
              status: 100,
              info: `退回: lists not released here: ${unknown.slice(0, 5).join(', ')}`,
            },
          ]);
          return;
        }
        const decided = now + acceptMs + decisionMs;
        this.schedule(receipt.type, receipt.element, fields, [
          { at: now + acceptMs, status: 120, info: '汇总申请已受理 accepted' },
          { at: decided, status: 800, info: '汇总完成 summarised' },
        ]);
        const entryId = `${(head.customsCode ?? '0000').padEnd(4, '0')}${new Date(now).getUTCFullYear()}1${String(this.serial.entry).padStart(9, '0')}`;
        const resultXml = this.envelope(
          'CEB792',
          [
            '<ceb:SummaryResult>',
            '<ceb:SummaryResultHead>',
            this.fieldsXml({
              guid: head.guid,
              customsCode: head.customsCode ?? '',
              sumNo,
              opDate: customsTimestamp(decided).slice(0, 14),
              entryId,
              decState: '10',
              agentCode: head.agentCode ?? '',
              agentName: head.agentName ?? '',
              ebcCode: head.ebcCode ?? '',
              ebcName: head.ebcName ?? '',
              msgCount: '1',
              msgSeqNo: '1',
            }),
            '</ceb:SummaryResultHead>',
            ...invtNos.map((n) => `<ceb:SummaryResultList>${this.fieldsXml({ invtNo: n })}</ceb:SummaryResultList>`),
            '</ceb:SummaryResult>',
          ].join(''),
        );
        this.queue.push({ dueAt: decided + 1, fileName: this.fileName('CEB792', head.guid), xml: resultXml });
        return;
      }
      case 'CEB507':
      case 'CEB607':
      case 'CEB509':
        this.answerExportChain(type, head, document, now);
        return;
      default:
        this.schedule(receipt.type, receipt.element, { ...basic, preNo: this.preNo(head.guid) }, [
          { at: now + acceptMs, status: 120, info: 'accepted' },
          { at: now + acceptMs + decisionMs, status: 800, info: 'recorded' },
        ]);
    }
  }

  /**
   * The 9610 export chain as the single window checks it: an arrival (CEB507) is recorded (120, then
   * 399 审结) and its waybills count as arrived; a master waybill (CEB607) names only released export
   * lists of arrived parcels; a departure (CEB509) only arrived parcels. Otherwise 100 with the reason.
   */
  private answerExportChain(
    type: 'CEB507' | 'CEB607' | 'CEB509',
    head: Record<string, string>,
    document: ReturnType<typeof children>[number],
    now: number,
  ): void {
    const [listElement, receipt] =
      type === 'CEB507'
        ? ['ArrivalList', RECEIPT_OF.CEB507]
        : type === 'CEB607'
          ? ['WayBillList', RECEIPT_OF.CEB607]
          : ['DepartureList', RECEIPT_OF.CEB509];
    const lines = children(document, listElement).map((l) => leafFields(l));
    const fields: Record<string, string> = {
      guid: head.guid,
      customsCode: head.customsCode ?? '',
      ...(type === 'CEB507' ? { operatorCode: head.operatorCode ?? '' } : {}),
      ...(type === 'CEB607' ? { agentCode: head.agentCode ?? '' } : {}),
      logisticsCode: head.logisticsCode ?? '',
      copNo: head.copNo,
      preNo: this.preNo(head.guid),
      ...(type !== 'CEB509' ? { billNo: head.billNo ?? '' } : {}),
      msgSeqNo: head.msgSeqNo ?? '1',
    };
    const notArrived =
      type === 'CEB507' ? [] : lines.map((l) => l.logisticsNo ?? '').filter((n) => !this.arrived.has(n));
    const released = new Set([...this.lists.values()].filter((l) => l.status === 800).map((l) => l.invtNo));
    const notReleased = type === 'CEB607' ? lines.map((l) => l.invtNo ?? '').filter((n) => !released.has(n)) : [];
    const { acceptMs, decisionMs } = this.delays;
    if (notArrived.length || notReleased.length) {
      const why = [
        notArrived.length ? `运单未运抵 not reported as arrived: ${notArrived.slice(0, 5).join(', ')}` : '',
        notReleased.length ? `清单未放行 lists not released here: ${notReleased.slice(0, 5).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      this.schedule(receipt.type, receipt.element, fields, [
        { at: now + acceptMs, status: 120, info: '海关入库成功 accepted' },
        { at: now + acceptMs + decisionMs, status: 100, info: `退单 rejected: ${why}` },
      ]);
      return;
    }
    if (type === 'CEB507') for (const l of lines) if (l.logisticsNo) this.arrived.add(l.logisticsNo);
    const what =
      type === 'CEB507'
        ? '运抵正常 arrival recorded'
        : type === 'CEB607'
          ? '总分单审结 master waybill recorded'
          : '离境审结 departure recorded';
    this.schedule(receipt.type, receipt.element, fields, [
      { at: now + acceptMs, status: 120, info: '海关入库成功 accepted' },
      { at: now + acceptMs + decisionMs, status: 399, info: what },
    ]);
  }

  private answerList(type: 'CEB621' | 'CEB603', head: Record<string, string>, now: number): void {
    const direction = type === 'CEB621' ? 'I' : 'E';
    const times = (this.declaredTimes.get(head.copNo) ?? 0) + 1;
    this.declaredTimes.set(head.copNo, times);
    const { outcome, credit } = this.decide({ ...head, copNo: head.copNo }, times);
    this.stats.outcomes[outcome]++;
    if (credit) {
      this.stats.credit[credit.grade].lists++;
      if (INSPECTION_OUTCOMES.includes(outcome)) this.stats.credit[credit.grade].inspected++;
    }
    const previous = this.lists.get(head.copNo);
    const invtNo =
      previous?.invtNo ||
      `${(head.customsCode ?? '0000').padEnd(4, '0')}${new Date(now).getUTCFullYear()}${direction}${String(++this.serial[direction]).padStart(9, '0')}`;
    const list: KnownList = {
      copNo: head.copNo,
      logisticsNo: head.logisticsNo ?? '',
      orderNo: head.orderNo ?? '',
      invtNo,
      direction,
      guid: head.guid,
      receiptType: type === 'CEB621' ? 'CEB622' : 'CEB604',
      head,
      status: 120,
    };
    this.lists.set(head.copNo, list);
    const { acceptMs, decisionMs, afterInspectionMs } = this.delays;
    const accept = now + acceptMs;
    const decide = accept + decisionMs;
    const steps: Array<{ at: number; status: number; info: string }> = [];
    const accepted = { at: accept, status: 120, info: '海关入库成功 accepted into the customs system' };
    const released = { at: decide, status: 800, info: '放行 released' };
    const inspection = {
      at: decide,
      status: 500,
      info: '查验 inspection required: bring the parcel to the inspection area',
    };
    const detained = {
      at: decide + afterInspectionMs,
      status: 501,
      info: '查验扣留 detained after inspection: handed to clearance',
    };
    if (outcome === 'format-error') {
      this.formatError(type, head, now + acceptMs);
      list.status = -900;
      return;
    }
    if (outcome === 'error' || outcome === 'error-release')
      steps.push({
        at: accept,
        status: outcome === 'error' ? -301010 : -621041,
        info:
          outcome === 'error'
            ? `订单不存在 orderNo ${head.orderNo ?? '?'} of ${head.ebpCode ?? '?'} not found in order data`
            : '重复申报 the same declaration was received twice',
      });
    if (outcome !== 'error') steps.push(accepted);
    if (outcome === 'release' || outcome === 'error-release') steps.push(released);
    if (outcome === 'release-close')
      steps.push(released, { at: decide + afterInspectionMs, status: 899, info: '结关 closed after release' });
    if (outcome === 'reject') {
      const reason = REJECT_REASONS[Math.floor(unit(this.seed, `reason|${head.copNo}`) * REJECT_REASONS.length)];
      steps.push({ at: decide, status: 100, info: `退单 rejected: ${reason}` });
    }
    if (outcome === 'inspect' || outcome === 'inspect-release' || outcome === 'detain' || outcome === 'detain-release')
      steps.push(inspection);
    if (outcome === 'inspect-release')
      steps.push({ at: decide + afterInspectionMs, status: 800, info: '查验放行 released after inspection' });
    if (outcome === 'detain' || outcome === 'detain-release') steps.push(detained);
    if (outcome === 'detain-release')
      steps.push({ at: decide + 2 * afterInspectionMs, status: 800, info: '移交通关后放行 released after clearance' });
    list.status = steps[steps.length - 1].status;
    this.schedule(list.receiptType, 'InventoryReturn', this.listReceipt(list), steps);
  }

  /** A CEB900: the message failed the single window's format check and never reached customs. */
  private formatError(type: string, head: Record<string, string>, at: number): void {
    const xml = this.envelope(
      'CEB900',
      `<ceb:MessageReturn>${this.fieldsXml({
        guid: head.guid,
        returnStatus: '-1',
        returnTime: customsTimestamp(at),
        returnInfo: `报文格式校验失败 format check failed: ${type} element orderNo is not valid`,
        oriMessageType: `${type}Message`,
      })}</ceb:MessageReturn>`,
    );
    this.queue.push({ dueAt: at, fileName: this.fileName('CEB900', head.guid), xml });
  }

  private listReceipt(list: KnownList): Record<string, string> {
    const h = list.head;
    return {
      guid: list.guid,
      customsCode: h.customsCode ?? '',
      ebpCode: h.ebpCode ?? '',
      ebcCode: h.ebcCode ?? '',
      agentCode: h.agentCode ?? '',
      copNo: list.copNo,
      preNo: this.preNo(list.guid),
      invtNo: list.invtNo,
      ...(list.direction === 'E' ? { orderNo: list.orderNo, statisticsFlag: h.statisticsFlag ?? 'A' } : {}),
    };
  }

  /** E-port's number for a declaration: stable per guid. */
  private preNo(guid: string): string {
    return `E${createHash('sha256').update(guid).digest('hex').slice(0, 17).toUpperCase()}`;
  }

  private schedule(
    type: string,
    element: string,
    fields: Record<string, string>,
    steps: Array<{ at: number; status: number; info: string }>,
  ): void {
    // customs stamps each decision of a declaration after the previous one
    let last = Number.NEGATIVE_INFINITY;
    const timed = steps.map((s) => {
      last = Math.max(s.at, last + 1);
      return { ...s, at: last };
    });
    const deliveries = timed.map((s) => ({
      at: s.at,
      xml: this.envelope(
        type,
        `<ceb:${element}>${this.fieldsXml({ ...fields, returnStatus: String(s.status), returnTime: customsTimestamp(s.at), returnInfo: s.info })}</ceb:${element}>`,
      ),
    }));
    // Reordered: every receipt arrives, but the last decision first (due times and file order
    // reversed), while each keeps the customs time of its own decision.
    const dueTimes = deliveries.map((d) => d.at);
    const order = deliveries.map((_, i) => i);
    if (this.options.reorder) {
      dueTimes.reverse();
      order.reverse();
    }
    for (const i of order) {
      const copies = unit(this.seed, `dup|${fields.guid}|${i}`) < (this.options.duplicateRate ?? 0) ? 2 : 1;
      for (let c = 0; c < copies; c++)
        this.queue.push({ dueAt: dueTimes[i], fileName: this.fileName(type, fields.guid), xml: deliveries[i].xml });
    }
  }

  private fileName(type: string, guid: string): string {
    return `${type}_${guid}_${String(++this.serial.seq).padStart(9, '0')}.xml`;
  }

  private fieldsXml(fields: Record<string, string>): string {
    return Object.entries(fields)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `<ceb:${k}>${escapeXml(v)}</ceb:${k}>`)
      .join('');
  }

  private envelope(type: string, body: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<ceb:${type}Message guid="${randomUUID().toUpperCase()}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">${body}</ceb:${type}Message>\n`;
  }
}

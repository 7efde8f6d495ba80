import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { pgArray } from '../../../platform/database/pg-array.js';
import { type DomainEventMap, DomainEvents } from '../../../platform/events/domain-events.js';
import { LedgerRepository } from '../../inventory/ledger.repository.js';
import { cancelMovements, releaseMovements, type StockLine } from '../../inventory/ledger-rules.js';
import { TraceRepository } from '../../trace/trace.repository.js';
import { CustomsRepository, type Em, type ListRow } from '../declarations/customs.repository.js';
import { DeclarationsService } from '../declarations/declarations.service.js';
import { ManifestReceiptsService } from '../export-chain/manifest-receipts.service.js';
import {
  ANSWERS,
  type CebReceipt,
  type FormatError,
  parseCebReceipt,
  type ReceiptMessageType,
} from '../messages/ceb-receipt-parser.js';
import { applyReceipt, isRefused, isReleased, releaseTime, requiredAction } from '../rules/customs-status.js';
import { FORMAT_ERROR_STATUS, isApproved, type ReceiptFamily, supersedes } from '../rules/receipt-order.js';
import { type IncomingSummary, takeIncoming } from '../transport/customs-folder.transport.js';

type Pending = Array<{ [K in keyof DomainEventMap]: [K, DomainEventMap[K]] }[keyof DomainEventMap]>;

export const stockLinesOf = (list: Pick<ListRow, 'lines' | 'ems_no'>): StockLine[] =>
  list.lines.map((l) => ({
    bookLine: list.ems_no && l.putrecSeqno ? { emsNo: list.ems_no, putrecSeqno: l.putrecSeqno } : null,
    ownerCode: l.ownerCode,
    sku: l.sku,
    qty: l.units,
  }));

/** A CEB900 read as a receipt of the message it names: a processing error, with why (DOMAIN.md §4). */
export function formatErrorReceipt(e: FormatError): CebReceipt {
  const what = e.oriMessageType ? `${e.oriMessageType} ` : '';
  return {
    guid: e.guid,
    returnStatus: FORMAT_ERROR_STATUS,
    returnTime: e.returnTime,
    returnInfo: `CEB900 format error of ${what}${e.guid}${e.returnInfo ? `: ${e.returnInfo}` : ''}`,
    fields: e.fields,
  };
}

const FAMILY: Record<string, ReceiptFamily> = {
  list: 'list',
  cancel: 'cancel',
  return: 'return',
  summary: 'summary',
  manifest: 'manifest',
};

/**
 * Reads receipts from the single-window inbox and applies them (DOMAIN.md §4): each file exactly
 * once, each receipt once (the same receipt twice is one change), in any order: which receipt
 * stands is the family's transition table (`rules/receipt-order.ts`), so a late 120 after 800 does
 * not move a released parcel back while a release after a detention does. A CEB900 format error
 * marks the message it names, so nothing waits forever. Every receipt is kept in the history.
 */
@Injectable()
export class ReceiptsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('customs-receipts');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<IncomingSummary> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customs: CustomsRepository,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
    private readonly events: DomainEvents,
    private readonly declarations: DeclarationsService,
    private readonly manifestReceipts: ManifestReceiptsService,
  ) {}

  onModuleInit(): void {
    if (this.config.CUSTOMS_POLL_MS > 0)
      this.timer = setInterval(() => {
        // Messages committed but not yet written (a crash after the commit) go out here too.
        void this.declarations
          .dispatchOutbox()
          .catch((error) => this.logger.error({ msg: 'writing the customs outbox failed', error: String(error) }));
        void this.processInbox().catch((error) =>
          this.logger.error({ msg: 'reading the customs inbox failed', error: String(error) }),
        );
      }, this.config.CUSTOMS_POLL_MS);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Takes every receipt file now; concurrent callers share one pass. */
  processInbox(): Promise<IncomingSummary> {
    if (!this.running)
      this.running = takeIncoming(this.config.CUSTOMS_INBOX_DIR, (file, xml) => this.handleFile(file, xml), {
        maxBytes: this.config.CUSTOMS_INBOX_MAX_BYTES,
      }).finally(() => {
        this.running = null;
      });
    return this.running.then((summary) => {
      for (const f of summary.failed)
        this.logger.warn({ msg: 'customs receipt file set aside', file: f.file, reason: f.reason });
      return summary;
    });
  }

  async handleFile(fileName: string, xml: string): Promise<void> {
    const parsed = parseCebReceipt(xml);
    if (!parsed.ok) throw new Error(`${fileName}: ${parsed.error}`);
    const pending: Pending = [];
    if ('summary' in parsed) {
      await this.customs.orm.em.fork().transactional((em) => this.applySummaryResult(em, fileName, parsed.summary));
      return;
    }
    const [messageType, receipts] =
      parsed.messageType === 'CEB900'
        ? (['CEB900', parsed.formatErrors.map(formatErrorReceipt)] as const)
        : ([parsed.messageType, parsed.receipts] as const);
    for (const receipt of receipts) {
      await this.customs.orm.em
        .fork()
        .transactional((em) => this.applyOne(em, fileName, messageType, receipt, pending));
    }
    for (const [name, payload] of pending) this.events.emit(name as never, payload as never);
  }

  private async applyOne(
    em: Em,
    fileName: string,
    messageType: ReceiptMessageType | 'CEB900',
    r: CebReceipt,
    pending: Pending,
  ) {
    const message = await this.customs.messageByGuid(em, r.guid);
    if (!message)
      throw new Error(
        `${messageType} receipt for guid ${r.guid}: no declaration with this guid was sent from here; check the single-window client's folders`,
      );
    if (messageType !== 'CEB900' && ANSWERS[messageType] !== message.message_type)
      throw new Error(
        `${messageType} receipt for guid ${r.guid}: that guid is a ${message.message_type}, which ${messageType} does not answer (${messageType} answers ${ANSWERS[messageType]})`,
      );
    if (await this.customs.receiptSeen(em, messageType, r.guid, r.returnStatus, r.returnTime)) return;
    const record = (changedStatus: boolean, ignoredBecause: string | null) =>
      this.customs.recordReceipt(em, {
        messageType,
        guid: r.guid,
        returnStatus: r.returnStatus,
        returnTime: r.returnTime,
        returnInfo: r.returnInfo ?? null,
        fields: r.fields,
        fileName,
        changedStatus,
        ignoredBecause,
      });

    if (message.subject_kind === 'list') {
      const [list] = await this.customs.listForUpdate(em, { id: message.subject_id });
      const before = {
        currentGuid: list.current_guid ?? '',
        status: list.customs_status,
        statusInfo: list.customs_status_info,
        statusTime: list.customs_status_time,
        history: [],
      };
      const result = applyReceipt(before, {
        guid: r.guid,
        returnStatus: r.returnStatus,
        returnTime: r.returnTime,
        returnInfo: r.returnInfo,
      });
      await record(result.changed, result.ignoredBecause ?? null);
      const set: Record<string, unknown> = {};
      // only the declaration in force tells when the list was released
      const releasedTime =
        r.guid === list.current_guid ? releaseTime(list, result.state.status, result.changed, r) : list.released_time;
      if (releasedTime !== list.released_time) set.released_time = releasedTime;
      if (r.fields.invtNo && !list.invt_no) set.invt_no = r.fields.invtNo;
      if (r.fields.preNo && !list.pre_no) set.pre_no = r.fields.preNo;
      const status = result.state.status;
      if (result.changed && status !== null) {
        set.customs_status = status;
        set.customs_status_info = result.state.statusInfo;
        set.customs_status_time = result.state.statusTime;
        // The state follows the receipt that stands: a processing error superseded by a later
        // 120/800 is declared again, so the next declaration run does not re-send it (issue 14.6).
        if (list.state === 'declared' || list.state === 'rejected')
          set.state = isRefused(status) ? 'rejected' : 'declared';
        // Released: the units of an import bonded list become verification-applied on the book,
        // once (a release after a detention does not move them again).
        if (isReleased(status) && !list.released_time && list.direction === 'import' && list.ems_no)
          await this.ledger.append(
            em,
            releaseMovements(
              list.warehouse_code,
              r.fields.invtNo || list.invt_no || list.cop_no,
              list.logistics_no,
              stockLinesOf(list),
            ),
            'customs',
          );
        pending.push([
          'parcel.customsStatusChanged',
          {
            copNo: list.cop_no,
            logisticsNo: list.logistics_no,
            orderNo: list.order_no,
            status,
            statusInfo: result.state.statusInfo,
            requiredAction: requiredAction(status),
          },
        ]);
        pending.push([
          'customs.changed',
          {
            kind: status === 500 ? 'inspection' : 'receipt',
            ref: list.logistics_no,
            warehouseCode: list.warehouse_code,
            summary: `${messageType} ${status} on ${list.logistics_no} (${list.cop_no})`,
            at: new Date().toISOString(),
          },
        ]);
      }
      await this.customs.updateList(em, list.id, set);
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep:
            r.returnStatus === 500
              ? 'inspecting'
              : messageType === 'CEB900'
                ? 'customs_format_error'
                : 'customs_receipt',
          disposition: result.changed ? `customs_${r.returnStatus}` : 'receipt_without_effect',
          actor: 'customs',
          documents: {
            orderNo: list.order_no,
            copNo: list.cop_no,
            invtNo: r.fields.invtNo || list.invt_no,
            guid: r.guid,
          },
          detail: {
            messageType,
            returnStatus: r.returnStatus,
            returnInfo: r.returnInfo,
            ignoredBecause: result.ignoredBecause,
          },
        },
      ]);
      return;
    }

    if (message.subject_kind === 'cancel' || message.subject_kind === 'return') {
      const table = message.subject_kind === 'cancel' ? 'customs_cancel' : 'customs_return';
      const rows = await em.execute<
        Array<{ id: string; list_id: string; cop_no: string; status: number | null; status_time: string | null }>
      >(`select id, list_id, cop_no, status, status_time from ${table} where id = ? for update`, [message.subject_id]);
      const doc = rows[0];
      const order = this.order(message.subject_kind, doc, r);
      await record(order.wins, order.wins ? null : order.because);
      if (!order.wins) return;
      await em.execute(`update ${table} set status = ?, status_info = ?, status_time = ? where id = ?`, [
        r.returnStatus,
        r.returnInfo ?? null,
        r.returnTime,
        doc.id,
      ]);
      const [list] = await this.customs.listForUpdate(em, { id: doc.list_id });
      // CEB624/606 approve with 399 (800 is taken too); the cancelled list's released units go
      // back to bonded on the book (issue 14.1).
      if (message.subject_kind === 'cancel' && isApproved(r.returnStatus) && list.state !== 'cancelled') {
        if (list.released_time && list.direction === 'import' && list.ems_no && !list.gate_passed_at)
          await this.ledger.append(
            em,
            cancelMovements(list.warehouse_code, doc.cop_no, list.logistics_no, stockLinesOf(list)),
            'customs',
          );
        await this.customs.updateList(em, list.id, { state: 'cancelled' });
      }
      pending.push([
        'customs.changed',
        {
          kind: 'receipt',
          ref: list.logistics_no,
          warehouseCode: list.warehouse_code,
          summary: `${messageType} ${r.returnStatus} on ${message.subject_kind} ${doc.cop_no} of ${list.logistics_no}`,
          at: new Date().toISOString(),
        },
      ]);
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep: message.subject_kind === 'cancel' ? 'customs_cancel_receipt' : 'returning',
          disposition: `customs_${r.returnStatus}`,
          actor: 'customs',
          documents: { copNo: doc.cop_no, invtNo: list.invt_no, guid: r.guid },
          detail: { messageType, returnStatus: r.returnStatus, returnInfo: r.returnInfo },
        },
      ]);
      return;
    }

    if (message.subject_kind === 'summary') {
      const rows = await em.execute<Array<{ id: string; status: number | null; status_time: string | null }>>(
        'select id, status, status_time from customs_summary where id = ? for update',
        [message.subject_id],
      );
      const order = this.order('summary', rows[0], r);
      const changed = order.wins;
      await record(changed, changed ? null : order.because);
      if (changed)
        await em.execute(
          'update customs_summary set status = ?, status_info = ?, status_time = ?, sum_no = coalesce(sum_no, ?) where id = ?',
          [r.returnStatus, r.returnInfo ?? null, r.returnTime, r.fields.sumNo || null, rows[0].id],
        );
      return;
    }
    // The 9610 export chain (CEB508/608/510): its own family of rules, rules/export-chain-status.ts.
    if (message.subject_kind === 'manifest') {
      const change = await this.manifestReceipts.apply(em, messageType, r, record);
      if (change) pending.push(['customs.changed', change]);
      return;
    }
    await record(false, `receipts for ${message.subject_kind} messages change nothing here`);
  }

  /** Does receipt `r` take the place of the status a cancel, return or summary holds now? */
  private order(kind: string, doc: { status: number | null; status_time: string | null }, r: CebReceipt) {
    const current = doc.status === null ? null : { returnStatus: doc.status, returnTime: doc.status_time ?? '' };
    return supersedes(FAMILY[kind], current, r);
  }

  /** CEB792: customs turned a 9610 summary into a declaration; its entryId goes on every list in it. */
  private async applySummaryResult(
    em: Em,
    fileName: string,
    summary: { head: Record<string, string>; lines: Array<Record<string, string>> },
  ) {
    const guid = summary.head.guid;
    const message = await this.customs.messageByGuid(em, guid);
    if (message?.subject_kind !== 'summary')
      throw new Error(`CEB792 for guid ${guid}: no summary application (CEB701) with this guid was sent from here`);
    const fresh = await this.customs.recordReceipt(em, {
      messageType: 'CEB792',
      guid,
      returnStatus: 800,
      returnTime: summary.head.opDate || summary.head.entryId,
      returnInfo: `declaration ${summary.head.entryId}`,
      fields: summary.head,
      fileName,
      changedStatus: true,
      ignoredBecause: null,
    });
    if (!fresh) return;
    await em.execute('update customs_summary set entry_id = ?, sum_no = coalesce(sum_no, ?) where id = ?', [
      summary.head.entryId,
      summary.head.sumNo || null,
      message.subject_id,
    ]);
    const invtNos = summary.lines.map((l) => l.invtNo).filter(Boolean);
    const lists = await em.execute<Array<{ logistics_no: string; order_no: string; invt_no: string }>>(
      `update inventory_list set entry_id = ?, updated_at = now() where summary_id = ? and invt_no = any(?::text[])
       returning logistics_no, order_no, invt_no`,
      [summary.head.entryId, message.subject_id, pgArray(invtNos)],
    );
    await this.trace.record(em, [
      {
        objectKind: 'summary',
        objectId: message.subject_id,
        bizStep: 'customs_summary_result',
        disposition: 'declared',
        actor: 'customs',
        documents: { entryId: summary.head.entryId, sumNo: summary.head.sumNo, guid },
        detail: { lists: lists.length, listed: invtNos.length },
      },
      ...lists.map((l) => ({
        objectKind: 'parcel' as const,
        objectId: l.logistics_no,
        bizStep: 'customs_summary_result',
        disposition: 'summarised',
        actor: 'customs',
        documents: { orderNo: l.order_no, invtNo: l.invt_no, entryId: summary.head.entryId },
      })),
    ]);
  }
}

import { Injectable } from '@nestjs/common';
import { DocNumbers } from '../../../platform/database/doc-numbers.js';
import { pgArray } from '../../../platform/database/pg-array.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { AppError } from '../../../platform/http/app-error.js';
import { LedgerRepository } from '../../inventory/ledger.repository.js';
import { returnMovements } from '../../inventory/ledger-rules.js';
import { TraceRepository } from '../../trace/trace.repository.js';
import { CustomsRepository, type Em, type ListRow } from '../declarations/customs.repository.js';
import { DeclarationsService } from '../declarations/declarations.service.js';
import { customsDate } from '../declarations/inventory-list.builder.js';
import { isReleased } from '../rules/customs-status.js';
import { isApproved } from '../rules/receipt-order.js';
import type { ReceiveReturnInput, ReturnInput, SummaryInput, summaryDetail } from './customs-actions.schemas.js';

const only = (list: ListRow | undefined, what: string): ListRow => {
  if (!list) throw new AppError('NOT_FOUND', `${what} is not known: no inventory list names it`);
  return list;
};

/**
 * What operators do to declared lists (holds are in ../holds): cancel (CEB623/605),
 * return (CEB625) and its receipt back into the centre, and the 9610 monthly summary (CEB701).
 */
@Injectable()
export class CustomsActionsService {
  constructor(
    private readonly customs: CustomsRepository,
    private readonly docNumbers: DocNumbers,
    private readonly declarations: DeclarationsService,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
  ) {}

  /** Runs a declaring transaction, then writes its messages into the outbox once it committed. */
  private async declaring<T>(work: (em: Em) => Promise<T>): Promise<T> {
    const result = await this.customs.orm.em.fork().transactional(work);
    await this.declarations.dispatchOutbox();
    return result;
  }

  /** CEB623 (import) / CEB605 (export): withdraw a declared list that has not left. */
  async cancel(copNo: string, reason: string, actor: string) {
    return this.declaring(async (em) => {
      const list = only((await this.customs.listForUpdate(em, { copNo }))[0], `list ${copNo}`);
      if (list.state !== 'declared')
        throw new AppError('CUSTOMS_STATE', `list ${copNo} is ${list.state}; only a declared list can be cancelled`);
      if (list.gate_passed_at)
        throw new AppError(
          'CUSTOMS_STATE',
          `parcel ${list.logistics_no} already left; declare a return (CEB625) instead`,
        );
      if (!list.invt_no)
        throw new AppError(
          'CUSTOMS_STATE',
          `list ${copNo} has no customs list number (invtNo) yet; wait for the 120 receipt`,
        );
      const cancelNo = await this.docNumbers.next(em, 'CX', customsDate(new Date()));
      const rows = await em.execute<Array<{ id: string }>>(
        `insert into customs_cancel (cop_no, list_id, guid, reason, created_by) values (?, ?, 'pending-' || ?, ?, ?) returning id`,
        [cancelNo, list.id, cancelNo, reason, actor],
      );
      const h = list.head;
      const head: Record<string, string> =
        list.direction === 'import'
          ? {
              customsCode: h.customsCode,
              orderNo: list.order_no,
              ebpCode: h.ebpCode,
              ebpName: h.ebpName,
              ebcCode: h.ebcCode,
              ebcName: h.ebcName,
              logisticsNo: h.logisticsNo,
              logisticsCode: h.logisticsCode,
              logisticsName: h.logisticsName,
              copNo: cancelNo,
              invtNo: list.invt_no,
              buyerIdType: h.buyerIdType,
              buyerIdNumber: h.buyerIdNumber,
              buyerName: h.buyerName,
              buyerTelephone: h.buyerTelephone,
              agentCode: h.agentCode,
              agentName: h.agentName,
              reason,
            }
          : {
              customsCode: h.customsCode,
              copNo: cancelNo,
              invtNo: list.invt_no,
              reason,
              agentCode: h.agentCode,
              agentName: h.agentName,
              ebcCode: h.ebcCode,
              ebcName: h.ebcName,
            };
      const written = await this.declarations.emit(
        em,
        list.direction === 'import' ? 'CEB623' : 'CEB605',
        { head },
        {
          kind: 'cancel',
          id: rows[0].id,
        },
      );
      await em.execute('update customs_cancel set guid = ? where id = ?', [written.guid, rows[0].id]);
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep: 'cancelling',
          disposition: 'cancel_requested',
          actor,
          documents: { copNo: cancelNo, invtNo: list.invt_no, guid: written.guid },
          detail: { reason },
        },
      ]);
      return { cancelNo, guid: written.guid, fileName: written.fileName };
    });
  }

  /** CEB625: a consumer returns a released, shipped import parcel into the centre. */
  async declareReturn(input: ReturnInput, actor: string) {
    return this.declaring(async (em) => {
      const list = only(
        (await this.customs.listForUpdate(em, { logisticsNo: input.logisticsNo }))[0],
        `parcel ${input.logisticsNo}`,
      );
      if (list.direction !== 'import' || !isReleased(list.customs_status) || !list.gate_passed_at)
        throw new AppError(
          'CUSTOMS_STATE',
          `parcel ${input.logisticsNo} cannot be returned: only a released (800) import parcel that left through the gate can (it is ${list.customs_status ?? 'undeclared'}${list.gate_passed_at ? '' : ', still inside'})`,
        );
      const open = await em.execute(
        `select cop_no from customs_return where list_id = ? and (status is null or status not in (100) and status >= 0)`,
        [list.id],
      );
      if (open.length)
        throw new AppError(
          'CONFLICT',
          `parcel ${input.logisticsNo} already has return ${String((open[0] as { cop_no: string }).cop_no)}`,
        );
      const byGnum = new Map(list.lines.map((l) => [l.gnum, l]));
      const lines = (input.lines ?? list.lines.map((l) => ({ gnum: l.gnum, units: l.units }))).map((r) => {
        const line = byGnum.get(r.gnum);
        if (!line) throw new AppError('VALIDATION_FAILED', `list ${list.cop_no} has no line ${r.gnum}`);
        if (r.units > line.units)
          throw new AppError(
            'VALIDATION_FAILED',
            `line ${r.gnum}: ${r.units} returned but only ${line.units} were sold`,
          );
        return { ...line, units: r.units };
      });
      const returnNo = await this.docNumbers.next(em, 'RT', customsDate(new Date()));
      const rows = await em.execute<Array<{ id: string }>>(
        `insert into customs_return (cop_no, list_id, guid, reason, lines, created_by)
         values (?, ?, 'pending-' || ?, ?, ?::jsonb, ?) returning id`,
        [returnNo, list.id, returnNo, input.reason, JSON.stringify(lines), actor],
      );
      const h = list.head;
      const written = await this.declarations.emit(
        em,
        'CEB625',
        {
          head: {
            customsCode: h.customsCode,
            orderNo: list.order_no,
            ebpCode: h.ebpCode,
            ebpName: h.ebpName,
            ebcCode: h.ebcCode,
            ebcName: h.ebcName,
            logisticsNo: h.logisticsNo,
            logisticsCode: h.logisticsCode,
            logisticsName: h.logisticsName,
            copNo: returnNo,
            invtNo: list.invt_no ?? '',
            buyerIdType: h.buyerIdType,
            buyerIdNumber: h.buyerIdNumber,
            buyerName: h.buyerName,
            buyerTelephone: h.buyerTelephone,
            agentCode: h.agentCode,
            agentName: h.agentName,
            reason: input.reason,
          },
          lines: lines.map((l) => ({
            gnum: String(l.gnum),
            gcode: l.values.gcode,
            gname: l.values.gname,
            qty: String(l.units),
            unit: l.values.unit,
          })),
        },
        { kind: 'return', id: rows[0].id },
      );
      await em.execute('update customs_return set guid = ? where id = ?', [written.guid, rows[0].id]);
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep: 'returning',
          disposition: 'return_declared',
          actor,
          documents: { copNo: returnNo, invtNo: list.invt_no, guid: written.guid },
          detail: { reason: input.reason, units: lines.reduce((s, l) => s + l.units, 0) },
        },
      ]);
      return { returnNo, guid: written.guid, fileName: written.fileName };
    });
  }

  /** The returned parcel is back at the centre and customs approved the return (CEB626 399 or 800). */
  async receiveReturn(returnNo: string, input: ReceiveReturnInput, actor: string) {
    return this.customs.orm.em.fork().transactional((em) => this.receiveReturnIn(em, returnNo, input, actor));
  }

  /** The same in the caller's transaction (a scan at the returns desk). */
  async receiveReturnIn(em: Em, returnNo: string, input: ReceiveReturnInput, actor: string) {
    {
      const rows = await em.execute<
        Array<{ id: string; list_id: string; status: number | null; received_at: Date | null; lines: ListRow['lines'] }>
      >('select id, list_id, status, received_at, lines from customs_return where cop_no = ? for update', [returnNo]);
      const ret = rows[0];
      if (!ret) throw new AppError('NOT_FOUND', `return ${returnNo} is not known`);
      if (ret.received_at) throw new AppError('CONFLICT', `return ${returnNo} was already received`);
      if (!isApproved(ret.status))
        throw new AppError(
          'CUSTOMS_STATE',
          `return ${returnNo} is not approved by customs yet (status ${ret.status ?? 'none'}): keep the parcel in the returns area until CEB626 approves it (399 or 800)`,
        );
      const [list] = await this.customs.listForUpdate(em, { id: ret.list_id });
      const [zone] = await em.execute<Array<{ kind: string }>>(
        `select z.kind from location l join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
         where l.warehouse_code = ? and l.code = ?`,
        [list.warehouse_code, input.location],
      );
      if (!zone)
        throw new AppError('VALIDATION_FAILED', `location ${input.location} does not exist in ${list.warehouse_code}`);
      if (list.ems_no && !['returns', 'bonded'].includes(zone.kind))
        throw new AppError(
          'VALIDATION_FAILED',
          `location ${input.location} is in a ${zone.kind} zone; returned bonded goods go to a returns or bonded zone`,
        );
      await this.ledger.append(
        em,
        returnMovements(
          list.warehouse_code,
          returnNo,
          list.logistics_no,
          ret.lines.map((l) => ({
            bookLine: list.ems_no && l.putrecSeqno ? { emsNo: list.ems_no, putrecSeqno: l.putrecSeqno } : null,
            ownerCode: l.ownerCode,
            sku: l.sku,
            batch: input.batch,
            location: input.location,
            qty: l.units,
          })),
        ),
        actor,
      );
      await em.execute('update customs_return set received_at = now(), received_by = ?, location = ? where id = ?', [
        actor,
        input.location,
        ret.id,
      ]);
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep: 'receiving',
          disposition: 'returned',
          actor,
          documents: { copNo: returnNo, invtNo: list.invt_no },
          detail: { location: input.location, units: ret.lines.reduce((s, l) => s + l.units, 0) },
        },
      ]);
      return { returnNo, units: ret.lines.reduce((s, l) => s + l.units, 0), location: input.location };
    }
  }

  /**
   * 9610 monthly summary (CEB701): the export lists released (800) in the month and not yet
   * summarised, one application per e-commerce company, declaring agent, customs district and
   * supervised site. The month is the release's, not the latest status's: a list released in
   * October whose 899 arrives in November belongs to October (issue 14.8).
   */
  async summarise(input: SummaryInput, actor: string) {
    return this.declaring(async (em) => {
      await this.customs.lockDeclarations(em);
      const yyyymm = input.month.replace('-', '');
      const lists = await em.execute<
        Array<{
          id: string;
          invt_no: string | null;
          ebc_code: string;
          agent_code: string;
          head: Record<string, string>;
          ems: string | null;
        }>
      >(
        `select id, invt_no, ebc_code, agent_code, head, ems_no as ems from inventory_list
         where direction = 'export' and trade_mode = '9610' and state = 'declared' and summary_id is null
           -- statisticsFlag A (simplified) lists are not summarised by the exporter (issue 14)
           and coalesce(head->>'statisticsFlag', 'B') = 'B'
           and customs_status in (800, 899) and substr(released_time, 1, 6) = ?
           ${input.ebcCode ? 'and ebc_code = ?' : ''}
         order by id for update`,
        input.ebcCode ? [yyyymm, input.ebcCode] : [yyyymm],
      );
      const missing = lists.filter((l) => !l.invt_no);
      const groups = new Map<string, typeof lists>();
      for (const l of lists) {
        if (!l.invt_no) continue;
        const key = [l.ebc_code, l.agent_code, l.head.customsCode, l.head.loctNo ?? ''].join('|');
        groups.set(key, [...(groups.get(key) ?? []), l]);
      }
      const [year, month] = input.month.split('-').map(Number);
      const start = `${input.month.replace('-', '')}01`;
      const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const end = `${input.month.replace('-', '')}${String(lastDay).padStart(2, '0')}`;
      const summaries = [];
      for (const [key, members] of groups) {
        const [ebcCode, agentCode, customsCode, loctNo] = key.split('|');
        const h = members[0].head;
        const copNo = await this.docNumbers.next(em, 'SM', customsDate(new Date()));
        const rows = await em.execute<Array<{ id: string }>>(
          `insert into customs_summary (cop_no, guid, ebc_code, agent_code, customs_code, loct_no, period_start, period_end, created_by)
           values (?, 'pending-' || ?, ?, ?, ?, ?, ?::date, ?::date, ?) returning id`,
          [copNo, copNo, ebcCode, agentCode, customsCode, loctNo || null, start, end, actor],
        );
        const written = await this.declarations.emit(
          em,
          'CEB701',
          {
            head: {
              customsCode,
              copNo,
              agentCode,
              agentName: h.agentName,
              ebcCode,
              ebcName: h.ebcName,
              declAgentCode: agentCode,
              declAgentName: h.agentName,
              startTime: `${start}000000`,
              endTime: `${end}235959`,
              ...(loctNo ? { loctNo } : {}),
              summaryFlag: '1',
              itemNameFlag: '0',
              msgCount: '1',
              msgSeqNo: '1',
            },
            lines: members.map((m) => ({ invtNo: m.invt_no! })),
          },
          { kind: 'summary', id: rows[0].id },
        );
        await em.execute('update customs_summary set guid = ? where id = ?', [written.guid, rows[0].id]);
        await em.execute('update inventory_list set summary_id = ?, updated_at = now() where id = any(?::bigint[])', [
          rows[0].id,
          pgArray(members.map((m) => m.id)),
        ]);
        await this.trace.record(em, [
          {
            objectKind: 'summary',
            objectId: rows[0].id,
            bizStep: 'summarising',
            disposition: 'declared',
            actor,
            documents: { copNo, guid: written.guid },
            detail: { month: input.month, lists: members.length, ebcCode },
          },
        ]);
        summaries.push({
          id: rows[0].id,
          copNo,
          guid: written.guid,
          fileName: written.fileName,
          ebcCode,
          lists: members.length,
        });
      }
      return {
        month: input.month,
        summaries,
        skipped: missing.map((m) => ({
          listId: m.id,
          reason: 'no customs list number (invtNo) on the release receipt',
        })),
      };
    });
  }

  async summary(id: string) {
    const rows = await this.customs.orm.em.execute<Array<Answer<typeof summaryDetail>>>(
      `select s.id, s.cop_no as "copNo", s.guid, s.ebc_code as "ebcCode", s.period_start as "periodStart",
         s.period_end as "periodEnd", s.sum_no as "sumNo", s.status, s.status_info as "statusInfo", s.entry_id as "entryId",
         (select jsonb_agg(jsonb_build_object('copNo', l.cop_no, 'invtNo', l.invt_no, 'logisticsNo', l.logistics_no,
            'entryId', l.entry_id) order by l.id) from inventory_list l where l.summary_id = s.id) as lists
       from customs_summary s where s.id = ?`,
      [id],
    );
    if (!rows.length) throw new AppError('NOT_FOUND', `summary ${id} is not known`);
    return rows[0];
  }
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { PARCEL_SITUATIONS } from '@wms/contracts';
import { ORM } from '../../../platform/database/orm.js';
import { pgArray } from '../../../platform/database/pg-array.js';
import type { Sql } from '../../../platform/database/sql.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { SITUATION_SQL } from '../holds/holds.repository.js';
import type { listDetail, receiptsOf } from './declarations.answers.js';
import type { BookLineRecord, GoodsRecord } from './inventory-list.builder.js';

/** A transaction: the ORM's, or a plain one from SqlRunner on the hot paths. */
export type Em = Sql;

export interface ListRow {
  id: string;
  cop_no: string;
  direction: 'import' | 'export';
  trade_mode: string;
  warehouse_code: string;
  ebp_code: string;
  order_no: string;
  ebc_code: string;
  logistics_code: string;
  logistics_no: string;
  ems_no: string | null;
  agent_code: string;
  buyer_id_number: string | null;
  actural_paid: string | null;
  head: Record<string, string>;
  lines: Array<{
    gnum: number;
    itemNo: string;
    units: number;
    ownerCode: string;
    sku: string;
    putrecSeqno: number | null;
    values: Record<string, string>;
  }>;
  state: 'draft' | 'blocked' | 'declared' | 'rejected' | 'cancelled';
  problems: unknown;
  current_guid: string | null;
  declared_at: Date | null;
  declare_count: number;
  customs_status: number | null;
  customs_status_info: string | null;
  customs_status_time: string | null;
  /** Customs time of the release in force (800); set at the first release, never cleared. */
  released_time: string | null;
  invt_no: string | null;
  pre_no: string | null;
  summary_id: string | null;
  entry_id: string | null;
  hold_reason: string | null;
  held_by: string | null;
  held_at: Date | null;
  packed_at: Date | null;
  gate_passed_at: Date | null;
  gate_pass_no: string | null;
}

export interface OrderBundle {
  order_id: string;
  direction: 'import' | 'export';
  ebp_code: string;
  order_no: string;
  order: Record<string, unknown>;
  payment: Record<string, unknown> | null;
  waybill: Record<string, unknown> | null;
  list: ListRow | null;
}

/** Lists, their messages and receipts: the SQL of the customs module. */
@Injectable()
export class CustomsRepository {
  constructor(@Inject(ORM) readonly orm: MikroORM) {}

  /** The newest customs return (CEB625) of a parcel of this warehouse, for the returns desk. */
  async latestReturnOf(
    em: Em,
    logisticsNo: string,
    warehouseCode: string,
  ): Promise<{
    cop_no: string;
    status: number | null;
    received_at: Date | null;
    lines: Array<{ units: number }>;
  } | null> {
    const rows = await em.execute<
      Array<{ cop_no: string; status: number | null; received_at: Date | null; lines: Array<{ units: number }> }>
    >(
      `select r.cop_no, r.status, r.received_at, r.lines from customs_return r join inventory_list l on l.id = r.list_id
       where l.logistics_no = ? and l.warehouse_code = ? order by r.id desc limit 1`,
      [logisticsNo, warehouseCode],
    );
    return rows[0] ?? null;
  }

  /** One declaration run at a time per deployment: book availability and buyer totals stay exact. */
  async lockDeclarations(em: Em): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(hashtext('customs:declare'))`);
  }

  /** How many orders a declaration run of all pending orders will go through (for its progress). */
  async pendingOrders(direction: 'import' | 'export'): Promise<number> {
    const [row] = await this.orm.em.execute<Array<{ n: string }>>(
      `select count(*) as n from trade_order o
       left join inventory_list l on l.ebp_code = o.ebp_code and l.order_no = o.order_no
       where o.direction = ? and (l.id is null or l.state in ('draft','blocked','rejected'))`,
      [direction],
    );
    return Number(row.n);
  }

  /** Orders with their payment, waybill and list; `keys` null means every order not yet declared. */
  async orderBundles(
    em: Em,
    direction: 'import' | 'export',
    keys: Array<{ ebpCode: string; orderNo: string }> | null,
    limit: number,
    afterId: string,
  ): Promise<OrderBundle[]> {
    const paymentJoin =
      direction === 'import'
        ? `p.pay_code = o.doc->>'payCode' and p.pay_transaction_id = o.doc->>'payTransactionId'`
        : `p.order_no = o.order_no and p.doc->>'ebpCode' = o.ebp_code`;
    const filter = keys
      ? `(o.ebp_code, o.order_no) in (select k->>'ebpCode', k->>'orderNo' from jsonb_array_elements(?::jsonb) k)`
      : `(l.id is null or l.state in ('draft','blocked','rejected'))`;
    return em.execute<OrderBundle[]>(
      `select o.id as order_id, o.direction, o.ebp_code, o.order_no, o.doc as order,
         (select p.doc from trade_payment p where ${paymentJoin} and p.direction = o.direction
          order by p.updated_at desc limit 1) as payment,
         (select w.doc from trade_waybill w where w.order_no = o.order_no and w.direction = o.direction
          order by w.updated_at desc limit 1) as waybill,
         to_jsonb(l) as list
       from trade_order o
       left join inventory_list l on l.ebp_code = o.ebp_code and l.order_no = o.order_no
       where o.direction = ? and o.id > ? and ${filter}
       order by o.id limit ?`,
      keys ? [direction, afterId, JSON.stringify(keys), limit] : [direction, afterId, limit],
    );
  }

  async goods(em: Em, owners: string[]): Promise<Map<string, GoodsRecord>> {
    const rows = await em.execute<GoodsRecord[]>(
      `select owner_code as "ownerCode", sku, gtin, gcode, name, model, unit, declared_price::text as "declaredPrice",
         country, gross_grams as "grossGrams", legal_unit as "legalUnit",
         legal_qty_per_unit::text as "legalQtyPerUnit", legal_unit2 as "legalUnit2",
         legal_qty2_per_unit::text as "legalQty2PerUnit"
       from goods where owner_code = any(?::text[])`,
      [pgArray(owners)],
    );
    return new Map(rows.map((g) => [`${g.ownerCode}|${g.sku}`, g]));
  }

  async bookLines(em: Em, emsNos: string[]): Promise<Map<string, BookLineRecord>> {
    const rows = await em.execute<BookLineRecord[]>(
      `select ems_no as "emsNo", putrec_seqno as "putrecSeqno", item_no as "itemNo", gcode, gname, unit
       from book_line where ems_no = any(?::text[])`,
      [pgArray(emsNos)],
    );
    return new Map(rows.map((b) => [`${b.emsNo}|${b.itemNo}`, b]));
  }

  /** What each buyer has already been declared for this calendar year (DOMAIN.md §5 annual limit). */
  async buyerYearToDate(em: Em, buyers: string[], year: string): Promise<Map<string, string>> {
    const rows = await em.execute<Array<{ buyer: string; total: string }>>(
      `select buyer_id_number as buyer, sum(actural_paid)::text as total from inventory_list
       where buyer_id_number = any(?::text[]) and direction = 'import' and state = 'declared'
         and to_char(declared_at at time zone 'Asia/Shanghai', 'YYYY') = ?
         and (customs_status is null or (customs_status >= 0 and customs_status <> 100))
       group by buyer_id_number`,
      [pgArray(buyers), year],
    );
    return new Map(rows.map((r) => [r.buyer, r.total]));
  }

  async saveList(
    em: Em,
    list: {
      copNo: string;
      direction: 'import' | 'export';
      tradeMode: string;
      warehouseCode: string;
      ebpCode: string;
      orderNo: string;
      ebcCode: string;
      logisticsCode: string;
      logisticsNo: string;
      emsNo: string | null;
      agentCode: string;
      buyerIdNumber: string | null;
      acturalPaid: string | null;
      head: Record<string, string>;
      lines: unknown[];
      state: 'blocked' | 'declared';
      problems: unknown;
      guid: string | null;
    },
  ): Promise<string> {
    const rows = await em.execute<Array<{ id: string }>>(
      `insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code,
         logistics_code, logistics_no, ems_no, agent_code, buyer_id_number, actural_paid, head, lines, state, problems,
         current_guid, declared_at, declare_count)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?,
         case when ? = 'declared' then now() end, case when ? = 'declared' then 1 else 0 end)
       on conflict (cop_no) do update set trade_mode = excluded.trade_mode, warehouse_code = excluded.warehouse_code,
         ebc_code = excluded.ebc_code, logistics_code = excluded.logistics_code, logistics_no = excluded.logistics_no,
         ems_no = excluded.ems_no, buyer_id_number = excluded.buyer_id_number, actural_paid = excluded.actural_paid,
         head = excluded.head, lines = excluded.lines, state = excluded.state, problems = excluded.problems,
         current_guid = coalesce(excluded.current_guid, inventory_list.current_guid),
         declared_at = coalesce(excluded.declared_at, inventory_list.declared_at),
         declare_count = inventory_list.declare_count + excluded.declare_count,
         -- a new declaration starts a fresh customs status; the receipts stay in the history
         customs_status = case when excluded.state = 'declared' then null else inventory_list.customs_status end,
         customs_status_info = case when excluded.state = 'declared' then null else inventory_list.customs_status_info end,
         customs_status_time = case when excluded.state = 'declared' then null else inventory_list.customs_status_time end,
         updated_at = now()
       returning id`,
      [
        list.copNo,
        list.direction,
        list.tradeMode,
        list.warehouseCode,
        list.ebpCode,
        list.orderNo,
        list.ebcCode,
        list.logisticsCode,
        list.logisticsNo,
        list.emsNo,
        list.agentCode,
        list.buyerIdNumber,
        list.acturalPaid,
        JSON.stringify(list.head),
        JSON.stringify(list.lines),
        list.state,
        JSON.stringify(list.problems),
        list.guid,
        list.state,
        list.state,
      ],
    );
    return rows[0].id;
  }

  async recordMessage(
    em: Em,
    m: { guid: string; messageType: string; subjectKind: string; subjectId: string; fileName: string; xml: string },
  ) {
    await em.execute(
      `insert into customs_message (guid, message_type, subject_kind, subject_id, file_name, xml)
       values (?, ?, ?, ?, ?, ?)`,
      [m.guid, m.messageType, m.subjectKind, m.subjectId, m.fileName, m.xml],
    );
  }

  async messageByGuid(em: Em, guid: string) {
    const rows = await em.execute<
      Array<{ guid: string; message_type: string; subject_kind: string; subject_id: string }>
    >('select guid, message_type, subject_kind, subject_id from customs_message where guid = ?', [guid]);
    return rows[0] ?? null;
  }

  async listForUpdate(em: Em, where: { id?: string; copNo?: string; logisticsNo?: string }): Promise<ListRow[]> {
    const [column, value] = where.id
      ? ['id', where.id]
      : where.copNo
        ? ['cop_no', where.copNo]
        : ['logistics_no', where.logisticsNo ?? ''];
    return em.execute<ListRow[]>(`select * from inventory_list where ${column} = ? order by id for update`, [value]);
  }

  /** Every list naming a waybill number (several carriers may reuse one), without locking them. */
  async listsByWaybill(logisticsNo: string): Promise<ListRow[]> {
    return this.orm.em.execute<ListRow[]>('select * from inventory_list where logistics_no = ? order by id', [
      logisticsNo,
    ]);
  }

  async list(where: { copNo?: string; logisticsNo?: string }): Promise<ListRow | null> {
    const rows = await this.orm.em.execute<ListRow[]>(
      `select * from inventory_list where ${where.copNo ? 'cop_no' : 'logistics_no'} = ? order by id limit 1`,
      [where.copNo ?? where.logisticsNo],
    );
    return rows[0] ?? null;
  }

  /** These lists, in the order of the ids. */
  async listsById(ids: string[]): Promise<ListRow[]> {
    if (!ids.length) return [];
    const rows = await this.orm.em.execute<ListRow[]>('select * from inventory_list where id = any(?::bigint[])', [
      pgArray(ids),
    ]);
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return ids.map((id) => byId.get(id)).filter((r): r is ListRow => Boolean(r));
  }

  async updateList(em: Em, id: string, set: Record<string, unknown>): Promise<void> {
    const cols = Object.keys(set);
    if (!cols.length) return;
    await em.execute(
      `update inventory_list set ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = now() where id = ?`,
      [...cols.map((c) => set[c] as never), id],
    );
  }

  /** Stores a receipt once; false when the very same receipt was stored before. */
  async recordReceipt(
    em: Em,
    r: {
      messageType: string;
      guid: string;
      returnStatus: number;
      returnTime: string;
      returnInfo: string | null;
      fields: Record<string, string>;
      fileName: string;
      changedStatus: boolean;
      ignoredBecause: string | null;
    },
  ): Promise<boolean> {
    const rows = await em.execute(
      `insert into customs_receipt (message_type, guid, return_status, return_time, return_info, fields, file_name,
         changed_status, ignored_because)
       values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
       on conflict (message_type, guid, return_status, return_time) do nothing returning id`,
      [
        r.messageType,
        r.guid,
        r.returnStatus,
        r.returnTime,
        r.returnInfo,
        JSON.stringify(r.fields),
        r.fileName,
        r.changedStatus,
        r.ignoredBecause,
      ],
    );
    return rows.length > 0;
  }

  async receiptSeen(em: Em, messageType: string, guid: string, returnStatus: number, returnTime: string) {
    const rows = await em.execute(
      'select 1 from customs_receipt where message_type = ? and guid = ? and return_status = ? and return_time = ?',
      [messageType, guid, returnStatus, returnTime],
    );
    return rows.length > 0;
  }

  /** Every receipt received for one declaration (a status computed from the whole set). */
  async receiptsOfGuid(em: Em, guid: string) {
    return em.execute<Array<{ return_status: number; return_time: string; return_info: string | null }>>(
      'select return_status, return_time, return_info from customs_receipt where guid = ? order by id',
      [guid],
    );
  }

  async receiptsOf(listId: string) {
    return this.orm.em.execute<Answer<typeof receiptsOf>>(
      `select r.message_type as "messageType", r.guid, r.return_status as "returnStatus", r.return_time as "returnTime",
         r.return_info as "returnInfo", r.changed_status as "changedStatus", r.ignored_because as "ignoredBecause",
         r.file_name as "fileName", r.received_at as "receivedAt"
       from customs_receipt r join customs_message m on m.guid = r.guid
       where (m.subject_kind = 'list' and m.subject_id = ?)
          or (m.subject_kind in ('return','cancel') and m.subject_id in (
                select id from customs_return where list_id = ? union select id from customs_cancel where list_id = ?))
       order by r.id`,
      [listId, listId, listId],
    );
  }

  async messagesOf(listId: string) {
    return this.orm.em.execute<Answer<typeof listDetail>['messages']>(
      `select guid, message_type as "messageType", file_name as "fileName", written_at as "writtenAt"
       from customs_message where subject_kind = 'list' and subject_id = ? order by written_at`,
      [listId],
    );
  }

  /** Parcels by customs situation, most recently changed first, a page at a time, with the total. */
  async parcels(
    filter: ParcelFilter,
    warehouseCode: string | undefined,
    page: { limit: number; offset?: number; overdueHours?: number },
  ): Promise<{ rows: ListRow[]; total: number }> {
    const where: Record<ParcelFilter, string> = {
      ...SITUATION_SQL,
      waiting: "l.state = 'declared' and (l.customs_status is null or l.customs_status in (1, 2, 3, 4, 120, 300, 399))",
      released: 'l.customs_status in (800, 899) and l.gate_passed_at is null',
      shipped: 'l.gate_passed_at is not null',
      blocked: "l.state = 'blocked'",
      all: 'true',
    };
    const params: unknown[] = filter === 'overdue' ? [page.overdueHours ?? 72] : [];
    if (warehouseCode) params.push(warehouseCode);
    const rows = await this.orm.em.execute<Array<ListRow & { total_count: string }>>(
      `select l.*, count(*) over () as total_count from inventory_list l
       where (${where[filter]}) ${warehouseCode ? 'and l.warehouse_code = ?' : ''}
       order by l.updated_at desc, l.id desc limit ? offset ?`,
      [...params, page.limit, page.offset ?? 0],
    );
    let total = Number(rows[0]?.total_count ?? 0);
    if (!rows.length && (page.offset ?? 0) > 0) {
      const [count] = await this.orm.em.execute<Array<{ n: string }>>(
        `select count(*) as n from inventory_list l where (${where[filter]}) ${warehouseCode ? 'and l.warehouse_code = ?' : ''}`,
        params,
      );
      total = Number(count.n);
    }
    return { rows: rows.map(({ total_count: _t, ...row }) => row as ListRow), total };
  }
}

export const PARCEL_FILTERS = [...PARCEL_SITUATIONS, 'waiting', 'released', 'shipped', 'blocked', 'all'] as const;
export type ParcelFilter = (typeof PARCEL_FILTERS)[number];

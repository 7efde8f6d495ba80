import { Injectable } from '@nestjs/common';
import type { ImportRowError, SellerOrderDetail, SellerOrderStatus, SellerOrderSummary, ShipTo } from '@wms/contracts';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql } from '../../platform/database/sql.js';
import type { Allocation } from './orders.rules.js';

/** An order as the service and the floor read it (times as PostgreSQL's ISO text). */
export interface OrderRow {
  id: string;
  sellerCode: string;
  orderNo: string;
  fulfilmentNo: string;
  ownerCode: string;
  warehouseCode: string;
  timeZone: string | null;
  status: SellerOrderStatus;
  bodyHash: string;
  carrier: string | null;
  trackingNo: string | null;
  pickingStartedAt: string | null;
  packedAt: string | null;
  shippedAt: string | null;
  cancelledAt: string | null;
}

export interface NewOrder {
  sellerCode: string;
  orderNo: string;
  ownerCode: string;
  warehouseCode: string;
  shipTo: ShipTo;
  carrier: string | null;
  bodyHash: string;
  source: 'api' | 'bulk' | 'import' | 'exchange';
  units: number;
  createdBy: string;
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The warehouse's zone: migration 0910's `time_zone`, read so that a database without it still answers. */
const ZONE = `(to_jsonb(w) ->> 'time_zone')`;

const ORDER_COLUMNS = `o.id::text as id, o.seller_code as "sellerCode", o.order_no as "orderNo",
  o.fulfilment_no as "fulfilmentNo", o.owner_code as "ownerCode", o.warehouse_code as "warehouseCode",
  ${ZONE} as "timeZone", o.status, o.body_hash as "bodyHash", o.carrier, o.tracking_no as "trackingNo",
  ${iso('o.picking_started_at')} as "pickingStartedAt", ${iso('o.packed_at')} as "packedAt",
  ${iso('o.shipped_at')} as "shippedAt", ${iso('o.cancelled_at')} as "cancelledAt"`;

const SUMMARY_COLUMNS = `o.order_no as "orderNo", o.warehouse_code as "warehouseCode", o.status,
  o.fulfilment_no as "fulfilmentNo", o.source, o.units, o.carrier, o.tracking_no as "trackingNo",
  ${iso('o.created_at')} as "createdAt", ${iso('o.shipped_at')} as "shippedAt"`;

/**
 * The order tables (migration 0930). A seller's calls run in a tenant transaction (row-level
 * security shows it its own orders only); the floor's on the centre connection.
 */
@Injectable()
export class OrdersRepository {
  /** One of the seller's warehouses (RLS: seller_warehouse holds the tenant's only), with its kind and zone. */
  async warehouse(sql: Sql, code: string): Promise<{ code: string; kind: string; timeZone: string | null } | null> {
    const [row] = await sql.execute<Array<{ code: string; kind: string; timeZone: string | null }>>(
      `select w.code, w.kind, ${ZONE} as "timeZone" from seller_warehouse sw join warehouse w on w.code = sw.warehouse_code
        where sw.warehouse_code = ?`,
      [code],
    );
    return row ?? null;
  }

  /** Which of the seller's owners hold each SKU (the goods master, RLS-scoped to the tenant). */
  goodsOwners(sql: Sql, skus: string[]): Promise<Array<{ ownerCode: string; sku: string }>> {
    if (!skus.length) return Promise.resolve([]);
    return sql.execute(
      `select owner_code as "ownerCode", sku from goods
        where owner_code in (select owner_code from seller_owner) and sku = any(?::text[])`,
      [pgArray(skus)],
    );
  }

  ownerCodes(sql: Sql): Promise<string[]> {
    return sql
      .execute<Array<{ owner_code: string }>>('select owner_code from seller_owner order by owner_code')
      .then((rows) => rows.map((r) => r.owner_code));
  }

  existing(
    sql: Sql,
    sellerCode: string,
    orderNos: string[],
  ): Promise<Array<{ orderNo: string; bodyHash: string; status: SellerOrderStatus }>> {
    if (!orderNos.length) return Promise.resolve([]);
    return sql.execute(
      `select order_no as "orderNo", body_hash as "bodyHash", status from seller_order
        where seller_code = ? and order_no = any(?::text[])`,
      [sellerCode, pgArray(orderNos)],
    );
  }

  /**
   * Inserts the orders that do not exist yet (a concurrent twin that committed first wins: its
   * number comes back missing). The id is drawn first so the fulfilment number can carry it.
   */
  async insertOrders(sql: Sql, orders: NewOrder[]): Promise<Array<{ id: string; orderNo: string }>> {
    if (!orders.length) return [];
    return sql.execute(
      `with x as (
         select nextval(pg_get_serial_sequence('seller_order', 'id')) as id, r.*
           from jsonb_to_recordset(?::jsonb) as r(seller_code text, order_no text, owner_code text, warehouse_code text,
             ship_to jsonb, carrier text, body_hash text, source text, units integer, created_by text))
       insert into seller_order (id, fulfilment_no, seller_code, order_no, owner_code, warehouse_code, ship_to, carrier,
         body_hash, source, units, created_by)
       select id, 'SO' || lpad(id::text, 8, '0'), seller_code, order_no, owner_code, warehouse_code, ship_to, carrier,
         body_hash, source, units, created_by from x
       on conflict (seller_code, order_no) do nothing
       returning id::text as id, order_no as "orderNo"`,
      [
        JSON.stringify(
          orders.map((o) => ({
            seller_code: o.sellerCode,
            order_no: o.orderNo,
            owner_code: o.ownerCode,
            warehouse_code: o.warehouseCode,
            ship_to: o.shipTo,
            carrier: o.carrier,
            body_hash: o.bodyHash,
            source: o.source,
            units: o.units,
            created_by: o.createdBy,
          })),
        ),
      ],
    );
  }

  /** The lines, allocations and first history entry of new orders: three statements for any number of orders. */
  async insertContents(
    sql: Sql,
    sellerCode: string,
    actor: string,
    orders: Array<{
      id: string;
      lines: Array<{ sku: string; qty: number }>;
      allocations: Allocation[];
      note: string | null;
    }>,
  ): Promise<void> {
    if (!orders.length) return;
    const lines = orders.flatMap((o) =>
      o.lines.map((l, i) => ({ order_id: o.id, line_no: i + 1, sku: l.sku, qty: l.qty })),
    );
    const allocations = orders.flatMap((o) =>
      o.allocations.map((a) => ({ order_id: o.id, sku: a.sku, lot_no: a.lotNo, expiry: a.expiry, qty: a.qty })),
    );
    await sql.execute(
      `with l as (
         insert into seller_order_line (order_id, line_no, seller_code, sku, qty)
         select order_id, line_no, ?, sku, qty from jsonb_to_recordset(?::jsonb) as r(order_id bigint, line_no integer, sku text, qty integer)),
       a as (
         insert into seller_order_allocation (order_id, seller_code, sku, lot_no, expiry, qty)
         select order_id, ?, sku, lot_no, expiry, qty from jsonb_to_recordset(?::jsonb) as r(order_id bigint, sku text, lot_no text, expiry date, qty integer))
       insert into seller_order_event (order_id, seller_code, status, actor, note)
       select order_id, ?, 'reserved', ?, note from jsonb_to_recordset(?::jsonb) as r(order_id bigint, note text)`,
      [
        sellerCode,
        JSON.stringify(lines),
        sellerCode,
        JSON.stringify(allocations),
        sellerCode,
        actor,
        JSON.stringify(orders.map((o) => ({ order_id: o.id, note: o.note }))),
      ],
    );
  }

  async page(
    sql: Sql,
    q: {
      status?: SellerOrderStatus;
      from?: string;
      to?: string;
      sku?: string;
      warehouseCode?: string;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: SellerOrderSummary[]; total: number }> {
    const where = `(?::text is null or o.status = ?) and (?::timestamptz is null or o.created_at >= ?::timestamptz)
      and (?::timestamptz is null or o.created_at < ?::timestamptz) and (?::text is null or o.warehouse_code = ?)
      and (?::text is null or exists (select 1 from seller_order_line l where l.order_id = o.id and l.sku = ?))`;
    const params = [
      q.status ?? null,
      q.status ?? null,
      q.from ?? null,
      q.from ?? null,
      q.to ?? null,
      q.to ?? null,
      q.warehouseCode ?? null,
      q.warehouseCode ?? null,
      q.sku ?? null,
      q.sku ?? null,
    ];
    const items = await sql.execute<SellerOrderSummary[]>(
      `select ${SUMMARY_COLUMNS} from seller_order o where ${where} order by o.created_at desc, o.id desc limit ? offset ?`,
      [...params, q.limit, q.offset],
    );
    const [{ total }] = await sql.execute<Array<{ total: number }>>(
      `select count(*)::int as total from seller_order o where ${where}`,
      params,
    );
    return { items, total };
  }

  /**
   * One order by its keys (the seller's number with its seller, the warehouse's number, the
   * carrier's tracking number or the parcel's SSCC). The statement names only the keys given, so
   * each shape is its own prepared statement with an index look-up (the scan path runs generic plans).
   */
  async order(
    sql: Sql,
    where: { sellerCode?: string; orderNo?: string; fulfilmentNo?: string; trackingNo?: string; sscc?: string },
    lock = false,
  ): Promise<OrderRow | null> {
    const columns: Record<keyof typeof where, string> = {
      sellerCode: 'o.seller_code',
      orderNo: 'o.order_no',
      fulfilmentNo: 'o.fulfilment_no',
      trackingNo: 'o.tracking_no',
      sscc: 'o.sscc',
    };
    const keys = (Object.keys(columns) as Array<keyof typeof where>).filter((k) => where[k] !== undefined);
    if (!keys.length) return null;
    const [row] = await sql.execute<OrderRow[]>(
      `select ${ORDER_COLUMNS} from seller_order o join warehouse w on w.code = o.warehouse_code
        where ${keys.map((k) => `${columns[k]} = ?`).join(' and ')}
        order by o.id limit 1 ${lock ? 'for update of o' : ''}`,
      keys.map((k) => where[k]),
    );
    return row ?? null;
  }

  /** The order with its lines, allocations and history, as the seller reads it. */
  async detail(
    sql: Sql,
    sellerCode: string,
    orderNo: string,
  ): Promise<
    | (Omit<SellerOrderDetail, 'history'> & {
        timeZone: string | null;
        history: Array<{ status: string; at: string; by: string; note: string | null }>;
      })
    | null
  > {
    const [row] = await sql.execute<
      Array<Omit<SellerOrderDetail, 'history'> & { id: string; timeZone: string | null }>
    >(
      `select o.id::text as id, ${SUMMARY_COLUMNS}, o.owner_code as "ownerCode", o.ship_to as "shipTo", ${ZONE} as "timeZone",
         ${iso('o.picking_started_at')} as "pickingStartedAt", ${iso('o.packed_at')} as "packedAt",
         ${iso('o.cancelled_at')} as "cancelledAt",
         (select coalesce(jsonb_agg(jsonb_build_object('sku', l.sku, 'qty', l.qty, 'picked', l.picked) order by l.line_no), '[]')
            from seller_order_line l where l.order_id = o.id) as lines,
         (select coalesce(jsonb_agg(jsonb_build_object('sku', a.sku, 'lotNo', a.lot_no, 'expiry', a.expiry::text, 'qty', a.qty) order by a.id), '[]')
            from seller_order_allocation a where a.order_id = o.id) as allocations
         from seller_order o join warehouse w on w.code = o.warehouse_code
        where o.seller_code = ? and o.order_no = ?`,
      [sellerCode, orderNo],
    );
    if (!row) return null;
    const history = await sql.execute<Array<{ status: string; at: string; by: string; note: string | null }>>(
      `select status, ${iso('at')} as at, actor as by, note from seller_order_event where order_id = ? order by id`,
      [row.id],
    );
    const { id: _id, ...rest } = row;
    return { ...rest, history };
  }

  allocations(sql: Sql, orderId: string): Promise<Array<{ sku: string; lotNo: string; qty: number }>> {
    return sql.execute(
      'select sku, lot_no as "lotNo", qty from seller_order_allocation where order_id = ? order by id',
      [orderId],
    );
  }

  lines(sql: Sql, orderId: string): Promise<Array<{ lineNo: number; sku: string; qty: number; picked: number }>> {
    return sql.execute(
      'select line_no as "lineNo", sku, qty, picked from seller_order_line where order_id = ? order by line_no',
      [orderId],
    );
  }

  /** A status change with its history entry, in one statement; the time column of the step is set too. */
  async move(
    sql: Sql,
    order: { id: string; sellerCode: string },
    to: SellerOrderStatus,
    actor: string,
    note: string | null,
    set: { trackingNo?: string; carrier?: string | null; sscc?: string } = {},
  ): Promise<string> {
    const stamp: Partial<Record<SellerOrderStatus, string>> = {
      picking: 'picking_started_at',
      packed: 'packed_at',
      shipped: 'shipped_at',
      cancelled: 'cancelled_at',
    };
    const column = stamp[to];
    const [row] = await sql.execute<Array<{ at: string }>>(
      `with u as (
         update seller_order set status = ?${column ? `, ${column} = now()` : ''},
           tracking_no = coalesce(?::text, tracking_no), carrier = coalesce(?::text, carrier), sscc = coalesce(?::text, sscc)
         where id = ? returning id),
       e as (insert into seller_order_event (order_id, seller_code, status, actor, note) select id, ?, ?, ?, ? from u)
       select ${iso('now()')} as at from u`,
      [to, set.trackingNo ?? null, set.carrier ?? null, set.sscc ?? null, order.id, order.sellerCode, to, actor, note],
    );
    return row.at;
  }

  /** One more unit of a line picked; null when the order has no unpicked unit of this SKU. */
  async pickUnit(sql: Sql, orderId: string, sku: string, qty: number): Promise<{ left: number } | null> {
    const [row] = await sql.execute<Array<{ left: number }>>(
      `with l as (
         select line_no from seller_order_line where order_id = ? and sku = ? and picked + ? <= qty order by line_no limit 1 for update),
       u as (update seller_order_line s set picked = picked + ? from l where s.order_id = ? and s.line_no = l.line_no returning s.line_no)
       select (select coalesce(sum(qty - picked), 0) from seller_order_line where order_id = ?)::int - ? as left from u`,
      [orderId, sku, qty, qty, orderId, orderId, qty],
    );
    return row ?? null;
  }

  // ---- imports ----

  async createImport(
    sql: Sql,
    row: { sellerCode: string; fileName: string; format: 'csv' | 'xlsx'; total: number; createdBy: string },
  ): Promise<string> {
    const [{ id }] = await sql.execute<Array<{ id: string }>>(
      `insert into seller_order_import (seller_code, file_name, format, total, created_by) values (?, ?, ?, ?, ?) returning id::text`,
      [row.sellerCode, row.fileName, row.format, row.total, row.createdBy],
    );
    return id;
  }

  async importProgress(
    sql: Sql,
    id: string,
    p: {
      processed: number;
      created: number;
      existing: number;
      refused: number;
      errors: ImportRowError[];
      done?: 'done' | 'failed';
    },
  ): Promise<void> {
    await sql.execute(
      `update seller_order_import set processed = ?, orders_created = ?, orders_existing = ?, orders_refused = ?,
         errors = ?::jsonb, status = coalesce(?::text, status), finished_at = case when ?::text is null then null else now() end
       where id = ?::uuid`,
      [p.processed, p.created, p.existing, p.refused, JSON.stringify(p.errors), p.done ?? null, p.done ?? null, id],
    );
  }

  async importOf(sql: Sql, id: string) {
    const [row] = await sql.execute<
      Array<{
        importId: string;
        fileName: string;
        format: 'csv' | 'xlsx';
        status: 'running' | 'done' | 'failed';
        total: number;
        processed: number;
        ordersCreated: number;
        ordersExisting: number;
        ordersRefused: number;
        errors: ImportRowError[];
        createdAt: string;
        finishedAt: string | null;
      }>
    >(
      `select id::text as "importId", file_name as "fileName", format, status, total, processed,
         orders_created as "ordersCreated", orders_existing as "ordersExisting", orders_refused as "ordersRefused",
         errors, ${iso('created_at')} as "createdAt", ${iso('finished_at')} as "finishedAt"
         from seller_order_import where id = ?::uuid`,
      [id],
    );
    return row ?? null;
  }
}

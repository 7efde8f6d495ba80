import { Injectable } from '@nestjs/common';
import type { ShipmentStatus } from '@wms/contracts';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql } from '../../platform/database/sql.js';

export interface ShipmentRow {
  id: string;
  shipment_no: string;
  seller_code: string;
  owner_code: string;
  warehouse_code: string;
  origin_warehouse_code: string;
  carrier: string | null;
  eta: string | null;
  status: ShipmentStatus;
  cop_no: string | null;
  declared_value_cny: string | null;
  general_declaration: boolean;
  created_at: Date;
  updated_at: Date;
  time_zone: string;
  warehouse_kind: string;
}

export interface LineRow {
  id: string;
  line_no: number;
  carton_id: string;
  carton_sscc: string;
  sku: string;
  qty: number;
  batch: string;
  expiry: string | null;
  received: number;
  over: number;
  damaged: number;
  short: number | null;
}

export interface ListState {
  cop_no: string;
  invt_no: string | null;
  trade_mode: string;
  state: string;
  customs_status: number | null;
  customs_status_info: string | null;
  problems: Array<{ code: string; message: string }> | null;
}

const SHIPMENT = `select s.id::text, s.shipment_no, s.seller_code, s.owner_code, s.warehouse_code, s.origin_warehouse_code,
    s.carrier, s.eta::text as eta, s.status, s.cop_no, s.declared_value_cny::text as declared_value_cny,
    s.general_declaration, s.created_at, s.updated_at, w.time_zone, w.kind as warehouse_kind
  from seller_shipment s join warehouse w on w.code = s.warehouse_code`;

const LINES = `select l.id::text, l.line_no, l.carton_id::text, c.sscc as carton_sscc, l.sku, l.qty, l.batch,
    l.expiry::text as expiry, l.received, l.over, l.damaged, l.short
  from seller_shipment_line l join seller_shipment_carton c on c.id = l.carton_id`;

/**
 * The shipment tables (migration 0920): one owner, this repository. Every method runs in the
 * caller's transaction: a seller's (tenant pool, row-level security decides what exists) or the
 * centre's (staff, the floor, customs receipts).
 */
@Injectable()
export class ShipmentsRepository {
  async warehouse(sql: Sql, code: string) {
    const rows = await sql.execute<Array<{ code: string; kind: string; time_zone: string; used: boolean }>>(
      `select w.code, w.kind, w.time_zone,
         exists (select 1 from seller_warehouse sw where sw.warehouse_code = w.code) as used
       from warehouse w where w.code = ?`,
      [code],
    );
    return rows[0] ?? null;
  }

  /** The seller's warehouses (tenant transaction: RLS shows its own only). */
  async sellerWarehouses(sql: Sql): Promise<string[]> {
    const rows = await sql.execute<Array<{ warehouse_code: string }>>(
      'select warehouse_code from seller_warehouse order by warehouse_code',
    );
    return rows.map((r) => r.warehouse_code);
  }

  async ownerCodes(sql: Sql): Promise<string[]> {
    const rows = await sql.execute<Array<{ owner_code: string }>>(
      'select owner_code from seller_owner order by owner_code',
    );
    return rows.map((r) => r.owner_code);
  }

  /** The goods among `skus` each owner holds, with what the export declaration needs of them. */
  goods(sql: Sql, owners: string[], skus: string[]) {
    return sql.execute<
      Array<{
        owner_code: string;
        sku: string;
        name: string;
        unit: string;
        gtin: string | null;
        declared_price: string;
        gross_grams: number | null;
      }>
    >(
      `select owner_code, sku, name, unit, gtin, declared_price::text as declared_price, gross_grams from goods
       where owner_code = any(?::text[]) and sku = any(?::text[])`,
      [pgArray(owners), pgArray(skus)],
    );
  }

  async nextSsccSerial(sql: Sql, n: number): Promise<bigint[]> {
    if (!n) return [];
    const rows = await sql.execute<Array<{ serial: string }>>(
      `select nextval('sscc_serial_seq')::text as serial from generate_series(1, ?)`,
      [n],
    );
    return rows.map((r) => BigInt(r.serial));
  }

  async insert(
    sql: Sql,
    s: {
      shipmentNo: string;
      sellerCode: string;
      ownerCode: string;
      warehouseCode: string;
      originWarehouseCode: string;
      carrier: string | null;
      eta: string | null;
      declaredValueCny: string;
      generalDeclaration: boolean;
      actor: string;
      cartons: Array<{
        sscc: string;
        lines: Array<{ sku: string; qty: number; batch: string; expiry: string | null }>;
      }>;
    },
  ): Promise<string> {
    const [{ id }] = await sql.execute<Array<{ id: string }>>(
      // (the history row in a statement of its own: its row-level policy looks the shipment up,
      // which a statement does not see of its own inserts)
      `insert into seller_shipment (shipment_no, seller_code, owner_code, warehouse_code, origin_warehouse_code,
         carrier, eta, declared_value_cny, general_declaration, created_by)
       values (?, ?, ?, ?, ?, ?, ?::date, ?::numeric, ?, ?) returning id::text`,
      [
        s.shipmentNo,
        s.sellerCode,
        s.ownerCode,
        s.warehouseCode,
        s.originWarehouseCode,
        s.carrier,
        s.eta,
        s.declaredValueCny,
        s.generalDeclaration,
        s.actor,
      ],
    );
    await sql.execute(`insert into seller_shipment_status (shipment_id, status, actor) values (?, 'booked', ?)`, [
      id,
      s.actor,
    ]);
    const cartons = s.cartons.map((c, i) => ({ carton_no: i + 1, sscc: c.sscc }));
    const lines: Array<Record<string, unknown>> = [];
    let lineNo = 0;
    s.cartons.forEach((c, i) => {
      for (const l of c.lines)
        lines.push({ carton_no: i + 1, line_no: ++lineNo, sku: l.sku, qty: l.qty, batch: l.batch, expiry: l.expiry });
    });
    await sql.execute(
      `with c as (
         insert into seller_shipment_carton (shipment_id, carton_no, sscc)
         select ?::bigint, carton_no, sscc from jsonb_to_recordset(?::jsonb) as x(carton_no int, sscc text)
         returning id, carton_no)
       insert into seller_shipment_line (shipment_id, carton_id, line_no, sku, qty, batch, expiry)
       select ?::bigint, c.id, x.line_no, x.sku, x.qty, x.batch, x.expiry
       from jsonb_to_recordset(?::jsonb) as x(carton_no int, line_no int, sku text, qty int, batch text, expiry date)
       join c on c.carton_no = x.carton_no`,
      [id, JSON.stringify(cartons), id, JSON.stringify(lines)],
    );
    return id;
  }

  async shipment(sql: Sql, shipmentNo: string, forUpdate = false): Promise<ShipmentRow | null> {
    const rows = await sql.execute<ShipmentRow[]>(
      `${SHIPMENT} where s.shipment_no = ?${forUpdate ? ' for update of s' : ''}`,
      [shipmentNo],
    );
    return rows[0] ?? null;
  }

  list(sql: Sql, q: { status?: ShipmentStatus; warehouseCode?: string; sku?: string; limit: number; offset: number }) {
    return sql.execute<
      Array<
        ShipmentRow & {
          cartons: number;
          expected: number;
          received: number;
          damaged: number;
          over: number;
          short: number;
          customs_status: number | null;
        }
      >
    >(
      `select x.*, t.cartons, t.expected, t.received, t.damaged, t.over, t.short,
         (select il.customs_status from inventory_list il where il.cop_no = x.cop_no) as customs_status
       from (${SHIPMENT}
         where (?::text is null or s.status = ?) and (?::text is null or s.warehouse_code = ?)
           and (?::text is null or exists (select 1 from seller_shipment_line l where l.shipment_id = s.id and l.sku = ?))
         order by s.created_at desc, s.id desc limit ? offset ?) x
       cross join lateral (
         select (select count(*) from seller_shipment_carton c where c.shipment_id = x.id::bigint)::int as cartons,
           coalesce(sum(l.qty), 0)::int as expected, coalesce(sum(l.received), 0)::int as received,
           coalesce(sum(l.damaged), 0)::int as damaged, coalesce(sum(l.over), 0)::int as over,
           coalesce(sum(l.short), 0)::int as short
         from seller_shipment_line l where l.shipment_id = x.id::bigint) t
       order by x.created_at desc, x.id desc`,
      [
        q.status ?? null,
        q.status ?? null,
        q.warehouseCode ?? null,
        q.warehouseCode ?? null,
        q.sku ?? null,
        q.sku ?? null,
        q.limit,
        q.offset,
      ],
    );
  }

  cartons(sql: Sql, shipmentId: string) {
    return sql.execute<Array<{ id: string; carton_no: number; sscc: string; arrived_at: Date | null }>>(
      'select id::text, carton_no, sscc, arrived_at from seller_shipment_carton where shipment_id = ? order by carton_no',
      [shipmentId],
    );
  }

  lines(sql: Sql, shipmentId: string, forUpdate = false): Promise<LineRow[]> {
    return sql.execute<LineRow[]>(
      `${LINES} where l.shipment_id = ? order by l.line_no${forUpdate ? ' for update of l' : ''}`,
      [shipmentId],
    );
  }

  history(sql: Sql, shipmentId: string) {
    return sql.execute<Array<{ status: ShipmentStatus; at: Date; actor: string; note: string | null }>>(
      'select status, at, actor, note from seller_shipment_status where shipment_id = ? order by at, id',
      [shipmentId],
    );
  }

  damages(sql: Sql, shipmentId: string) {
    return sql.execute<
      Array<{ id: string; sscc: string | null; sku: string; qty: number; recorded_at: Date; has_photo: boolean }>
    >(
      `select d.id::text, c.sscc, d.sku, d.qty, d.recorded_at, d.photo is not null as has_photo
       from seller_shipment_damage d left join seller_shipment_carton c on c.id = d.carton_id
       where d.shipment_id = ? order by d.recorded_at, d.id`,
      [shipmentId],
    );
  }

  async exportList(sql: Sql, copNo: string): Promise<ListState | null> {
    const rows = await sql.execute<ListState[]>(
      `select cop_no, invt_no, trade_mode, state, customs_status, customs_status_info, problems
       from inventory_list where cop_no = ?`,
      [copNo],
    );
    return rows[0] ?? null;
  }

  /** A status step: the shipment's status and its history, in one statement. */
  async setStatus(sql: Sql, shipmentId: string, status: ShipmentStatus, actor: string, note: string | null) {
    await sql.execute(
      `with h as (insert into seller_shipment_status (shipment_id, status, actor, note) values (?, ?, ?, ?))
       update seller_shipment set status = ?, updated_at = now() where id = ?`,
      [shipmentId, status, actor, note, status, shipmentId],
    );
  }

  async setDeclared(sql: Sql, shipmentId: string, copNo: string) {
    await sql.execute('update seller_shipment set cop_no = ?, updated_at = now() where id = ?', [copNo, shipmentId]);
  }

  async shipmentsOfList(sql: Sql, copNo: string) {
    return sql.execute<Array<{ shipment_no: string; seller_code: string; warehouse_code: string }>>(
      'select shipment_no, seller_code, warehouse_code from seller_shipment where cop_no = ?',
      [copNo],
    );
  }

  /** The carton of this shipment with this SSCC, marked arrived the first time it is scanned. */
  async cartonArrived(sql: Sql, shipmentId: string, sscc: string, actor: string) {
    const rows = await sql.execute<Array<{ id: string; carton_no: number; arrived_at: Date; first: boolean }>>(
      `update seller_shipment_carton set arrived_at = coalesce(arrived_at, now()), arrived_by = coalesce(arrived_by, ?)
       where shipment_id = ? and sscc = ? returning id::text, carton_no, arrived_at, arrived_by = ? as first`,
      [actor, shipmentId, sscc, actor],
    );
    return rows[0] ?? null;
  }

  async updateLine(sql: Sql, lineId: string, l: { received: number; over: number; damaged: number }) {
    await sql.execute('update seller_shipment_line set received = ?, over = ?, damaged = ? where id = ?', [
      l.received,
      l.over,
      l.damaged,
      lineId,
    ]);
  }

  async setShort(sql: Sql, shorts: Array<{ id: string; short: number }>) {
    if (!shorts.length) return;
    await sql.execute(
      `update seller_shipment_line l set short = x.short
       from jsonb_to_recordset(?::jsonb) as x(id bigint, short int) where l.id = x.id`,
      [JSON.stringify(shorts)],
    );
  }

  async recordDamage(
    sql: Sql,
    d: {
      shipmentId: string;
      cartonId: string | null;
      lineId: string;
      sku: string;
      qty: number;
      scanId: string;
      actor: string;
    },
  ): Promise<string> {
    const [{ id }] = await sql.execute<Array<{ id: string }>>(
      `insert into seller_shipment_damage (shipment_id, carton_id, line_id, sku, qty, scan_id, recorded_by)
       values (?, ?, ?, ?, ?, ?, ?) returning id::text`,
      [d.shipmentId, d.cartonId, d.lineId, d.sku, d.qty, d.scanId, d.actor],
    );
    return id;
  }

  async attachPhoto(sql: Sql, shipmentId: string, damageId: string, photo: Buffer, type: string) {
    const rows = await sql.execute<Array<{ id: string }>>(
      `update seller_shipment_damage set photo = ?::bytea, photo_type = ?, photo_at = now()
       where id = ?::uuid and shipment_id = ? returning id::text`,
      [`\\x${photo.toString('hex')}`, type, damageId, shipmentId],
    );
    return rows.length > 0;
  }

  async photo(sql: Sql, shipmentId: string, damageId: string) {
    const rows = await sql.execute<Array<{ photo: Buffer | null; photo_type: string | null }>>(
      'select photo, photo_type from seller_shipment_damage where id = ?::uuid and shipment_id = ?',
      [damageId, shipmentId],
    );
    return rows[0] ?? null;
  }

  /**
   * The owner's units of a SKU counted at an overseas warehouse and not put away yet, by lot
   * (shipment), oldest receipt first, locked: what a put-away there makes available.
   */
  receivingLots(sql: Sql, ownerCode: string, warehouseCode: string, sku: string) {
    return sql.execute<
      Array<{ lot_no: string; qty: number; shipment_no: string | null; arrived_at: Date | null; expiry: string | null }>
    >(
      `select b.lot_no, b.qty::int as qty, s.shipment_no,
         coalesce((select min(c.arrived_at) from seller_shipment_carton c where c.shipment_id = s.id),
           (select min(h.at) from seller_shipment_status h
             where h.shipment_id = s.id and h.status in ('receiving', 'received'))) as arrived_at,
         (select min(coalesce(n.expiry::date, l.expiry))::text from seller_shipment_line l
            left join inbound_delivery d on d.delivery_no = s.shipment_no
            left join inbound_count n on n.delivery_id = d.id and n.sku = l.sku and n.expiry is not null
          where l.shipment_id = s.id and l.sku = b.sku) as expiry
       from seller_stock_balance b
       left join seller_shipment s on s.shipment_no = b.lot_no
       where b.owner_code = ? and b.warehouse_code = ? and b.sku = ? and b.bucket = 'receiving' and b.qty > 0
       order by s.id nulls last, b.lot_no
       for update of b`,
      [ownerCode, warehouseCode, sku],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql } from '../../platform/database/sql.js';
import type { BuyerYear, ReturnHistory, SharedParty } from './rules/buyer.rules.js';
import type { Reading } from './rules/cold-chain.rules.js';
import type { DeclaredLine, PriceReference, WeightCheckFact } from './rules/parcel.rules.js';
import type { GoodsLine, SeenStep } from './rules/special-goods.rules.js';
import { trackedStep } from './rules/special-goods.rules.js';

/**
 * What the risk rules read of the other contexts' facts (weight checks, lists and trade
 * documents, returns, the trace, temperature readings): read-only, each query on an index of its
 * table. The risk context writes none of these tables.
 */

const iso = (d: Date | string) => new Date(d).toISOString();
/** A price reference is recomputed after this long... */
const REFERENCE_TTL_S = 600;
/** ...or at once while it rests on fewer samples than this (a young site, where the scan is small). */
const REFERENCE_STABLE_SAMPLES = 50;

export interface NewList {
  id: number;
  warehouseCode: string;
  copNo: string;
  logisticsNo: string;
  orderNo: string;
  ebpCode: string;
  direction: string;
  buyerIdNumber: string | null;
  buyerName: string;
  consigneeAddress: string | null;
  lines: DeclaredLine[];
}

@Injectable()
export class RiskFactsRepository {
  /** The newest id of a source table (its primary key index). */
  async newest(
    sql: Sql,
    table: 'weight_check' | 'inventory_list' | 'customs_return' | 'trace_event' | 'temperature_reading',
  ) {
    const [row] = await sql.execute<Array<{ id: string | null }>>(`select max(id)::text as id from ${table}`);
    return Number(row.id ?? 0);
  }

  async weightChecks(
    sql: Sql,
    fromId: number,
    toId: number,
  ): Promise<Array<WeightCheckFact & { warehouseCode: string }>> {
    const rows = await sql.execute<
      Array<{
        id: string;
        logistics_no: string;
        station_id: string;
        gross_grams: number;
        declared_grams: number | null;
        expected_grams: number | null;
        tolerance_grams: number;
        within: boolean;
        created_at: Date;
        warehouse_code: string;
      }>
    >(
      `select c.id::text, c.logistics_no, c.station_id, c.gross_grams, c.declared_grams, c.expected_grams,
         c.tolerance_grams, c.within, c.created_at, l.warehouse_code
       from weight_check c join inventory_list l on l.id = c.list_id
       where c.id > ? and c.id <= ? and not c.within order by c.id`,
      [fromId, toId],
    );
    return rows.map((r) => ({
      checkId: r.id,
      logisticsNo: r.logistics_no,
      stationId: r.station_id,
      grossGrams: r.gross_grams,
      declaredGrams: r.declared_grams,
      expectedGrams: r.expected_grams,
      toleranceGrams: r.tolerance_grams,
      within: r.within,
      at: iso(r.created_at),
      warehouseCode: r.warehouse_code,
    }));
  }

  async lists(sql: Sql, fromId: number, toId: number): Promise<NewList[]> {
    const rows = await sql.execute<
      Array<{
        id: string;
        warehouse_code: string;
        cop_no: string;
        logistics_no: string;
        order_no: string;
        ebp_code: string;
        direction: string;
        buyer_id_number: string | null;
        head: Record<string, string>;
        lines: Array<{ gnum: number; itemNo: string; sku: string; price: string; values?: Record<string, string> }>;
      }>
    >(
      `select id::text, warehouse_code, cop_no, logistics_no, order_no, ebp_code, direction, buyer_id_number, head, lines
       from inventory_list where id > ? and id <= ? order by id`,
      [fromId, toId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      warehouseCode: r.warehouse_code,
      copNo: r.cop_no,
      logisticsNo: r.logistics_no,
      orderNo: r.order_no,
      ebpCode: r.ebp_code,
      direction: r.direction,
      buyerIdNumber: r.buyer_id_number,
      buyerName: r.head.buyerName ?? '',
      consigneeAddress: r.head.consigneeAddress ?? null,
      lines: r.lines.map((l) => ({
        gnum: l.gnum,
        itemNo: l.itemNo,
        sku: l.sku,
        gcode: l.values?.gcode ?? '',
        gname: l.values?.gname ?? l.itemNo,
        price: String(l.price),
      })),
    }));
  }

  /**
   * Median declared unit price per HS code at the site over the window (DOMAIN.md §8: the
   * reference from the site's own history). Kept in risk_price_reference and recomputed when older
   * than REFERENCE_TTL_S, or while it rests on few samples (then the scan is small anyway).
   */
  async priceReferences(
    sql: Sql,
    warehouseCode: string,
    gcodes: string[],
    windowDays: number,
  ): Promise<Map<string, PriceReference>> {
    const out = new Map<string, PriceReference>();
    if (!gcodes.length) return out;
    const cached = await sql.execute<Array<{ gcode: string; median: string; samples: number }>>(
      `select gcode, median::text, samples from risk_price_reference
       where warehouse_code = ? and window_days = ? and gcode = any(?::text[])
         and computed_at > now() - (? * interval '1 second') and samples >= ?`,
      [warehouseCode, windowDays, pgArray(gcodes), REFERENCE_TTL_S, REFERENCE_STABLE_SAMPLES],
    );
    for (const r of cached) out.set(r.gcode, r);
    const missing = gcodes.filter((g) => !out.has(g));
    if (!missing.length) return out;
    const rows = await sql.execute<Array<{ gcode: string; median: string; samples: number }>>(
      `with computed as (
         select l.value->'values'->>'gcode' as gcode,
           round(percentile_cont(0.5) within group (order by (l.value->>'price')::numeric)::numeric, 5) as median,
           count(*)::int as samples
         from inventory_list il cross join lateral jsonb_array_elements(il.lines) l
         where il.warehouse_code = ? and il.state <> 'cancelled'
           and il.created_at > now() - (? * interval '1 day')
           and l.value->'values'->>'gcode' = any(?::text[])
         group by 1)
       insert into risk_price_reference (warehouse_code, gcode, window_days, median, samples)
       select ?, gcode, ?, median, samples from computed
       on conflict (warehouse_code, gcode, window_days) do update set median = excluded.median,
         samples = excluded.samples, computed_at = now()
       returning gcode, median::text, samples`,
      [warehouseCode, windowDays, pgArray(missing), warehouseCode, windowDays],
    );
    for (const r of rows) out.set(r.gcode, r);
    return out;
  }

  /** What the buyer has been declared for in the year (lists not cancelled, not rejected), with the newest parcel. */
  async buyerYear(sql: Sql, buyerIdNumber: string, year: string): Promise<BuyerYear | null> {
    const rows = await sql.execute<
      Array<{ total: string; lists: number; logistics_no: string; order_no: string; paid: string; buyer_name: string }>
    >(
      `select sum(actural_paid) over ()::text as total, count(*) over ()::int as lists, logistics_no, order_no,
         coalesce(actural_paid, 0)::text as paid, coalesce(head->>'buyerName', '') as buyer_name
       from inventory_list
       where buyer_id_number = ? and direction = 'import' and state <> 'cancelled'
         and to_char(created_at at time zone 'Asia/Shanghai', 'YYYY') = ?
         and (customs_status is null or (customs_status >= 0 and customs_status <> 100))
       order by created_at desc, id desc limit 1`,
      [buyerIdNumber, year],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      buyerIdNumber,
      buyerName: r.buyer_name,
      year,
      total: r.total ?? '0',
      lists: r.lists,
      latest: { logisticsNo: r.logistics_no, orderNo: r.order_no, paid: r.paid },
    };
  }

  /** The import orders to one consignee address or phone over the window, with their parcels. */
  async consigneeParty(sql: Sql, kind: 'address' | 'phone', key: string, windowDays: number): Promise<SharedParty> {
    const field = kind === 'address' ? 'consigneeAddress' : 'consigneeTelephone';
    const rows = await sql.execute<
      Array<{ order_no: string; buyer_id_number: string; buyer_name: string; at: Date; logistics_no: string | null }>
    >(
      `select o.order_no, o.buyer_id_number, coalesce(o.doc->>'buyerName', '') as buyer_name, o.received_at as at,
         l.logistics_no
       from trade_order o left join inventory_list l on l.ebp_code = o.ebp_code and l.order_no = o.order_no
       where o.direction = 'import' and o.doc->>'${field}' = ? and o.received_at > now() - (? * interval '1 day')
         and o.buyer_id_number is not null
       order by o.received_at desc limit 500`,
      [key, windowDays],
    );
    return partyOf(kind, key, rows);
  }

  /** The import orders paid by one payer (by ID number) over the window. */
  async payerParty(sql: Sql, payerIdNumber: string, windowDays: number): Promise<SharedParty> {
    const rows = await sql.execute<
      Array<{ order_no: string; buyer_id_number: string; buyer_name: string; at: Date; logistics_no: string | null }>
    >(
      `select o.order_no, o.buyer_id_number, coalesce(o.doc->>'buyerName', '') as buyer_name, p.received_at as at,
         l.logistics_no
       from trade_payment p
       join trade_order o on o.order_no = p.order_no and o.ebp_code = p.doc->>'ebpCode'
       left join inventory_list l on l.ebp_code = o.ebp_code and l.order_no = o.order_no
       where p.direction = 'import' and p.doc->>'payerIdNumber' = ? and p.received_at > now() - (? * interval '1 day')
         and o.buyer_id_number is not null
       order by p.received_at desc limit 500`,
      [payerIdNumber, windowDays],
    );
    return partyOf('payer', payerIdNumber, rows);
  }

  /** The payer and the consignee phone of a list's order (from its payment and order documents). */
  async partiesOf(sql: Sql, ebpCode: string, orderNo: string) {
    const [row] = await sql.execute<Array<{ phone: string | null; payer: string | null }>>(
      `select o.doc->>'consigneeTelephone' as phone,
         (select p.doc->>'payerIdNumber' from trade_payment p where p.order_no = o.order_no
           and p.doc->>'ebpCode' = o.ebp_code order by p.id desc limit 1) as payer
       from trade_order o where o.ebp_code = ? and o.order_no = ?`,
      [ebpCode, orderNo],
    );
    return { phone: row?.phone ?? null, payer: row?.payer ?? null };
  }

  /** New returns (CEB625) with the buyer and consignee of their list. */
  async returns(sql: Sql, fromId: number, toId: number) {
    return sql.execute<Array<{ warehouse_code: string; buyer_id_number: string | null; consignee: string | null }>>(
      `select distinct l.warehouse_code, l.buyer_id_number, l.head->>'consigneeAddress' as consignee
       from customs_return r join inventory_list l on l.id = r.list_id where r.id > ? and r.id <= ?`,
      [fromId, toId],
    );
  }

  async returnHistory(sql: Sql, kind: 'buyer' | 'consignee', key: string, windowDays: number): Promise<ReturnHistory> {
    const rows = await sql.execute<
      Array<{ cop_no: string; logistics_no: string; order_no: string; at: Date; reason: string; name: string }>
    >(
      `select r.cop_no, l.logistics_no, l.order_no, r.created_at as at, r.reason, coalesce(l.head->>'buyerName', '') as name
       from customs_return r join inventory_list l on l.id = r.list_id
       where ${kind === 'buyer' ? 'l.buyer_id_number = ?' : `l.head->>'consigneeAddress' = ?`}
         and r.created_at > now() - (? * interval '1 day')
       order by r.created_at desc limit 200`,
      [key, windowDays],
    );
    return {
      kind,
      key,
      name: rows[0]?.name ?? '',
      returns: rows.map((r) => ({
        returnNo: r.cop_no,
        logisticsNo: r.logistics_no,
        orderNo: r.order_no,
        at: iso(r.at),
        reason: r.reason,
      })),
    };
  }

  /** Parcels with new trace steps in the id range. */
  async tracedParcels(sql: Sql, fromId: number, toId: number): Promise<string[]> {
    const rows = await sql.execute<Array<{ object_id: string }>>(
      `select distinct object_id from trace_event where id > ? and id <= ? and object_kind = 'parcel'`,
      [fromId, toId],
    );
    return rows.map((r) => r.object_id);
  }

  /** A parcel's goods lines (from its list) and warehouse. */
  async parcelGoods(sql: Sql, logisticsNo: string): Promise<{ warehouseCode: string; lines: GoodsLine[] } | null> {
    const [row] = await sql.execute<
      Array<{
        warehouse_code: string;
        lines: Array<{ ownerCode: string; sku: string; values?: Record<string, string> }>;
      }>
    >('select warehouse_code, lines from inventory_list where logistics_no = ? order by id desc limit 1', [
      logisticsNo,
    ]);
    if (!row) return null;
    return {
      warehouseCode: row.warehouse_code,
      lines: row.lines.map((l) => ({
        ownerCode: l.ownerCode,
        sku: l.sku,
        gcode: l.values?.gcode ?? '',
        gname: l.values?.gname ?? l.sku,
      })),
    };
  }

  /** Every tracked step of a parcel, and the put-away of its goods (stock `owner/sku/batch`). */
  async stepsOf(sql: Sql, logisticsNo: string, goods: GoodsLine[]): Promise<SeenStep[]> {
    const rows = await sql.execute<
      Array<{
        id: string;
        object_kind: string;
        biz_step: string;
        disposition: string | null;
        read_point: string | null;
        occurred_at: Date;
      }>
    >(
      `select id::text, object_kind, biz_step, disposition, read_point, occurred_at from trace_event
       where object_kind = 'parcel' and object_id = ?
       union all
       select id::text, object_kind, biz_step, disposition, read_point, occurred_at from trace_event
       where object_kind = 'stock' and biz_step = 'storing' and object_id like any(?::text[])
       order by 1`,
      [logisticsNo, pgArray(goods.map((g) => `${`${g.ownerCode}/${g.sku}/`.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))],
    );
    const seen: SeenStep[] = [];
    for (const r of rows) {
      const step = trackedStep({ objectKind: r.object_kind, bizStep: r.biz_step, disposition: r.disposition });
      if (step) seen.push({ step, at: iso(r.occurred_at), traceId: r.id, readPoint: r.read_point });
    }
    return seen;
  }

  /** Probes with new readings in the id range, with the zone each one watches and its range. */
  async sensorsWithReadings(sql: Sql, fromId: number, toId: number) {
    return sql.execute<
      Array<{
        device_id: string;
        warehouse_code: string;
        zone_code: string;
        temp_min_deci_c: number | null;
        temp_max_deci_c: number | null;
        first_at: Date;
      }>
    >(
      `select r.device_id, s.warehouse_code, s.zone_code, z.temp_min_deci_c, z.temp_max_deci_c, min(r.occurred_at) as first_at
       from temperature_reading r
       join temperature_sensor s on s.device_id = r.device_id
       join zone z on z.warehouse_code = s.warehouse_code and z.code = s.zone_code
       where r.id > ? and r.id <= ?
       group by 1, 2, 3, 4, 5`,
      [fromId, toId],
    );
  }

  /** The goods on the zone's shelves now that carry a temperature range of their own. */
  async zoneGoodsRanges(sql: Sql, warehouseCode: string, zoneCode: string) {
    return sql.execute<Array<{ sku: string; minDeciC: number | null; maxDeciC: number | null }>>(
      `select g.sku, g.temp_min_deci_c as "minDeciC", g.temp_max_deci_c as "maxDeciC"
       from goods g
       where (g.temp_min_deci_c is not null or g.temp_max_deci_c is not null)
         and (select coalesce(sum(m.qty), 0) from stock_movement m
              join location l on l.warehouse_code = m.warehouse_code and l.code = m.location
              where m.ledger = 'shelf' and m.warehouse_code = ? and l.zone_code = ?
                and m.owner_code = g.owner_code and m.sku = g.sku) > 0`,
      [warehouseCode, zoneCode],
    );
  }

  /** A probe's readings from a time on, in time order (at most a day's worth at one a minute... and more). */
  async readings(sql: Sql, deviceId: string, from: Date | string): Promise<Reading[]> {
    const rows = await sql.execute<Array<{ id: string; deci_celsius: number; occurred_at: Date }>>(
      `select id::text, deci_celsius, occurred_at from temperature_reading
       where device_id = ? and occurred_at >= ? order by occurred_at, id limit 20000`,
      [deviceId, from],
    );
    return rows.map((r) => ({ id: r.id, deciCelsius: r.deci_celsius, at: iso(r.occurred_at) }));
  }

  /** Where the probe's newest excursion that had not ended started: its readings are read from there. */
  async openExcursionStart(sql: Sql, deviceId: string): Promise<Date | null> {
    const [row] = await sql.execute<Array<{ started_at: Date }>>(
      `select started_at from temperature_excursion where device_id = ? and ended_at is null order by started_at desc limit 1`,
      [deviceId],
    );
    return row?.started_at ?? null;
  }
}

function partyOf(
  kind: SharedParty['kind'],
  key: string,
  rows: Array<{ order_no: string; buyer_id_number: string; buyer_name: string; at: Date; logistics_no: string | null }>,
): SharedParty {
  return {
    key,
    kind,
    buyers: rows.map((r) => ({ buyerIdNumber: r.buyer_id_number, buyerName: r.buyer_name })),
    orders: rows.map((r) => ({
      orderNo: r.order_no,
      logisticsNo: r.logistics_no,
      buyerIdNumber: r.buyer_id_number,
      at: iso(r.at),
    })),
  };
}

import { Injectable } from '@nestjs/common';
import type { SellerAlert } from '@wms/contracts';
import { pgArray } from '../../../platform/database/pg-array.js';
import type { Sql } from '../../../platform/database/sql.js';

/** The buckets whose units age in the warehouse (inbound and receiving have not arrived yet). */
const AGEING_BUCKETS = `('available', 'reserved', 'unfulfillable', 'on_hold')`;
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const AGE_DAYS = `greatest(0, floor(extract(epoch from (now() - l.arrived_at)) / 86400))::int`;

const ALERT_COLUMNS = `id, kind, warehouse_code as "warehouseCode", owner_code as "ownerCode", sku, lot_no as "lotNo",
  age_days as "ageDays", qty, ${iso('arrived_at')} as "arrivedAt", message, ${iso('created_at')} as "createdAt",
  ${iso('acked_at')} as "ackedAt", acked_by as "ackedBy"`;

export interface AgeingGroup {
  warehouseCode: string;
  ownerCode: string;
  sku: string;
  name: string;
  /** width_bucket(age, bands): 0 … bands.length; null when the lot has no recorded arrival. */
  band: number | null;
  qty: number;
  oldestArrivedAt: string | null;
  oldestAgeDays: number | null;
}

export interface WarehouseAgeingRow {
  warehouseCode: string;
  bands: number[];
  alertDays: number;
}

/**
 * Ageing reads over the seller's stock balance and its lots, the warehouses' ageing settings and
 * the seller's alerts (seller_alert, owned here). Seller reads run in its tenant transaction.
 */
@Injectable()
export class AgeingRepository {
  /** Units per SKU, warehouse and age band (one row per band that holds units). */
  groups(sql: Sql, q: { warehouseCode?: string; sku?: string; limit: number; offset: number }): Promise<AgeingGroup[]> {
    return sql.execute<AgeingGroup[]>(
      `with keys as (
         select distinct b.warehouse_code, b.owner_code, b.sku from seller_stock_balance b
          where b.owner_code in (select owner_code from seller_owner) and b.qty > 0 and b.bucket in ${AGEING_BUCKETS}
            and (?::text is null or b.warehouse_code = ?) and (?::text is null or b.sku = ?)
          order by 1, 2, 3 limit ? offset ?),
       lots as (
         select b.warehouse_code, b.owner_code, b.sku, b.lot_no, sum(b.qty)::int as qty, l.arrived_at,
                case when l.arrived_at is null then null else ${AGE_DAYS} end as age
           from keys k
           join seller_stock_balance b
             on b.warehouse_code = k.warehouse_code and b.owner_code = k.owner_code and b.sku = k.sku
           left join stock_lot l
             on l.owner_code = b.owner_code and l.warehouse_code = b.warehouse_code and l.sku = b.sku
            and l.lot_no = b.lot_no
          where b.qty > 0 and b.bucket in ${AGEING_BUCKETS}
          group by b.warehouse_code, b.owner_code, b.sku, b.lot_no, l.arrived_at)
       select x.warehouse_code as "warehouseCode", x.owner_code as "ownerCode", x.sku, g.name,
              case when x.age is null then null else width_bucket(x.age, w.ageing_bands) end as band,
              sum(x.qty)::int as qty, ${iso('min(x.arrived_at)')} as "oldestArrivedAt", max(x.age) as "oldestAgeDays"
         from lots x
         join warehouse w on w.code = x.warehouse_code
         join goods g on g.owner_code = x.owner_code and g.sku = x.sku
        group by 1, 2, 3, 4, 5
        order by 1, 2, 3, 5`,
      [q.warehouseCode ?? null, q.warehouseCode ?? null, q.sku ?? null, q.sku ?? null, q.limit, q.offset],
    );
  }

  /** The seller's warehouses (and those holding its stock) with their ageing settings. */
  myWarehouses(sql: Sql, also: string[]): Promise<WarehouseAgeingRow[]> {
    return sql.execute<WarehouseAgeingRow[]>(
      `select w.code as "warehouseCode", w.ageing_bands as bands, w.ageing_alert_days as "alertDays"
         from warehouse w
        where w.code in (select warehouse_code from seller_warehouse) or w.code = any(?::text[])
        order by w.code`,
      [pgArray(also)],
    );
  }

  warehouse(sql: Sql, code: string): Promise<WarehouseAgeingRow[]> {
    return sql.execute<WarehouseAgeingRow[]>(
      `select code as "warehouseCode", ageing_bands as bands, ageing_alert_days as "alertDays"
         from warehouse where code = ?`,
      [code],
    );
  }

  setWarehouse(sql: Sql, code: string, bands: number[], alertDays: number): Promise<WarehouseAgeingRow[]> {
    return sql.execute<WarehouseAgeingRow[]>(
      `update warehouse set ageing_bands = ?::int[], ageing_alert_days = ? where code = ?
       returning code as "warehouseCode", ageing_bands as bands, ageing_alert_days as "alertDays"`,
      [pgArray(bands), alertDays, code],
    );
  }

  /**
   * One sweep of the centre: takes the sweep's lock for this transaction, or answers null at once
   * when another instance is sweeping (it raises what there is to raise).
   */
  async claimSweep(sql: Sql): Promise<boolean> {
    const [row] = await sql.execute<Array<{ claimed: boolean }>>(
      `select pg_try_advisory_xact_lock(hashtext('wms.seller-ageing-sweep')) as claimed`,
    );
    return row.claimed;
  }

  /**
   * Raises one alert per lot whose units are older than its warehouse's alert age, for the
   * seller owning them; a lot alerted before is never alerted again (unique per lot and kind).
   */
  raiseAgeingAlerts(sql: Sql): Promise<Array<{ id: string; sellerCode: string; warehouseCode: string; sku: string }>> {
    return sql.execute(
      `insert into seller_alert (seller_code, kind, owner_code, warehouse_code, sku, lot_no, age_days, qty, arrived_at,
         message)
       select so.seller_code, 'ageing', l.owner_code, l.warehouse_code, l.sku, l.lot_no, ${AGE_DAYS}, sum(b.qty)::int,
              l.arrived_at,
              format('%s unit(s) of %s, lot %s, at %s are %s days old (the warehouse alerts at %s days)',
                     sum(b.qty), l.sku, coalesce(nullif(l.lot_no, ''), '—'), l.warehouse_code, ${AGE_DAYS},
                     w.ageing_alert_days)
         from stock_lot l
         join warehouse w on w.code = l.warehouse_code
         join seller_owner so on so.owner_code = l.owner_code
         join seller_stock_balance b
           on b.owner_code = l.owner_code and b.warehouse_code = l.warehouse_code and b.sku = l.sku
          and b.lot_no = l.lot_no and b.bucket in ${AGEING_BUCKETS} and b.qty > 0
        where l.arrived_at <= now() - make_interval(days => w.ageing_alert_days)
          and not exists (select 1 from seller_alert a where a.kind = 'ageing' and a.owner_code = l.owner_code
                            and a.warehouse_code = l.warehouse_code and a.sku = l.sku and a.lot_no = l.lot_no)
        group by so.seller_code, l.owner_code, l.warehouse_code, l.sku, l.lot_no, l.arrived_at, w.ageing_alert_days
       on conflict (kind, owner_code, warehouse_code, sku, lot_no) do nothing
       returning id, seller_code as "sellerCode", warehouse_code as "warehouseCode", sku`,
    );
  }

  alerts(sql: Sql, open: boolean | null, limit: number): Promise<SellerAlert[]> {
    return sql.execute<SellerAlert[]>(
      `select ${ALERT_COLUMNS} from seller_alert where (?::boolean is null or (acked_at is null) = ?)
        order by created_at desc, id limit ?`,
      [open, open, limit],
    );
  }

  async ack(sql: Sql, id: string, by: string): Promise<SellerAlert | null> {
    const [row] = await sql.execute<SellerAlert[]>(
      `update seller_alert set acked_at = coalesce(acked_at, now()), acked_by = coalesce(acked_by, ?)
        where id = ? returning ${ALERT_COLUMNS}`,
      [by, id],
    );
    return row ?? null;
  }
}

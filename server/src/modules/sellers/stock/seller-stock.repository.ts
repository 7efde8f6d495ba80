import { Injectable } from '@nestjs/common';
import type { BucketRow, LedgerEntry, StockBucket, StockEvent } from '@wms/contracts';
import type { Sql } from '../../../platform/database/sql.js';
import { AppError } from '../../../platform/http/app-error.js';
import { type Balance, balanceKey, checkMoves, type StockMove } from './stock-buckets.rules.js';

export type { StockMove } from './stock-buckets.rules.js';

/** An available lot of a SKU, in the order it should go out (FEFO, then FIFO). */
export interface AllocatableLot {
  lotNo: string;
  qty: number;
  expiry: string | null;
  arrivedAt: string | null;
}

export interface BucketFilter {
  warehouseCode?: string;
  sku?: string;
  /** Only SKUs holding some of this bucket. */
  bucket?: StockBucket | 'bonded';
}

const BUCKET_SUMS = `
  coalesce(sum(b.qty) filter (where b.bucket = 'inbound'), 0)::int as inbound,
  coalesce(sum(b.qty) filter (where b.bucket = 'receiving'), 0)::int as receiving,
  coalesce(sum(b.qty) filter (where b.bucket = 'available'), 0)::int as available,
  coalesce(sum(b.qty) filter (where b.bucket = 'reserved'), 0)::int as reserved,
  coalesce(sum(b.qty) filter (where b.bucket = 'unfulfillable'), 0)::int as unfulfillable,
  coalesce(sum(b.qty) filter (where b.bucket = 'on_hold'), 0)::int as "onHold"`;

/**
 * The seller's stock ledger and its buckets (issue 12). `post` is the only way stock moves between
 * buckets: it appends to seller_stock_movement in the caller's transaction, and the table's
 * statement trigger keeps seller_stock_balance equal to the ledger's sums. Reads run in a tenant
 * transaction (row-level security) or the centre's.
 */
@Injectable()
export class SellerStockRepository {
  /**
   * Appends the moves, in the caller's transaction. A move that would take a bucket below zero is
   * refused before anything is written (the balances are locked first), so the answer names the
   * SKU and the bucket; the table's check is the backstop for a race the lock did not cover.
   */
  async post(sql: Sql, moves: StockMove[], actor: string): Promise<void> {
    if (!moves.length) return;
    checkMoves(moves);
    const takes = moves.filter((m) => m.from !== null);
    if (takes.length) {
      const keys = [...new Set(takes.map((m) => balanceKey(m, m.from as StockBucket)))].sort();
      const rows = await sql.execute<Balance[]>(
        `select b.owner_code as "ownerCode", b.warehouse_code as "warehouseCode", b.sku, b.bucket,
                b.lot_no as "lotNo", b.qty::int as qty
           from seller_stock_balance b
           join jsonb_to_recordset(?::jsonb) as k(owner_code text, warehouse_code text, sku text, bucket text, lot_no text)
             using (owner_code, warehouse_code, sku, bucket, lot_no)
          order by b.owner_code, b.warehouse_code, b.sku, b.bucket, b.lot_no
          for update of b`,
        [
          JSON.stringify(
            keys.map((k) => {
              const [owner_code, warehouse_code, sku, bucket, lot_no] = JSON.parse(k) as string[];
              return { owner_code, warehouse_code, sku, bucket, lot_no };
            }),
          ),
        ],
      );
      checkMoves(moves, rows);
    }
    try {
      await sql.execute(
        `insert into seller_stock_movement (owner_code, warehouse_code, sku, lot_no, from_bucket, to_bucket, qty,
           event, doc_type, doc_no, reason, actor)
         select owner_code, warehouse_code, sku, lot_no, from_bucket, to_bucket, qty, event, doc_type, doc_no, reason, ?
           from jsonb_to_recordset(?::jsonb) as x(owner_code text, warehouse_code text, sku text, lot_no text,
             from_bucket text, to_bucket text, qty bigint, event text, doc_type text, doc_no text, reason text)`,
        [
          actor,
          JSON.stringify(
            moves.map((m) => ({
              owner_code: m.ownerCode,
              warehouse_code: m.warehouseCode,
              sku: m.sku,
              lot_no: m.lotNo ?? '',
              from_bucket: m.from,
              to_bucket: m.to,
              qty: m.qty,
              event: m.event,
              doc_type: m.docType,
              doc_no: m.docNo,
              reason: m.reason ?? null,
            })),
          ),
        ],
      );
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      if (e.code === '23514' && e.constraint === 'seller_stock_balance_not_negative')
        throw new AppError(
          'CONFLICT',
          'Not enough stock in that bucket any more (moved meanwhile): look again and retry.',
        );
      if (e.code === '23503')
        throw new AppError('VALIDATION_FAILED', 'That SKU, owner or warehouse does not exist: check the codes.');
      throw error;
    }
  }

  /** Records an arrival (a lot) once: when it arrived and its expiry. A second call changes nothing. */
  async ensureLot(
    sql: Sql,
    lot: {
      ownerCode: string;
      warehouseCode: string;
      sku: string;
      lotNo: string;
      expiry?: string | null;
      arrivedAt?: Date;
    },
  ): Promise<void> {
    await sql.execute(
      `insert into stock_lot (owner_code, warehouse_code, sku, lot_no, expiry, arrived_at)
       values (?, ?, ?, ?, ?::date, coalesce(?::timestamptz, now()))
       on conflict do nothing`,
      [
        lot.ownerCode,
        lot.warehouseCode,
        lot.sku,
        lot.lotNo,
        lot.expiry ?? null,
        lot.arrivedAt ? lot.arrivedAt.toISOString() : null,
      ],
    );
  }

  /**
   * The SKU's available lots in the order they should leave (FEFO where a lot has an expiry, then
   * FIFO by arrival), locked for the caller's transaction so two orders cannot take the same units.
   */
  allocatable(sql: Sql, ownerCode: string, warehouseCode: string, sku: string): Promise<AllocatableLot[]> {
    return sql.execute<AllocatableLot[]>(
      `select b.lot_no as "lotNo", b.qty::int as qty, l.expiry::text as expiry, l.arrived_at::text as "arrivedAt"
         from seller_stock_balance b
         left join stock_lot l using (owner_code, warehouse_code, sku, lot_no)
        where b.owner_code = ? and b.warehouse_code = ? and b.sku = ? and b.bucket = 'available' and b.qty > 0
        order by l.expiry nulls last, l.arrived_at nulls last, b.lot_no
        for update of b`,
      [ownerCode, warehouseCode, sku],
    );
  }

  /**
   * The buckets of every SKU with any stock, per warehouse, a page at a time (keyset on warehouse,
   * owner, SKU). Only the filters asked for are in the statement: the pools plan statements once
   * (generic plans), and a plan written for "this filter or none" cannot use the index for either.
   */
  async bucketsPage(
    sql: Sql,
    filter: BucketFilter,
    limit: number,
    after: { warehouseCode: string; ownerCode: string; sku: string } | null,
  ): Promise<BucketRow[]> {
    const bucket = filter.bucket && filter.bucket !== 'bonded' ? filter.bucket : null;
    const common: string[] = [];
    const commonParams: unknown[] = [];
    if (filter.warehouseCode) {
      common.push('b.warehouse_code = ?');
      commonParams.push(filter.warehouseCode);
    }
    if (filter.sku) {
      common.push('b.sku = ?');
      commonParams.push(filter.sku);
    }
    if (bucket) {
      common.push('b.bucket = ?');
      commonParams.push(bucket);
    }
    // The page as ranges of the page index, each with a plain start key. (One row comparison
    // `(warehouse, owner, sku) > (…)` beside `warehouse = …` makes PostgreSQL start at the
    // warehouse's first entry and skip to the cursor: 15 ms deep in 50k SKUs.) Across warehouses:
    // the rest of the cursor's owner in its warehouse, the next owners there, the next warehouses.
    let ranges: Array<{ where: string[]; params: unknown[] }>;
    if (filter.warehouseCode) {
      // One warehouse (the stock page): a range per owner of the seller, each an equality prefix of
      // the page index, so PostgreSQL reads just the page. Left to join the owners itself, it read
      // every balance of the warehouse and sorted them (150 ms at 50k SKUs).
      const owners = (
        await sql.execute<Array<{ owner_code: string }>>('select owner_code from seller_owner order by 1')
      )
        .map((o) => o.owner_code)
        .filter((o) => !after || o >= after.ownerCode);
      if (!owners.length) return [];
      ranges = owners.map((owner) =>
        after && owner === after.ownerCode
          ? { where: ['b.owner_code = ?', 'b.sku > ?'], params: [owner, after.sku] }
          : { where: ['b.owner_code = ?'], params: [owner] },
      );
    } else
      ranges = after
        ? [
            {
              where: ['b.warehouse_code = ?', 'b.owner_code = ?', 'b.sku > ?'],
              params: [after.warehouseCode, after.ownerCode, after.sku],
            },
            { where: ['b.warehouse_code = ?', 'b.owner_code > ?'], params: [after.warehouseCode, after.ownerCode] },
            { where: ['b.warehouse_code > ?'], params: [after.warehouseCode] },
          ]
        : [{ where: [], params: [] }];
    const part = (where: string[]) => `(select distinct b.warehouse_code, b.owner_code, b.sku
           from seller_stock_balance b
          where b.owner_code in (select owner_code from seller_owner) and b.qty > 0
            ${[...common, ...where].map((w) => `and ${w}`).join(' ')}
          order by 1, 2, 3 limit ?)`;
    const params = ranges.flatMap((r) => [...commonParams, ...r.params, limit]);
    // then their buckets off the covering index, and their names
    return sql.execute<BucketRow[]>(
      `with keys as (
         select * from (${ranges.map((r) => part(r.where)).join(' union all ')}) ranges order by 1, 2, 3 limit ?)
       select k.warehouse_code as "warehouseCode", k.owner_code as "ownerCode", k.sku, g.name, ${BUCKET_SUMS},
              0 as bonded, max(b.updated_at)::text as "updatedAt"
         from keys k
         join goods g on g.owner_code = k.owner_code and g.sku = k.sku
         join seller_stock_balance b on b.warehouse_code = k.warehouse_code and b.owner_code = k.owner_code
          and b.sku = k.sku and b.qty > 0
        group by k.warehouse_code, k.owner_code, k.sku, g.name
        order by 1, 2, 3`,
      [...params, limit],
    );
  }

  /**
   * The seller's goods in the bonded centre, by warehouse, owner and SKU: the customs book's
   * balance (stock_movement, ledger 'book'), which no seller event moves.
   */
  bonded(
    sql: Sql,
    filter: BucketFilter,
  ): Promise<Array<{ warehouseCode: string; ownerCode: string; sku: string; name: string; qty: number }>> {
    return sql.execute(
      `select m.warehouse_code as "warehouseCode", m.owner_code as "ownerCode", m.sku, g.name, sum(m.qty)::int as qty
         from stock_movement m join goods g on g.owner_code = m.owner_code and g.sku = m.sku
        where m.ledger = 'book' and m.owner_code in (select owner_code from seller_owner)
          and m.customs_state in ('bonded', 'verification-applied', 'gate-release-applied')
          and (?::text is null or m.warehouse_code = ?) and (?::text is null or m.sku = ?)
        group by 1, 2, 3, 4 having sum(m.qty) <> 0
        order by 1, 2, 3 limit 1000`,
      [filter.warehouseCode ?? null, filter.warehouseCode ?? null, filter.sku ?? null, filter.sku ?? null],
    );
  }

  /**
   * Each of the seller's warehouses with every bucket's total: the totals the ledger's trigger keeps
   * (seller_stock_total, a few rows per warehouse), and the bonded centre's book for `bonded`.
   */
  summary(sql: Sql) {
    return sql.execute<
      Array<{
        warehouseCode: string;
        name: string;
        kind: string;
        country: string | null;
        timeZone: string;
        inbound: number;
        receiving: number;
        available: number;
        reserved: number;
        unfulfillable: number;
        onHold: number;
        bonded: number;
      }>
    >(
      `with mine as (select owner_code from seller_owner),
       totals as (
         select warehouse_code, bucket, sum(qty) as qty from seller_stock_total
          where owner_code in (select owner_code from mine) group by 1, 2),
       book as (
         select warehouse_code, sum(qty)::int as bonded from stock_movement
          where ledger = 'book' and owner_code in (select owner_code from mine)
            and customs_state in ('bonded', 'verification-applied', 'gate-release-applied')
          group by 1),
       places as (
         select warehouse_code from seller_warehouse
         union select warehouse_code from totals union select warehouse_code from book)
       select w.code as "warehouseCode", w.name, w.kind, w.country, w.time_zone as "timeZone",
              coalesce(sum(t.qty) filter (where t.bucket = 'inbound'), 0)::int as inbound,
              coalesce(sum(t.qty) filter (where t.bucket = 'receiving'), 0)::int as receiving,
              coalesce(sum(t.qty) filter (where t.bucket = 'available'), 0)::int as available,
              coalesce(sum(t.qty) filter (where t.bucket = 'reserved'), 0)::int as reserved,
              coalesce(sum(t.qty) filter (where t.bucket = 'unfulfillable'), 0)::int as unfulfillable,
              coalesce(sum(t.qty) filter (where t.bucket = 'on_hold'), 0)::int as "onHold",
              coalesce(max(book.bonded), 0)::int as bonded
         from places p join warehouse w on w.code = p.warehouse_code
         left join totals t on t.warehouse_code = w.code
         left join book on book.warehouse_code = w.code
        group by w.code, w.name, w.kind, w.country, w.time_zone
        order by w.code`,
    );
  }

  /** The seller's ledger, newest first: every change with its event, document and reason. */
  ledger(
    sql: Sql,
    filter: { sku?: string; warehouseCode?: string; ownerCode?: string; docNo?: string },
    limit: number,
    before: string | null,
  ): Promise<Array<Omit<LedgerEntry, 'siteTime'> & { timeZone: string }>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, value: unknown) => {
      where.push(condition);
      params.push(value);
    };
    // only the filters asked for (see bucketsPage): each combination is its own prepared statement
    if (filter.ownerCode) add('m.owner_code = ?', filter.ownerCode);
    if (filter.sku) add('m.sku = ?', filter.sku);
    if (filter.warehouseCode) add('m.warehouse_code = ?', filter.warehouseCode);
    if (filter.docNo) add('m.doc_no = ?', filter.docNo);
    if (before) add('m.id < ?::bigint', before);
    return sql.execute(
      `select m.id::text, m.created_at as at, w.time_zone as "timeZone", m.warehouse_code as "warehouseCode",
              m.owner_code as "ownerCode", m.sku, m.lot_no as "lotNo", m.from_bucket as "fromBucket",
              m.to_bucket as "toBucket", m.qty::int as qty, m.event as event, m.doc_type as "docType",
              m.doc_no as "docNo", m.reason, m.actor
         from seller_stock_movement m join warehouse w on w.code = m.warehouse_code
        where m.owner_code in (select owner_code from seller_owner) ${where.map((w) => `and ${w}`).join(' ')}
        order by m.id desc limit ?`,
      [...params, limit],
    );
  }

  /** The ledger summed again, against the balance: rows where they differ (none, ever). For tests and checks. */
  disagreements(sql: Sql) {
    return sql.execute<Array<{ key: string; ledger: number; balance: number }>>(
      `with l as (
         select owner_code, warehouse_code, sku, bucket, lot_no, sum(delta) as qty from (
           select owner_code, warehouse_code, sku, to_bucket as bucket, lot_no, qty as delta
             from seller_stock_movement where to_bucket is not null
           union all
           select owner_code, warehouse_code, sku, from_bucket, lot_no, -qty
             from seller_stock_movement where from_bucket is not null) d
          group by 1, 2, 3, 4, 5)
       select concat_ws('/', coalesce(l.owner_code, b.owner_code), coalesce(l.warehouse_code, b.warehouse_code),
                coalesce(l.sku, b.sku), coalesce(l.bucket, b.bucket), coalesce(l.lot_no, b.lot_no)) as key,
              coalesce(l.qty, 0)::int as ledger, coalesce(b.qty, 0)::int as balance
         from l full join seller_stock_balance b using (owner_code, warehouse_code, sku, bucket, lot_no)
        where coalesce(l.qty, 0) <> coalesce(b.qty, 0)
       union all
       select concat_ws('/', coalesce(s.owner_code, t.owner_code), coalesce(s.warehouse_code, t.warehouse_code),
                coalesce(s.bucket, t.bucket), 'total'),
              coalesce(s.qty, 0)::int, coalesce(t.qty, 0)::int
         from (select owner_code, warehouse_code, bucket, sum(qty) as qty from seller_stock_balance group by 1, 2, 3) s
         full join (select owner_code, warehouse_code, bucket, sum(qty) as qty from seller_stock_total group by 1, 2, 3) t
           using (owner_code, warehouse_code, bucket)
        where coalesce(s.qty, 0) <> coalesce(t.qty, 0)`,
    );
  }
}

export type { StockBucket, StockEvent };

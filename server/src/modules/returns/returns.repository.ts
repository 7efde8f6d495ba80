import { Injectable } from '@nestjs/common';
import type { ReturnGrade, RmaDetail, RmaSummary } from '@wms/contracts';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql } from '../../platform/database/sql.js';
import type { ReturnLineState } from './returns.rules.js';

/** An RMA as the desk locks it. */
export interface ReturnRow {
  id: string;
  sellerCode: string;
  ownerCode: string;
  rmaNo: string;
  warehouseCode: string;
  reason: string;
  status: 'expected' | 'receiving' | 'received';
  unannounced: boolean;
  exchange: { shipTo: Record<string, unknown>; lines: Array<{ sku: string; qty: number }> } | null;
  exchangeDueAt: string | null;
}

const RETURN_COLUMNS = `r.id, r.seller_code as "sellerCode", r.owner_code as "ownerCode", r.rma_no as "rmaNo",
  r.warehouse_code as "warehouseCode", r.reason, r.status, r.unannounced, r.exchange,
  r.exchange_due_at::text as "exchangeDueAt"`;

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SUMMARY_COLUMNS = `r.rma_no as "rmaNo", r.warehouse_code as "warehouseCode", r.owner_code as "ownerCode",
  r.order_no as "orderNo", r.reason, r.status, r.unannounced,
  coalesce((select sum(l.expected_qty) from seller_return_line l where l.return_id = r.id), 0)::int as expected,
  coalesce((select sum(l.sellable + l.unsellable + l.destroyed) from seller_return_line l where l.return_id = r.id), 0)::int
    as received,
  r.exchange is not null as exchange, r.replacement_order_no as "replacementOrderNo",
  ${iso('r.created_at')} as "createdAt", ${iso('r.received_at')} as "receivedAt"`;

/**
 * The RMA tables (seller_return and its lines, grades and history): the seller's reads and
 * writes run in its tenant transaction (row-level security), the desk's on the centre's.
 */
@Injectable()
export class ReturnsRepository {
  // ------------------------------------------------------------------ the seller's side

  async create(
    sql: Sql,
    rma: {
      sellerCode: string;
      ownerCode: string;
      rmaNo: string;
      warehouseCode: string;
      orderNo: string | null;
      reason: string;
      unannounced: boolean;
      exchange: unknown;
      createdBy: string;
      lines: Array<{ sku: string; qty: number }>;
    },
  ): Promise<string> {
    const [row] = await sql.execute<Array<{ id: string }>>(
      `insert into seller_return (seller_code, owner_code, rma_no, warehouse_code, order_no, reason, unannounced,
         exchange, created_by)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) returning id`,
      [
        rma.sellerCode,
        rma.ownerCode,
        rma.rmaNo,
        rma.warehouseCode,
        rma.orderNo,
        rma.reason,
        rma.unannounced,
        rma.exchange === null ? null : JSON.stringify(rma.exchange),
        rma.createdBy,
      ],
    );
    if (rma.lines.length)
      await sql.execute(
        `insert into seller_return_line (return_id, owner_code, sku, expected_qty)
         select ?::uuid, ?, unnest(?::text[]), unnest(?::int[])`,
        [row.id, rma.ownerCode, pgArray(rma.lines.map((l) => l.sku)), pgArray(rma.lines.map((l) => String(l.qty)))],
      );
    await this.history(sql, row.id, rma.unannounced ? 'opened without RMA' : 'created', rma.createdBy, {
      lines: rma.lines,
    });
    return row.id;
  }

  history(sql: Sql, returnId: string, event: string, actor: string, detail: Record<string, unknown>): Promise<unknown> {
    return sql.execute(
      'insert into seller_return_history (return_id, event, actor, detail) values (?, ?, ?, ?::jsonb)',
      [returnId, event, actor, JSON.stringify(detail)],
    );
  }

  list(
    sql: Sql,
    q: { status?: string; warehouseCode?: string; sku?: string; limit: number; offset: number },
  ): Promise<RmaSummary[]> {
    return sql.execute<RmaSummary[]>(
      `select ${SUMMARY_COLUMNS} from seller_return r
        where (?::text is null or r.status = ?) and (?::text is null or r.warehouse_code = ?)
          and (?::text is null or exists (select 1 from seller_return_line l where l.return_id = r.id and l.sku = ?))
        order by r.created_at desc, r.rma_no limit ? offset ?`,
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

  async detail(sql: Sql, rmaNo: string): Promise<RmaDetail | null> {
    const [rma] = await sql.execute<
      Array<RmaSummary & { id: string; exchangeOf: RmaDetail['exchangeOf']; exchangeDueAt: string | null }>
    >(
      `select r.id, ${SUMMARY_COLUMNS}, r.exchange as "exchangeOf", ${iso('r.exchange_due_at')} as "exchangeDueAt"
         from seller_return r where r.rma_no = ?`,
      [rmaNo],
    );
    if (!rma) return null;
    const lines = await sql.execute<RmaDetail['lines']>(
      `select l.sku, coalesce(g.name, '') as name, l.expected_qty as expected,
              (l.sellable + l.unsellable + l.destroyed) as received, l.sellable, l.unsellable, l.destroyed
         from seller_return_line l left join goods g on g.owner_code = l.owner_code and g.sku = l.sku
        where l.return_id = ? order by l.sku`,
      [rma.id],
    );
    const grades = await sql.execute<RmaDetail['grades']>(
      `select ${iso('created_at')} as at, sku, grade, qty, reason, actor from seller_return_grade
        where return_id = ? order by created_at, scan_id`,
      [rma.id],
    );
    const history = await sql.execute<RmaDetail['history']>(
      `select ${iso('created_at')} as at, event, actor, detail from seller_return_history
        where return_id = ? order by id`,
      [rma.id],
    );
    const photos = await sql.execute<Array<Omit<RmaDetail['photos'][number], 'url'>>>(
      `select id, sku, photo_type as "contentType", octet_length(photo) as bytes, ${iso('created_at')} as at
         from seller_return_photo where return_id = ? order by created_at, id`,
      [rma.id],
    );
    const { id: _id, ...summary } = rma;
    return {
      ...summary,
      lines,
      grades,
      history,
      photos: photos.map((p) => ({
        ...p,
        url: `/api/seller/returns/${encodeURIComponent(rmaNo)}/photos/${p.id}`,
      })),
    };
  }

  /** One photo of the tenant's RMA (null: no such RMA or photo for it). */
  async photo(sql: Sql, rmaNo: string, id: string): Promise<{ photo: Buffer; contentType: string } | null> {
    const [row] = await sql.execute<Array<{ photo: Buffer; contentType: string }>>(
      `select p.photo, p.photo_type as "contentType" from seller_return_photo p
         join seller_return r on r.id = p.return_id
        where r.rma_no = ? and p.id = ?`,
      [rmaNo, id],
    );
    return row ?? null;
  }

  async addPhoto(
    sql: Sql,
    photo: { returnId: string; sku: string | null; bytes: Buffer; contentType: string; takenBy: string },
  ): Promise<string> {
    const [row] = await sql.execute<Array<{ id: string }>>(
      `insert into seller_return_photo (return_id, sku, photo, photo_type, taken_by) values (?, ?, ?, ?, ?)
       returning id`,
      [photo.returnId, photo.sku, photo.bytes, photo.contentType, photo.takenBy],
    );
    await this.history(sql, photo.returnId, 'photo taken', photo.takenBy, { photoId: row.id, sku: photo.sku });
    return row.id;
  }

  /** The tenant's warehouse of this code (row-level security: only its own), with its kind. */
  myWarehouse(sql: Sql, code: string): Promise<Array<{ code: string; kind: string }>> {
    return sql.execute(
      `select w.code, w.kind from seller_warehouse sw join warehouse w on w.code = sw.warehouse_code
        where sw.warehouse_code = ?`,
      [code],
    );
  }

  /** Which of the tenant's owners hold each of these SKUs. */
  ownersOfSkus(sql: Sql, skus: string[]): Promise<Array<{ ownerCode: string; sku: string }>> {
    return sql.execute(
      `select g.owner_code as "ownerCode", g.sku from goods g
        where g.owner_code in (select owner_code from seller_owner) and g.sku = any(?::text[])
        order by 1, 2`,
      [pgArray(skus)],
    );
  }

  myOwners(sql: Sql): Promise<Array<{ ownerCode: string }>> {
    return sql.execute('select owner_code as "ownerCode" from seller_owner order by 1');
  }

  // ------------------------------------------------------------------ the desk's side

  /** RMAs of this number at the warehouse (two sellers may use one number), newest first. */
  byNumber(sql: Sql, warehouseCode: string, rmaNo: string): Promise<ReturnRow[]> {
    return sql.execute<ReturnRow[]>(
      `select ${RETURN_COLUMNS} from seller_return r where r.warehouse_code = ? and r.rma_no = ?
        order by r.created_at desc limit 10`,
      [warehouseCode, rmaNo],
    );
  }

  /** The RMA locked for this scan (two desks grading one RMA queue up), with its lines. */
  async lock(sql: Sql, id: string): Promise<{ rma: ReturnRow; lines: ReturnLineState[] } | null> {
    const [rma] = await sql.execute<ReturnRow[]>(
      `select ${RETURN_COLUMNS} from seller_return r where r.id = ? for update`,
      [id],
    );
    if (!rma) return null;
    return { rma, lines: await this.lines(sql, id) };
  }

  lines(sql: Sql, id: string): Promise<ReturnLineState[]> {
    return sql.execute<ReturnLineState[]>(
      `select sku, expected_qty as expected, sellable, unsellable, destroyed from seller_return_line
        where return_id = ? order by sku`,
      [id],
    );
  }

  /**
   * The sellers using this warehouse whose goods carry the scanned code: a return with no RMA
   * belongs to the owner of its goods.
   */
  sellersOf(
    sql: Sql,
    warehouseCode: string,
    goods: Array<{ owner_code: string; sku: string }>,
  ): Promise<Array<{ sellerCode: string; ownerCode: string; sku: string }>> {
    if (!goods.length) return Promise.resolve([]);
    return sql.execute(
      `select distinct so.seller_code as "sellerCode", g.owner_code as "ownerCode", g.sku
         from goods g
         join seller_owner so on so.owner_code = g.owner_code
         join seller_warehouse sw on sw.seller_code = so.seller_code and sw.warehouse_code = ?
        where (g.owner_code, g.sku) in (select unnest(?::text[]), unnest(?::text[]))
        order by 1, 2, 3`,
      [warehouseCode, pgArray(goods.map((g) => g.owner_code)), pgArray(goods.map((g) => g.sku))],
    );
  }

  /** Keeps the grading scan once: false when this scan id was graded before. */
  async recordGrade(
    sql: Sql,
    grade: {
      scanId: string;
      returnId: string;
      sku: string;
      grade: ReturnGrade;
      qty: number;
      reason: string;
      actor: string;
      stationId: string;
    },
  ): Promise<boolean> {
    const rows = await sql.execute<unknown[]>(
      `insert into seller_return_grade (scan_id, return_id, sku, grade, qty, reason, actor, station_id)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (scan_id) do nothing returning scan_id`,
      [grade.scanId, grade.returnId, grade.sku, grade.grade, grade.qty, grade.reason, grade.actor, grade.stationId],
    );
    return rows.length === 1;
  }

  /** Adds graded units to the SKU's line (a return without RMA gets the line at its first unit). */
  countGrade(sql: Sql, returnId: string, ownerCode: string, sku: string, grade: ReturnGrade, qty: number) {
    const column = grade === 'sellable' ? 'sellable' : grade === 'unsellable' ? 'unsellable' : 'destroyed';
    return sql.execute(
      `insert into seller_return_line as l (return_id, owner_code, sku, expected_qty, ${column})
       values (?, ?, ?, 0, ?)
       on conflict (return_id, sku) do update set ${column} = l.${column} + excluded.${column}`,
      [returnId, ownerCode, sku, qty],
    );
  }

  setStatus(sql: Sql, id: string, status: 'receiving' | 'received'): Promise<unknown> {
    return sql.execute(
      `update seller_return set status = ?, updated_at = now(),
         received_at = case when ? = 'received' then coalesce(received_at, now()) else received_at end
       where id = ?`,
      [status, status, id],
    );
  }

  /** Marks the exchange due once: true the first time. */
  async markExchangeDue(sql: Sql, id: string): Promise<boolean> {
    const rows = await sql.execute<unknown[]>(
      `update seller_return set exchange_due_at = now() where id = ? and exchange is not null
         and exchange_due_at is null returning id`,
      [id],
    );
    return rows.length === 1;
  }

  /** The replacement order of an exchange exists: the RMA shows it. */
  async setReplacementOrder(sql: Sql, sellerCode: string, rmaNo: string, orderNo: string): Promise<boolean> {
    const rows = await sql.execute<Array<{ id: string }>>(
      `update seller_return set replacement_order_no = ?, updated_at = now()
        where seller_code = ? and rma_no = ? and exchange is not null and replacement_order_no is distinct from ?
        returning id`,
      [orderNo, sellerCode, rmaNo, orderNo],
    );
    if (rows.length) await this.history(sql, rows[0].id, 'replacement order created', 'system', { orderNo });
    return rows.length === 1;
  }

  /** The desk's list: RMAs at a warehouse, open ones first. */
  deskList(sql: Sql, warehouseCode: string, status: string | undefined, limit: number) {
    return sql.execute<Array<RmaSummary & { sellerCode: string }>>(
      `select r.seller_code as "sellerCode", ${SUMMARY_COLUMNS} from seller_return r
        where r.warehouse_code = ? and (?::text is null or r.status = ?)
        order by (r.status = 'received'), r.created_at desc limit ?`,
      [warehouseCode, status ?? null, status ?? null, limit],
    );
  }

  warehouseKind(sql: Sql, code: string): Promise<Array<{ kind: string }>> {
    return sql.execute('select kind from warehouse where code = ?', [code]);
  }
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { type TraceEvent, traceInsert } from '../trace/trace.repository.js';
import type { ageingItem, bookLineMovement, inventoryItem, parcelMovement } from './ledger.answers.js';
import type { BookLineRef, Movement, PlacedLine, ShelfBalance } from './ledger-rules.js';
import { type UnbookedUnits, unbookedReason } from './reconciliation.rules.js';

/** A transaction: the ORM's, or a plain one from SqlRunner on the hot paths. */
export type Em = Sql;

/**
 * A declared list that still promises its bonded units (SQL over inventory_list `l`): an import
 * list until customs releases it (800/899: the release moves the book) or rejects it (100, or a
 * processing error); a 9810 export list until its goods leave the centre (the departure's
 * 'gate-release' on the book names the shipment as logistics number) or customs rejects it.
 */
const PROMISING_LIST = `(l.customs_status is null or l.customs_status >= 0 and l.customs_status <> 100)
  and (l.direction = 'import' and (l.customs_status is null or l.customs_status not in (800, 899))
    or l.direction = 'export' and l.trade_mode = '9810' and not exists (
      select 1 from stock_movement d where d.ledger = 'book' and d.doc_type = 'gate-release'
        and d.warehouse_code = l.warehouse_code and d.logistics_no = l.logistics_no))`;

export interface BookCoverRow {
  sku: string;
  bookLine: BookLineRef | null;
  bonded: number;
  verificationApplied: number;
  promised: number;
  onStorage: number;
  inParcels: number;
}

/** Storage of the append-only stock ledger and the derived balances (DOMAIN.md §6). */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(ORM) readonly orm: MikroORM) {}

  async append(em: Em, movements: Movement[], actor: string | null, note: string | null = null): Promise<void> {
    if (!movements.length) return;
    const insert = movementsInsert(movements, actor, note);
    await em.execute(insert.sql, insert.params);
  }

  /**
   * Movements and their trace events in one statement: a put-away or a pick is one round trip to
   * write, not two.
   */
  async appendTraced(em: Em, movements: Movement[], actor: string | null, events: TraceEvent[]): Promise<void> {
    const m = movementsInsert(movements, actor, null);
    const t = traceInsert(events);
    await em.execute(`with m as (${m.sql}), t as (${t.sql}) select 1`, [...m.params, ...t.params]);
  }

  /**
   * The same, only if a place still holds at least `qty` of the item (the caller holds the item's
   * lock, so the check and the write see the same stock). Returns what the place held; nothing
   * is written when it was too little.
   */
  async appendTracedIfHeld(
    em: Em,
    held: { warehouseCode: string; location: string; ownerCode: string; sku: string; batch: string; qty: number },
    movements: Movement[],
    actor: string | null,
    events: TraceEvent[],
  ): Promise<number> {
    const m = movementsInsert(movements, actor, null);
    const t = traceInsert(events);
    const [row] = await em.execute<Array<{ held: string }>>(
      `with h as (select coalesce(sum(qty), 0) as qty from stock_movement where ledger = 'shelf' and warehouse_code = ?
                  and location = ? and owner_code = ? and sku = ? and batch = ?),
       m as (${m.sql} where (select qty from h) >= ?),
       t as (${t.sql} where (select qty from h) >= ?)
       select qty as held from h`,
      [
        held.warehouseCode,
        held.location,
        held.ownerCode,
        held.sku,
        held.batch,
        ...m.params,
        held.qty,
        ...t.params,
        held.qty,
      ],
    );
    return Number(row.held);
  }

  /**
   * Serialises stock decisions that span a whole warehouse (building a pick wave, entries) across
   * server instances: they wait for, and hold off, every per-item decision below.
   */
  async lockStock(em: Em, warehouseCode: string): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(hashtext('stock:' || ?))`, [warehouseCode]);
  }

  /**
   * Serialises decisions on some items only (a put-away, a pick, packing one parcel): they run in
   * parallel with each other unless they touch the same item, so a scan does not wait for the rest
   * of the warehouse. Items are locked in a fixed order, so two of these never deadlock.
   */
  async lockItems(em: Em, warehouseCode: string, items: Array<{ ownerCode: string; sku: string }>): Promise<void> {
    const keys = [...new Set(items.map((i) => `${warehouseCode}|${i.ownerCode}|${i.sku}`))].sort();
    // one round trip: the shared warehouse lock, then the item locks in order
    await em.execute(
      `select pg_advisory_xact_lock_shared(hashtext('stock:' || ?)), (select count(pg_advisory_xact_lock(hashtext('item:' || k)))
         from unnest(?::text[]) with ordinality as t(k, n))`,
      [warehouseCode, pgArray(keys)],
    );
  }

  /**
   * Pickable stock of some items (a parcel, a wave) in one query: storage locations (not docks,
   * not parcels) of bonded and non-bonded zones, each balance with its zone kind and FIFO key, by
   * `owner|sku`.
   */
  async shelfBalancesOf(
    em: Em,
    warehouseCode: string,
    items: Array<{ ownerCode: string; sku: string }>,
  ): Promise<Map<string, Array<ShelfBalance & { zone: string }>>> {
    const rows = await em.execute<
      Array<{
        owner_code: string;
        sku: string;
        zone: string;
        location: string;
        batch: string;
        qty: string;
        since: Date;
      }>
    >(
      `select m.owner_code, m.sku, z.kind as zone, m.location, m.batch, sum(m.qty) as qty, min(m.created_at) as since
       from stock_movement m
       join location l on l.warehouse_code = m.warehouse_code and l.code = m.location and l.purpose = 'storage'
       join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code and z.kind in ('bonded', 'non-bonded')
       where m.ledger = 'shelf' and m.warehouse_code = ?
         and (m.owner_code, m.sku) in (select unnest(?::text[]), unnest(?::text[]))
       group by m.owner_code, m.sku, z.kind, m.location, m.batch having sum(m.qty) > 0`,
      [warehouseCode, pgArray(items.map((i) => i.ownerCode)), pgArray(items.map((i) => i.sku))],
    );
    const byItem = new Map<string, Array<ShelfBalance & { zone: string }>>();
    for (const r of rows) {
      const key = `${r.owner_code}|${r.sku}`;
      const list = byItem.get(key) ?? [];
      list.push({
        zone: r.zone,
        location: r.location,
        batch: r.batch,
        qty: Number(r.qty),
        since: new Date(r.since).toISOString(),
      });
      byItem.set(key, list);
    }
    return byItem;
  }

  /** What a packed parcel holds (its picks), by book line, item and batch. */
  async parcelContents(em: Em, warehouseCode: string, logisticsNo: string): Promise<PlacedLine[]> {
    const query = parcelContentsQuery(warehouseCode, logisticsNo);
    return placedLinesOf(await em.execute<ParcelContentRow[]>(query.sql, query.params), logisticsNo);
  }

  async docRecorded(em: Em, docType: string, docNo: string): Promise<boolean> {
    const rows = await em.execute('select 1 from stock_movement where doc_type = ? and doc_no = ? limit 1', [
      docType,
      docNo,
    ]);
    return rows.length > 0;
  }

  /**
   * Units of each book line that are bonded and not promised to a declared list: an import list
   * until its release moves them on the book, a 9810 export list until its goods leave.
   */
  async bondedAvailable(em: Em, emsNo: string): Promise<Map<number, number>> {
    const rows = await em.execute<Array<{ putrec_seqno: number; available: string }>>(
      `with bonded as (
         select putrec_seqno, sum(qty) as qty from stock_movement
         where ledger = 'book' and ems_no = ? and customs_state = 'bonded' group by putrec_seqno
       ),
       promised as (
         select (line->>'putrecSeqno')::integer as putrec_seqno, sum((line->>'units')::bigint) as qty
         from inventory_list l, jsonb_array_elements(l.lines) as line
         where l.ems_no = ? and l.state = 'declared' and line->>'putrecSeqno' is not null
           and (${PROMISING_LIST})
         group by 1
       )
       select b.putrec_seqno, b.qty - coalesce(p.qty, 0) as available
       from bonded b left join promised p using (putrec_seqno)`,
      [emsNo, emsNo],
    );
    return new Map(rows.map((r) => [r.putrec_seqno, Number(r.available)]));
  }

  /**
   * What an owner holds of some SKUs on the account book of a bonded centre, per SKU and book line
   * (DOMAIN.md §6): bonded units, units declared lists promise, units released but not yet gone
   * (verification-applied), units on storage shelves and units already packed into parcels. The
   * caller decides what is free with `exportCover` (ledger-rules.ts).
   */
  async bookCover(em: Em, warehouseCode: string, ownerCode: string, skus: string[]): Promise<BookCoverRow[]> {
    const rows = await em.execute<
      Array<{
        sku: string;
        ems_no: string | null;
        putrec_seqno: number | null;
        bonded: string;
        applied: string;
        promised: string;
        on_storage: string;
        in_parcels: string;
      }>
    >(
      `with w as (select code, ems_no from warehouse where code = ?),
       wanted as (select unnest(?::text[]) as sku),
       line as (
         select k.sku, b.ems_no, b.putrec_seqno from wanted k
         left join book_line b on b.ems_no = (select ems_no from w) and b.item_no = k.sku),
       book as (
         select m.putrec_seqno,
           coalesce(sum(m.qty) filter (where m.customs_state = 'bonded'), 0) as bonded,
           coalesce(sum(m.qty) filter (where m.customs_state = 'verification-applied'), 0) as applied
         from stock_movement m
         where m.ledger = 'book' and m.warehouse_code = ? and m.owner_code = ? and m.ems_no = (select ems_no from w)
         group by 1),
       promised as (
         select (x->>'putrecSeqno')::integer as putrec_seqno, sum((x->>'units')::bigint) as qty
         from inventory_list l, jsonb_array_elements(l.lines) as x
         where l.ems_no = (select ems_no from w) and l.state = 'declared' and x->>'putrecSeqno' is not null
           and x->>'ownerCode' = ? and (${PROMISING_LIST})
         group by 1),
       shelf as (
         select m.putrec_seqno,
           coalesce(sum(m.qty) filter (where loc.purpose = 'storage' and z.kind in ('bonded', 'non-bonded')), 0) as on_storage,
           coalesce(sum(m.qty) filter (where m.location like 'PARCEL:%'), 0) as in_parcels
         from stock_movement m
         left join location loc on loc.warehouse_code = m.warehouse_code and loc.code = m.location
         left join zone z on z.warehouse_code = loc.warehouse_code and z.code = loc.zone_code
         where m.ledger = 'shelf' and m.warehouse_code = ? and m.owner_code = ? and m.ems_no = (select ems_no from w)
         group by 1)
       select line.sku, line.ems_no, line.putrec_seqno, coalesce(b.bonded, 0) as bonded, coalesce(b.applied, 0) as applied,
         coalesce(p.qty, 0) as promised, coalesce(s.on_storage, 0) as on_storage, coalesce(s.in_parcels, 0) as in_parcels
       from line
       left join book b on b.putrec_seqno = line.putrec_seqno
       left join promised p on p.putrec_seqno = line.putrec_seqno
       left join shelf s on s.putrec_seqno = line.putrec_seqno
       order by line.sku`,
      [warehouseCode, pgArray(skus), warehouseCode, ownerCode, ownerCode, warehouseCode, ownerCode],
    );
    return rows.map((r) => ({
      sku: r.sku,
      bookLine: r.ems_no && r.putrec_seqno ? { emsNo: r.ems_no, putrecSeqno: r.putrec_seqno } : null,
      bonded: Number(r.bonded),
      verificationApplied: Number(r.applied),
      promised: Number(r.promised),
      onStorage: Number(r.on_storage),
      inParcels: Number(r.in_parcels),
    }));
  }

  /**
   * An owner's units of one SKU on the storage shelves of a warehouse (not docks, parcels,
   * inspection or quarantine), by location and batch, with the FIFO key; for bonded goods only
   * those of the book line, for non-bonded goods only those on no book line.
   */
  async storageBalances(
    em: Em,
    warehouseCode: string,
    item: { ownerCode: string; sku: string; bookLine: BookLineRef | null },
  ): Promise<ShelfBalance[]> {
    const rows = await em.execute<Array<{ location: string; batch: string; qty: string; since: Date }>>(
      `select m.location, m.batch, sum(m.qty) as qty, min(m.created_at) as since
       from stock_movement m
       join location l on l.warehouse_code = m.warehouse_code and l.code = m.location and l.purpose = 'storage'
       join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code and z.kind in ('bonded', 'non-bonded')
       where m.ledger = 'shelf' and m.warehouse_code = ? and m.owner_code = ? and m.sku = ?
         and (case when ?::text is null then m.ems_no is null else m.ems_no = ? and m.putrec_seqno = ? end)
       group by m.location, m.batch having sum(m.qty) > 0`,
      [
        warehouseCode,
        item.ownerCode,
        item.sku,
        item.bookLine?.emsNo ?? null,
        item.bookLine?.emsNo ?? null,
        item.bookLine?.putrecSeqno ?? null,
      ],
    );
    return rows.map((r) => ({
      location: r.location,
      batch: r.batch,
      qty: Number(r.qty),
      since: new Date(r.since).toISOString(),
    }));
  }

  async bookLineMovements(emsNo: string, putrecSeqno: number, limit: number) {
    return this.orm.em.execute<Array<Answer<typeof bookLineMovement>>>(
      `select id, ledger, warehouse_code as "warehouseCode", owner_code as "ownerCode", sku, batch, location,
         customs_state as "customsState", qty, doc_type as "docType", doc_no as "docNo", logistics_no as "logisticsNo",
         actor, note, created_at as "at"
       from stock_movement where ems_no = ? and putrec_seqno = ? order by id desc limit ?`,
      [emsNo, putrecSeqno, limit],
    );
  }

  async parcelMovements(logisticsNo: string) {
    return this.orm.em.execute<Array<Answer<typeof parcelMovement>>>(
      `select id, ledger, ems_no as "emsNo", putrec_seqno as "putrecSeqno", owner_code as "ownerCode", sku, batch,
         location, customs_state as "customsState", qty, doc_type as "docType", doc_no as "docNo", actor,
         created_at as "at"
       from stock_movement where logistics_no = ? order by id`,
      [logisticsNo],
    );
  }
}

/** The insert of some movements, as one statement with its parameters. */
export function movementsInsert(movements: Movement[], actor: string | null, note: string | null) {
  return {
    sql: `insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no, logistics_no, actor, note)
       select ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location, customs_state, qty,
         doc_type, doc_no, logistics_no, ?, ?
       from jsonb_to_recordset(?::jsonb) as x(ledger text, warehouse_code text, ems_no text, putrec_seqno integer,
         owner_code text, sku text, batch text, location text, customs_state text, qty bigint, doc_type text,
         doc_no text, logistics_no text)`,
    params: [
      actor,
      note,
      JSON.stringify(
        movements.map((m) => ({
          ledger: m.ledger,
          warehouse_code: m.warehouseCode,
          ems_no: m.bookLine?.emsNo ?? null,
          putrec_seqno: m.bookLine?.putrecSeqno ?? null,
          owner_code: m.ownerCode,
          sku: m.sku,
          batch: m.batch,
          location: m.location,
          customs_state: m.customsState,
          qty: m.qty,
          doc_type: m.docType,
          doc_no: m.docNo,
          logistics_no: m.logisticsNo,
        })),
      ),
    ],
  };
}

/** A row of parcelContentsQuery (qty as PostgreSQL sends a sum: text, or a number through jsonb). */
export interface ParcelContentRow {
  ems_no: string | null;
  putrec_seqno: number | null;
  owner_code: string;
  sku: string;
  batch: string;
  qty: string | number;
}

/**
 * The statement behind parcelContents, for a room that reads it together with something else in
 * one round trip (the gate takes its pass number with it); placedLinesOf reads its rows.
 */
export function parcelContentsQuery(warehouseCode: string, logisticsNo: string) {
  return {
    sql: `select ems_no, putrec_seqno, owner_code, sku, batch, sum(qty) as qty from stock_movement
       where ledger = 'shelf' and warehouse_code = ? and location = ?
       group by ems_no, putrec_seqno, owner_code, sku, batch having sum(qty) > 0`,
    params: [warehouseCode, `PARCEL:${logisticsNo}`],
  };
}

/**
 * parcelContentsQuery for the list `l` of an enclosing statement (the gate pass reads it with the
 * list); its one parameter is the parcel's location (`PARCEL:<logisticsNo>`). A parameter, not
 * `'PARCEL:' || l.logistics_no`: under row-level security only a leakproof condition reaches the
 * index, and text concatenation is not one (computed in the statement, the look-up read the
 * warehouse's every shelf movement: 50-400 ms at 1M parcels).
 */
export const PARCEL_CONTENTS_OF_LIST = `select ems_no, putrec_seqno, owner_code, sku, batch, sum(qty) as qty from stock_movement
       where ledger = 'shelf' and warehouse_code = l.warehouse_code and location = ?
       group by ems_no, putrec_seqno, owner_code, sku, batch having sum(qty) > 0`;

export function placedLinesOf(rows: ParcelContentRow[], logisticsNo: string): PlacedLine[] {
  return rows.map((r) => ({
    bookLine: r.ems_no && r.putrec_seqno ? { emsNo: r.ems_no, putrecSeqno: r.putrec_seqno } : null,
    ownerCode: r.owner_code,
    sku: r.sku,
    batch: r.batch,
    location: `PARCEL:${logisticsNo}`,
    qty: Number(r.qty),
  }));
}

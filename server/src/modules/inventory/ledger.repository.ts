import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { type TraceEvent, traceInsert } from '../trace/trace.repository.js';
import type { ageingItem, bookLineMovement, inventoryItem, parcelMovement } from './ledger.answers.js';
import type { Movement, PlacedLine, ShelfBalance } from './ledger-rules.js';
import { type UnbookedUnits, unbookedReason } from './reconciliation.rules.js';

/** A transaction: the ORM's, or a plain one from SqlRunner on the hot paths. */
export type Em = Sql;

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
    const rows = await em.execute<
      Array<{
        ems_no: string | null;
        putrec_seqno: number | null;
        owner_code: string;
        sku: string;
        batch: string;
        qty: string;
      }>
    >(
      `select ems_no, putrec_seqno, owner_code, sku, batch, sum(qty) as qty from stock_movement
       where ledger = 'shelf' and warehouse_code = ? and location = ?
       group by ems_no, putrec_seqno, owner_code, sku, batch having sum(qty) > 0`,
      [warehouseCode, `PARCEL:${logisticsNo}`],
    );
    return rows.map((r) => ({
      bookLine: r.ems_no && r.putrec_seqno ? { emsNo: r.ems_no, putrecSeqno: r.putrec_seqno } : null,
      ownerCode: r.owner_code,
      sku: r.sku,
      batch: r.batch,
      location: `PARCEL:${logisticsNo}`,
      qty: Number(r.qty),
    }));
  }

  async docRecorded(em: Em, docType: string, docNo: string): Promise<boolean> {
    const rows = await em.execute('select 1 from stock_movement where doc_type = ? and doc_no = ? limit 1', [
      docType,
      docNo,
    ]);
    return rows.length > 0;
  }

  /** Units of each book line that are bonded and not promised to a declared, unreleased list. */
  async bondedAvailable(em: Em, emsNo: string): Promise<Map<number, number>> {
    const rows = await em.execute<Array<{ putrec_seqno: number; available: string }>>(
      `with bonded as (
         select putrec_seqno, sum(qty) as qty from stock_movement
         where ledger = 'book' and ems_no = ? and customs_state = 'bonded' group by putrec_seqno
       ),
       promised as (
         select (line->>'putrecSeqno')::integer as putrec_seqno, sum((line->>'units')::bigint) as qty
         from inventory_list l, jsonb_array_elements(l.lines) as line
         where l.ems_no = ? and l.direction = 'import' and l.state = 'declared'
           and (l.customs_status is null or l.customs_status not in (800, 899, 100) and l.customs_status >= 0)
           and line->>'putrecSeqno' is not null
         group by 1
       )
       select b.putrec_seqno, b.qty - coalesce(p.qty, 0) as available
       from bonded b left join promised p using (putrec_seqno)`,
      [emsNo, emsNo],
    );
    return new Map(rows.map((r) => [r.putrec_seqno, Number(r.available)]));
  }

  /**
   * Book equals shelf, per book line (DOMAIN.md §6): units on the book not written off against
   * units physically here, split by where they are. Differences are reported, never adjusted.
   */
  async reconciliation(warehouseCode: string, onlyDifferences: boolean) {
    const rows = await this.orm.em.execute<
      Array<{
        ems_no: string;
        putrec_seqno: number;
        item_no: string;
        gcode: string;
        gname: string;
        bonded: string;
        verification_applied: string;
        gate_release_applied: string;
        book: string;
        shelf: string;
        on_shelf: string;
        in_process: string;
        inspection: string;
        held: string;
      }>
    >(
      `with book as (
         select ems_no, putrec_seqno,
           sum(qty) filter (where customs_state = 'bonded') as bonded,
           sum(qty) filter (where customs_state = 'verification-applied') as verification_applied,
           sum(qty) filter (where customs_state = 'gate-release-applied') as gate_release_applied,
           sum(qty) filter (where customs_state <> 'written-off') as book
         from stock_movement where ledger = 'book' and warehouse_code = ? group by ems_no, putrec_seqno
       ),
       shelf_by_location as (
         select ems_no, putrec_seqno, location, sum(qty) as qty
         from stock_movement where ledger = 'shelf' and warehouse_code = ? and ems_no is not null
         group by ems_no, putrec_seqno, location
       ),
       shelf as (
         select s.ems_no, s.putrec_seqno, sum(s.qty) as shelf,
           sum(s.qty) filter (where s.location not like 'PARCEL:%' and coalesce(z.kind, '') not in ('inspection','quarantine')) as on_shelf,
           sum(s.qty) filter (where s.location like 'PARCEL:%' and l.hold_reason is null and coalesce(l.customs_status, 0) <> 500) as in_process,
           sum(s.qty) filter (where z.kind in ('inspection','quarantine') or (s.location like 'PARCEL:%' and l.hold_reason is null and l.customs_status = 500)) as inspection,
           sum(s.qty) filter (where s.location like 'PARCEL:%' and l.hold_reason is not null) as held
         from shelf_by_location s
         left join location loc on loc.warehouse_code = ? and loc.code = s.location
         left join zone z on z.warehouse_code = loc.warehouse_code and z.code = loc.zone_code
         left join inventory_list l on s.location like 'PARCEL:%' and l.warehouse_code = ?
           and l.logistics_no = substr(s.location, 8)
         group by s.ems_no, s.putrec_seqno
       )
       select bl.ems_no, bl.putrec_seqno, bl.item_no, bl.gcode, bl.gname,
         coalesce(b.bonded, 0) as bonded, coalesce(b.verification_applied, 0) as verification_applied,
         coalesce(b.gate_release_applied, 0) as gate_release_applied, coalesce(b.book, 0) as book,
         coalesce(s.shelf, 0) as shelf, coalesce(s.on_shelf, 0) as on_shelf, coalesce(s.in_process, 0) as in_process,
         coalesce(s.inspection, 0) as inspection, coalesce(s.held, 0) as held
       from book_line bl
       join warehouse w on w.ems_no = bl.ems_no and w.code = ?
       left join book b on b.ems_no = bl.ems_no and b.putrec_seqno = bl.putrec_seqno
       left join shelf s on s.ems_no = bl.ems_no and s.putrec_seqno = bl.putrec_seqno
       ${onlyDifferences ? 'where coalesce(b.book, 0) <> coalesce(s.shelf, 0)' : ''}
       order by bl.putrec_seqno`,
      [warehouseCode, warehouseCode, warehouseCode, warehouseCode, warehouseCode],
    );
    return rows.map((r) => ({
      emsNo: r.ems_no,
      putrecSeqno: r.putrec_seqno,
      itemNo: r.item_no,
      gcode: r.gcode,
      gname: r.gname,
      book: {
        bonded: Number(r.bonded),
        verificationApplied: Number(r.verification_applied),
        gateReleaseApplied: Number(r.gate_release_applied),
        inWarehouse: Number(r.book),
      },
      shelf: {
        total: Number(r.shelf),
        onShelf: Number(r.on_shelf),
        inProcess: Number(r.in_process),
        inspection: Number(r.inspection),
        held: Number(r.held),
      },
      difference: Number(r.shelf) - Number(r.book),
    }));
  }

  async reconciliationTotals(warehouseCode: string) {
    const rows = await this.orm.em.execute<Array<{ lines: string; book: string; shelf: string; differing: string }>>(
      `with per_line as (
         select ems_no, putrec_seqno,
           sum(qty) filter (where ledger = 'book' and customs_state <> 'written-off') as book,
           sum(qty) filter (where ledger = 'shelf') as shelf
         from stock_movement where warehouse_code = ? and ems_no is not null group by ems_no, putrec_seqno
       )
       select count(*) as lines, coalesce(sum(book), 0) as book, coalesce(sum(shelf), 0) as shelf,
         count(*) filter (where coalesce(book, 0) <> coalesce(shelf, 0)) as differing
       from per_line`,
      [warehouseCode],
    );
    const r = rows[0];
    return {
      bookLines: Number(r.lines),
      bookUnits: Number(r.book),
      shelfUnits: Number(r.shelf),
      linesWithDifference: Number(r.differing),
    };
  }

  /**
   * Units physically in a centre with an account book but on no book line (reconciliation.rules.ts):
   * off-book shelf balances (what a delivery's close put in quarantine), each traced to the
   * delivery that brought it, and the counts of deliveries held for their entry document.
   */
  async unbooked(warehouseCode: string): Promise<UnbookedUnits[]> {
    const rows = await this.orm.em.execute<
      Array<{
        location: string;
        owner_code: string;
        sku: string;
        batch: string;
        units: string;
        delivery_no: string | null;
        expected: number | null;
        on_book: boolean | null;
        held: boolean;
      }>
    >(
      `with w as (select code, ems_no from warehouse where code = ? and ems_no is not null),
       off_book as (
         select m.location, m.owner_code, m.sku, m.batch, sum(m.qty) as units
         from stock_movement m join w on w.code = m.warehouse_code
         where m.ledger = 'shelf' and m.ems_no is null
         group by m.location, m.owner_code, m.sku, m.batch having sum(m.qty) <> 0)
       select o.location, o.owner_code, o.sku, o.batch, o.units, d.delivery_no, d.expected,
         exists (select 1 from book_line b join w on b.ems_no = w.ems_no where b.item_no = o.sku) as on_book, false as held
       from off_book o
       left join lateral (
         select x.doc_no as delivery_no,
           (select coalesce(sum((l->>'qty')::int), 0)::int from inbound_delivery dd, jsonb_array_elements(dd.lines) l
            where dd.delivery_no = x.doc_no and l->>'sku' = o.sku) as expected
         from stock_movement x
         where x.ledger = 'shelf' and x.warehouse_code = ? and x.doc_type = 'inbound' and x.owner_code = o.owner_code
           and x.sku = o.sku and x.batch = o.batch and x.qty > 0
         order by x.id desc limit 1) d on true
       union all
       select d.dock_location, d.owner_code, c.sku, c.batch, sum(c.qty), d.delivery_no, null::int, null::boolean, true
       from inbound_delivery d join w on w.code = d.warehouse_code join inbound_count c on c.delivery_id = d.id
       where d.status = 'held'
       group by d.dock_location, d.owner_code, c.sku, c.batch, d.delivery_no
       order by 1, 3, 4`,
      [warehouseCode, warehouseCode],
    );
    return rows.map((r) => ({
      reason: r.held
        ? 'awaiting-entry-document'
        : r.delivery_no === null
          ? 'off-the-book'
          : unbookedReason({ expected: r.expected ?? 0, onBook: Boolean(r.on_book) }),
      deliveryNo: r.delivery_no,
      ownerCode: r.owner_code,
      sku: r.sku,
      batch: r.batch,
      location: r.location,
      units: Number(r.units),
    }));
  }

  /** Bonded inventory for customs, grouped as asked. */
  async inventory(
    warehouseCode: string,
    groupBy: 'book-line' | 'hs-code' | 'owner' | 'location' | 'state',
  ): Promise<Array<Answer<typeof inventoryItem>>> {
    const em = this.orm.em;
    switch (groupBy) {
      case 'book-line':
        return (await this.reconciliation(warehouseCode, false)).filter((r) => r.book.inWarehouse || r.shelf.total);
      case 'hs-code':
        return em.execute<Array<Answer<typeof inventoryItem>>>(
          `select bl.gcode, sum(m.qty)::bigint as "inWarehouse", count(distinct m.putrec_seqno)::int as "bookLines"
           from stock_movement m join book_line bl on bl.ems_no = m.ems_no and bl.putrec_seqno = m.putrec_seqno
           where m.ledger = 'book' and m.warehouse_code = ? and m.customs_state <> 'written-off'
           group by bl.gcode having sum(m.qty) <> 0 order by bl.gcode`,
          [warehouseCode],
        );
      case 'owner':
        return em.execute<Array<Answer<typeof inventoryItem>>>(
          `select owner_code as "ownerCode", sum(qty)::bigint as "inWarehouse"
           from stock_movement where ledger = 'book' and warehouse_code = ? and customs_state <> 'written-off'
           group by owner_code having sum(qty) <> 0 order by owner_code`,
          [warehouseCode],
        );
      case 'state':
        return em.execute<Array<Answer<typeof inventoryItem>>>(
          `select customs_state as "customsState", sum(qty)::bigint as units
           from stock_movement where ledger = 'book' and warehouse_code = ?
           group by customs_state order by customs_state`,
          [warehouseCode],
        );
      case 'location':
        return em.execute<Array<Answer<typeof inventoryItem>>>(
          `select m.location, z.kind as "zoneKind", m.ems_no as "emsNo", m.putrec_seqno as "putrecSeqno",
             m.owner_code as "ownerCode", m.sku, m.batch, sum(m.qty)::bigint as units
           from stock_movement m
           left join location l on l.warehouse_code = m.warehouse_code and l.code = m.location
           left join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
           where m.ledger = 'shelf' and m.warehouse_code = ?
           group by m.location, z.kind, m.ems_no, m.putrec_seqno, m.owner_code, m.sku, m.batch
           having sum(m.qty) <> 0 order by m.location, m.sku, m.batch`,
          [warehouseCode],
        );
    }
  }

  /** Storage age of every batch still on hand, against the site's limit (DOMAIN.md §6). */
  async ageing(warehouseCode: string, now: Date) {
    const rows = await this.orm.em.execute<
      Array<{
        owner_code: string;
        sku: string;
        batch: string;
        ems_no: string | null;
        putrec_seqno: number | null;
        units: string;
        first_entry: Date;
        limit_days: number;
        warning_days: number;
      }>
    >(
      `select m.owner_code, m.sku, m.batch, m.ems_no, m.putrec_seqno, sum(m.qty) as units,
         min(m.created_at) filter (where m.doc_type in ('entry-verification','return')) as first_entry,
         w.storage_age_limit_days as limit_days, w.storage_age_warning_days as warning_days
       from stock_movement m join warehouse w on w.code = m.warehouse_code
       where m.ledger = 'shelf' and m.warehouse_code = ?
       group by m.owner_code, m.sku, m.batch, m.ems_no, m.putrec_seqno, w.storage_age_limit_days, w.storage_age_warning_days
       having sum(m.qty) > 0
       order by first_entry nulls last`,
      [warehouseCode],
    );
    return rows.map((r) => {
      const since = r.first_entry ? new Date(r.first_entry) : null;
      const ageDays = since ? Math.floor((now.getTime() - since.getTime()) / 86_400_000) : null;
      const left = ageDays === null ? null : r.limit_days - ageDays;
      const level: Answer<typeof ageingItem>['level'] =
        left === null ? 'unknown' : left < 0 ? 'over-limit' : left <= r.warning_days ? 'warning' : 'ok';
      return {
        ownerCode: r.owner_code,
        sku: r.sku,
        batch: r.batch,
        bookLine: r.ems_no ? { emsNo: r.ems_no, putrecSeqno: r.putrec_seqno } : null,
        units: Number(r.units),
        firstEntryAt: since?.toISOString() ?? null,
        ageDays,
        limitDays: r.limit_days,
        daysLeft: left,
        level,
        message:
          level === 'over-limit'
            ? `${r.sku} batch ${r.batch || '-'} has been in the centre ${ageDays} days, over the ${r.limit_days}-day limit: apply for an extension or ship it out`
            : level === 'warning'
              ? `${r.sku} batch ${r.batch || '-'} reaches the ${r.limit_days}-day storage limit in ${left} days`
              : null,
      };
    });
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

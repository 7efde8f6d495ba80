import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { PLACE_JOINS, SHELF_PLACE } from './bonded-stock.repository.js';
import type { ageingItem, inventoryItem } from './ledger.answers.js';
import { type UnbookedUnits, unbookedReason } from './reconciliation.rules.js';
import { ageDays, ageLevel } from './storage-age.rules.js';

/**
 * What customs and the supervisor read off the ledger (DOMAIN.md §6): book against shelf per book
 * line, the units not on the book, the inventory by any grouping, and stock ageing. Read-only: the
 * ledger itself is written by LedgerRepository.
 */
@Injectable()
export class StockViewsRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

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
      onlyDifferences
        ? // the differing lines off their partial index, each line's name and shelf by place looked up for
          // it alone (a lateral with a limit: PostgreSQL takes most lines for differing and would otherwise
          // join the whole book)
          `select bl.ems_no, bl.putrec_seqno, bl.item_no, bl.gcode, bl.gname, b.bonded, b.verification_applied,
             b.gate_release_applied, b.in_warehouse as book, b.shelf, coalesce(x.on_shelf, 0) as on_shelf,
             coalesce(x.in_process, 0) as in_process, coalesce(x.inspection, 0) as inspection, coalesce(x.held, 0) as held
           from book_line_balance b
           cross join lateral (select bl.ems_no, bl.putrec_seqno, bl.item_no, bl.gcode, bl.gname from book_line bl
             where bl.ems_no = b.ems_no and bl.putrec_seqno = b.putrec_seqno limit 1) bl
           left join lateral (
             select sum(q.qty) filter (where place = 'on-shelf') as on_shelf,
               sum(q.qty) filter (where place = 'in-process') as in_process,
               sum(q.qty) filter (where place = 'inspection') as inspection,
               sum(q.qty) filter (where place = 'held') as held
             from (select s.qty, ${SHELF_PLACE} as place
                   from bonded_stock_balance s ${PLACE_JOINS}
                   where s.warehouse_code = b.warehouse_code and s.ems_no = b.ems_no and s.putrec_seqno = b.putrec_seqno
                     and s.ledger = 'shelf' and s.qty <> 0) q) x on true
           where b.warehouse_code = ? and b.ems_no = (select w.ems_no from warehouse w where w.code = ?)
             and b.in_warehouse <> b.shelf
           order by b.putrec_seqno`
        : `with shelf as (
         select s.ems_no, s.putrec_seqno, sum(s.qty) as shelf,
           sum(s.qty) filter (where place = 'on-shelf') as on_shelf,
           sum(s.qty) filter (where place = 'in-process') as in_process,
           sum(s.qty) filter (where place = 'inspection') as inspection,
           sum(s.qty) filter (where place = 'held') as held
         from (select s.ems_no, s.putrec_seqno, s.qty, ${SHELF_PLACE} as place
               from bonded_stock_balance s ${PLACE_JOINS}
               where s.warehouse_code = ? and s.ledger = 'shelf' and s.ems_no is not null and s.qty <> 0) s
         group by s.ems_no, s.putrec_seqno
       )
       select bl.ems_no, bl.putrec_seqno, bl.item_no, bl.gcode, bl.gname,
         coalesce(b.bonded, 0) as bonded, coalesce(b.verification_applied, 0) as verification_applied,
         coalesce(b.gate_release_applied, 0) as gate_release_applied, coalesce(b.in_warehouse, 0) as book,
         coalesce(s.shelf, 0) as shelf, coalesce(s.on_shelf, 0) as on_shelf, coalesce(s.in_process, 0) as in_process,
         coalesce(s.inspection, 0) as inspection, coalesce(s.held, 0) as held
       from book_line bl
       join warehouse w on w.ems_no = bl.ems_no and w.code = ?
       left join book_line_balance b on b.warehouse_code = w.code and b.ems_no = bl.ems_no and b.putrec_seqno = bl.putrec_seqno
       left join shelf s on s.ems_no = bl.ems_no and s.putrec_seqno = bl.putrec_seqno
       order by bl.putrec_seqno`,
      [warehouseCode, warehouseCode],
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
      `select count(*) as lines, coalesce(sum(in_warehouse), 0) as book, coalesce(sum(shelf), 0) as shelf,
         count(*) filter (where in_warehouse <> shelf) as differing
       from book_line_balance where warehouse_code = ?`,
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
         from bonded_stock_balance m join w on w.code = m.warehouse_code
         where m.ledger = 'shelf' and m.ems_no is null and m.qty <> 0
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
      const days = ageDays(since, now);
      const left = days === null ? null : r.limit_days - days;
      const level: Answer<typeof ageingItem>['level'] = ageLevel(days, r.limit_days, r.warning_days);
      return {
        ownerCode: r.owner_code,
        sku: r.sku,
        batch: r.batch,
        bookLine: r.ems_no ? { emsNo: r.ems_no, putrecSeqno: r.putrec_seqno } : null,
        units: Number(r.units),
        firstEntryAt: since?.toISOString() ?? null,
        ageDays: days,
        limitDays: r.limit_days,
        daysLeft: left,
        level,
        message:
          level === 'over-limit'
            ? `${r.sku} batch ${r.batch || '-'} has been in the centre ${days} days, over the ${r.limit_days}-day limit: apply for an extension or ship it out`
            : level === 'warning'
              ? `${r.sku} batch ${r.batch || '-'} reaches the ${r.limit_days}-day storage limit in ${left} days`
              : null,
      };
    });
  }
}

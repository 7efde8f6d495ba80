import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { BookLineDetail, BookLineStock, LocationStock } from '@wms/contracts';
import { ORM } from '../../platform/database/orm.js';

/**
 * Where a shelf balance `s` physically is (DOMAIN.md §6 "on shelves + in process + held"), with
 * its location `loc`, zone `z` and, for a packed parcel, its list `l`: a parcel held by customs or
 * staff is held, a parcel under inspection (500) or units in an inspection or quarantine zone are
 * in inspection, other parcels are in process, the rest is on the shelves.
 */
export const SHELF_PLACE = `case
  when s.location like 'PARCEL:%' then
    case when l.hold_reason is not null then 'held' when l.customs_status = 500 then 'inspection' else 'in-process' end
  when z.kind in ('inspection', 'quarantine') then 'inspection'
  else 'on-shelf' end`;

/**
 * The joins SHELF_PLACE reads, for shelf balances `s`. A parcel row's list is found by its
 * logistics number through inventory_list's index: the number is cut out of the location in a
 * subquery of its own (offset 0 keeps it one), so the look-up compares two plain columns. Written
 * as `l.logistics_no = substr(s.location, 8)` the non-leakproof substr() kept PostgreSQL, under
 * inventory_list's row-level security, from the index: it scanned every list per parcel row
 * (4 ms each at 2,000 lists; a page with 70 parcels 300 ms, now 20 ms).
 */
export const PLACE_JOINS = `left join location loc on loc.warehouse_code = s.warehouse_code and loc.code = s.location
  left join zone z on z.warehouse_code = loc.warehouse_code and z.code = loc.zone_code
  cross join lateral (select case when s.location like 'PARCEL:%' then substr(s.location, 8) end as no offset 0) pk
  left join lateral (
    select l.cop_no, l.invt_no, l.customs_status, l.hold_reason from inventory_list l
    where l.logistics_no = pk.no and l.warehouse_code = s.warehouse_code
    limit 1) l on true`;

export interface BookLineFilter {
  putrecSeqno?: number;
  gcode?: string;
  gname?: string;
  itemNo?: string;
  ownerCode?: string;
  customsState?: 'bonded' | 'verification-applied' | 'gate-release-applied';
  differencesOnly: boolean;
  /** Also lines holding nothing (a drill-down into an empty line). */
  includeEmpty?: boolean;
}

interface LineRow {
  ems_no: string;
  putrec_seqno: number;
  item_no: string;
  gcode: string;
  gname: string;
  unit: string;
  bonded: string;
  verification_applied: string;
  gate_release_applied: string;
  in_warehouse: string;
  shelf: string;
  on_shelf: string;
  in_process: string;
  inspection: string;
  held: string;
}

const STATE_COLUMN = {
  bonded: 'b.bonded',
  'verification-applied': 'b.verification_applied',
  'gate-release-applied': 'b.gate_release_applied',
} as const;

const likeText = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The bonded ledger's balances as customs reads them (issue 13): book lines a page at a time, a
 * line's units, parcels and history of differences, and the centre's totals. Reads only the
 * balances the ledger's trigger keeps (migration 0950), never the whole ledger.
 */
@Injectable()
export class BondedStockRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async accountBook(warehouseCode: string): Promise<{ exists: boolean; emsNo: string | null }> {
    const [row] = await this.orm.em.execute<Array<{ ems_no: string | null }>>(
      'select ems_no from warehouse where code = ?',
      [warehouseCode],
    );
    return { exists: Boolean(row), emsNo: row?.ems_no ?? null };
  }

  /**
   * One page of book lines of the warehouse's account book after line `after` (keyset on the
   * balance's key, read off its partial index), each with its book by state and shelf by place.
   */
  async bookLines(
    warehouseCode: string,
    emsNo: string,
    filter: BookLineFilter,
    after: number | null,
    limit: number,
  ): Promise<BookLineStock[]> {
    const where: string[] = ['b.warehouse_code = ?', 'b.ems_no = ?'];
    const params: unknown[] = [warehouseCode, emsNo];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (!filter.includeEmpty) add('(b.in_warehouse <> 0 or b.shelf <> 0)');
    if (filter.differencesOnly) add('b.in_warehouse <> b.shelf');
    // both sides of the join start at the cursor: with the book line's side unbounded, a merge join
    // read the book from its first line to the cursor (deep pages 95 ms p50 at 100k lines)
    if (after !== null) add('b.putrec_seqno > ? and bl.putrec_seqno > ?', after, after);
    if (filter.putrecSeqno !== undefined) add('b.putrec_seqno = ?', filter.putrecSeqno);
    if (filter.gcode) add('bl.gcode like ?', `${filter.gcode}%`);
    if (filter.gname) add(`bl.gname ilike ? escape '\\'`, `%${likeText(filter.gname)}%`);
    if (filter.itemNo) add('bl.item_no = ?', filter.itemNo);
    if (filter.customsState) add(`${STATE_COLUMN[filter.customsState]} <> 0`);
    if (filter.ownerCode)
      add(
        `exists (select 1 from bonded_stock_balance o where o.warehouse_code = b.warehouse_code
          and o.owner_code = ? and o.ems_no = b.ems_no and o.putrec_seqno = b.putrec_seqno and o.qty <> 0)`,
        filter.ownerCode,
      );
    params.push(limit);
    const rows = await this.orm.em.execute<LineRow[]>(
      `with page as (
         select b.warehouse_code, b.ems_no, b.putrec_seqno, b.bonded, b.verification_applied, b.gate_release_applied,
           b.in_warehouse, b.shelf, bl.item_no, bl.gcode, bl.gname, bl.unit
         from book_line_balance b
         join book_line bl on bl.ems_no = b.ems_no and bl.putrec_seqno = b.putrec_seqno
         where ${where.join(' and ')}
         order by b.putrec_seqno
         limit ?)
       select p.*, coalesce(x.on_shelf, 0) as on_shelf, coalesce(x.in_process, 0) as in_process,
         coalesce(x.inspection, 0) as inspection, coalesce(x.held, 0) as held
       from page p
       left join lateral (
         select sum(qty) filter (where place = 'on-shelf') as on_shelf,
           sum(qty) filter (where place = 'in-process') as in_process,
           sum(qty) filter (where place = 'inspection') as inspection,
           sum(qty) filter (where place = 'held') as held
         from (select s.qty, ${SHELF_PLACE} as place
               from bonded_stock_balance s ${PLACE_JOINS}
               where s.warehouse_code = p.warehouse_code and s.ems_no = p.ems_no and s.putrec_seqno = p.putrec_seqno
                 and s.ledger = 'shelf' and s.qty <> 0) q) x on true
       order by p.putrec_seqno`,
      params,
    );
    return rows.map(lineOf);
  }

  /** The centre's totals over every book line, by state and place, per owner, and the off-book units. */
  async totals(warehouseCode: string, emsNo: string) {
    const [lines] = await this.orm.em.execute<
      Array<{
        lines: string;
        differing: string;
        bonded: string;
        verification_applied: string;
        gate_release_applied: string;
        in_warehouse: string;
        shelf: string;
      }>
    >(
      `select count(*) filter (where in_warehouse <> 0 or shelf <> 0) as lines,
         count(*) filter (where in_warehouse <> shelf) as differing,
         coalesce(sum(bonded), 0) as bonded, coalesce(sum(verification_applied), 0) as verification_applied,
         coalesce(sum(gate_release_applied), 0) as gate_release_applied,
         coalesce(sum(in_warehouse), 0) as in_warehouse, coalesce(sum(shelf), 0) as shelf
       from book_line_balance where warehouse_code = ? and ems_no = ?`,
      [warehouseCode, emsNo],
    );
    // the shelf by place and the book and shelf by owner from one read of the balances: summed per
    // location, owner, ledger and state first, the place is looked up once per location (2,000 at
    // 100k lines), not once per balance row
    const sums = await this.orm.em.execute<
      Array<{ kind: 'place' | 'owner'; key: string; in_warehouse: string; shelf: string }>
    >(
      `with s as materialized (
         select warehouse_code, location, owner_code, ledger, customs_state, sum(qty) as qty
         from bonded_stock_balance where warehouse_code = ? and ems_no = ? and qty <> 0
         group by warehouse_code, location, owner_code, ledger, customs_state),
       loc as (select warehouse_code, location, sum(qty) as qty from s where ledger = 'shelf' group by 1, 2)
       select 'place' as kind, p.place as key, 0 as in_warehouse, sum(p.qty) as shelf
       from (select ${SHELF_PLACE} as place, s.qty from loc s ${PLACE_JOINS}) p
       group by p.place
       union all
       select 'owner', owner_code,
         coalesce(sum(qty) filter (where ledger = 'book' and customs_state <> 'written-off'), 0),
         coalesce(sum(qty) filter (where ledger = 'shelf'), 0)
       from s group by owner_code`,
      [warehouseCode, emsNo],
    );
    const places = sums.filter((x) => x.kind === 'place').map((x) => ({ place: x.key, units: x.shelf }));
    const owners = sums
      .filter((x) => x.kind === 'owner')
      .map((x) => ({ owner_code: x.key, in_warehouse: x.in_warehouse, shelf: x.shelf }))
      .sort((x, y) => (x.owner_code < y.owner_code ? -1 : x.owner_code > y.owner_code ? 1 : 0));
    const place = (p: string) => Number(places.find((x) => x.place === p)?.units ?? 0);
    return {
      bookLines: Number(lines.lines),
      linesWithDifference: Number(lines.differing),
      book: {
        bonded: Number(lines.bonded),
        verificationApplied: Number(lines.verification_applied),
        gateReleaseApplied: Number(lines.gate_release_applied),
        inWarehouse: Number(lines.in_warehouse),
      },
      shelf: {
        total: Number(lines.shelf),
        onShelf: place('on-shelf'),
        inProcess: place('in-process'),
        inspection: place('inspection'),
        held: place('held'),
      },
      byOwner: owners
        .map((o) => ({ ownerCode: o.owner_code, inWarehouse: Number(o.in_warehouse), shelf: Number(o.shelf) }))
        .filter((o) => o.inWarehouse !== 0 || o.shelf !== 0),
    };
  }

  /** Where a line's units are, its book by owner and state, and the parcels holding it. */
  async lineUnits(
    warehouseCode: string,
    emsNo: string,
    putrecSeqno: number,
  ): Promise<Pick<BookLineDetail, 'book' | 'units' | 'parcels'>> {
    const units = await this.orm.em.execute<
      Array<{
        owner_code: string;
        sku: string;
        batch: string;
        location: string;
        zone_kind: string | null;
        place: BookLineDetail['units'][number]['place'];
        units: string;
        cop_no: string | null;
        invt_no: string | null;
        customs_status: number | null;
        hold_reason: string | null;
      }>
    >(
      `select s.owner_code, s.sku, s.batch, s.location, z.kind as zone_kind, ${SHELF_PLACE} as place,
         sum(s.qty) as units, l.cop_no, l.invt_no, l.customs_status, l.hold_reason
       from bonded_stock_balance s ${PLACE_JOINS}
       where s.warehouse_code = ? and s.ems_no = ? and s.putrec_seqno = ? and s.ledger = 'shelf' and s.qty <> 0
       group by s.owner_code, s.sku, s.batch, s.location, z.kind, 6, l.cop_no, l.invt_no, l.customs_status, l.hold_reason
       order by s.location, s.owner_code, s.sku, s.batch`,
      [warehouseCode, emsNo, putrecSeqno],
    );
    const book = await this.orm.em.execute<Array<{ owner_code: string; customs_state: string; units: string }>>(
      `select owner_code, customs_state, sum(qty) as units from bonded_stock_balance
       where warehouse_code = ? and ems_no = ? and putrec_seqno = ? and ledger = 'book' and qty <> 0
       group by owner_code, customs_state order by owner_code, customs_state`,
      [warehouseCode, emsNo, putrecSeqno],
    );
    const parcels = new Map<string, BookLineDetail['parcels'][number]>();
    for (const u of units) {
      if (!u.location.startsWith('PARCEL:')) continue;
      const logisticsNo = u.location.slice('PARCEL:'.length);
      const p = parcels.get(logisticsNo) ?? {
        logisticsNo,
        copNo: u.cop_no,
        invtNo: u.invt_no,
        customsStatus: u.customs_status,
        holdReason: u.hold_reason,
        units: 0,
      };
      p.units += Number(u.units);
      parcels.set(logisticsNo, p);
    }
    return {
      book: book.map((b) => ({ ownerCode: b.owner_code, customsState: b.customs_state, units: Number(b.units) })),
      units: units.map((u) => ({
        ownerCode: u.owner_code,
        sku: u.sku,
        batch: u.batch,
        location: u.location,
        zoneKind: u.zone_kind,
        place: u.place,
        logisticsNo: u.location.startsWith('PARCEL:') ? u.location.slice('PARCEL:'.length) : null,
        units: Number(u.units),
      })),
      parcels: [...parcels.values()],
    };
  }

  /**
   * A line's history of differences: the running book and shelf after each of its movements, and
   * the movements that changed shelf − book (newest first), so customs sees when a difference
   * opened and which document closed it.
   */
  /**
   * The shelf by location (a packed parcel is a location of its own), in location order after
   * `after`: a keyset over the location index of the balance, each location's place looked up once.
   */
  async locations(
    warehouseCode: string,
    filter: { location?: string; ownerCode?: string },
    after: string | null,
    limit: number,
  ): Promise<LocationStock[]> {
    const where = ['s.warehouse_code = ?', "s.ledger = 'shelf'", 's.qty <> 0'];
    const params: unknown[] = [warehouseCode];
    if (after !== null) {
      where.push('s.location > ?');
      params.push(after);
    }
    if (filter.location) {
      where.push(`s.location like ? escape '\\'`);
      params.push(`${likeText(filter.location)}%`);
    }
    if (filter.ownerCode) {
      where.push('s.owner_code = ?');
      params.push(filter.ownerCode);
    }
    params.push(limit);
    const rows = await this.orm.em.execute<
      Array<{
        location: string;
        zone_kind: string | null;
        place: LocationStock['place'];
        units: string;
        unbooked: string;
        lines: string;
        owners: string[];
      }>
    >(
      `with s as (
         select s.warehouse_code, s.location,
           coalesce(sum(s.qty) filter (where s.ems_no is not null), 0) as units,
           coalesce(sum(s.qty) filter (where s.ems_no is null), 0) as unbooked,
           count(distinct s.putrec_seqno) filter (where s.ems_no is not null) as lines,
           array_agg(distinct s.owner_code order by s.owner_code) as owners
         from bonded_stock_balance s
         where ${where.join(' and ')}
         group by s.warehouse_code, s.location
         having sum(s.qty) <> 0
         order by s.location
         limit ?)
       select s.location, z.kind as zone_kind, ${SHELF_PLACE} as place, s.units, s.unbooked, s.lines, s.owners
       from s ${PLACE_JOINS}
       order by s.location`,
      params,
    );
    return rows.map((r) => ({
      location: r.location,
      zoneKind: r.zone_kind,
      place: r.place,
      units: Number(r.units),
      unbookedUnits: Number(r.unbooked),
      bookLines: Number(r.lines),
      owners: r.owners,
    }));
  }

  async differenceHistory(warehouseCode: string, emsNo: string, putrecSeqno: number, limit: number) {
    const rows = await this.orm.em.execute<
      Array<{
        id: string;
        at: Date;
        ledger: 'book' | 'shelf';
        doc_type: string;
        doc_no: string;
        qty: string;
        book: string;
        shelf: string;
      }>
    >(
      `with m as (
         select id, created_at, ledger, doc_type, doc_no, qty,
           sum(case when ledger = 'book' and customs_state <> 'written-off' then qty else 0 end) over w as book,
           sum(case when ledger = 'shelf' then qty else 0 end) over w as shelf
         from stock_movement where warehouse_code = ? and ems_no = ? and putrec_seqno = ?
         window w as (order by id)),
       d as (select m.*, lag(shelf - book, 1, 0::numeric) over (order by id) as before from m)
       select id, created_at as at, ledger, doc_type, doc_no, qty, book, shelf from d
       where shelf - book <> before
       order by id desc limit ?`,
      [warehouseCode, emsNo, putrecSeqno, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      at: new Date(r.at).toISOString(),
      ledger: r.ledger,
      docType: r.doc_type,
      docNo: r.doc_no,
      qty: Number(r.qty),
      book: Number(r.book),
      shelf: Number(r.shelf),
      difference: Number(r.shelf) - Number(r.book),
    }));
  }
}

function lineOf(r: LineRow): BookLineStock {
  const shelf = Number(r.shelf);
  const inWarehouse = Number(r.in_warehouse);
  return {
    emsNo: r.ems_no,
    putrecSeqno: r.putrec_seqno,
    itemNo: r.item_no,
    gcode: r.gcode,
    gname: r.gname,
    unit: r.unit,
    book: {
      bonded: Number(r.bonded),
      verificationApplied: Number(r.verification_applied),
      gateReleaseApplied: Number(r.gate_release_applied),
      inWarehouse,
    },
    shelf: {
      total: shelf,
      onShelf: Number(r.on_shelf),
      inProcess: Number(r.in_process),
      inspection: Number(r.inspection),
      held: Number(r.held),
    },
    difference: shelf - inWarehouse,
  };
}

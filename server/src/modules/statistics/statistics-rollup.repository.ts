import { Injectable } from '@nestjs/common';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql } from '../../platform/database/sql.js';
import { RELEASE_THRESHOLDS } from './statistics.rules.js';

/** A decimal text of a message field, or 0 when it is not one (a malformed field never stops the rollups). */
// (no `?` in these patterns: the SQL seams read every `?` as a parameter)
const num = (expr: string) =>
  `(case when ${expr} ~ '^-{0,1}[0-9]{1,14}([.][0-9]{1,6}){0,1}$' then (${expr})::numeric else 0 end)`;

/** YYYYMMDDhhmmss[fff] in China Standard Time (DOMAIN.md §4 returnTime) as a time, or null. */
const customsTime = (expr: string) =>
  `(case when ${expr} ~ '^[0-9]{14}' then to_timestamp(substr(${expr}, 1, 14), 'YYYYMMDDHH24MISS')::timestamp at time zone 'Asia/Shanghai' end)`;

const THRESHOLDS = `'{${RELEASE_THRESHOLDS.map((t) => String(t)).join(',')}}'::float8[]`;

/**
 * What each list contributes (statistics_list_fact), computed from the list, its order's tax and
 * the receipts of all its declarations (customs_message → customs_receipt), for the lists chosen.
 */
const factsOf = (lists: string) => `
  select l.id as list_id,
    (l.declared_at at time zone coalesce(w.time_zone, 'Asia/Shanghai'))::date as day,
    l.warehouse_code, l.trade_mode, l.direction, l.ebp_code, l.ebc_code, l.logistics_code,
    coalesce(l.head->>'country', '') as country,
    greatest(1, case when l.head->>'packNo' ~ '^[0-9]{1,6}$' then (l.head->>'packNo')::int else 1 end) as parcels,
    coalesce(g.value, 0)::numeric(19,5) as value,
    round(${num("l.head->>'grossWeight'")} * 1000)::bigint as weight_grams,
    coalesce(t.tax, 0)::numeric(19,5) as tax,
    coalesce(g.qty, 0)::numeric(19,5) as qty,
    coalesce(r.released, false) as released,
    coalesce(r.rejected, false) as rejected,
    coalesce(r.inspected, false) as inspected,
    case when r.released_at is not null
      then width_bucket(extract(epoch from r.released_at - l.declared_at)::float8, ${THRESHOLDS})::smallint end
      as release_bucket,
    coalesce(g.goods, '[]'::jsonb) as goods
  from inventory_list l
  join warehouse w on w.code = l.warehouse_code
  left join lateral (
    select sum(v) as value, sum(q) as qty,
      jsonb_agg(jsonb_build_object('gcode', gcode, 'name', name, 'value', v, 'qty', q) order by gcode) as goods
    from (
      select coalesce(x.values->>'gcode', '') as gcode, max(x.values->>'gname') as name,
        sum(${num("x.values->>'totalPrice'")}) as v, sum(${num("x.values->>'qty1'")}) as q
      from jsonb_to_recordset(case when jsonb_typeof(l.lines) = 'array' then l.lines else '[]'::jsonb end)
        as x("values" jsonb)
      group by 1) per_code
  ) g on true
  left join lateral (
    select ${num("o.doc->>'taxTotal'")} as tax from trade_order o
    where o.ebp_code = l.ebp_code and o.order_no = l.order_no
  ) t on true
  left join lateral (
    select bool_or(rc.return_status = 800 and rc.changed_status) as released,
      bool_or(rc.return_status = 100 or rc.return_status < 0) as rejected,
      bool_or(rc.return_status = 500) as inspected,
      min(coalesce(${customsTime('rc.return_time')}, rc.received_at))
        filter (where rc.return_status = 800 and rc.changed_status) as released_at
    from customs_message m
    join customs_receipt rc on rc.guid = m.guid and rc.message_type in ('CEB622', 'CEB604')
    where m.subject_kind = 'list' and m.subject_id = l.id
  ) r on true
  where ${lists} and l.declared_at is not null and l.state <> 'cancelled'`;

const FACT_UPDATED = `day, warehouse_code, trade_mode, direction, ebp_code, ebc_code, logistics_code, country,
  parcels, value, weight_grams, tax, qty, released, rejected, inspected, release_bucket, goods`;
const FACT_COLUMNS = `list_id, ${FACT_UPDATED}`;

/** The daily rollup rows of a set of facts `f` with a sign `s` (+1 new, −1 old), every dimension. */
const CONTRIBUTIONS = (source: string) => `
  select d.dim, f.day as period, f.warehouse_code, f.trade_mode, f.direction, d.key, d.label,
    f.s as lists, f.s * f.parcels as parcels, f.s * d.value as value, f.s * f.weight_grams as weight_grams,
    f.s * f.tax as tax, f.s * d.qty as qty, f.s * f.released::int as released, f.s * f.rejected::int as rejected,
    f.s * f.inspected::int as inspected, f.release_bucket
  from ${source} f
  cross join lateral (
    select 'all' as dim, '' as key, null::text as label, f.value, f.qty
    union all select 'ebp', f.ebp_code, null, f.value, f.qty
    union all select 'ebc', f.ebc_code, null, f.value, f.qty
    union all select 'logistics', f.logistics_code, null, f.value, f.qty
    union all select 'country', f.country, null, f.value, f.qty
    union all select 'chapter', left(x.gcode, 2), null, sum(x.value), sum(x.qty)
      from jsonb_to_recordset(f.goods) x(gcode text, value numeric, qty numeric) group by left(x.gcode, 2)
    union all select 'goods', x.gcode, x.name, x.value, x.qty
      from jsonb_to_recordset(f.goods) x(gcode text, name text, value numeric, qty numeric)
  ) d`;

const CELL = 'dim, grain, period, warehouse_code, trade_mode, direction, key';
/** The cell's text in the "C" collation (as the rollup tables keep it): grouping compares bytes, not locale rules. */
const CELL_OF = (grain: string, period: string) =>
  `dim collate "C" as dim, ${grain} collate "C" as grain, ${period} as period, warehouse_code collate "C" as warehouse_code,
   trade_mode collate "C" as trade_mode, direction collate "C" as direction, key collate "C" as key`;
const SUMS = `sum(lists) as lists, sum(parcels) as parcels, sum(value) as value, sum(weight_grams) as weight_grams,
  sum(tax) as tax, sum(qty) as qty, sum(released) as released, sum(rejected) as rejected, sum(inspected) as inspected`;
const MOVED = `sum(lists) <> 0 or sum(parcels) <> 0 or sum(value) <> 0 or sum(weight_grams) <> 0 or sum(tax) <> 0
  or sum(qty) <> 0 or sum(released) <> 0 or sum(rejected) <> 0 or sum(inspected) <> 0`;

/**
 * Applies lists' changes to the statistics (the rollup job's one statement): each list's old
 * fact is taken off its cells and its new fact added, facts are stored (or dropped: a cancelled
 * list), in one statement so the old facts are read before they are replaced. The monthly rows
 * take the sum of the daily deltas.
 */
export const APPLY_CHANGES_SQL = `
  with ids as (select distinct unnest(?::bigint[]) as id),
  fresh as (${factsOf('l.id in (select id from ids)')}),
  old as (select f.* from statistics_list_fact f join ids on ids.id = f.list_id),
  saved as (
    insert into statistics_list_fact (${FACT_COLUMNS}) select ${FACT_COLUMNS} from fresh
    on conflict (list_id) do update set (${FACT_UPDATED}) = (${FACT_UPDATED.split(',')
      .map((c) => `excluded.${c.trim()}`)
      .join(', ')})
    returning 1),
  dropped as (
    delete from statistics_list_fact f using ids
    where f.list_id = ids.id and not exists (select 1 from fresh where fresh.list_id = f.list_id)
    returning 1),
  signed as (select ${FACT_COLUMNS}, 1 as s from fresh union all select ${FACT_COLUMNS}, -1 as s from old),
  parts as materialized (${CONTRIBUTIONS('signed')}),
  daily as (
    select ${CELL_OF(`'day'`, 'period')}, max(label) as label, ${SUMS}
    from parts group by 1, 2, 3, 4, 5, 6, 7 having ${MOVED}),
  delta as (
    select * from daily
    union all
    select ${CELL_OF(`'month'`, `date_trunc('month', period)::date`)}, max(label), ${SUMS}
    from daily group by 1, 2, 3, 4, 5, 6, 7 having ${MOVED}),
  rolled as (
    insert into statistics_rollup (${CELL}, label, lists, parcels, value, weight_grams, tax, qty, released, rejected, inspected)
    select ${CELL}, label, lists, parcels, value, weight_grams, tax, qty, released, rejected, inspected from delta
    on conflict (${CELL}) do update set
      label = coalesce(excluded.label, statistics_rollup.label),
      lists = statistics_rollup.lists + excluded.lists,
      parcels = statistics_rollup.parcels + excluded.parcels,
      value = statistics_rollup.value + excluded.value,
      weight_grams = statistics_rollup.weight_grams + excluded.weight_grams,
      tax = statistics_rollup.tax + excluded.tax,
      qty = statistics_rollup.qty + excluded.qty,
      released = statistics_rollup.released + excluded.released,
      rejected = statistics_rollup.rejected + excluded.rejected,
      inspected = statistics_rollup.inspected + excluded.inspected
    returning 1),
  timed_daily as (
    select ${CELL_OF(`'day'`, 'period')}, release_bucket as bucket, sum(lists) as lists from parts
    where release_bucket is not null and released <> 0 and dim in ('all', 'ebp', 'ebc', 'logistics', 'country')
    group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(lists) <> 0),
  timed_delta as (
    select * from timed_daily
    union all
    select ${CELL_OF(`'month'`, `date_trunc('month', period)::date`)}, bucket, sum(lists) from timed_daily
    group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(lists) <> 0),
  timed as (
    insert into statistics_release_time (${CELL}, bucket, lists)
    select ${CELL}, bucket, lists from timed_delta
    on conflict (${CELL}, bucket) do update set lists = statistics_release_time.lists + excluded.lists
    returning 1)
  select (select count(*) from saved)::int as saved, (select count(*) from dropped)::int as dropped,
    (select count(*) from rolled)::int as cells, (select count(*) from timed)::int as timed`;

const ROLLUP_COLUMNS = `${CELL}, label, lists, parcels, value, weight_grams, tax, qty, released, rejected, inspected`;

/**
 * Everything again from the lists (after a restore, a bulk load, or to check the rollups): the
 * same facts and contributions as the job's, summed in one pass instead of added list by list.
 */
const REBUILD_SQL = [
  // (delete, not truncate: the application's role may change rows, not tables)
  'delete from statistics_list_fact',
  'delete from statistics_rollup',
  'delete from statistics_release_time',
  `insert into statistics_list_fact (${FACT_COLUMNS}) select ${FACT_COLUMNS} from (${factsOf('true')}) f`,
  `insert into statistics_rollup (${ROLLUP_COLUMNS})
   select ${CELL_OF(`'day'`, 'period')}, max(label), ${SUMS}
   from (${CONTRIBUTIONS('(select *, 1 as s from statistics_list_fact)')}) parts group by 1, 2, 3, 4, 5, 6, 7`,
  `insert into statistics_rollup (${ROLLUP_COLUMNS})
   select ${CELL_OF(`'month'`, `date_trunc('month', period)::date`)}, max(label), ${SUMS}
   from statistics_rollup where grain = 'day' group by 1, 2, 3, 4, 5, 6, 7`,
  `insert into statistics_release_time (${CELL}, bucket, lists)
   select ${CELL_OF(`'day'`, 'period')}, release_bucket, count(*)
   from (${CONTRIBUTIONS('(select *, 1 as s from statistics_list_fact where release_bucket is not null and released)')}) parts
   where dim in ('all', 'ebp', 'ebc', 'logistics', 'country') group by 1, 2, 3, 4, 5, 6, 7, 8`,
  `insert into statistics_release_time (${CELL}, bucket, lists)
   select ${CELL_OF(`'month'`, `date_trunc('month', period)::date`)}, bucket, sum(lists)
   from statistics_release_time where grain = 'day' group by 1, 2, 3, 4, 5, 6, 7, 8`,
];

/**
 * The statistics' own tables (migration 0970): the change queue the triggers fill, the facts per
 * list and the rollups. Only the rollup job writes them.
 */
@Injectable()
export class StatisticsRollupRepository {
  /** One job at a time across the server's instances (the rollups add deltas: applying twice would count twice). */
  async claim(sql: Sql): Promise<boolean> {
    // The statement is big and its row estimates high: JIT would compile it for seconds on every
    // round, to save milliseconds (measured: 21 s of JIT for a 2,000-list batch that runs in 0.4 s).
    await sql.execute('set local jit = off');
    const [row] = await sql.execute<Array<{ ok: boolean }>>(
      `select pg_try_advisory_xact_lock(hashtext('statistics:rollup')) as ok`,
    );
    return row.ok;
  }

  /** Takes up to `limit` noted changes, oldest first: the lists they name (each once). */
  async takeChanges(sql: Sql, limit: number): Promise<{ changes: number; listIds: string[] }> {
    const rows = await sql.execute<Array<{ list_id: string }>>(
      `delete from statistics_change where id in (select id from statistics_change order by id limit ?)
       returning list_id::text`,
      [limit],
    );
    return { changes: rows.length, listIds: [...new Set(rows.map((r) => r.list_id))] };
  }

  async apply(sql: Sql, listIds: string[]): Promise<{ saved: number; dropped: number; cells: number; timed: number }> {
    const [row] = await sql.execute<Array<{ saved: number; dropped: number; cells: number; timed: number }>>(
      APPLY_CHANGES_SQL,
      [pgArray(listIds)],
    );
    return row;
  }

  /**
   * Rebuilds the facts and rollups from every list (call under claim()): the changes noted up to
   * now are taken first, so the job does not add them a second time.
   */
  async rebuild(sql: Sql): Promise<void> {
    await sql.execute(`set local work_mem = '128MB'`); // the sums of a million lists' parts sort in memory
    await sql.execute('delete from statistics_change');
    for (const statement of REBUILD_SQL) await sql.execute(statement);
  }

  /** How far behind the rollups are: the age of the oldest change not taken yet. */
  async lagSeconds(sql: Sql): Promise<number | null> {
    const [row] = await sql.execute<Array<{ lag: number | null }>>(
      `select extract(epoch from now() - (select noted_at from statistics_change order by id limit 1))::float8 as lag`,
    );
    return row.lag === null ? null : Number(Number(row.lag).toFixed(1));
  }
}

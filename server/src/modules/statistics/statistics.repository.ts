import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { StatisticsFilter, StatisticsGroup } from '@wms/contracts';
import { ORM } from '../../platform/database/orm.js';
import { pgArray } from '../../platform/database/pg-array.js';
import { HOLD_AGE_BANDS, rangeParts } from './statistics.rules.js';

/** One rollup row as summed for a group (numbers as PostgreSQL gives them: bigint and numeric as text). */
export interface SummedRow {
  key: string;
  label: string | null;
  lists: string;
  parcels: string;
  value: string;
  weight_grams: string;
  tax: string;
  qty: string;
  released: string;
  rejected: string;
  inspected: string;
}

/** Where a group reads: the rollup dimension and the expression of its key. */
const GROUPS: Record<StatisticsGroup, { dim: string; key: string; byDay?: boolean }> = {
  day: { dim: 'all', key: `to_char(r.period, 'YYYY-MM-DD')`, byDay: true },
  month: { dim: 'all', key: `to_char(r.period, 'YYYY-MM')` },
  tradeMode: { dim: 'all', key: 'r.trade_mode' },
  direction: { dim: 'all', key: 'r.direction' },
  warehouse: { dim: 'all', key: 'r.warehouse_code' },
  ebp: { dim: 'ebp', key: 'r.key' },
  ebc: { dim: 'ebc', key: 'r.key' },
  logistics: { dim: 'logistics', key: 'r.key' },
  country: { dim: 'country', key: 'r.key' },
  chapter: { dim: 'chapter', key: 'r.key' },
  goods: { dim: 'goods', key: 'r.key' },
};
/** Release-time histograms are kept for these dimensions (not per HS chapter or goods). */
const TIMED_DIMS = new Set(['all', 'ebp', 'ebc', 'logistics', 'country']);

const ORDER: Record<string, string> = {
  key: '1',
  lists: 'sum(r.lists) desc, 1',
  value: 'sum(r.value) desc, 1',
  weight: 'sum(r.weight_grams) desc, 1',
  tax: 'sum(r.tax) desc, 1',
};

const MEASURES = `max(r.label) as label, sum(r.lists)::text as lists, sum(r.parcels)::text as parcels,
  sum(r.value)::text as value, sum(r.weight_grams)::text as weight_grams, sum(r.tax)::text as tax,
  sum(r.qty)::text as qty, sum(r.released)::text as released, sum(r.rejected)::text as rejected,
  sum(r.inspected)::text as inspected`;

/**
 * The rows of one dimension in a range with the filters: whole months from the monthly rows, the
 * edge days from the daily ones (statistics.rules.ts rangeParts), never the lists themselves.
 */
function cells(dim: string, filter: StatisticsFilter, byDay: boolean): { where: string; params: unknown[] } {
  const parts = rangeParts(filter.from, filter.to, byDay);
  const ranges: string[] = [];
  const params: unknown[] = [dim];
  if (parts.months) {
    ranges.push(`(r.grain = 'month' and r.period >= ?::date and r.period < ?::date)`);
    params.push(...parts.months);
  }
  for (const [from, to] of parts.days) {
    ranges.push(`(r.grain = 'day' and r.period >= ?::date and r.period < ?::date)`);
    params.push(from, to);
  }
  let where = `r.dim = ? and (${ranges.join(' or ')})`;
  if (filter.tradeMode) {
    where += ' and r.trade_mode = ?';
    params.push(filter.tradeMode);
  }
  if (filter.direction) {
    where += ' and r.direction = ?';
    params.push(filter.direction);
  }
  if (filter.warehouseCode) {
    where += ' and r.warehouse_code = ?';
    params.push(filter.warehouseCode);
  }
  return { where, params };
}

/** Reads of the statistics rollups (migration 0970) for the customs console. Read-only. */
@Injectable()
export class StatisticsRepository {
  private creditTable = false;

  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /**
   * One read in its own transaction with JIT off: a sum over many rollup rows is estimated dear
   * enough for PostgreSQL to JIT-compile it, which costs more (100s of ms) than the sum itself.
   */
  private run<T>(sql: string, params: unknown[]): Promise<T> {
    return this.orm.em.fork().transactional(async (em) => {
      await em.execute('set local jit = off');
      return (await em.execute(sql, params as never[])) as T;
    });
  }

  /** The rows of a table grouped by `group`, at most `limit` (+1 to tell it was cut). */
  async grouped(
    group: StatisticsGroup,
    filter: StatisticsFilter,
    sort: keyof typeof ORDER,
    limit: number,
  ): Promise<SummedRow[]> {
    const g = GROUPS[group];
    const { where, params } = cells(g.dim, filter, g.byDay === true);
    return this.run<SummedRow[]>(
      `select ${g.key} as key, ${MEASURES} from statistics_rollup r where ${where}
       group by 1 order by ${ORDER[sort]} limit ?`,
      [...params, limit + 1],
    );
  }

  /** The totals of the range (dimension `all`). */
  async totals(filter: StatisticsFilter): Promise<SummedRow> {
    const { where, params } = cells('all', filter, false);
    const [row] = await this.run<SummedRow[]>(
      `select '' as key, ${MEASURES} from statistics_rollup r where ${where}`,
      params,
    );
    return row;
  }

  /** Release-time histograms per group key (null when the group keeps none): key → bucket → lists. */
  async releaseBuckets(
    group: StatisticsGroup | null,
    filter: StatisticsFilter,
  ): Promise<Map<string, Map<number, number>> | null> {
    const g = group ? GROUPS[group] : { dim: 'all', key: `''`, byDay: false };
    if (!TIMED_DIMS.has(g.dim)) return null;
    const { where, params } = cells(g.dim, filter, g.byDay === true);
    const rows = await this.run<Array<{ key: string; bucket: number; lists: string }>>(
      `select ${g.key} as key, r.bucket, sum(r.lists)::text as lists from statistics_release_time r
       where ${where} group by 1, 2`,
      params,
    );
    const out = new Map<string, Map<number, number>>();
    for (const r of rows) {
      const counts = out.get(r.key) ?? new Map<number, number>();
      counts.set(Number(r.bucket), Number(r.lists));
      out.set(r.key, counts);
    }
    return out;
  }

  /**
   * Lists and inspections per e-commerce company with its credit grade: the small per-company
   * rollup joined to `enterprise_credit` (the credit module's table, migration 0965) at query
   * time; a company without a row there is 'regular'.
   */
  async byCreditGrade(
    filter: StatisticsFilter,
  ): Promise<Array<{ grade: string; enterprises: string; lists: string; inspected: string }>> {
    const { where, params } = cells('ebc', filter, false);
    const graded = await this.hasCreditTable();
    return this.run(
      `with e as (
         select r.key, sum(r.lists) as lists, sum(r.inspected) as inspected from statistics_rollup r
         where ${where} group by r.key)
       select ${graded ? `coalesce(c.grade, 'regular')` : `'regular'`} as grade, count(*)::text as enterprises,
         sum(e.lists)::text as lists, sum(e.inspected)::text as inspected
       from e ${graded ? 'left join enterprise_credit c on c.enterprise_code = e.key' : ''}
       where e.lists <> 0 group by 1`,
      params,
    );
  }

  /** Credit grades of these companies (for the per-company table): code → grade. */
  async gradesOf(codes: string[]): Promise<Map<string, string>> {
    if (!codes.length || !(await this.hasCreditTable())) return new Map();
    const rows = await this.run<Array<{ code: string; grade: string }>>(
      `select enterprise_code as code, grade from enterprise_credit where enterprise_code = any(?::text[])`,
      [pgArray(codes)],
    );
    return new Map(rows.map((r) => [r.code, r.grade]));
  }

  private async hasCreditTable(): Promise<boolean> {
    if (this.creditTable) return true;
    const [row] = await this.run<Array<{ ok: boolean }>>(
      `select to_regclass('public.enterprise_credit') is not null as ok`,
      [],
    );
    this.creditTable = row.ok;
    return row.ok;
  }

  /**
   * Open holds (placed and not lifted, the parcel still inside) by age band and by who placed
   * them, off the partial index of open holds. The date range does not apply: a hold's age is now.
   */
  async openHolds(filter: Omit<StatisticsFilter, 'from' | 'to'>): Promise<{
    rows: Array<{ band: string; weight_check: boolean; n: string }>;
    oldest: Date | null;
    asOf: Date;
  }> {
    const params: unknown[] = [];
    let where = 'l.hold_reason is not null and l.gate_passed_at is null';
    if (filter.tradeMode) {
      where += ' and l.trade_mode = ?';
      params.push(filter.tradeMode);
    }
    if (filter.direction) {
      where += ' and l.direction = ?';
      params.push(filter.direction);
    }
    if (filter.warehouseCode) {
      where += ' and l.warehouse_code = ?';
      params.push(filter.warehouseCode);
    }
    const band = HOLD_AGE_BANDS.map((b) =>
      b.belowHours === null ? `else '${b.band}'` : `when h.age < interval '${b.belowHours} hours' then '${b.band}'`,
    ).join(' ');
    const rows = await this.run<
      Array<{ band: string; weight_check: boolean; n: string; oldest: Date | null; as_of: Date }>
    >(
      `with h as (
         select l.held_by = 'weight-check' as weight_check, now() - l.held_at as age, l.held_at
         from inventory_list l where ${where})
       select case ${band} end as band, h.weight_check, count(*)::text as n,
         min(min(h.held_at)) over () as oldest, now() as as_of
       from h group by 1, 2`,
      params,
    );
    return { rows, oldest: rows[0]?.oldest ?? null, asOf: rows[0]?.as_of ?? new Date() };
  }
}

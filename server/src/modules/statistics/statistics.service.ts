import { Injectable } from '@nestjs/common';
import {
  CREDIT_GRADES,
  type CreditGradeTable,
  type HoldsByAge,
  type StatisticsDashboard,
  type StatisticsFilter,
  type StatisticsGroup,
  type StatisticsMeasures,
  type StatisticsRow,
  type StatisticsTable,
  type StatisticsTableQuery,
} from '@wms/contracts';
import { SqlRunner } from '../../platform/database/sql.js';
import { AppError } from '../../platform/http/app-error.js';
import { StatisticsRepository, type SummedRow } from './statistics.repository.js';
import {
  DAY_TABLE_MAX_DAYS,
  daysIn,
  HOLD_AGE_BANDS,
  percentileOfBuckets,
  share,
  TREND_DAYS_MAX,
} from './statistics.rules.js';
import { StatisticsRollupRepository } from './statistics-rollup.repository.js';

const RANGE_MAX_DAYS = 3660;

function measures(row: SummedRow | undefined, buckets: Map<number, number> | undefined): StatisticsMeasures {
  const n = (v: string | undefined) => Number(v ?? 0);
  const lists = n(row?.lists);
  const released = n(row?.released);
  const rejected = n(row?.rejected);
  const inspected = n(row?.inspected);
  return {
    lists,
    parcels: n(row?.parcels),
    value: row?.value ?? '0',
    weightGrams: n(row?.weight_grams),
    tax: row?.tax ?? '0',
    qty: row?.qty ?? '0',
    released,
    rejected,
    inspected,
    releaseRate: share(released, lists),
    rejectionRate: share(rejected, lists),
    inspectionRate: share(inspected, lists),
    releaseP50Seconds: buckets ? percentileOfBuckets(buckets, 50) : null,
    releaseP90Seconds: buckets ? percentileOfBuckets(buckets, 90) : null,
  };
}

/**
 * The customs statistics (issue 13, DOMAIN.md §11): tables by any one dimension, credit grades,
 * holds by age and the dashboard, all from the rollups the StatisticsRollupJob keeps current.
 */
@Injectable()
export class StatisticsService {
  constructor(
    private readonly stats: StatisticsRepository,
    private readonly rollups: StatisticsRollupRepository,
    private readonly sql: SqlRunner,
  ) {}

  private checkRange(filter: StatisticsFilter, group: StatisticsGroup | null): void {
    if (filter.from > filter.to)
      throw new AppError(
        'VALIDATION_FAILED',
        `the range starts (${filter.from}) after it ends (${filter.to}): swap them`,
        [{ field: 'from', problem: 'after to' }],
      );
    const days = daysIn(filter.from, filter.to);
    if (group === 'day' && days > DAY_TABLE_MAX_DAYS)
      throw new AppError(
        'VALIDATION_FAILED',
        `a table by day covers at most ${DAY_TABLE_MAX_DAYS} days (asked: ${days}): shorten the range or group by month`,
        [{ field: 'to', problem: `more than ${DAY_TABLE_MAX_DAYS} days after from` }],
      );
    if (days > RANGE_MAX_DAYS)
      throw new AppError('VALIDATION_FAILED', `a range covers at most ${RANGE_MAX_DAYS} days (asked: ${days})`, [
        { field: 'to', problem: `more than ${RANGE_MAX_DAYS} days after from` },
      ]);
  }

  async table(q: StatisticsTableQuery, withTotals = true): Promise<StatisticsTable> {
    const filter = filterOf(q);
    this.checkRange(filter, q.groupBy);
    const [rows, totals, buckets, totalBuckets] = await Promise.all([
      this.stats.grouped(q.groupBy, filter, q.sort, q.limit),
      withTotals ? this.stats.totals(filter) : undefined,
      // no release times per goods or chapter (not kept), nor for a top-10 list that shows none
      q.groupBy === 'goods' ? null : this.stats.releaseBuckets(q.groupBy, filter),
      withTotals ? this.stats.releaseBuckets(null, filter) : null,
    ]);
    const kept = rows.slice(0, q.limit);
    const grades = q.groupBy === 'ebc' ? await this.stats.gradesOf(kept.map((r) => r.key)) : null;
    return {
      groupBy: q.groupBy,
      filter,
      rows: kept.map(
        (r): StatisticsRow => ({
          key: r.key,
          label: grades ? (grades.get(r.key) ?? 'regular') : r.label,
          ...measures(r, buckets?.get(r.key)),
        }),
      ),
      totals: measures(totals, totalBuckets?.get('')),
      truncated: rows.length > q.limit,
    };
  }

  async grades(filter: StatisticsFilter): Promise<CreditGradeTable> {
    this.checkRange(filter, null);
    const rows = await this.stats.byCreditGrade(filter);
    const byGrade = new Map(rows.map((r) => [r.grade, r]));
    return {
      filter,
      rows: CREDIT_GRADES.map((grade) => {
        const r = byGrade.get(grade);
        const lists = Number(r?.lists ?? 0);
        const inspected = Number(r?.inspected ?? 0);
        return {
          grade,
          enterprises: Number(r?.enterprises ?? 0),
          lists,
          inspected,
          inspectionRate: share(inspected, lists),
        };
      }),
    };
  }

  async holds(filter: Omit<StatisticsFilter, 'from' | 'to'>): Promise<HoldsByAge> {
    const open = await this.stats.openHolds(filter);
    const rows = HOLD_AGE_BANDS.map(({ band }) => {
      const of = (weight: boolean) =>
        Number(open.rows.find((r) => r.band === band && r.weight_check === weight)?.n ?? 0);
      const customs = of(false);
      const weightCheck = of(true);
      return { band, customs, weightCheck, total: customs + weightCheck };
    });
    return {
      asOf: new Date(open.asOf).toISOString(),
      rows,
      oldestHeldAt: open.oldest ? new Date(open.oldest).toISOString() : null,
      total: rows.reduce((s, r) => s + r.total, 0),
    };
  }

  async dashboard(filter: StatisticsFilter): Promise<StatisticsDashboard> {
    this.checkRange(filter, null);
    const trendBy = daysIn(filter.from, filter.to) <= TREND_DAYS_MAX ? 'day' : 'month';
    const base = { ...filter, sort: 'key' as const, limit: 1000 };
    // the totals once (with the trend); the other tables only their rows
    const [trend, modes, goods, grades, holds, lag] = await Promise.all([
      this.table({ ...base, groupBy: trendBy }),
      this.table({ ...base, groupBy: 'tradeMode' }, false),
      this.table({ ...base, groupBy: 'goods', sort: 'value', limit: 10 }, false),
      this.grades(filter),
      this.holds(filter),
      this.sql.transaction((sql) => this.rollups.lagSeconds(sql)),
    ]);
    return {
      filter,
      totals: trend.totals,
      trend: trend.rows,
      trendBy,
      byTradeMode: modes.rows,
      topGoods: goods.rows,
      grades: grades.rows,
      holds,
      rollupLagSeconds: lag,
    };
  }
}

export function filterOf(q: StatisticsFilter): StatisticsFilter {
  return {
    from: q.from,
    to: q.to,
    ...(q.tradeMode ? { tradeMode: q.tradeMode } : {}),
    ...(q.direction ? { direction: q.direction } : {}),
    ...(q.warehouseCode ? { warehouseCode: q.warehouseCode } : {}),
  };
}

import { z } from 'zod';
import { creditGrade } from './credit.js';

/**
 * Statistics from the declaration data (issue 13, DOMAIN.md §11): what the customs console's
 * statistics area asks and gets. Every figure comes from pre-aggregated rollups of the declared
 * lists and their receipts; the definitions are in the server's statistics.rules.ts.
 */
export const TRADE_MODES = ['1210', '1239', '9610', '9710', '9810'] as const;
export const STATISTICS_GROUPS = [
  'day',
  'month',
  'tradeMode',
  'direction',
  'warehouse',
  'ebp',
  'ebc',
  'logistics',
  'country',
  'chapter',
  'goods',
] as const;
export type StatisticsGroup = (typeof STATISTICS_GROUPS)[number];

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'not a calendar day',
    },
  );

/** The filters every statistics table takes: a range of days (site-local day of declaration) and the cell's fixed dimensions. */
export const statisticsFilter = z.strictObject({
  from: isoDay.describe('First day (site-local day of declaration), YYYY-MM-DD').meta({ example: '2026-11-01' }),
  to: isoDay.describe('Last day, included, YYYY-MM-DD').meta({ example: '2026-11-30' }),
  tradeMode: z.enum(TRADE_MODES).optional().describe('Only lists of this customs supervision mode'),
  direction: z.enum(['import', 'export']).optional().describe('Only import or only export lists'),
  warehouseCode: z.string().trim().min(1).max(30).optional().describe('Only this site (warehouse code)'),
});
export type StatisticsFilter = z.infer<typeof statisticsFilter>;

export const statisticsTableQuery = statisticsFilter.extend({
  groupBy: z.enum(STATISTICS_GROUPS).default('day').describe('One row per day, month, trade mode, … or goods'),
  sort: z
    .enum(['key', 'lists', 'value', 'weight', 'tax'])
    .default('key')
    .describe('Row order: by the group key ascending, or by a measure descending'),
  limit: z.coerce.number().int().min(1).max(5000).default(1000).describe('At most this many rows'),
});
export type StatisticsTableQuery = z.infer<typeof statisticsTableQuery>;

export const statisticsExportQuery = statisticsTableQuery.extend({
  table: z
    .enum(['summary', 'grades', 'holds'])
    .default('summary')
    .describe('summary: the table grouped by groupBy; grades: inspection by credit grade; holds: open holds by age'),
  format: z.enum(['csv', 'xlsx']).default('csv').describe('CSV (UTF-8 with BOM) or XLSX'),
});
export type StatisticsExportQuery = z.infer<typeof statisticsExportQuery>;

const rate = z.number().nullable().describe('Share of the lists, 0–1 (4 decimals); null with no lists');

/** The measures of one row (or of the totals). Money in decimal strings (CNY as declared), weight in grams. */
export const statisticsMeasures = z.object({
  lists: z.number().int().describe('Declared inventory lists (not cancelled)'),
  parcels: z.number().int().describe('Parcels on them (packNo)'),
  value: z.string().describe('Goods value: the sum of the line totals').meta({ example: '1234.50000' }),
  weightGrams: z.number().int().describe('Gross weight declared on the lists, in grams'),
  tax: z.string().describe('Taxes of their orders (taxTotal)'),
  qty: z.string().describe('Quantity in the first legal unit (meaningful per goods row)'),
  released: z.number().int().describe('Lists released by customs (an 800 receipt took effect)'),
  rejected: z.number().int().describe('Lists rejected at least once (a 100 or negative receipt)'),
  inspected: z.number().int().describe('Lists picked for inspection (a 500 receipt)'),
  releaseRate: rate,
  rejectionRate: rate,
  inspectionRate: rate,
  releaseP50Seconds: z
    .number()
    .nullable()
    .describe('Median time from declaration to release, from log buckets 2^(1/4) wide (within ±9.1%)'),
  releaseP90Seconds: z.number().nullable().describe('90th percentile of the time from declaration to release'),
});
export type StatisticsMeasures = z.infer<typeof statisticsMeasures>;

export const statisticsRow = statisticsMeasures.extend({
  key: z
    .string()
    .describe('The group: a day, a month (YYYY-MM), a trade mode, a code …')
    .meta({ example: '2026-11-03' }),
  label: z.string().nullable().describe('A name for the key where one is known (goods name, credit grade)'),
});
export type StatisticsRow = z.infer<typeof statisticsRow>;

export const statisticsTable = z.object({
  groupBy: z.enum(STATISTICS_GROUPS),
  filter: statisticsFilter,
  rows: z.array(statisticsRow),
  totals: statisticsMeasures,
  truncated: z.boolean().describe('More rows matched than the limit'),
});
export type StatisticsTable = z.infer<typeof statisticsTable>;

export const creditGradeRow = z.object({
  grade: creditGrade,
  enterprises: z.number().int().describe('E-commerce companies of this grade with lists in the range'),
  lists: z.number().int(),
  inspected: z.number().int(),
  inspectionRate: rate,
});
export const creditGradeTable = z.object({
  filter: statisticsFilter,
  rows: z.array(creditGradeRow).describe('One row per grade, in the order of the credit rules (highest first)'),
});
export type CreditGradeTable = z.infer<typeof creditGradeTable>;

export const holdAgeRow = z.object({
  band: z.string().describe('Age of the hold: <1h, 1–24h, 1–3d, 3–7d, 7–30d, 30d+').meta({ example: '1–3d' }),
  customs: z.number().int().describe('Parcels held by customs'),
  weightCheck: z.number().int().describe('Parcels on the warehouse’s weight-check hold'),
  total: z.number().int(),
});
export const holdsByAge = z.object({
  asOf: z.string().describe('When the ages were taken (ISO time)'),
  rows: z.array(holdAgeRow),
  oldestHeldAt: z.string().nullable(),
  total: z.number().int(),
});
export type HoldsByAge = z.infer<typeof holdsByAge>;

export const statisticsDashboard = z.object({
  filter: statisticsFilter,
  totals: statisticsMeasures,
  trend: z.array(statisticsRow).describe('By day (ranges up to 62 days) or by month'),
  trendBy: z.enum(['day', 'month']),
  byTradeMode: z.array(statisticsRow),
  topGoods: z.array(statisticsRow).describe('The 10 goods (HS codes) of highest value'),
  grades: z.array(creditGradeRow),
  holds: holdsByAge,
  rollupLagSeconds: z
    .number()
    .nullable()
    .describe('Age of the oldest change the rollups have not taken yet (null: they are current)'),
});
export type StatisticsDashboard = z.infer<typeof statisticsDashboard>;

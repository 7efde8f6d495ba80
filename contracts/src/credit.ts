import { z } from 'zod';

/**
 * Credit-graded inspection (issue 13, DOMAIN.md §8): the five grades of the customs enterprise
 * credit rules in force from 2026-04-01, the share of lists picked for inspection per grade, and
 * the one rule both the customs simulator and the WMS's own pre-selection follow: a list is picked
 * when its draw (a number in [0, 1) from a seed and the list's key) is below its rate.
 */
export const CREDIT_GRADES = [
  'advanced_certified',
  'certified',
  'regular',
  'dishonest',
  'seriously_dishonest',
] as const;
export const creditGrade = z
  .enum(CREDIT_GRADES)
  .describe(
    'Customs credit grade: advanced_certified 高级认证, certified 认证, regular 常规, dishonest 失信, seriously_dishonest 严重失信',
  );
export type CreditGrade = z.infer<typeof creditGrade>;

/** An enterprise without a grade is regular (常规): the grade every registered enterprise starts with. */
export const DEFAULT_GRADE: CreditGrade = 'regular';

export const CREDIT_GRADE_LABELS: Record<CreditGrade, { zh: string; en: string }> = {
  advanced_certified: { zh: '高级认证企业', en: 'Advanced certified' },
  certified: { zh: '认证企业', en: 'Certified' },
  regular: { zh: '常规管理企业', en: 'Regular' },
  dishonest: { zh: '失信企业', en: 'Dishonest' },
  seriously_dishonest: { zh: '严重失信企业', en: 'Seriously dishonest' },
};

/** The B2B export modes that may have a lower rate (DOMAIN.md §8: 9710 direct, 9810 via overseas warehouse). */
export const B2B_TRADE_MODES = ['9710', '9810'] as const;

export const PPM = 1_000_000;
const ppm = z.int32().min(0).max(PPM);

export const gradeRate = z.strictObject({
  ratePpm: ppm.describe('Share of lists picked for inspection, in parts per million (30000 = 3 %)'),
  b2bRatePpm: ppm
    .nullable()
    .describe('The rate for B2B exports (trade mode 9710/9810), in ppm; null: the grade’s own rate'),
});
export type GradeRate = z.infer<typeof gradeRate>;

/**
 * Defaults (DOMAIN.md §8; the same rows migration 0965 writes). Published practice: advanced
 * certified firms are inspected at under 20 % of the regular rate, dishonest ones at 80 % or more
 * (2019 averages 0.57 % vs 84.76 %). Regular 3 %; advanced certified 0.5 % (< 20 % of 3 % = 0.6 %);
 * certified 1.5 %, between the two; dishonest 80 %; seriously dishonest 95 % (no published figure:
 * above dishonest). Lower B2B rates for the honest grades only.
 */
export const DEFAULT_INSPECTION_RATES: Record<CreditGrade, GradeRate> = {
  advanced_certified: { ratePpm: 5_000, b2bRatePpm: 3_000 },
  certified: { ratePpm: 15_000, b2bRatePpm: 10_000 },
  regular: { ratePpm: 30_000, b2bRatePpm: 20_000 },
  dishonest: { ratePpm: 800_000, b2bRatePpm: null },
  seriously_dishonest: { ratePpm: 950_000, b2bRatePpm: null },
};

/** What a selector needs: each graded enterprise's grade and each grade's rates. */
export const creditTable = z.strictObject({
  grades: z
    .record(z.string().min(1).max(40), creditGrade)
    .describe('Enterprise code (the ebcCode on the lists) → grade; enterprises not named are regular'),
  rates: z
    .partialRecord(creditGrade, gradeRate)
    .describe('Rates per grade; a grade not named takes the default of DOMAIN.md §8'),
});
export type CreditTable = z.infer<typeof creditTable>;

/** The grade of an enterprise and the rate (ppm) that applies to one of its lists. */
export function inspectionRateOf(
  table: CreditTable,
  enterpriseCode: string,
  tradeMode?: string | null,
): { grade: CreditGrade; ratePpm: number; b2b: boolean } {
  const grade = table.grades[enterpriseCode] ?? DEFAULT_GRADE;
  const rate = table.rates[grade] ?? DEFAULT_INSPECTION_RATES[grade];
  const b2b = (B2B_TRADE_MODES as readonly string[]).includes(tradeMode ?? '') && rate.b2bRatePpm !== null;
  return { grade, ratePpm: b2b ? (rate.b2bRatePpm as number) : rate.ratePpm, b2b };
}

/** A list is picked when its draw in [0, 1) is below its rate: over many lists the share is the rate. */
export function pickedForInspection(draw: number, ratePpm: number): boolean {
  return draw * PPM < ratePpm;
}

/** `3 %`, `0.5 %`, `95 %` from ppm, for messages. */
export function percentOfPpm(value: number): string {
  return `${Number((value / 10_000).toFixed(4))} %`;
}

// ——— Admin API (configuration: admin / supervisor, never the customs console) ———

export const enterpriseCodeParam = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'an enterprise code: letters, digits, - and _, up to 40')
  .describe('Enterprise code as the lists carry it (ebcCode)')
  .meta({ example: 'SELLER-DEMO' });

export const enterpriseCreditInput = z.strictObject({
  grade: creditGrade,
  name: z.string().trim().min(1).max(200).optional().describe('Enterprise name (kept with the grade)'),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe('Why: the customs notice or decision, e.g. “海关公告 2026-12 认证企业名单”'),
});
export type EnterpriseCreditInput = z.infer<typeof enterpriseCreditInput>;

export const enterpriseCredit = z.object({
  enterpriseCode: z.string(),
  name: z.string().nullable(),
  grade: creditGrade,
  gradedAt: z.string().describe('ISO time since when the grade holds'),
  gradedBy: z.string().nullable(),
});
export type EnterpriseCredit = z.infer<typeof enterpriseCredit>;

export const enterpriseCreditListed = z.object({ items: z.array(enterpriseCredit) });

export const enterpriseCreditChange = z.object({
  grade: creditGrade,
  previousGrade: z.string().nullable().describe('The grade before this change; null for the first grade'),
  reason: z.string().nullable(),
  gradedAt: z.string(),
  gradedBy: z.string().nullable(),
});
export const enterpriseCreditDetail = enterpriseCredit.extend({ history: z.array(enterpriseCreditChange) });

export const inspectionRateRow = gradeRate.extend({
  grade: creditGrade,
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export const inspectionRatesListed = z.object({ items: z.array(inspectionRateRow) });

export const inspectionRatesInput = z.strictObject({
  rates: z
    .partialRecord(creditGrade, gradeRate)
    .refine((r) => Object.keys(r).length > 0, 'name at least one grade')
    .describe('The grades to change, each with its rate and B2B rate in ppm'),
});
export type InspectionRatesInput = z.infer<typeof inspectionRatesInput>;

// ——— The customs console: actual against configured inspection rates ———

const isoDate = z.iso.date();

export const inspectionRatesQuery = z.strictObject({
  from: isoDate
    .optional()
    .describe('First day (YYYY-MM-DD, customs time UTC+8) of the lists declared; default 30 days ago'),
  to: isoDate.optional().describe('Last day (YYYY-MM-DD, customs time UTC+8), inclusive; default today'),
  warehouseCode: z.string().trim().min(1).max(30).optional().describe('Only the lists of this warehouse'),
  grade: creditGrade.optional().describe('Only the enterprises of this grade'),
});
export type InspectionRatesQuery = z.infer<typeof inspectionRatesQuery>;

export const inspectionRatesExportQuery = inspectionRatesQuery.extend({
  format: z.enum(['csv', 'xlsx']).describe('The file: CSV (UTF-8 with BOM) or XLSX'),
});
export type InspectionRatesExportQuery = z.infer<typeof inspectionRatesExportQuery>;

const rateFigures = {
  lists: z.number().int().describe('Lists declared in the period that customs answered (a receipt of 100 or more)'),
  inspected: z.number().int().describe('Of those, lists that got a 500 (inspection) receipt'),
  actualRate: z.number().describe('inspected / lists (0..1); 0 when no list'),
  configuredRate: z
    .number()
    .describe('The configured rate of these lists (0..1): the mean of each list’s rate (B2B lists at the B2B rate)'),
  bound: z
    .number()
    .describe(
      '4 standard deviations of the binomial share at the configured rate (0..1): actual within configured ± bound',
    ),
  withinBound: z.boolean(),
};

export const gradeInspectionRate = z.object({
  grade: creditGrade,
  ratePpm: z.number().int().describe('The grade’s configured rate now (ppm)'),
  b2bRatePpm: z.number().int().nullable(),
  enterprises: z.number().int().describe('Enterprises of this grade with lists in the period'),
  ...rateFigures,
});
export const enterpriseInspectionRate = z.object({
  enterpriseCode: z.string(),
  name: z.string().nullable(),
  grade: creditGrade,
  ...rateFigures,
});
export const inspectionRatesAnswer = z.object({
  from: z.string(),
  to: z.string(),
  warehouseCode: z.string().nullable(),
  total: z.object(rateFigures),
  grades: z.array(gradeInspectionRate).describe('One row per grade, all five, in grade order'),
  enterprises: z.array(enterpriseInspectionRate).describe('One row per enterprise with lists, by grade then code'),
});
export type InspectionRatesAnswer = z.infer<typeof inspectionRatesAnswer>;

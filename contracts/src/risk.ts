import { z } from 'zod';

/**
 * Risk warnings (issue 13, DOMAIN.md §8): rules configurable per site (warehouse), each warning
 * with its reason and the evidence it was raised on. Amounts are decimal strings (CNY), weights
 * grams, temperatures tenths of a degree Celsius, shares whole percent.
 */
export const RISK_RULES = [
  'weight-deviation',
  'low-value',
  'buyer-limit',
  'shared-consignee',
  'shared-payer',
  'frequent-returns',
  'special-goods',
  'cold-chain',
] as const;
export type RiskRuleName = (typeof RISK_RULES)[number];

const cny = z
  .string()
  .regex(/^\d{1,14}(\.\d{1,5})?$/, 'a decimal amount in CNY such as "26000"')
  .describe('CNY, a decimal string');
const days = (what: string) => z.int32().min(1).max(3660).describe(what);

/** The steps of a parcel the special-goods rule follows (from the trace, DOMAIN.md §7). */
export const TRACKED_STEPS = ['receiving', 'storing', 'picking', 'packing', 'weighing', 'departing'] as const;
export type TrackedStep = (typeof TRACKED_STEPS)[number];

/** Each rule's parameters, every one with its default: a site sends only what it changes. */
export const riskRuleParams = {
  'weight-deviation': z.strictObject({
    severity: z.enum(['notice', 'warning', 'high']).default('high'),
  }),
  'low-value': z.strictObject({
    bandPct: z.int32().min(1).max(100).default(50).describe('Warn below this share of the reference unit value'),
    windowDays: days(
      'The reference is the median of the site’s declared unit prices of the HS code over this window',
    ).default(180),
    minSamples: z
      .int32()
      .min(1)
      .max(10_000)
      .default(5)
      .describe('Fewer earlier lines of the HS code: no reference, no warning'),
  }),
  'buyer-limit': z.strictObject({
    yearLimitCny: cny.default('26000'),
    orderLimitCny: cny.default('5000'),
    approachPct: z
      .int32()
      .min(1)
      .max(100)
      .default(80)
      .describe('Warn when the buyer’s year reaches this share of the limit'),
  }),
  'shared-consignee': z.strictObject({
    maxBuyers: z
      .int32()
      .min(2)
      .max(1000)
      .default(3)
      .describe('This many different buyers on one address or phone is a warning'),
    windowDays: days('Orders over this window').default(30),
  }),
  'shared-payer': z.strictObject({
    maxBuyers: z
      .int32()
      .min(2)
      .max(1000)
      .default(3)
      .describe('One payer paying for this many different buyers is a warning'),
    windowDays: days('Payments over this window').default(30),
  }),
  'frequent-returns': z.strictObject({
    maxReturns: z
      .int32()
      .min(1)
      .max(1000)
      .default(3)
      .describe('This many returns of one buyer or consignee is a warning'),
    windowDays: days('Returns over this window').default(90),
  }),
  'special-goods': z.strictObject({
    hsPrefixes: z
      .array(z.string().regex(/^\d{2,10}$/, 'HS code digits, e.g. 8211'))
      .max(500)
      .default(['8211', '9307'])
      .describe('Goods whose HS code starts with one of these (8211 knives, 9307 swords)'),
    skus: z.array(z.string().min(1).max(61)).max(5000).default([]).describe('Goods by SKU, or OWNER/SKU'),
    requires: z
      .array(z.strictObject({ step: z.enum(TRACKED_STEPS), after: z.array(z.enum(TRACKED_STEPS)).min(1) }))
      .max(20)
      .default([
        { step: 'picking', after: ['storing'] },
        { step: 'packing', after: ['picking'] },
        { step: 'departing', after: ['picking', 'weighing'] },
      ])
      .describe('A step seen without the steps it needs before it is a warning'),
  }),
  'cold-chain': z.strictObject({
    minDeciC: z
      .int32()
      .min(-2000)
      .max(2000)
      .default(20)
      .describe('Lower end of the range when the zone sets none (tenths °C)'),
    maxDeciC: z.int32().min(-2000).max(2000).default(80).describe('Upper end when the zone sets none (tenths °C)'),
    maxExcursionS: z
      .int32()
      .min(0)
      .max(86_400)
      .default(600)
      .describe('Outside the range for longer than this is an excursion'),
  }),
} as const satisfies Record<RiskRuleName, z.ZodType>;

export type RiskRuleParams = { [K in RiskRuleName]: z.output<(typeof riskRuleParams)[K]> };

/** `PUT /api/warehouses/:code/risk-rules/:rule`: on or off, and the parameters it changes. */
export const riskRuleInput = z.strictObject({
  enabled: z.boolean().default(true),
  params: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('The rule’s parameters; missing ones keep their default'),
});
export type RiskRuleInput = z.infer<typeof riskRuleInput>;

export const riskRule = z.object({
  warehouseCode: z.string(),
  rule: z.enum(RISK_RULES),
  enabled: z.boolean(),
  params: z.record(z.string(), z.unknown()),
  configured: z.boolean().describe('false: the defaults, never changed for this site'),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export const riskRules = z.object({ warehouseCode: z.string(), rules: z.array(riskRule) });

export const WARNING_STATUSES = ['open', 'held', 'dismissed'] as const;

export const riskWarning = z.object({
  id: z.uuid(),
  warehouseCode: z.string(),
  rule: z.enum(RISK_RULES),
  subjectKind: z.enum(['parcel', 'buyer', 'consignee', 'payer', 'sensor']),
  subjectId: z.string(),
  logisticsNo: z.string().nullable().describe('The parcel a hold would stop'),
  severity: z.enum(['notice', 'warning', 'high']),
  reason: z.string(),
  evidence: z.record(z.string(), z.unknown()).describe('The numbers and the rows the rule looked at'),
  status: z.enum(WARNING_STATUSES),
  occurrences: z.number().int(),
  raisedAt: z.string(),
  updatedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type RiskWarning = z.infer<typeof riskWarning>;

export const riskWarningsQuery = z.strictObject({
  status: z.enum(WARNING_STATUSES).optional().describe('Only open, held (turned into a hold) or dismissed ones'),
  rule: z.enum(RISK_RULES).optional().describe('Only this rule’s warnings'),
  warehouseCode: z.string().trim().min(1).max(30).optional().describe('Only this site'),
  logisticsNo: z.string().trim().min(1).max(60).optional().describe('Only the warnings about this parcel'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many, newest change first'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Warnings to skip (the next page)'),
});
export type RiskWarningsQuery = z.infer<typeof riskWarningsQuery>;

export const riskWarnings = z.object({
  items: z.array(riskWarning),
  total: z.number().int().describe('Warnings matching the filters, counted up to 1,000 (1,000: at least)'),
  open: z.number().int().describe('Open warnings matching the filters but the status, counted up to 1,000'),
});

/** `POST /api/customs/warnings/:id/hold`: the reason defaults to the warning's. */
export const warningHoldInput = z
  .strictObject({ reason: z.string().trim().min(3).max(500).optional() })
  .optional()
  .default({});
export const warningHeld = z.object({
  warning: riskWarning,
  logisticsNo: z.string(),
  held: z.literal(true),
  reason: z.string(),
});

/** `POST /api/risk/warnings/:id/dismiss` (supervisor): why it is no risk. */
export const warningDismissInput = z.strictObject({ note: z.string().trim().min(3).max(500) });

/** `PUT /api/risk/temperature-sensors/:deviceId`: which zone a probe watches. */
export const temperatureSensorInput = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30),
  zoneCode: z.string().trim().min(1).max(30),
});
export const temperatureSensor = z.object({ deviceId: z.string(), warehouseCode: z.string(), zoneCode: z.string() });

import { z } from 'zod';
import { int4, uniqueBy } from '../../../platform/http/zod-fields.js';

export const holdInput = z.strictObject({
  logisticsNo: z.string().trim().min(1).max(60),
  reason: z.string().trim().min(3).max(500),
});

/** Why a hold is lifted: a supervisor lifting the weight-check hold says what the re-weighing showed. */
export const liftInput = z.strictObject({ reason: z.string().trim().min(3).max(500).optional() }).optional();

export const cancelInput = z.strictObject({ reason: z.string().trim().min(3).max(500) });

export const returnInput = z.strictObject({
  logisticsNo: z.string().trim().min(1).max(60),
  reason: z.string().trim().min(3).max(500),
  /** Lines coming back (by gnum); all of the list when omitted. */
  lines: z
    .array(z.strictObject({ gnum: int4().min(1), units: int4().positive() }))
    .min(1)
    .max(999)
    .superRefine(uniqueBy((l) => String(l.gnum), 'line (gnum)'))
    .optional(),
});

export const receiveReturnInput = z.strictObject({
  location: z.string().trim().min(1).max(30),
  batch: z.string().trim().max(20).default('RETURN'),
});

export const summaryInput = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .describe('The month summarised, YYYY-MM (9610 lists released in it).'),
  ebcCode: z.string().trim().min(1).max(18).optional(),
});

export type HoldInput = z.infer<typeof holdInput>;
export type ReturnInput = z.infer<typeof returnInput>;
export type ReceiveReturnInput = z.infer<typeof receiveReturnInput>;
export type SummaryInput = z.infer<typeof summaryInput>;

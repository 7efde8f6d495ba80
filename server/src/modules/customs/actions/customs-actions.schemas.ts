import { z } from 'zod';
import { int4, uniqueBy } from '../../../platform/http/zod-fields.js';

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

export type ReturnInput = z.infer<typeof returnInput>;
export type ReceiveReturnInput = z.infer<typeof receiveReturnInput>;
export type SummaryInput = z.infer<typeof summaryInput>;

// ---------------------------------------------------------------- answers
// What the customs action routes answer, for the OpenAPI document; the fuzzer checks real answers.

const written = {
  guid: z.string().describe("The message's guid: its receipts name it"),
  fileName: z.string().describe('The file written to the single-window outbox').meta({ example: 'CEB625_….xml' }),
};

export const cancelWritten = z.object({ cancelNo: z.string(), ...written });
export const returnDeclared = z.object({ returnNo: z.string().meta({ example: 'RT2026120100000001' }), ...written });
export const returnReceived = z.object({
  returnNo: z.string(),
  units: z.number().int().describe('Units back on the book and the shelf'),
  location: z.string(),
});
export const summariesWritten = z.object({
  month: z.string().meta({ example: '2026-11' }),
  summaries: z
    .array(
      z.object({
        id: z.string().describe('GET /api/customs/summaries/{id}'),
        copNo: z.string(),
        ...written,
        ebcCode: z.string(),
        lists: z.number().int().describe('Export lists it covers'),
      }),
    )
    .describe('One application per e-commerce company, agent, customs district and site'),
  skipped: z.array(z.object({ listId: z.string(), reason: z.string() })).describe('Lists left out, with why'),
});
export const summaryDetail = z.object({
  id: z.string(),
  copNo: z.string(),
  guid: z.string(),
  ebcCode: z.string(),
  periodStart: z.string().meta({ example: '2026-11-01' }),
  periodEnd: z.string().meta({ example: '2026-11-30' }),
  sumNo: z.string().nullable().describe("Customs' summary number, from the receipt"),
  status: z.number().int().nullable(),
  statusInfo: z.string().nullable(),
  entryId: z.string().nullable(),
  lists: z
    .array(
      z.object({
        copNo: z.string(),
        invtNo: z.string().nullable(),
        logisticsNo: z.string(),
        entryId: z.string().nullable(),
      }),
    )
    .nullable()
    .describe('The export lists it covers'),
});

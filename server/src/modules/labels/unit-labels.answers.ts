import { z } from 'zod';

/** Requests and answers of the bag and pallet label routes (OpenAPI; the fuzzer checks answers against them). */

const sscc = z.string().describe('The SSCC printed on the bag or pallet').meta({ example: '169000000000000012' });

export const unitLabelPrinted = z.object({
  sscc,
  jobId: z.string().meta({ example: 'ULB-169000000000000012' }),
  reprint: z.number().int().min(0).describe('0 for the first print, then 1, 2, …'),
  deviceId: z.string(),
  status: z.enum(['sent', 'done', 'failed', 'timeout']).describe("The printer's answer"),
  reason: z.string().nullable().describe('Why it did not print, in the printer agent’s words'),
  parcels: z.number().int().min(0).nullable().describe('The contents count the label shows (none on an empty unit)'),
  grossGrams: z
    .number()
    .int()
    .min(0)
    .nullable()
    .describe('The gross weight the label shows: parcels as weighed plus the bag or pallet, once all were weighed'),
  message: z.string().meta({ example: 'label of bag 169000000000000012 printed on PRN-1: stick it on' }),
  zh: z.object({ message: z.string() }),
});

export const ssccParam = z
  .string()
  .trim()
  .regex(/^\d{18}$/, 'an SSCC is 18 digits')
  .describe('The SSCC of the bag or pallet (18 digits)')
  .meta({ example: '169000000000000012' });

export const unitLabelInput = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30).describe('The warehouse the unit is in').meta({ example: 'BC01' }),
  stationId: z.string().trim().min(1).max(40).describe('The station whose printer prints it').meta({ example: 'ST01' }),
  reprint: z
    .strictObject({ reason: z.string().trim().min(3).max(500) })
    .optional()
    .describe('Needed once the label was printed: why it is printed again (recorded).'),
});

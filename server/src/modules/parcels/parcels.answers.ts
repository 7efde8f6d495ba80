import { z } from 'zod';

/** What the parcels routes answer, for the OpenAPI document; the fuzzer checks real answers against them. */

const logisticsNo = z.string().meta({ example: 'SF1234567890' });
const sscc = z.string().describe('The SSCC printed on the bag or pallet').meta({ example: '169000000000000012' });
const count = z.number().int().min(0);

export const weightChecked = z.object({
  logisticsNo,
  within: z.boolean(),
  grossGrams: z.number().int().describe('What the station scale weighed'),
  declaredGrams: z.number().int().nullable(),
  expectedGrams: z.number().int().nullable().describe('From the goods master, when every item has a weight'),
  toleranceGrams: z.number().int(),
  message: z.string().meta({ example: 'weight 1.250 kg matches (tolerance 50 g)' }),
  held: z.boolean().describe('Outside tolerance: the parcel is held for review'),
});

export const labelPrinted = z.object({
  logisticsNo,
  sscc,
  jobId: z.string().meta({ example: 'LBL-169000000000000012' }),
  reprint: count.describe('0 for the first print, then 1, 2, …'),
  deviceId: z.string(),
  status: z.enum(['sent', 'done', 'failed', 'timeout']).describe("The printer's answer"),
  reason: z.string().nullable(),
});

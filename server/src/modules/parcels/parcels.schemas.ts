import { z } from 'zod';

/** What the parcels routes take: request bodies and query strings. */

export const weighInput = z.strictObject({
  logisticsNo: z.string().trim().min(1).max(60).meta({ example: 'SF1234567890' }),
  stationId: z.string().trim().min(1).max(40).meta({ example: 'ST01' }),
});

export const labelInput = z.strictObject({
  stationId: z.string().trim().min(1).max(40).meta({ example: 'ST01' }),
  reprint: z
    .strictObject({ reason: z.string().trim().min(3).max(500) })
    .optional()
    .describe('Only with a reason: the first print happens once.'),
});

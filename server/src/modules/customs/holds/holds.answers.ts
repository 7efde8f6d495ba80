import { INSPECTION_RESULTS, PARCEL_SITUATIONS } from '@wms/contracts';
import { z } from 'zod';
import { dbTime, isoTime, rowId } from '../../../platform/http/answer-fields.js';
import { listAnswer } from '../declarations/declarations.answers.js';

/** What the holds and inspection routes answer, for the OpenAPI document; the fuzzer checks real answers. */

const logisticsNo = z.string().meta({ example: 'SF1234567890' });
export const signedBy = z
  .object({
    userId: z.string().describe("The officer's user id"),
    username: z.string().meta({ example: 'customs' }),
    name: z.string().describe("The officer's name as signed").meta({ example: 'Officer Wang' }),
  })
  .describe('Who signed the action');

export const holdPlaced = z.object({ logisticsNo, held: z.literal(true), reason: z.string(), signedBy, at: dbTime });
export const holdLifted = z.object({
  logisticsNo,
  held: z.literal(false),
  reason: z.string().describe('Why it was lifted'),
  liftedHold: z.string().describe('The hold that was lifted'),
  signedBy,
  at: isoTime,
});

export const situationCounts = z.object({
  warehouseCode: z.string().nullable(),
  overdueHours: z.number().int(),
  counts: z
    .object(
      Object.fromEntries(PARCEL_SITUATIONS.map((s) => [s, z.number().int()])) as Record<
        (typeof PARCEL_SITUATIONS)[number],
        z.ZodNumber
      >,
    )
    .describe('Parcels per situation (a parcel held under inspection counts in both)'),
});

const holdRecord = z.object({
  id: rowId,
  reason: z.string(),
  placedBy: signedBy,
  placedAt: dbTime,
  liftReason: z.string().nullable(),
  liftedBy: signedBy.nullable(),
  liftedAt: dbTime.nullable(),
});

export const inspectionRecord = z.object({
  id: rowId,
  result: z.enum(INSPECTION_RESULTS),
  notes: z.string(),
  customsStatus: z.number().int().nullable().describe('The customs status when it was recorded'),
  signedBy,
  at: dbTime,
  photos: z.array(z.object({ id: z.string(), type: z.string(), url: z.string() })),
});

export const inspectionRecorded = z.object({
  id: rowId.describe('The result: attach photos at /api/customs/inspection-results/{id}/photos'),
  logisticsNo,
  result: z.enum(INSPECTION_RESULTS),
  notes: z.string(),
  customsStatus: z.number().int().nullable(),
  held: z.boolean().describe('Whether the parcel is held now'),
  next: z.string().describe('What the WMS does with the parcel now'),
  signedBy,
  at: dbTime,
});

export const inspectionPhotoStored = z.object({
  id: z.uuid(),
  inspectionId: rowId,
  logisticsNo,
  bytes: z.int(),
  type: z.enum(['image/jpeg', 'image/png']),
  url: z.string(),
});

export const inspectionQueue = z.object({
  items: z.array(
    z.object({
      parcel: listAnswer,
      holds: z.array(holdRecord).describe('Every customs hold of the parcel, oldest first, signed'),
      results: z.array(inspectionRecord).describe('Inspection results recorded, oldest first'),
    }),
  ),
  total: z.number().int(),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable(),
});

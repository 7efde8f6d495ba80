import { z } from 'zod';
import { bookLineRef, isoTime } from '../../platform/http/answer-fields.js';

export const gatePass = z.strictObject({
  logisticsNo: z.string().trim().min(1).max(60).describe("The parcel's waybill number as scanned."),
  logisticsCode: z.string().trim().min(1).max(18).optional(),
  readPoint: z
    .string()
    .trim()
    .max(60)
    .optional()
    .describe('Where it was read (gate station/device), kept in the trace.'),
});
export type GatePass = z.infer<typeof gatePass>;

export const packParcel = z.strictObject({
  readPoint: z.string().trim().max(60).optional(),
});

// ---------------------------------------------------------------- answers

export const parcelPacked = z.object({
  logisticsNo: z.string().meta({ example: 'SF1234567890' }),
  copNo: z.string(),
  picks: z
    .array(
      z.object({
        bookLine: bookLineRef.nullable(),
        ownerCode: z.string(),
        sku: z.string(),
        batch: z.string(),
        location: z.string(),
        qty: z.number().int(),
      }),
    )
    .describe('What went into the parcel, oldest batch first'),
});

export const gatePassed = z.object({
  logisticsNo: z.string().meta({ example: 'SF1234567890' }),
  copNo: z.string(),
  gatePassNo: z.string(),
  at: isoTime,
});

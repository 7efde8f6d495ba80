import { z } from 'zod';
import { bookLineRef, isoTime } from '../../platform/http/answer-fields.js';

export const bondedEntry = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(20).meta({ example: 'BC01' }),
  docNo: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .describe('The entry verification list (核注清单) or entry declaration that brings the goods onto the book.'),
  ownerCode: z.string().trim().min(1).max(18).meta({ example: 'F0' }),
  lines: z
    .array(
      z.strictObject({
        sku: z.string().trim().min(1).max(30).meta({ example: 'SKU1' }),
        batch: z.string().trim().max(20).default(''),
        qty: z.number().int().positive().max(10_000_000),
        location: z.string().trim().min(1).max(30).meta({ example: 'A-01' }),
      }),
    )
    .min(1)
    .max(10_000),
});
export type BondedEntry = z.infer<typeof bondedEntry>;

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

export const entryBooked = z.object({
  docNo: z.string().describe('The entry document the goods came in under'),
  units: z.number().int().describe('Units booked and shelved'),
  lines: z.number().int().describe('Movements placed (one per goods, batch and location)'),
});

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

import { z } from 'zod';
import { bookLineRef, isoTime } from '../../platform/http/answer-fields.js';
import { warehouseCode, warehouseQuery } from '../floor/floor.schemas.js';

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

// ---------------------------------------------------------------- floor inputs: waves, picks, bags/pallets, trips

export const waveInput = z.strictObject({
  warehouseCode,
  maxParcels: z.number().int().min(1).max(5000).default(200).describe('At most this many parcels in the wave.'),
});

export const shortInput = z.strictObject({ reason: z.string().trim().min(3).max(500) });

export const wavesQuery = warehouseQuery.extend({
  status: z.enum(['open', 'done']).default('open').describe('open: tasks left to pick'),
});

export const unitInput = z.strictObject({
  warehouseCode,
  kind: z.enum(['bag', 'pallet']),
  stationId: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .optional()
    .describe("The station whose printer prints the unit's label at once; without it nothing prints.")
    .meta({ example: 'ST01' }),
});

export const tripInput = z.strictObject({
  warehouseCode,
  plate: z.string().trim().min(2).max(20).describe("The vehicle's plate, as on the gate camera."),
});

export const departInput = z.strictObject({
  vehicleTareKg: z
    .number()
    .positive()
    .max(100_000)
    .describe("The empty vehicle's weight and the loaded vehicle on the weighbridge, kg."),
  weighedGrossKg: z.number().positive().max(200_000),
  readPoint: z.string().trim().max(60).optional(),
});

export const tripsQuery = warehouseQuery.extend({
  status: z.enum(['loading', 'departed']).default('loading').describe('Which trips'),
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
  inspection: z
    .object({
      grade: z.string().describe('The owner’s customs credit grade'),
      ratePpm: z.number().int().describe('The inspection rate that picked it (ppm)'),
      b2b: z.boolean(),
      reason: z.string(),
    })
    .nullable()
    .describe(
      'Pre-selected for inspection by the owner’s credit grade (issue 13): the parcel is held; take it to the inspection area',
    ),
});

export const gatePassed = z.object({
  logisticsNo: z.string().meta({ example: 'SF1234567890' }),
  copNo: z.string(),
  gatePassNo: z.string(),
  at: isoTime,
});

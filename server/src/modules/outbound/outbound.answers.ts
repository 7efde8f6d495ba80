import { z } from 'zod';
import { dbTime, itemsOf, rowId } from '../../platform/http/answer-fields.js';
import { unitLabelPrinted } from '../labels/unit-labels.answers.js';

/** What the outbound routes answer, for the OpenAPI document; the fuzzer checks real answers against them. */

const warehouseCode = z.string().meta({ example: 'BC01' });
const logisticsNo = z.string().meta({ example: 'SF1234567890' });
const sscc = z.string().describe('The SSCC printed on the bag or pallet').meta({ example: '169000000000000012' });
const tripNo = z.string().meta({ example: 'TR2026120100000001' });
const tripStatus = z.enum(['loading', 'departed']);
const count = z.number().int().min(0);

export const unitCreated = z.object({
  sscc,
  kind: z.enum(['bag', 'pallet']),
  warehouseCode,
  label: unitLabelPrinted.optional().describe("With a stationId: the label's print job and the printer's answer"),
});

export const tripCreated = z.object({
  tripNo,
  plate: z.string().meta({ example: 'HU-1234' }),
  status: z.literal('loading'),
});

export const tripsListed = itemsOf(
  z.object({
    tripNo,
    plate: z.string(),
    status: tripStatus,
    releaseNoteNo: z.string().nullable().describe('Set when the vehicle left'),
    createdAt: dbTime,
  }),
  'The trips, newest first, at most 100',
);

export const tripDetail = z.object({
  tripNo,
  warehouseCode,
  plate: z.string(),
  status: tripStatus,
  releaseNoteNo: z.string().nullable(),
  vehicleTareKg: z.number().nullable().describe('Weighbridge figures, once the vehicle left'),
  weighedGrossKg: z.number().nullable(),
  expectedKg: z.number().nullable().describe('The release note total: parcels plus bags and pallets'),
  departedAt: dbTime.nullable(),
  units: z.array(
    z.object({
      sscc,
      kind: z.enum(['bag', 'pallet']),
      parcels: z.array(logisticsNo).describe('Waybill numbers in it'),
    }),
  ),
});

export const tripDeparted = z.object({
  tripNo,
  releaseNoteNo: z.string().meta({ example: 'HF2026120100000001' }),
  plate: z.string(),
  parcels: z.array(z.object({ logisticsNo, gatePassNo: z.string(), units: count })).describe('Each parcel written off'),
  netKg: z.number().describe('Weighbridge gross minus the empty vehicle'),
  expectedKg: z.number(),
  toleranceKg: z.number(),
});

export const waveBuilt = z.object({
  waveNo: z.string().meta({ example: 'WV2026120100000001' }),
  parcels: count.describe('Parcels in the wave'),
  tasks: count.describe('Pick tasks, one per bin and goods'),
  skipped: z
    .array(z.object({ logisticsNo, reason: z.string() }))
    .describe('Parcels left out, each with why (no stock, held)'),
});

export const waveTasks = z.object({
  waveNo: z.string(),
  tasks: z
    .array(
      z.object({
        id: rowId.describe('The pick task id (for a short pick)'),
        logisticsNo,
        sku: z.string(),
        batch: z.string(),
        location: z.string(),
        qty: count,
        picked: count,
        status: z.enum(['open', 'done', 'short']),
      }),
    )
    .describe('In walking order: by location, then goods'),
});

export const wavesListed = itemsOf(
  z.object({
    waveNo: z.string(),
    parcels: count,
    tasks: count,
    openTasks: count.describe('Tasks still to pick'),
    unitsLeft: count.describe('Units still to pick'),
    createdAt: dbTime,
  }),
  'The waves, newest first, at most 100',
);

export const shortPicked = z.object({
  taskId: z.string(),
  logisticsNo,
  sku: z.string(),
  location: z.string(),
  missing: count.describe('Units the bin did not hold'),
  reason: z.string(),
  next: z
    .object({
      taskId: z.string(),
      location: z.string(),
      sku: z.string(),
      batch: z.string(),
      logisticsNo,
      left: count,
      parcelLeft: count,
    })
    .nullable()
    .describe("The wave's next task in walking order; null when nothing is left"),
});

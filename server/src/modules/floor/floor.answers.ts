import type { ScanAnswer } from '@wms/contracts';
import { z } from 'zod';
import { dbTime, isoTime, itemsOf, rowId } from '../../platform/http/answer-fields.js';
import { unitLabelPrinted } from '../labels/unit-labels.answers.js';

export type { Answer } from '../../platform/http/answer-fields.js';

import type { Text } from './floor.messages.js';
import type { ScanInput } from './floor.schemas.js';

/** The answer to one scan: its schema is `scanAnswer` in contracts (the UI reads it too). */
export type { ScanAnswer };

/** Where a station is in a multi-scan step (location then goods, bin then item, ...). */
export type Session = Record<string, unknown>;

export class Refusal extends Error {
  constructor(
    readonly text: Text,
    readonly next: Text,
    readonly detail?: Record<string, unknown>,
  ) {
    super(text.en);
  }
}

export function answerOk(input: ScanInput, message: Text, next: Text, detail?: Record<string, unknown>): ScanAnswer {
  return {
    scanId: input.scanId,
    operation: input.operation,
    outcome: 'ok',
    message: message.en,
    next: next.en,
    zh: { message: message.zh, next: next.zh },
    ...(detail ? { detail } : {}),
  };
}

// ---------------------------------------------------------------- the floor API's answers
// What each route answers, for the OpenAPI document; the fuzzer checks real answers against them.

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

export const deliveryCreated = z.object({
  deliveryNo: z.string().meta({ example: 'DN-2026-0001' }),
  status: z.literal('open'),
  lines: count.describe('How many lines are expected'),
});

const deliveryStatus = z.enum(['open', 'held', 'closed']);

export const deliveriesListed = itemsOf(
  z.object({
    deliveryNo: z.string(),
    ownerCode: z.string(),
    status: deliveryStatus,
    dockLocation: z.string(),
    expectedUnits: count,
    countedUnits: count,
  }),
  'The deliveries, newest first, at most 100',
);

/** One line of a receiving report: expected against counted, by condition. */
const receivingLine = z.object({
  sku: z.string(),
  expected: count,
  good: count,
  damaged: count,
  unexpected: count,
  over: count,
  short: count,
});

export const deliveryDetail = z.object({
  deliveryNo: z.string(),
  warehouseCode,
  ownerCode: z.string(),
  entryDocNo: z.string().nullable(),
  dockLocation: z.string(),
  status: deliveryStatus,
  expected: z.array(z.object({ sku: z.string(), qty: count, batch: z.string().optional() })),
  counted: z.array(
    z.object({ sku: z.string(), batch: z.string(), condition: z.enum(['good', 'damaged', 'unexpected']), qty: count }),
  ),
  report: z.array(receivingLine).nullable().describe('The receiving report, once the count ended'),
});

export const deliveryClosed = z.union([
  z
    .object({
      deliveryNo: z.string(),
      status: z.literal('closed'),
      entryDocNo: z.string(),
      report: z.array(receivingLine),
    })
    .describe('Booked against the entry document'),
  z
    .object({ deliveryNo: z.string(), status: z.literal('held'), message: z.string(), report: z.array(receivingLine) })
    .describe('No entry document yet: the goods stay on hold at the dock'),
]);

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

export const shortPicked = z.object({
  taskId: z.string(),
  logisticsNo,
  sku: z.string(),
  location: z.string(),
  missing: count.describe('Units the bin did not hold'),
});

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

export const stocktakeStarted = z.object({
  stocktakeNo: z.string().meta({ example: 'ST2026120100000001' }),
  warehouseCode,
  locations: z.array(z.string()),
});

const stockDifference = z.object({
  location: z.string(),
  ownerCode: z.string(),
  sku: z.string(),
  batch: z.string().describe('Empty when the count named no batch'),
  expected: z.number().int().describe('On the ledger'),
  counted: z.number().int(),
  difference: z.number().int().describe('counted − expected'),
});

const stocktakeReport = z.object({
  locations: count,
  countedUnits: count,
  ledgerUnits: z.number().int(),
  differences: z.array(stockDifference),
});

export const stocktakesListed = itemsOf(
  z.object({
    stocktakeNo: z.string(),
    locations: z.array(z.string()),
    status: z.enum(['open', 'closed']),
    createdAt: dbTime,
  }),
  'The stock-takes, newest first, at most 100',
);

export const stocktakeClosed = stocktakeReport.extend({ stocktakeNo: z.string(), status: z.literal('closed') });

export const stocktakeDetail = z.object({
  stocktakeNo: z.string(),
  warehouseCode,
  locations: z.array(z.string()),
  status: z.enum(['open', 'closed']),
  report: stocktakeReport.nullable().describe('Once closed'),
  createdBy: z.string(),
  createdAt: dbTime,
  closedAt: dbTime.nullable(),
});

export const discrepanciesListed = z
  .array(
    z.object({
      stocktakeNo: z.string(),
      closedAt: dbTime,
      closedBy: z.string(),
      differences: z.array(stockDifference),
    }),
  )
  .describe('Closed stock-takes with differences, newest first, at most 100');

export const floorBoard = z.object({
  warehouseCode,
  at: isoTime,
  counts: z.object({
    deliveriesOpen: count,
    deliveriesHeld: count,
    parcelsToPick: count,
    shortPicks: count,
    packedWaiting: count,
    held: count,
    inspection: count,
    stocktakesOpen: count,
  }),
  holds: z.array(z.object({ logisticsNo, reason: z.string(), by: z.string().nullable(), at: dbTime.nullable() })),
  refusedScans: z
    .array(
      z.object({
        scanId: z.uuid(),
        operation: z.string(),
        actor: z.string(),
        stationId: z.string(),
        code: z.string(),
        message: z.string().nullable(),
        at: dbTime,
      }),
    )
    .describe('Refused scans of the last hour, newest first, at most 50'),
});

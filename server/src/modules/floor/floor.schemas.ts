import { z } from 'zod';

const code = z.string().trim().min(1).max(30);
const warehouseCode = code.meta({ example: 'BC01' });

export const deliveryInput = z.strictObject({
  warehouseCode,
  deliveryNo: z.string().trim().min(1).max(64),
  ownerCode: z.string().trim().min(1).max(18).meta({ example: 'F0' }),
  entryDocNo: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('The entry verification list (核注清单) covering the goods; without it they stay on hold.'),
  dockLocation: code.meta({ example: 'DOCK' }),
  lines: z
    .array(
      z.strictObject({
        sku: code.meta({ example: 'SKU1' }),
        qty: z.number().int().positive().max(10_000_000),
        batch: z.string().trim().max(20).optional(),
      }),
    )
    .min(1)
    .max(5000),
});
export type DeliveryInput = z.infer<typeof deliveryInput>;

export const entryDocInput = z.strictObject({ entryDocNo: z.string().trim().min(1).max(64) });

/** One scan from a handheld or a station, whatever the operation. `scanId` makes it idempotent. */
export const scanInput = z.strictObject({
  scanId: z.uuid(),
  operation: z.enum(['receive', 'putaway', 'pick', 'stocktake', 'load', 'returns', 'inspection']),
  warehouseCode,
  stationId: z.string().trim().min(1).max(40).meta({ example: 'ST01' }),
  code: z.string().min(1).max(200),
  deliveryNo: z.string().trim().min(1).max(64).optional().describe('receive: which delivery; stocktake: which count.'),
  stocktakeNo: z.string().trim().min(1).max(64).optional(),
  tripNo: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('load: the vehicle trip the scanned bags and pallets go on.'),
  condition: z.enum(['good', 'damaged']).default('good').describe("receive: the goods' condition."),
  qty: z
    .number()
    .int()
    .positive()
    .max(100_000)
    .optional()
    .describe('Units this scan stands for when the code carries no count (AI 30/37).'),
});
export type ScanInput = z.infer<typeof scanInput>;

export const waveInput = z.strictObject({
  warehouseCode,
  maxParcels: z.number().int().min(1).max(5000).default(200).describe('At most this many parcels in the wave.'),
});

export const shortInput = z.strictObject({ reason: z.string().trim().min(3).max(500) });

export const weighInput = z.strictObject({
  logisticsNo: z.string().trim().min(1).max(60).meta({ example: 'SF1234567890' }),
  stationId: z.string().trim().min(1).max(40).meta({ example: 'ST01' }),
});

export const stocktakeInput = z.strictObject({
  warehouseCode,
  locations: z.array(code).min(1).max(10_000),
});

export const labelInput = z.strictObject({
  stationId: z.string().trim().min(1).max(40).meta({ example: 'ST01' }),
  reprint: z
    .strictObject({ reason: z.string().trim().min(3).max(500) })
    .optional()
    .describe('Only with a reason: the first print happens once.'),
});

export const unitInput = z.strictObject({
  warehouseCode,
  kind: z.enum(['bag', 'pallet']),
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

/** Answers of the floor API, for the OpenAPI document (the services build them). */
export const unitCreated = z.looseObject({
  sscc: z.string().describe('The SSCC printed on the bag or pallet').meta({ example: '169000000000000012' }),
  kind: z.enum(['bag', 'pallet']),
  warehouseCode: z.string(),
});
export const tripCreated = z.looseObject({
  tripNo: z.string().meta({ example: 'TR2026120100000001' }),
  plate: z.string(),
  status: z.literal('loading'),
});
export const deliveryCreated = z.looseObject({
  deliveryNo: z.string(),
  status: z.literal('open'),
  lines: z.number().int().describe('How many lines are expected'),
});
export const waveBuilt = z.looseObject({
  waveNo: z.string().meta({ example: 'WV2026120100000001' }),
  parcels: z.number().int().describe('Parcels in the wave'),
  tasks: z.number().int().describe('Pick tasks, one per bin and goods'),
  skipped: z
    .array(z.object({ logisticsNo: z.string(), reason: z.string() }))
    .describe('Parcels left out, each with why (no stock, held)'),
});
export const stocktakeStarted = z.looseObject({
  stocktakeNo: z.string(),
  warehouseCode: z.string(),
  locations: z.array(z.string()),
});

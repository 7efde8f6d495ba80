import { floorOperation } from '@wms/contracts';
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
  operation: floorOperation,
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

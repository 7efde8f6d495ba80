import { z } from 'zod';

/**
 * Ageing (issue 12): how long each unit has been in the warehouse since its lot arrived, in the
 * bands the warehouse sets, and the alerts a lot raises when it gets older than the warehouse's
 * alert age.
 */

/** `PUT /api/warehouses/:code/ageing`: band limits in days, ascending, and the alert age. */
export const warehouseAgeingInput = z.strictObject({
  bands: z
    .array(z.int32().min(1).max(3650))
    .min(1)
    .max(12)
    .refine((b) => b.every((d, i) => i === 0 || d > b[i - 1]), 'bands: whole days in ascending order, each once')
    .describe('Band limits in days: [30, 60, 90, 180] makes 0–29, 30–59, 60–89, 90–179 and 180+')
    .meta({ example: [30, 60, 90, 180] }),
  alertDays: z.int32().min(1).max(3650).describe('A lot this many days old raises one alert to its seller'),
});
export type WarehouseAgeingInput = z.infer<typeof warehouseAgeingInput>;

export const warehouseAgeing = z.object({
  warehouseCode: z.string(),
  bands: z.array(z.number().int()),
  alertDays: z.number().int(),
  labels: z.array(z.string()).describe('One per band, e.g. 0–29, …, 180+'),
});
export type WarehouseAgeing = z.infer<typeof warehouseAgeing>;

export const ageingQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30).optional().describe('Only this warehouse'),
  sku: z.string().trim().min(1).max(30).optional().describe('Only this SKU'),
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe('At most this many SKU and warehouse rows'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Rows to skip (the next page)'),
});

export const ageingBand = z.object({
  label: z.string().meta({ example: '30–59' }),
  fromDays: z.number().int(),
  toDays: z.number().int().nullable().describe('Exclusive; null for the last band'),
  qty: z.number().int(),
});

export const ageingRow = z.object({
  warehouseCode: z.string(),
  ownerCode: z.string(),
  sku: z.string(),
  name: z.string(),
  qty: z.number().int().describe('Units in available, reserved, unfulfillable and on hold'),
  bands: z.array(ageingBand),
  unknownAgeQty: z.number().int().describe('Units of lots with no recorded arrival'),
  oldestArrivedAt: z.string().nullable().describe('ISO time of the oldest lot with units'),
  oldestAgeDays: z.number().int().nullable(),
});
export type AgeingRow = z.infer<typeof ageingRow>;

export const sellerAgeing = z.object({
  warehouses: z.array(warehouseAgeing),
  items: z.array(ageingRow),
});
export type SellerAgeing = z.infer<typeof sellerAgeing>;

export const alertsQuery = z.strictObject({
  open: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only alerts not acknowledged yet; false: only acknowledged ones'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many alerts, newest first'),
});

export const sellerAlert = z.object({
  id: z.uuid(),
  kind: z.enum(['ageing']),
  warehouseCode: z.string(),
  ownerCode: z.string(),
  sku: z.string(),
  lotNo: z.string(),
  ageDays: z.number().int(),
  qty: z.number().int(),
  arrivedAt: z.string(),
  message: z.string(),
  createdAt: z.string(),
  ackedAt: z.string().nullable(),
  ackedBy: z.string().nullable(),
});
export type SellerAlert = z.infer<typeof sellerAlert>;
export const sellerAlerts = z.object({ items: z.array(sellerAlert) });

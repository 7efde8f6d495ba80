import { z } from 'zod';
import { code, warehouseCode, warehouseQuery } from '../floor/floor.schemas.js';

/** What the receiving routes take: request bodies and query strings. */

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
        expiry: z.iso
          .date()
          .optional()
          .describe('The expected expiry (YYYY-MM-DD); a unit scanned with another is counted as a difference.'),
      }),
    )
    .min(1)
    .max(5000),
});
export type DeliveryInput = z.infer<typeof deliveryInput>;

export const entryDocInput = z.strictObject({ entryDocNo: z.string().trim().min(1).max(64) });

export const deliveriesQuery = warehouseQuery.extend({
  status: z.enum(['open', 'held', 'closed']).default('open').describe('open: still being counted'),
});

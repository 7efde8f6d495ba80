import { z } from 'zod';

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

export const entryBooked = z.object({
  docNo: z.string().describe('The entry document the goods came in under'),
  units: z.number().int().describe('Units booked and shelved'),
  lines: z.number().int().describe('Movements placed (one per goods, batch and location)'),
});

import { z } from 'zod';
import { isoTime, itemsOf } from '../../platform/http/answer-fields.js';

/** What the receiving routes answer, for the OpenAPI document; the fuzzer checks real answers against them. */

const warehouseCode = z.string().meta({ example: 'BC01' });
const count = z.number().int().min(0);

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
  batchMismatch: count.describe('Units of another batch or expiry than expected: set aside, not good stock'),
  over: count,
  short: count,
});

/** Units of another batch or expiry than the delivery expected (set aside for the supervisor). */
const batchDifference = z.object({
  sku: z.string(),
  batch: z.string(),
  expiry: z.string().nullable(),
  qty: count,
  expectedBatches: z.array(z.string()),
});

export const deliveryDetail = z.object({
  deliveryNo: z.string(),
  warehouseCode,
  ownerCode: z.string(),
  entryDocNo: z.string().nullable(),
  dockLocation: z.string(),
  status: deliveryStatus,
  expected: z.array(
    z.object({ sku: z.string(), qty: count, batch: z.string().optional(), expiry: z.string().optional() }),
  ),
  counted: z.array(
    z.object({
      sku: z.string(),
      batch: z.string(),
      condition: z.enum(['good', 'damaged', 'unexpected', 'batch_mismatch']),
      qty: count,
    }),
  ),
  progress: z.array(receivingLine).describe('Expected against counted per SKU so far (the report as it stands)'),
  differences: z.array(batchDifference).describe('Units of another batch or expiry than expected'),
  report: z.array(receivingLine).nullable().describe('The receiving report, once the count ended'),
});

export const deliveryClosed = z.union([
  z
    .object({
      deliveryNo: z.string(),
      status: z.literal('closed'),
      entryDocNo: z.string().nullable().describe('null at an overseas warehouse: no bonded book, no entry list'),
      closedAt: isoTime,
      message: z.string().describe('What was done, with the close time in the site time zone'),
      report: z.array(receivingLine),
      differences: z.array(batchDifference),
    })
    .describe('Booked against the entry document (closed without one at an overseas warehouse)'),
  z
    .object({
      deliveryNo: z.string(),
      status: z.literal('held'),
      message: z.string(),
      report: z.array(receivingLine),
      differences: z.array(batchDifference),
    })
    .describe('No entry document yet: the goods stay on hold at the dock'),
]);

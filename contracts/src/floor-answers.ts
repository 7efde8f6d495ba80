import { z } from 'zod';

/** The floor operations a handheld or station scans for. */
export const floorOperation = z.enum([
  'receive',
  'putaway',
  'pick',
  'stocktake',
  'load',
  'returns',
  'inspection',
  'pack',
  'gate',
]);
export type FloorOperation = z.infer<typeof floorOperation>;

/** One scan from a handheld or a station, whatever the operation. `scanId` makes it idempotent. */
export const scanInput = z.strictObject({
  scanId: z.uuid(),
  operation: floorOperation,
  warehouseCode: z.string().trim().min(1).max(30).meta({ example: 'BC01' }),
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
/** The scan as the server reads it (defaults applied). */
export type ScanInput = z.infer<typeof scanInput>;
/** The scan as a client sends it (`condition` may be left out). */
export type ScanRequest = z.input<typeof scanInput>;

/**
 * The answer to one scan (`POST /api/floor/scans`): what the handheld shows and says, in English
 * with the Chinese beside it. The server builds it, the OpenAPI document shows it, the UI reads it.
 */
export const scanAnswer = z
  .object({
    scanId: z.uuid(),
    operation: floorOperation,
    outcome: z.enum(['ok', 'refused']),
    message: z.string().describe('In words, for the screen and the voice').meta({ example: 'A-01-01: scan the goods' }),
    next: z.string().describe('What to scan next').meta({ example: 'scan every item you put here' }),
    zh: z.object({ message: z.string(), next: z.string() }).describe('The same in Chinese, for the handheld'),
    detail: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('What the scan did, by operation (units counted, the bag it went into, …)'),
  })
  .meta({ id: 'ScanAnswer' });
export type ScanAnswer = z.infer<typeof scanAnswer>;

/** The next pick of a wave in walking order: a pick answer's and a short pick's `next`, the pick list's head. */
export interface NextPick {
  taskId: string;
  location: string;
  sku: string;
  batch: string;
  logisticsNo: string;
  /** Units still to pick on this task. */
  left: number;
  /** Units still to pick for the task's parcel. */
  parcelLeft: number;
}

/** One SKU of a receiving report: expected against counted, by condition (delivery detail, close). */
export interface ReceivingReportLine {
  sku: string;
  expected: number;
  good: number;
  damaged: number;
  unexpected: number;
  /** Units of another batch or expiry than expected: set aside, not good stock. */
  batchMismatch: number;
  over: number;
  short: number;
}

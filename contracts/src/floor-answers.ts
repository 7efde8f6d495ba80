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

import type { ScanAnswer } from '@wms/contracts';
import { z } from 'zod';
import { dbTime, isoTime } from '../../platform/http/answer-fields.js';

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
const count = z.number().int().min(0);

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

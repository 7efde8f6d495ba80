import { z } from 'zod';
import { dbTime, jsonObject, rowId } from '../http/answer-fields.js';

/** `GET /api/customs/audit`: the customs audit log, newest first. */
export const auditPage = z.object({
  items: z.array(
    z.object({
      id: rowId,
      at: dbTime,
      userId: z.string().nullable(),
      username: z.string().meta({ example: 'customs' }),
      displayName: z.string().nullable(),
      method: z.string().meta({ example: 'DELETE' }),
      route: z.string().meta({ example: '/api/customs/holds/{logisticsNo}' }),
      path: z.string().meta({ example: '/api/customs/holds/SF1234567890' }),
      params: jsonObject.describe('The path parameters'),
      query: jsonObject.describe('The query'),
      body: jsonObject.nullable().describe("An action's body without secrets (null for reads)"),
      status: z.number().int().meta({ example: 200 }),
      outcome: z.enum(['ok', 'refused', 'failed']),
      errorCode: z.string().nullable().meta({ example: 'FORBIDDEN' }),
      durationMs: z.number().int(),
    }),
  ),
  nextBefore: z.number().int().nullable().describe('Pass as `before` for the next (older) page; null on the last'),
});

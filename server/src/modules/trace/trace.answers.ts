import { z } from 'zod';
import { dbTime, jsonObject, rowId } from '../../platform/http/answer-fields.js';

/** One event of an object's history (EPCIS-like), as the history routes answer it. */
export const traceEventAnswer = z.object({
  id: rowId,
  bizStep: z.string().meta({ example: 'receiving' }),
  disposition: z.string().nullable().meta({ example: 'in_progress' }),
  readPoint: z.string().nullable().describe('The station or place it happened at'),
  actor: z.string().nullable(),
  documents: jsonObject.describe('The documents it happened under (copNo, invtNo, gatePassNo, …)'),
  detail: jsonObject.describe('What happened, by kind of event'),
  occurredAt: dbTime,
});
export const traceHistory = z.array(traceEventAnswer).describe('Oldest first');

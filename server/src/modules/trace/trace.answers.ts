import { TRACE_KINDS } from '@wms/contracts';
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

const traceKind = z.enum(TRACE_KINDS);
const related = z.object({ kind: traceKind, ref: z.string(), label: z.string() });

/** `GET /api/customs/trace/search`: what a code is. */
export const traceFound = z.object({
  code: z.string().describe('The code as searched (an SSCC without its AI)'),
  matches: z
    .array(related.extend({ matchedBy: z.string().describe('Which field matched: logisticsNo, orderNo, sscc, …') }))
    .describe('Every object the code names; open one with GET /api/customs/trace/timeline'),
});

/** `GET /api/customs/trace/timeline`: one object's documents and timeline. */
export const traceTimeline = z.object({
  kind: traceKind,
  ref: z.string(),
  title: z.string(),
  documents: z
    .record(z.string(), z.string().nullable())
    .describe('Its documents: orderNo, invtNo, logisticsNo, entryId, gate pass, SSCC, trip, release note …'),
  related: z.array(related).describe('The unit, trip or parcels it is linked to'),
  timeline: z
    .array(
      z.object({
        at: dbTime,
        source: z.string().describe('event, receipt, message, movement, weight, label, unit, trip'),
        step: z.string().meta({ example: 'weighing' }),
        disposition: z.string().nullable(),
        who: z.string().nullable(),
        where: z.string().nullable().describe('The station or place'),
        device: z.string().nullable().describe('The scale or printer'),
        documents: jsonObject,
        detail: jsonObject.describe('Weights (grams), label, reason, signature …'),
        summary: z.string().describe('The line in words'),
      }),
    )
    .describe('Oldest first'),
});

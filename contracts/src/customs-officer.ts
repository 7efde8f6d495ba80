import { z } from 'zod';

/**
 * What a customs officer sends from the console (issue 13): holds and lifts (each with its reason,
 * signed by the officer), inspection results, and the queries of parcels by situation, the
 * inspection queue, the trace search and the audit log. The server validates with these schemas and
 * the OpenAPI document is built from them.
 */

const reason = (what: string, example: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? `say ${what}: send { "reason": "${example}" }` : 'the reason is text',
    })
    .trim()
    .min(3, `say ${what} in at least 3 characters, e.g. "${example}"`)
    .max(500)
    .describe(`Why (required): ${what}`)
    .meta({ example });

export const logisticsNoField = z.string().trim().min(1).max(60).meta({ example: 'SF1234567890' });

/** `POST /api/customs/holds`: hold a parcel; the gate refuses it until an officer lifts the hold. */
export const holdInput = z.strictObject({
  logisticsNo: logisticsNoField,
  reason: reason('why the parcel is held', 'x-ray shows goods unlike the declaration'),
});
export type HoldInput = z.infer<typeof holdInput>;

/** `DELETE /api/customs/holds/{logisticsNo}`: the reason is required for a lift as for a hold. */
export const liftInput = z
  .strictObject({ reason: reason('why the hold is lifted', 'opened and checked: goods as declared') })
  .optional();
export type LiftInput = z.infer<typeof liftInput>;

/** The situations of parcels an officer follows (DOMAIN.md §4 receipt statuses). */
export const PARCEL_SITUATIONS = ['held', 'inspection', 'detained', 'rejected', 'returned', 'overdue'] as const;
export type ParcelSituation = (typeof PARCEL_SITUATIONS)[number];

export const overdueHoursField = z.coerce
  .number()
  .int()
  .min(1)
  .max(24 * 365)
  .default(72)
  .describe('A parcel still in the centre this many hours after it was declared is overdue');

/** `GET /api/customs/parcel-situations`: how many parcels are in each situation. */
export const situationsQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(20).optional().describe('Only this warehouse'),
  overdueHours: overdueHoursField,
});

/** `POST /api/customs/inspections/{logisticsNo}/results`: what the officer found. */
export const INSPECTION_RESULTS = ['as-declared', 'discrepancy'] as const;
export const inspectionResultInput = z
  .strictObject({
    result: z.enum(INSPECTION_RESULTS).describe('found as declared, or a discrepancy (the parcel stays held)'),
    notes: z.string().trim().max(2000).default('').describe('What was found; required for a discrepancy'),
  })
  .superRefine((v, ctx) => {
    if (v.result === 'discrepancy' && v.notes.length < 3)
      ctx.addIssue({
        code: 'custom',
        path: ['notes'],
        message: 'say what differs from the declaration, e.g. "12 units declared, 15 found"',
      });
  });
export type InspectionResultInput = z.infer<typeof inspectionResultInput>;

/** `GET /api/customs/inspections`: the inspection queue. */
export const inspectionQueueQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(20).optional().describe('Only this warehouse'),
  state: z
    .enum(['waiting', 'recorded', 'all'])
    .default('waiting')
    .describe('waiting: no result recorded yet; recorded: a result recorded, still waiting for the receipt'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many parcels'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Skip this many (paging)'),
});

/** `GET /api/customs/trace/search`: one box that finds what a code is. */
export const traceSearchQuery = z.strictObject({
  code: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .describe(
      'Any code: logisticsNo, orderNo, invtNo, copNo, entryId, gate pass, SSCC (with or without "00"), trip, release note, emsNo or emsNo/putrecSeqno',
    )
    .meta({ example: 'SF1234567890' }),
});

export const TRACE_KINDS = ['parcel', 'unit', 'trip', 'book-line'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

/** `GET /api/customs/trace/timeline`: the timeline of one object found by the search. */
export const traceTimelineQuery = z.strictObject({
  kind: z.enum(TRACE_KINDS).describe('parcel, unit (a bag or pallet SSCC), trip, or book-line'),
  ref: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .describe('logisticsNo, SSCC, trip number, or emsNo/putrecSeqno')
    .meta({ example: 'SF1234567890' }),
});

/** `GET /api/customs/audit`: the audit log, newest first. */
export const auditQuery = z.strictObject({
  username: z.string().trim().min(1).max(60).optional().describe('Only this officer (login name)'),
  route: z.string().trim().min(1).max(200).optional().describe('Routes containing this text'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional().describe('Only this HTTP method'),
  outcome: z
    .enum(['ok', 'refused', 'failed'])
    .optional()
    .describe('ok (2xx/3xx), refused (4xx: not allowed, wrong input, not found) or failed (5xx)'),
  from: z.iso.datetime({ offset: true }).optional().describe('At or after this time (ISO 8601)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Before this time (ISO 8601)'),
  before: z.coerce.number().int().min(1).optional().describe('Rows older than this id (the nextBefore of a page)'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many entries'),
});
export type AuditQuery = z.infer<typeof auditQuery>;

import { z } from 'zod';
import { isoTime } from '../../../platform/http/answer-fields.js';
import {
  ageingItem,
  bookLineMovement,
  inventoryItem,
  parcelMovement,
  reconciliationLine,
  reconciliationTotals,
  unbookedReport,
} from '../../inventory/ledger.answers.js';
import { traceHistory } from '../../trace/trace.answers.js';
import { listAnswer, receiptsOf } from '../declarations/declarations.answers.js';

/** What the customs view answers, for the OpenAPI document; the fuzzer checks real answers against them. */

const warehouseCode = z.string().meta({ example: 'BC01' });

export const bondedInventory = z.object({
  warehouseCode,
  groupBy: z.enum(['book-line', 'hs-code', 'owner', 'location', 'state']),
  items: z.array(inventoryItem).describe('One shape of item per groupBy'),
});

export const reconciliationReport = z.object({
  warehouseCode,
  at: isoTime,
  balanced: z.boolean().describe('Every book line: book equals shelf, and no unit in the centre is off the book'),
  totals: reconciliationTotals,
  lines: z.array(reconciliationLine).describe('The lines that differ (every line with all=true)'),
  unbooked: unbookedReport.describe('Units in the centre on no book line, with why and what to do'),
  tookMs: z.number().int(),
});

export const ageingReport = z.object({
  warehouseCode,
  alerts: z.array(ageingItem).describe('The batches at warning or over the limit'),
  items: z.array(ageingItem).describe('Every batch on hand, oldest first'),
});

export const parcelHistory = z.object({
  parcel: listAnswer,
  events: traceHistory,
  receipts: receiptsOf,
  movements: z.array(parcelMovement),
});

export const bookLineHistory = z.object({
  emsNo: z.string(),
  putrecSeqno: z.number().int(),
  movements: z.array(bookLineMovement).describe('Newest first, at most 5000'),
  events: traceHistory,
});

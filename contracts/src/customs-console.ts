import { z } from 'zod';

/**
 * News for the customs officer's console (issue 13): something an officer watches changed (a hold,
 * an inspection, a risk warning, the bonded stock, a receipt, the statistics). The console reloads
 * the pages that show that kind; `summary` is a line the officer can read in the live feed. Only
 * customs and supervisor sockets are in the room that hears it; it never carries a seller's secret.
 */
export const customsChangeKinds = [
  'hold',
  'inspection',
  'warning',
  'stock',
  'stocktake',
  'receipt',
  'declaration',
  'statistics',
  'ageing',
  'credit',
] as const;
export const customsChange = z.object({
  kind: z.enum(customsChangeKinds),
  /** The parcel (logisticsNo), book line (`emsNo/putrecSeqno`), warning id, ... that changed. */
  ref: z.string(),
  warehouseCode: z.string().optional(),
  /** One line for the live feed, in the language of the data (names and numbers), e.g. "Hold placed on LP…". */
  summary: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
  at: z.string(),
});
export type CustomsChange = z.infer<typeof customsChange>;
export type CustomsChangeKind = (typeof customsChangeKinds)[number];

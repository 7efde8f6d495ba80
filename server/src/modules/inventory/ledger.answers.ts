import { z } from 'zod';
import { bigintText, dbTime, isoTime, rowId } from '../../platform/http/answer-fields.js';
import { UNBOOKED_REASONS, type UnbookedReason } from './reconciliation.rules.js';

/** What the ledger's read models answer (customs view, history), for the OpenAPI document. */

const units = z.number().int();
const customsState = z.enum(['bonded', 'verification-applied', 'gate-release-applied', 'written-off', 'non-bonded']);

/** Book against shelf for one account book line (账实相符). */
export const reconciliationLine = z.object({
  emsNo: z.string().meta({ example: 'T5165W000001' }),
  putrecSeqno: z.number().int(),
  itemNo: z.string(),
  gcode: z.string(),
  gname: z.string(),
  book: z
    .object({ bonded: units, verificationApplied: units, gateReleaseApplied: units, inWarehouse: units })
    .describe('The account book, by customs state'),
  shelf: z
    .object({ total: units, onShelf: units, inProcess: units, inspection: units, held: units })
    .describe('The shelves, by where the units are'),
  difference: z.number().int().describe('shelf − book; 0 when they agree'),
});

export const reconciliationTotals = z.object({
  bookLines: units,
  bookUnits: units,
  shelfUnits: units.describe('Units on the shelves of book lines'),
  linesWithDifference: units,
  unbookedUnits: units.describe('Units in the centre on no book line (see unbooked)'),
  physicalUnits: units.describe('Everything physically here: shelfUnits + unbookedUnits'),
});

/** Units in the centre on no book line: a difference of their own for customs. */
export const unbookedReport = z.object({
  units,
  byReason: z.object(
    Object.fromEntries(UNBOOKED_REASONS.map((r) => [r, units])) as Record<UnbookedReason, typeof units>,
  ),
  items: z.array(
    z.object({
      reason: z.enum(UNBOOKED_REASONS),
      deliveryNo: z.string().nullable().describe('The delivery that brought them'),
      ownerCode: z.string(),
      sku: z.string(),
      batch: z.string(),
      location: z.string(),
      units,
      message: z.string(),
      messageZh: z.string(),
    }),
  ),
});

/** Bonded inventory, one shape of item per way of summing it up. */
export const inventoryItem = z.union([
  reconciliationLine.describe('groupBy=book-line'),
  z.object({ gcode: z.string(), inWarehouse: bigintText, bookLines: units }).describe('groupBy=hs-code'),
  z.object({ ownerCode: z.string(), inWarehouse: bigintText }).describe('groupBy=owner'),
  z.object({ customsState, units: bigintText }).describe('groupBy=state'),
  z
    .object({
      location: z.string(),
      zoneKind: z.string().nullable(),
      emsNo: z.string().nullable(),
      putrecSeqno: z.number().int().nullable(),
      ownerCode: z.string(),
      sku: z.string(),
      batch: z.string(),
      units: bigintText,
    })
    .describe('groupBy=location'),
]);

export const ageingItem = z.object({
  ownerCode: z.string(),
  sku: z.string(),
  batch: z.string(),
  bookLine: z
    .object({ emsNo: z.string(), putrecSeqno: z.number().int().nullable() })
    .nullable()
    .describe('The account book the batch is on, null off the book'),
  units,
  firstEntryAt: isoTime.nullable().describe('When the batch first came in (entry or return)'),
  ageDays: z.number().int().nullable(),
  limitDays: units,
  daysLeft: z.number().int().nullable(),
  level: z.enum(['ok', 'warning', 'over-limit', 'unknown']),
  message: z.string().nullable().describe('The alert, at warning or over the limit'),
});

const movement = {
  id: rowId,
  ledger: z.enum(['book', 'shelf']),
  ownerCode: z.string(),
  sku: z.string(),
  batch: z.string(),
  location: z.string(),
  customsState,
  qty: bigintText.describe('Units in (+) or out (−)'),
  docType: z.string().meta({ example: 'entry-verification' }),
  docNo: z.string(),
  actor: z.string().nullable(),
  at: dbTime,
};

/** Every movement of one book line, newest first. */
export const bookLineMovement = z.object({
  ...movement,
  warehouseCode: z.string(),
  logisticsNo: z.string().nullable(),
  note: z.string().nullable(),
});

/** Every movement of one parcel, oldest first. */
export const parcelMovement = z.object({
  ...movement,
  emsNo: z.string().nullable(),
  putrecSeqno: z.number().int().nullable(),
});

import { z } from 'zod';

/**
 * The customs console's "In the warehouse now", "Book equals shelf" and "Storage ageing" (issue 13,
 * DOMAIN.md §6): bonded stock per account-book line, a page at a time, with its drill-down, its
 * history of differences, the totals, the export, and the storage-age alerts with their recipients.
 * Every query key is here, so the OpenAPI document and the console's filters offer them.
 */

const warehouseCode = z.string().trim().min(1).max(20).describe('The bonded centre (warehouse code)').meta({
  example: 'BC01',
});
const units = z.number().int();

/** Customs states a book line's units can be in while they are in the centre (DOMAIN.md §6). */
export const BOOK_STATES = ['bonded', 'verification-applied', 'gate-release-applied'] as const;

/** `GET /api/customs/inventory/book-lines` (and its export): which lines, from where. */
export const bookLinesQuery = z.strictObject({
  warehouseCode,
  putrecSeqno: z.coerce.number().int().min(1).max(2_147_483_647).optional().describe('Only this book line'),
  gcode: z
    .string()
    .regex(/^[0-9]{2,10}$/, 'gcode: 2 to 10 digits, an HS code or its leading digits (chapter, heading)')
    .optional()
    .describe('HS code, or its first digits: 2 a chapter, 4 a heading')
    .meta({ example: '3304' }),
  gname: z.string().trim().min(1).max(60).optional().describe('Goods name contains this (any case)'),
  itemNo: z.string().trim().min(1).max(40).optional().describe('The line’s item number (the SKU) exactly'),
  ownerCode: z.string().trim().min(1).max(30).optional().describe('Only lines this owner holds units of'),
  customsState: z.enum(BOOK_STATES).optional().describe('Only lines with units in this customs state'),
  differences: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: only the lines whose book and shelf differ (book equals shelf)'),
  after: z
    .string()
    .regex(/^[A-Za-z0-9_-]{4,200}$/, 'after: the `next` of the previous page, as it was given')
    .optional()
    .describe('The `next` of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Lines per page'),
});
export type BookLinesQuery = z.infer<typeof bookLinesQuery>;

export const bookLinesExportQuery = bookLinesQuery.omit({ after: true, limit: true }).extend({
  format: z.enum(['csv', 'xlsx']).default('csv').describe('CSV (UTF-8 with BOM) or an Excel workbook'),
  lang: z.enum(['zh', 'en']).default('zh').describe('Language of the header row'),
});
export type BookLinesExportQuery = z.infer<typeof bookLinesExportQuery>;

/** One book line: the book by customs state against the shelf by where the units are (账实相符). */
export const bookLineStock = z.object({
  emsNo: z.string().meta({ example: 'T5165W000001' }),
  putrecSeqno: z.number().int(),
  itemNo: z.string(),
  gcode: z.string(),
  gname: z.string(),
  unit: z.string().describe('The declared unit code (007 piece, 035 kg …)'),
  book: z
    .object({ bonded: units, verificationApplied: units, gateReleaseApplied: units, inWarehouse: units })
    .describe('The account book by customs state; inWarehouse is their sum'),
  shelf: z
    .object({ total: units, onShelf: units, inProcess: units, inspection: units, held: units })
    .describe('The shelves by where the units are; total is their sum'),
  difference: units.describe('shelf − book; 0 when they agree'),
});
export type BookLineStock = z.infer<typeof bookLineStock>;

export const bookLinesPage = z.object({
  warehouseCode: z.string(),
  emsNo: z.string().nullable().describe('The centre’s account book'),
  items: z.array(bookLineStock),
  next: z.string().nullable().describe('Pass as `after` for the next page; null on the last page'),
});
export type BookLinesPage = z.infer<typeof bookLinesPage>;

/** `GET /api/customs/inventory/totals`: the whole centre, adding up to the pages and the other views. */
export const inventoryTotals = z.object({
  warehouseCode: z.string(),
  emsNo: z.string().nullable(),
  bookLines: units.describe('Lines holding units on the book or the shelf'),
  linesWithDifference: units,
  book: z.object({ bonded: units, verificationApplied: units, gateReleaseApplied: units, inWarehouse: units }),
  shelf: z.object({ total: units, onShelf: units, inProcess: units, inspection: units, held: units }),
  unbookedUnits: units.describe('Units in the centre on no book line (see the reconciliation’s unbooked)'),
  physicalUnits: units.describe('Everything physically here: shelf.total + unbookedUnits'),
  byOwner: z.array(z.object({ ownerCode: z.string(), inWarehouse: units, shelf: units })),
});
export type InventoryTotals = z.infer<typeof inventoryTotals>;

export const SHELF_PLACES = ['on-shelf', 'in-process', 'inspection', 'held'] as const;

/** `GET /api/customs/inventory/book-lines/:emsNo/:putrecSeqno`: a line down to its units and parcels. */
export const bookLineDetail = z.object({
  warehouseCode: z.string(),
  line: bookLineStock,
  book: z
    .array(z.object({ ownerCode: z.string(), customsState: z.string(), units }))
    .describe('The book by owner and customs state'),
  units: z
    .array(
      z.object({
        ownerCode: z.string(),
        sku: z.string(),
        batch: z.string(),
        location: z.string(),
        zoneKind: z.string().nullable(),
        place: z.enum(SHELF_PLACES),
        logisticsNo: z.string().nullable().describe('The parcel the units are packed in'),
        units,
      }),
    )
    .describe('Where the line’s units physically are, by owner, batch and location'),
  parcels: z
    .array(
      z.object({
        logisticsNo: z.string(),
        copNo: z.string().nullable(),
        invtNo: z.string().nullable(),
        customsStatus: z.number().int().nullable(),
        holdReason: z.string().nullable(),
        units,
      }),
    )
    .describe('The parcels holding the line’s units, with their customs status'),
  history: z
    .array(
      z.object({
        id: z.string(),
        at: z.string(),
        ledger: z.enum(['book', 'shelf']),
        docType: z.string(),
        docNo: z.string(),
        qty: units,
        book: units,
        shelf: units,
        difference: units,
      }),
    )
    .describe('Every movement that changed the line’s difference (shelf − book), newest first, at most 200'),
});
export type BookLineDetail = z.infer<typeof bookLineDetail>;

/** `GET /api/customs/inventory/locations`: bonded stock by location (and packed parcel), a page at a time. */
export const locationStockQuery = z.strictObject({
  warehouseCode,
  location: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .optional()
    .describe('Only locations whose code starts with this (an aisle, or PARCEL: for packed parcels)')
    .meta({ example: 'A-01' }),
  ownerCode: z.string().trim().min(1).max(30).optional().describe('Only this owner’s units'),
  after: z
    .string()
    .regex(/^[\w:./-]{1,80}$/, 'after: the `next` of the previous page, as it was given')
    .optional()
    .describe('The `next` of the previous page (the last location it showed)'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Locations per page'),
});
export type LocationStockQuery = z.infer<typeof locationStockQuery>;

export const locationStock = z.object({
  location: z.string().describe('The location code; PARCEL:<logisticsNo> for units packed in a parcel'),
  zoneKind: z.string().nullable(),
  place: z.enum(SHELF_PLACES),
  units: units.describe('Units here on book lines'),
  unbookedUnits: units.describe('Units here on no book line'),
  bookLines: units.describe('Book lines with units here'),
  owners: z.array(z.string()),
});
export type LocationStock = z.infer<typeof locationStock>;

export const locationStockPage = z.object({
  warehouseCode: z.string(),
  items: z.array(locationStock),
  next: z.string().nullable().describe('Pass as `after` for the next page; null on the last'),
});
export type LocationStockPage = z.infer<typeof locationStockPage>;

export const storageAgeRecipient = z.object({
  kind: z.enum(['customs', 'supervisor', 'seller']),
  code: z.string().describe('customs / supervisor: the role; seller: the seller code'),
  via: z.enum(['console', 'portal']),
});

export const storageAgeAlert = z.object({
  id: z.string(),
  warehouseCode: z.string(),
  ownerCode: z.string(),
  sku: z.string(),
  batch: z.string(),
  emsNo: z.string().nullable(),
  putrecSeqno: z.number().int().nullable(),
  level: z.enum(['warning', 'over-limit']),
  units,
  firstEntryAt: z.string(),
  ageDays: units,
  limitDays: units,
  message: z.string(),
  recipients: z.array(storageAgeRecipient).describe('Who was told, and where'),
  raisedAt: z.string(),
});
export type StorageAgeAlert = z.infer<typeof storageAgeAlert>;

export const storageAgeAlertsQuery = z.strictObject({
  warehouseCode,
  level: z.enum(['warning', 'over-limit']).optional().describe('Only alerts of this level'),
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe('At most this many, newest first'),
});

export const storageAgeAlerts = z.object({ items: z.array(storageAgeAlert) });

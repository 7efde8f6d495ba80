import { z } from 'zod';

/**
 * A seller's outbound orders at an overseas warehouse (issue 12, "Outbound orders from the
 * seller"): the requests a seller sends (API, bulk, CSV/XLSX import) and the answers it reads.
 * The server validates with these schemas and the portal builds its forms from them.
 */

/** The seller's own order number: unique per seller, the key of idempotent creation. */
export const sellerOrderNo = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits and . _ - (starting with a letter or digit)')
  .meta({ example: 'SO-2026-0001' });

export const shipTo = z.strictObject({
  name: z.string().trim().min(1).max(100),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().min(1).max(200).optional(),
  city: z.string().trim().min(1).max(100),
  postcode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code, e.g. DE')
    .meta({ example: 'DE' }),
  phone: z.string().trim().min(3).max(40).optional(),
  email: z.email().max(200).optional(),
});
export type ShipTo = z.infer<typeof shipTo>;

export const sellerOrderLine = z.strictObject({
  sku: z.string().trim().min(1).max(30).meta({ example: 'SKU-001' }),
  qty: z.number().int().min(1).max(100_000),
});

export const sellerOrderCreate = z.strictObject({
  orderNo: sellerOrderNo,
  warehouseCode: z.string().trim().min(1).max(20).meta({ example: 'OW-DE1' }),
  ownerCode: z
    .string()
    .trim()
    .min(1)
    .max(18)
    .optional()
    .describe('Which of your owner enterprises ships it; needed only when two of yours hold one of its SKUs'),
  shipTo,
  carrier: z.string().trim().min(1).max(40).optional().meta({ example: 'DHL' }),
  lines: z.array(sellerOrderLine).min(1).max(500),
});
export type SellerOrderCreate = z.infer<typeof sellerOrderCreate>;

export const sellerOrdersBulk = z.strictObject({
  orders: z.array(z.unknown()).min(1).max(1000).describe('Up to 1,000 orders, each as for POST /api/seller/orders'),
});

export const sellerOrderStatus = z.enum(['reserved', 'picking', 'picked', 'packed', 'shipped', 'cancelled']);
export type SellerOrderStatus = z.infer<typeof sellerOrderStatus>;

/** A line the stock could not cover: nothing of the order was reserved. */
export const shortLine = z.object({ sku: z.string(), wanted: z.number().int(), available: z.number().int() });
export type ShortLine = z.infer<typeof shortLine>;

export const sellerOrderSummary = z.object({
  orderNo: z.string(),
  warehouseCode: z.string(),
  status: sellerOrderStatus,
  fulfilmentNo: z.string().describe('The warehouse’s number for it: on the pick list and scanned at packing'),
  source: z.enum(['api', 'bulk', 'import', 'exchange']),
  units: z.number().int(),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  createdAt: z.string(),
  shippedAt: z.string().nullable(),
});
export type SellerOrderSummary = z.infer<typeof sellerOrderSummary>;

export const sellerOrderDetail = sellerOrderSummary.extend({
  ownerCode: z.string(),
  shipTo,
  lines: z.array(z.object({ sku: z.string(), qty: z.number().int(), picked: z.number().int() })),
  allocations: z.array(
    z.object({ sku: z.string(), lotNo: z.string(), expiry: z.string().nullable(), qty: z.number().int() }),
  ),
  history: z.array(
    z.object({
      status: z.string(),
      at: z.string(),
      atLocal: z.string().describe('The same time in the warehouse’s zone'),
      by: z.string(),
      note: z.string().nullable(),
    }),
  ),
  pickingStartedAt: z.string().nullable(),
  packedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});
export type SellerOrderDetail = z.infer<typeof sellerOrderDetail>;

export const sellerOrderCreated = sellerOrderDetail.extend({
  created: z.boolean().describe('false: the order existed with this very body, and this is it'),
});

export const sellerOrdersPage = z.object({
  items: z.array(sellerOrderSummary),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** One order of a bulk request or an import, and what became of it. */
export const sellerOrderResult = z.object({
  index: z.number().int().describe('Its place in the request (from 0)'),
  orderNo: z.string().nullable(),
  outcome: z.enum(['created', 'existing', 'refused']),
  status: z
    .string()
    .nullable()
    .describe('The order’s status (reserved, picking, picked, packed, shipped, cancelled); null when refused'),
  errors: z.array(z.object({ code: z.string(), message: z.string(), shortfall: z.array(shortLine).optional() })),
});
export type SellerOrderResult = z.infer<typeof sellerOrderResult>;

export const sellerOrdersBulkResult = z.object({
  created: z.number().int(),
  existing: z.number().int(),
  refused: z.number().int(),
  results: z.array(sellerOrderResult),
});

/** A row error of an import: the spreadsheet's row number (the header is row 1) and column. */
export const importRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  orderNo: z.string().nullable(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowError>;

export const sellerOrderImport = z.object({
  importId: z.uuid(),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  status: z.enum(['running', 'done', 'failed']),
  total: z.number().int().describe('Rows of the file (order lines)'),
  processed: z.number().int(),
  ordersCreated: z.number().int(),
  ordersExisting: z.number().int(),
  ordersRefused: z.number().int(),
  errors: z.array(importRowError).describe('The first 1,000 row errors'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type SellerOrderImport = z.infer<typeof sellerOrderImport>;

/** The columns of an import file, in the template's order: one row per order line. */
export const ORDER_IMPORT_COLUMNS = [
  'orderNo',
  'warehouseCode',
  'name',
  'line1',
  'line2',
  'city',
  'postcode',
  'country',
  'phone',
  'email',
  'carrier',
  'sku',
  'qty',
] as const;

/** The overseas floor's work list: sellers' orders waiting to be picked, packed or handed over. */
export const floorOrder = z.object({
  fulfilmentNo: z.string().describe('Scan it to start picking or packing the order'),
  orderNo: z.string().describe('The seller’s own number'),
  sellerCode: z.string(),
  status: sellerOrderStatus,
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  createdAt: z.string(),
  lines: z.array(z.object({ sku: z.string(), qty: z.number().int(), picked: z.number().int() })),
});
export const floorOrders = z.object({ items: z.array(floorOrder).describe('Oldest first, at most 200') });

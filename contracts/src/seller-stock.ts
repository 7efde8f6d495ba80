import { z } from 'zod';

/**
 * A seller's stock in buckets (issue 12, DOMAIN.md §10), per warehouse, SKU and lot. Every bucket is
 * the sum of the seller's stock ledger; `bonded` (the seller's goods in the bonded centre, by book
 * line) is read from the customs book and never moved by these events.
 */
export const stockBucket = z
  .enum(['inbound', 'receiving', 'available', 'reserved', 'unfulfillable', 'on_hold'])
  .describe(
    'inbound (on the way, by shipment) | receiving (counted, not yet put away) | available | reserved (by order) | unfulfillable (damaged, expired, returned unsellable) | on_hold (customs or quality)',
  );
export type StockBucket = z.infer<typeof stockBucket>;
export const STOCK_BUCKETS = stockBucket.options;

/** What changed a seller's stock: `<aggregate>.<pastVerb>`, as the ledger records it. */
export const stockEvent = z.enum([
  'shipment.booked',
  'shipment.cancelled',
  'receipt.counted',
  'receipt.damaged',
  'receipt.over',
  'receipt.short',
  'putaway.done',
  'order.reserved',
  'order.released',
  'order.shipped',
  'return.received',
  'return.graded',
  'return.destroyed',
  'hold.placed',
  'hold.released',
  'stock.expired',
  'stocktake.adjusted',
]);
export type StockEvent = z.infer<typeof stockEvent>;

/** One SKU of one warehouse with all its buckets (whole units). */
export const bucketRow = z.object({
  warehouseCode: z.string().meta({ example: 'OW-DE1' }),
  ownerCode: z.string(),
  sku: z.string().meta({ example: 'SKU-001' }),
  name: z.string(),
  inbound: z.number().int(),
  receiving: z.number().int(),
  available: z.number().int(),
  reserved: z.number().int(),
  unfulfillable: z.number().int(),
  onHold: z.number().int(),
  bonded: z.number().int().describe('In the bonded centre under a customs book line (by the customs book)'),
  updatedAt: z.string().nullable(),
});
export type BucketRow = z.infer<typeof bucketRow>;

export const bucketsPage = z.object({
  items: z.array(bucketRow),
  nextCursor: z.string().nullable().describe('Pass as `after` for the next page; null on the last'),
});

/** Per warehouse, each bucket's total: the dashboard's stacked bars. Never only a sum over warehouses. */
export const bucketSummary = z.object({
  warehouses: z.array(
    z.object({
      warehouseCode: z.string(),
      name: z.string(),
      kind: z.string(),
      country: z.string().nullable(),
      timeZone: z.string(),
      inbound: z.number().int(),
      receiving: z.number().int(),
      available: z.number().int(),
      reserved: z.number().int(),
      unfulfillable: z.number().int(),
      onHold: z.number().int(),
      bonded: z.number().int(),
    }),
  ),
});

/** One change in the seller's stock ledger: from which bucket to which, why, by which document. */
export const ledgerEntry = z.object({
  id: z.string(),
  at: z.string().describe('ISO time'),
  siteTime: z.string().describe('The same time in the warehouse’s zone, as staff read it'),
  warehouseCode: z.string(),
  ownerCode: z.string(),
  sku: z.string(),
  lotNo: z.string(),
  // unions, not .nullable(): the OpenAPI document then lets null through as well
  fromBucket: z.union([stockBucket, z.null()]).describe('null: came into your stock'),
  toBucket: z.union([stockBucket, z.null()]).describe('null: left your stock (shipped, short, destroyed)'),
  qty: z.number().int().positive(),
  event: stockEvent,
  docType: z.string(),
  docNo: z.string(),
  reason: z.string().nullable(),
  actor: z.string(),
});
export type LedgerEntry = z.infer<typeof ledgerEntry>;

export const ledgerPage = z.object({
  items: z.array(ledgerEntry),
  nextBefore: z.string().nullable().describe('Pass as `before` for older entries; null when none'),
});

/**
 * A seller's news on its socket room (`seller.changed`): which of its things changed, so a screen
 * reloads just that. Only the seller's own sockets hear it.
 */
export const sellerChange = z.object({
  sellerCode: z.string(),
  kind: z.enum(['stock', 'shipment', 'order', 'return', 'alert', 'import']),
  /** The document or SKU that changed (shipment no, order no, RMA no, SKU, import id, alert id). */
  ref: z.string(),
  warehouseCode: z.string().optional(),
  skus: z.array(z.string()).optional(),
  /** Free detail for the screen (e.g. a shipment line's new received quantity); never another tenant's. */
  detail: z.record(z.string(), z.unknown()).optional(),
  at: z.string(),
});
export type SellerChange = z.infer<typeof sellerChange>;

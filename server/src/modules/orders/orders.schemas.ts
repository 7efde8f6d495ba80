import { sellerOrderStatus } from '@wms/contracts';
import { z } from 'zod';

/** Query and path parts of the sellers' order routes (the bodies and answers are in contracts). */

export const orderNoParam = z.string().min(1).max(40).describe('Your order number').meta({ example: 'SO-2026-0001' });
export const importIdParam = z.uuid().describe('The import id POST /api/seller/orders/imports answered');

const day = z.iso.date().describe('A day, YYYY-MM-DD (UTC)');

export const ordersQuery = z.strictObject({
  status: sellerOrderStatus.optional().describe('Only orders in this status'),
  from: day.optional().describe('Created on or after this day (UTC)'),
  to: day.optional().describe('Created before the end of this day (UTC)'),
  sku: z.string().trim().min(1).max(30).optional().describe('Orders with a line of this SKU'),
  warehouseCode: z.string().trim().min(1).max(20).optional().describe('Only orders at this warehouse'),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('At most this many orders (500 at most)'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Orders to skip (the next page)'),
});

export const templateQuery = z.strictObject({
  format: z.enum(['csv', 'xlsx']).default('csv').describe('csv (UTF-8, comma) or xlsx'),
});

export const importTemplateAnswer = z.object({
  fileName: z.string().meta({ example: 'orders-template.csv' }),
  contentType: z.string(),
  columns: z.array(z.string()).describe('The columns, in order: one row per order line, rows grouped by orderNo'),
  content: z.base64().describe('The file itself, base64: save it under fileName'),
});

export const importStarted = z.object({ importId: z.uuid() });

export const floorOrdersQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30).describe('The overseas warehouse').meta({ example: 'OW-DE1' }),
  status: z
    .enum(['reserved', 'picking', 'picked', 'packed'])
    .optional()
    .describe('Only orders in this status (default: every order not yet shipped or cancelled)'),
});

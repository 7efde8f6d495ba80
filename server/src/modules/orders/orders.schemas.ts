import { sellerOrderStatus } from '@wms/contracts';
import { z } from 'zod';

/** Query and path parts of the sellers' order routes (the bodies and answers are in contracts). */

export const orderNoParam = z.string().min(1).max(40).describe('Your order number').meta({ example: 'SO-2026-0001' });
export const importIdParam = z.uuid().describe('The import id POST /api/seller/orders/imports answered');

const day = z.iso.date().describe('A day, YYYY-MM-DD (UTC)');

export const ordersQuery = z.strictObject({
  status: sellerOrderStatus.optional(),
  from: day.optional().describe('Created on or after this day (UTC)'),
  to: day.optional().describe('Created before the end of this day (UTC)'),
  sku: z.string().trim().min(1).max(30).optional().describe('Orders with a line of this SKU'),
  warehouseCode: z.string().trim().min(1).max(20).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const templateQuery = z.strictObject({
  format: z.enum(['csv', 'xlsx']).default('csv'),
});

export const importStarted = z.object({ importId: z.uuid() });

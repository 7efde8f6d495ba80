import { stockBucket } from '@wms/contracts';
import { z } from 'zod';

/** Queries of the seller's buckets and ledger (GET /api/seller/buckets, /ledger). */
const code = (what: string, max: number) => z.string().trim().min(1).max(max).describe(what);
const limit = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback).describe(`At most this many rows (${max} at most)`);

export const bucketsQuery = z.strictObject({
  warehouseCode: code('Only this warehouse', 30).optional(),
  sku: code('Only this SKU', 30).optional(),
  bucket: z
    .union([stockBucket, z.literal('bonded')])
    .optional()
    .describe('Only SKUs holding some of this bucket'),
  limit: limit(100, 1000),
  after: z
    .string()
    .max(300)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional()
    .describe('The `nextCursor` of the previous page'),
});
export type BucketsQuery = z.infer<typeof bucketsQuery>;

export const ledgerQuery = z.strictObject({
  sku: code('Only this SKU', 30).optional(),
  warehouseCode: code('Only this warehouse', 30).optional(),
  ownerCode: code('Only this owner of yours', 18).optional(),
  docNo: code('Only this document (shipment, order, RMA …)', 64).optional(),
  limit: limit(100, 1000),
  before: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .describe('The `nextBefore` of the previous page'),
});
export type LedgerQuery = z.infer<typeof ledgerQuery>;

import { z } from 'zod';
import { bigintText, dbTime, itemsOf } from '../../platform/http/answer-fields.js';
import { codeParam, decimalText, int4 } from '../../platform/http/zod-fields.js';
import { goodsItem } from '../masterdata/masterdata.schemas.js';

/** Requests and answers of the sellers' API (/api/seller/*, issue 12 "Sellers as tenants"). */

export const skuParam = codeParam('SKU', 30).meta({ example: 'SKU-001' });
export const apiKeyIdParam = z.uuid().describe('The API key id');

const limit = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback).describe(`At most this many rows (${max} at most)`);

export const goodsPageQuery = z.strictObject({
  limit: limit(100, 1000),
  after: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional()
    .describe('The `nextCursor` of the previous page'),
});

export const goodQuery = z.strictObject({
  ownerCode: z.string().trim().min(1).max(18).optional().describe('Which of your owners, when two hold this SKU'),
});

export const stockQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(20).optional().describe('Only this warehouse'),
  limit: limit(100, 1000),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Rows to skip (the next page)'),
});

/** goods.declared_price is numeric(19,5). */
const goodFields = z.strictObject({
  ownerCode: z
    .string()
    .trim()
    .min(1)
    .max(18)
    .optional()
    .describe('Which of your owners (enterprise codes) holds the SKU; needed when you have more than one'),
  gtin: z
    .string()
    .regex(/^\d{8,14}$/)
    .optional(),
  gcode: z.string().regex(/^\d{10}$/, 'a 10-digit HS code'),
  name: z.string().trim().min(1).max(250),
  model: z.string().trim().max(250).default(''),
  unit: z.string().regex(/^\d{3}$/, 'a 3-digit customs unit code, e.g. 011 (piece)'),
  declaredPrice: decimalText(19, 5),
  currency: z.string().length(3).default('142'),
  country: z.string().regex(/^\d{3}$/, 'a 3-digit customs country code'),
  grossGrams: int4().positive().optional(),
  legalUnit: z
    .string()
    .regex(/^\d{3}$/, 'a 3-digit customs unit code')
    .optional()
    .describe('The legal (statutory) unit of the HS code, when it differs from the unit'),
  legalQtyPerUnit: decimalText(19, 5).optional().describe('How many legal units one unit is (e.g. 0.25 kg)'),
  legalUnit2: z
    .string()
    .regex(/^\d{3}$/, 'a 3-digit customs unit code')
    .optional()
    .describe('The second legal unit, where the HS code has one (e.g. 035 kg for garments in 011)'),
  legalQty2PerUnit: decimalText(19, 5).optional().describe('How many second legal units one unit is'),
  lengthMm: int4().positive().optional(),
  widthMm: int4().positive().optional(),
  heightMm: int4().positive().optional(),
  battery: z
    .enum(['none', 'contained', 'packed-with', 'standalone'])
    .default('none')
    .describe('Lithium battery: none, contained in the equipment, packed with it, or batteries alone'),
  dangerousGoods: z.boolean().default(false),
  unNumber: z
    .string()
    .regex(/^UN\d{4}$/, 'UN followed by 4 digits, e.g. UN3481')
    .optional()
    .describe('Needed when dangerousGoods is true'),
});
const needsUn = (g: { dangerousGoods: boolean; unNumber?: string }) => !g.dangerousGoods || Boolean(g.unNumber);
const needsUnMessage = { message: 'dangerous goods need their UN number (unNumber, e.g. UN3481)', path: ['unNumber'] };
export const goodUpsert = goodFields
  .refine(needsUn, needsUnMessage)
  .refine((g) => !g.legalUnit2 || g.legalUnit2 !== (g.legalUnit ?? g.unit), {
    message: 'legalUnit2 is the second legal unit: it cannot be the first one (legalUnit, or the unit without one)',
    path: ['legalUnit2'],
  });
export type GoodUpsert = z.infer<typeof goodUpsert>;

/** One SKU of a bulk import: checked on its own, so one bad row does not refuse the others. */
export const goodsBulkItem = goodFields.extend({ sku: skuParam }).refine(needsUn, needsUnMessage);
/** `POST /api/seller/goods/bulk`: many SKUs at once (an import), each answered on its own. */
export const goodsBulk = z.strictObject({
  items: z
    .array(z.unknown().meta({ description: 'A SKU: the fields of PUT /api/seller/goods/{sku}, with its sku' }))
    .min(1)
    .max(1000)
    .describe('At most 1,000 SKUs a call; a file of more is sent in parts. Each is checked and answered on its own'),
});
export type GoodsBulk = z.infer<typeof goodsBulk>;
export const goodsBulkAnswer = z.object({
  written: z.number().int(),
  refused: z.number().int(),
  results: z.array(
    z.object({
      row: z.number().int().describe('Index in items, from 0'),
      sku: z.string(),
      ok: z.boolean(),
      error: z.string().optional().describe('Why this SKU was not written'),
    }),
  ),
});

export const apiKeyCreate = z.strictObject({
  name: z.string().trim().min(1).max(100).meta({ example: 'ERP sync' }),
  scopes: z
    .array(z.enum(['read', 'write']))
    .min(1)
    .max(2)
    .refine((s) => new Set(s).size === s.length, 'each scope once')
    .describe('read: the GET routes; write: also the routes that change data'),
});
export type ApiKeyCreate = z.infer<typeof apiKeyCreate>;

export const sellerMe = z.object({
  sellerCode: z.string().meta({ example: 'SELLER-DEMO' }),
  name: z.string(),
  status: z.enum(['active', 'suspended']),
  warehouses: z
    .array(z.object({ code: z.string(), name: z.string(), kind: z.string(), country: z.string().nullable() }))
    .describe('The warehouses this seller uses'),
  owners: z
    .array(z.object({ code: z.string(), name: z.string() }))
    .describe('The enterprises whose goods are this seller’s'),
});

/** A seller's SKU: the goods master's answer shape, with what sellers keep beyond customs. */
export const sellerGood = goodsItem.extend({
  legalUnit: z.string().nullable(),
  legalQtyPerUnit: z.string().nullable().describe('Decimal text'),
  legalUnit2: z.string().nullable(),
  legalQty2PerUnit: z.string().nullable().describe('Decimal text'),
  lengthMm: z.number().int().nullable(),
  widthMm: z.number().int().nullable(),
  heightMm: z.number().int().nullable(),
  battery: z.enum(['none', 'contained', 'packed-with', 'standalone']),
  dangerousGoods: z.boolean(),
  unNumber: z.string().nullable(),
});

export const sellerGoodsPage = z.object({
  items: z.array(sellerGood).describe('Your SKUs, by owner and SKU'),
  nextCursor: z.string().nullable().describe('Pass as `after` for the next page; null on the last'),
});

export const sellerStock = itemsOf(
  z.object({
    warehouseCode: z.string(),
    ownerCode: z.string(),
    sku: z.string(),
    batch: z.string(),
    qty: bigintText.describe('Units on the shelf in this warehouse, from the stock ledger'),
    lastMovedAt: dbTime,
  }),
  'Shelf balance per warehouse, SKU and batch (never summed across warehouses)',
);

const apiKeyFields = {
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('Shown to tell keys apart: the key starts with wmsk_<prefix>_'),
  scopes: z.array(z.enum(['read', 'write'])),
  createdBy: z.string(),
  createdAt: dbTime,
  lastUsedAt: dbTime.nullable(),
  revokedAt: dbTime.nullable(),
};
export const apiKeyAnswer = z.object(apiKeyFields);
export const apiKeysListed = itemsOf(apiKeyAnswer, 'Your API keys, newest first (secrets are never shown again)');
export const apiKeyCreated = z.object({
  ...apiKeyFields,
  key: z
    .string()
    .describe('The whole key, shown this once: send it as "Authorization: Bearer <key>" or "X-Api-Key: <key>"'),
});

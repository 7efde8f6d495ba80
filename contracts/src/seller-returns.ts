import { z } from 'zod';

/**
 * Returns at the overseas warehouse (issue 12, DOMAIN.md §10): the seller's RMA, received by
 * scanning and graded sellable / unsellable / destroy; an exchange makes a replacement order due.
 */

const sku = z.string().trim().min(1).max(30).meta({ example: 'SKU-001' });
const qty = z.int32().min(1).max(100_000);
const returnLine = z.strictObject({ sku, qty });

const distinctSkus = (lines: Array<{ sku: string }>, ctx: z.RefinementCtx<unknown>) => {
  const seen = new Map<string, number>();
  lines.forEach((line, index) => {
    const first = seen.get(line.sku);
    if (first === undefined) seen.set(line.sku, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [index, 'sku'],
        message: `SKU "${line.sku}" appears twice (lines ${first} and ${index}): give each SKU once with its total`,
      });
  });
};

/** Where a replacement goes (the same shape as an order's ship-to). */
export const returnShipTo = z.strictObject({
  name: z.string().trim().min(1).max(100),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().min(1).max(200).optional(),
  city: z.string().trim().min(1).max(100),
  postcode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code, e.g. DE')
    .meta({ example: 'DE' }),
  phone: z.string().trim().min(1).max(40).optional(),
  email: z.email().max(200).optional(),
});
export type ReturnShipTo = z.infer<typeof returnShipTo>;

export const rmaNo = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, "_", "." or "-", at most 40')
  .meta({ example: 'RMA-1001' });

/** `POST /api/seller/returns`: an RMA the warehouse is to expect. */
export const rmaCreate = z.strictObject({
  rmaNo: rmaNo.optional().describe('Your own RMA number (unique among yours); the system gives one when left out'),
  warehouseCode: z
    .string()
    .trim()
    .min(1)
    .max(30)
    .describe('One of your overseas warehouses')
    .meta({ example: 'OW-DE1' }),
  ownerCode: z
    .string()
    .trim()
    .min(1)
    .max(18)
    .optional()
    .describe('Which of your owners the goods are, when you have more than one'),
  orderNo: z.string().trim().min(1).max(64).optional().describe('The order the goods were shipped on, when known'),
  reason: z.string().trim().min(1).max(500).meta({ example: 'customer changed their mind' }),
  lines: z.array(returnLine).min(1).max(200).superRefine(distinctSkus).describe('What comes back'),
  exchange: z
    .strictObject({
      shipTo: returnShipTo,
      lines: z.array(returnLine).min(1).max(200).superRefine(distinctSkus),
    })
    .optional()
    .describe('A replacement to ship once the return is received (order EX-<rmaNo>)'),
});
export type RmaCreate = z.infer<typeof rmaCreate>;

export const returnStatus = z
  .enum(['expected', 'receiving', 'received'])
  .describe('expected (announced) | receiving (goods being graded) | received (done)');
export const returnGrade = z.enum(['sellable', 'unsellable', 'destroy']);
export type ReturnGrade = z.infer<typeof returnGrade>;

export const rmaListQuery = z.strictObject({
  status: returnStatus.optional(),
  warehouseCode: z.string().trim().min(1).max(30).optional().describe('Only this warehouse'),
  sku: z.string().trim().min(1).max(30).optional().describe('Only RMAs with this SKU'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many RMAs, newest first'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('RMAs to skip (the next page)'),
});

const time = z.string().describe('ISO time');

export const rmaSummary = z.object({
  rmaNo,
  warehouseCode: z.string(),
  ownerCode: z.string(),
  orderNo: z.string().nullable(),
  reason: z.string(),
  status: returnStatus,
  unannounced: z.boolean().describe('Opened by the warehouse for goods that came without an RMA'),
  expected: z.number().int(),
  received: z.number().int(),
  exchange: z.boolean(),
  replacementOrderNo: z.string().nullable(),
  createdAt: time,
  receivedAt: time.nullable(),
});
export type RmaSummary = z.infer<typeof rmaSummary>;

export const rmaList = z.object({ items: z.array(rmaSummary) });

export const rmaLineAnswer = z.object({
  sku: z.string(),
  name: z.string(),
  expected: z.number().int(),
  received: z.number().int().describe('sellable + unsellable + destroyed'),
  sellable: z.number().int(),
  unsellable: z.number().int(),
  destroyed: z.number().int(),
});

export const rmaDetail = rmaSummary.extend({
  lines: z.array(rmaLineAnswer),
  grades: z.array(
    z.object({
      at: time,
      sku: z.string(),
      grade: returnGrade,
      qty: z.number().int(),
      reason: z.string().nullable(),
      actor: z.string(),
    }),
  ),
  history: z.array(
    z.object({ at: time, event: z.string(), actor: z.string(), detail: z.record(z.string(), z.unknown()) }),
  ),
  exchangeOf: z
    .object({ shipTo: returnShipTo, lines: z.array(z.object({ sku: z.string(), qty: z.number().int() })) })
    .nullable(),
  exchangeDueAt: time.nullable(),
  photos: z
    .array(
      z.object({
        id: z.uuid(),
        sku: z.string().nullable(),
        contentType: z.enum(['image/jpeg', 'image/png']),
        bytes: z.number().int(),
        at: time,
        url: z.string().describe('GET it with your token: the picture itself'),
      }),
    )
    .describe('Photos the warehouse took of the returned goods'),
});
export type RmaDetail = z.infer<typeof rmaDetail>;

/** What the desk answers when it stored a photo of a return. */
export const returnPhotoStored = z.object({
  id: z.uuid(),
  rmaNo,
  sellerCode: z.string(),
  sku: z.string().nullable(),
  contentType: z.enum(['image/jpeg', 'image/png']),
  bytes: z.number().int(),
});

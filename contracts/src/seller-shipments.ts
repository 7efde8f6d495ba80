import { z } from 'zod';

/**
 * A seller's inbound shipment (ASN) to an overseas warehouse, exported under 9810 (issue 12,
 * DOMAIN.md §3, §10): the request the seller sends and the answers the portal and the API show.
 * Shared by the server's validation, the OpenAPI document and the seller portal.
 */

export const SHIPMENT_STATUSES = [
  'booked',
  'departed',
  'in_transit',
  'arrived',
  'receiving',
  'received',
  'closed',
] as const;
export const shipmentStatus = z.enum(SHIPMENT_STATUSES);
export type ShipmentStatus = z.infer<typeof shipmentStatus>;

const code = (max: number) => z.string().trim().min(1).max(max);

export const shipmentLineInput = z.strictObject({
  sku: code(30).meta({ example: 'DEMO-SKU1' }),
  qty: z.int().min(1).max(1_000_000),
  batch: z.string().trim().max(20).optional().describe('The batch (GS1 AI 10) the units carry, if any'),
  expiry: z.iso.date().optional().describe('Expiry date (GS1 AI 17), YYYY-MM-DD'),
});
export type ShipmentLineInput = z.infer<typeof shipmentLineInput>;

export const shipmentCartonInput = z.strictObject({
  sscc: z
    .string()
    .regex(/^\d{18}$/, 'an SSCC is 18 digits (GS1 AI 00)')
    .optional()
    .describe('The carton’s SSCC; omitted: the warehouse gives it one (with its GS1 check digit)'),
  lines: z.array(shipmentLineInput).min(1).max(200),
});

/** `POST /api/seller/shipments`. */
export const shipmentCreate = z.strictObject({
  shipmentNo: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ (at most 40)')
    .optional()
    .describe('Your number for the shipment; omitted: one is given'),
  warehouseCode: code(20).describe('The overseas warehouse it goes to (one you use)').meta({ example: 'OW-DE1' }),
  originWarehouseCode: code(20)
    .describe('Where it leaves from: the bonded centre or a consolidation warehouse')
    .meta({ example: 'BC01' }),
  cartons: z.array(shipmentCartonInput).min(1).max(500),
  carrier: z.string().trim().min(1).max(100).optional(),
  eta: z.iso.date().optional().describe('Expected arrival, YYYY-MM-DD'),
});
export type ShipmentCreate = z.infer<typeof shipmentCreate>;

/** `GET /api/seller/shipments` filters. */
export const shipmentListQuery = z.strictObject({
  status: shipmentStatus.optional().describe('Only shipments in this status'),
  warehouseCode: code(20).optional().describe('Only shipments to this warehouse'),
  sku: code(30).optional().describe('Shipments with this SKU on a line'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many shipments (500 at most)'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Shipments to skip (the next page)'),
});
export type ShipmentListQuery = z.infer<typeof shipmentListQuery>;

/** One ASN line as received: expected against received / over / damaged, and short once closed. */
export const shipmentLineResult = z.object({
  lineNo: z.int(),
  sscc: z.string(),
  sku: z.string(),
  batch: z.string(),
  expiry: z.string().nullable(),
  expected: z.int(),
  received: z.int().describe('Good units counted against this line'),
  over: z.int().describe('Good units counted beyond what was expected'),
  damaged: z.int(),
  short: z.int().describe('Expected units that never came (0 until the receipt is closed)'),
  outstanding: z.int().describe('Expected units not counted yet'),
});
export type ShipmentLineResult = z.infer<typeof shipmentLineResult>;

export const shipmentCartonAnswer = z.object({
  cartonNo: z.int(),
  sscc: z.string().meta({ example: '306901234000000019' }),
  arrivedAt: z.string().nullable().describe('When its SSCC was scanned at the overseas warehouse (ISO, UTC)'),
  arrivedAtLocal: z.string().nullable().describe('The same in the warehouse’s time zone'),
  lines: z.array(shipmentLineResult),
});

export const shipmentStatusStep = z.object({
  status: shipmentStatus,
  at: z.string().describe('ISO, UTC'),
  atLocal: z.string().describe('In the warehouse’s time zone'),
  actor: z.string(),
  note: z.string().nullable(),
});

export const shipmentDamageAnswer = z.object({
  id: z.uuid(),
  sscc: z.string().nullable(),
  sku: z.string(),
  qty: z.int(),
  recordedAt: z.string(),
  hasPhoto: z.boolean(),
  photoUrl: z.string().nullable().describe('GET it with your token'),
});

export const shipmentCustoms = z
  .object({
    copNo: z.string(),
    invtNo: z.string().nullable(),
    tradeMode: z.string().meta({ example: '9810' }),
    state: z.string().describe('declared | blocked | rejected | cancelled'),
    customsStatus: z.int().nullable().describe('Receipt returnStatus (800: released)'),
    customsStatusInfo: z.string().nullable(),
    released: z.boolean(),
    problems: z.array(z.object({ code: z.string(), message: z.string() })).nullable(),
  })
  .nullable();

export const shipmentSummary = z
  .object({
    shipmentNo: z.string().meta({ example: 'ASN-0001' }),
    warehouseCode: z.string(),
    originWarehouseCode: z.string(),
    ownerCode: z.string(),
    status: shipmentStatus,
    carrier: z.string().nullable(),
    eta: z.string().nullable(),
    cartons: z.int(),
    expected: z.int(),
    received: z.int(),
    damaged: z.int(),
    over: z.int(),
    short: z.int(),
    copNo: z.string().nullable(),
    customsStatus: z.int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ShipmentSummary' });
export type ShipmentSummary = z.infer<typeof shipmentSummary>;

export const shipmentsListed = z.object({ items: z.array(shipmentSummary) });

export const shipmentDetail = shipmentSummary
  .extend({
    timeZone: z.string().describe('The overseas warehouse’s time zone the *Local fields use'),
    declaredValueCny: z.string().nullable(),
    generalDeclaration: z
      .boolean()
      .describe('Over CNY 5,000 a ticket: the export goes through the general declaration (DOMAIN.md §10)'),
    cartonsDetail: z.array(shipmentCartonAnswer),
    lines: z.array(shipmentLineResult),
    history: z.array(shipmentStatusStep),
    damages: z.array(shipmentDamageAnswer),
    customs: shipmentCustoms,
  })
  .meta({ id: 'ShipmentDetail' });
export type ShipmentDetail = z.infer<typeof shipmentDetail>;

/** `POST /api/shipments/:shipmentNo/status` (centre staff or the carrier). */
export const shipmentStatusInput = z.strictObject({
  status: z.enum(['departed', 'in_transit', 'arrived', 'received', 'closed']),
  note: z.string().trim().max(500).optional(),
});
export type ShipmentStatusInput = z.infer<typeof shipmentStatusInput>;

export const labelsQuery = z.strictObject({
  format: z
    .enum(['zpl', 'png'])
    .default('zpl')
    .describe('zpl: ZPL II for the label printer; png: a picture of the labels'),
  sscc: z
    .string()
    .regex(/^\d{18}$/)
    .optional()
    .describe('Only this carton (png: one label per image; without it, the labels one under the other)'),
});

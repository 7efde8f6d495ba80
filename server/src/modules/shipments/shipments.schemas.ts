import {
  labelsQuery,
  shipmentCreate,
  shipmentDetail,
  shipmentListQuery,
  shipmentStatusInput,
  shipmentsListed,
} from '@wms/contracts';
import { z } from 'zod';
import { codeParam } from '../../platform/http/zod-fields.js';
import { CODE_LISTS } from '../customs/messages/code-lists.js';

/** Requests and answers of the shipment routes: the shared ones are in contracts (seller-shipments.ts). */
export { labelsQuery, shipmentCreate, shipmentDetail, shipmentListQuery, shipmentStatusInput, shipmentsListed };

export const shipmentNoParam = codeParam('shipment number', 40).meta({ example: 'ASN-0001' });
export const damageIdParam = z.uuid().describe('The damage record id (from the shipment’s damages)');

/** The seller's create: the shared request, plus which of its owners when it has more than one. */
export const sellerShipmentCreate = shipmentCreate.extend({
  ownerCode: z
    .string()
    .trim()
    .min(1)
    .max(18)
    .optional()
    .describe('Which of your owners ships the goods, when you have more than one'),
});

export const declareInput = z.strictObject({
  logisticsCode: z
    .string()
    .trim()
    .min(1)
    .max(18)
    .optional()
    .describe('The carrier’s customs code (default: the centre)'),
  logisticsName: z.string().trim().min(1).max(100).optional(),
  // The departure the CEB603 list declares (DOMAIN.md §4): from the shipment, never assumed
  trafMode: z
    .enum([...CODE_LISTS.transportMode.codes.keys()])
    .describe('How the shipment leaves China (customs code): 2 sea, 3 rail, 4 road, 5 air, 6 post'),
  trafName: z.string().trim().min(1).max(100).optional().describe('Vessel, flight or vehicle'),
  voyageNo: z.string().trim().min(1).max(32).optional().describe('Voyage or flight number'),
  billNo: z.string().trim().min(1).max(37).optional().describe('Master bill of lading or air waybill'),
  pod: z.string().trim().min(1).max(6).describe('Port of destination abroad (CEB603 POD)'),
  wrapType: z
    .enum([...CODE_LISTS.wrapType.codes.keys()])
    .default('2')
    .describe('包装种类 of the cartons: 2 carton (default), 5 pallet, 1 wooden case ...'),
});
export type DeclareInput = z.infer<typeof declareInput>;

export const declared = shipmentDetail.extend({
  declaration: z.object({
    copNo: z.string(),
    outcome: z.string().describe('declared | already-declared'),
    tradeMode: z.literal('9810'),
    messageType: z.literal('CEB603'),
    goodsValueCny: z.string(),
    generalDeclaration: z.boolean(),
    note: z.string().optional(),
  }),
});

export const photoStored = z.object({
  shipmentNo: z.string(),
  damageId: z.uuid(),
  bytes: z.int(),
  type: z.enum(['image/jpeg', 'image/png']),
});

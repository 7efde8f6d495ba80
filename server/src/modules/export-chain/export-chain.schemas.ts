import { z } from 'zod';
import { dbTime } from '../../platform/http/answer-fields.js';
import { warehouseCode } from '../floor/floor.schemas.js';

/**
 * The 9610 export chain at a consolidation warehouse (DOMAIN.md §3-§4): what the site reports to
 * customs after the lists, and what those routes answer (for the OpenAPI document).
 */
const code = (max: number) => z.string().trim().min(1).max(max);
/** Transport modes of the customs code list used on these reports (0 non-border ... 9 other). */
const trafMode = z
  .enum(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'H', 'W', 'X', 'Y', 'Z'])
  .describe('Customs transport mode code: 2 sea, 3 rail, 4 road, 5 air, 6 post, ...');

export const arrivalInput = z.strictObject({
  warehouseCode,
  logisticsNos: z
    .array(code(60))
    .min(1)
    .max(2000)
    .describe('The waybill numbers scanned in at the supervised site, each once'),
  trafMode: trafMode.default('4').describe('How the parcels came to the site (4 road by default)'),
  domesticTrafNo: code(100).optional().describe('The vehicle that brought them (plate), as written on CEB507'),
  billNo: code(37).optional().describe('The master waybill, if one is known already'),
  readPoint: code(60).optional().describe('The station or scanner where they were scanned in, kept in the trace'),
});
export type ArrivalInput = z.infer<typeof arrivalInput>;

export const masterWaybillInput = z.strictObject({
  billNo: code(37).describe('The master air waybill or bill of lading grouping the parcels of the trip'),
  trafMode: trafMode.default('5'),
  trafName: code(100).describe('The flight, vessel or vehicle that takes them abroad, e.g. CA1051'),
  voyageNo: code(32).optional().describe('Flight or voyage number / date'),
});
export type MasterWaybillInput = z.infer<typeof masterWaybillInput>;

export const departureInput = z.strictObject({
  leaveTime: z
    .string()
    .regex(/^\d{14}$/, 'YYYYMMDDhhmmss (China Standard Time)')
    .optional()
    .describe('When the flight or vehicle left the country; the trip departure time when omitted'),
});
export type DepartureInput = z.infer<typeof departureInput>;

export const manifestsQuery = z
  .strictObject({
    logisticsNo: code(60).optional().describe("A parcel's waybill number: every report naming it"),
    tripNo: code(30).optional().describe('A vehicle trip: its master waybill and departure reports'),
  })
  .refine((q) => Boolean(q.logisticsNo) !== Boolean(q.tripNo), 'give either logisticsNo or tripNo');

// ---------------------------------------------------------------- answers

const written = {
  copNo: z.string().describe('Our number of the report').meta({ example: 'YD2026120100000001' }),
  messageType: z.enum(['CEB507', 'CEB607', 'CEB509']),
  guid: z.string().describe("The message's guid: its receipts name it"),
  fileName: z.string().describe('The file written to the single-window outbox'),
  parcels: z.number().int().min(1),
};

export const reportWritten = z.object({
  ...written,
  tripNo: z.string().nullable(),
  billNo: z.string().nullable(),
});

export const manifestsListed = z.object({
  items: z.array(
    z.object({
      kind: z.enum(['arrival', 'waybill', 'departure']),
      copNo: z.string(),
      messageType: z.string(),
      warehouseCode: z.string(),
      tripNo: z.string().nullable(),
      billNo: z.string().nullable(),
      guid: z.string(),
      status: z
        .number()
        .int()
        .nullable()
        .describe(
          'The customs status its receipts give (120 accepted, 399/800 recorded, 100 rejected, negative: error)',
        ),
      statusInfo: z.string().nullable(),
      statusTime: z.string().nullable(),
      createdAt: dbTime,
      parcels: z.array(z.object({ logisticsNo: z.string(), sscc: z.string().nullable() })),
    }),
  ),
});

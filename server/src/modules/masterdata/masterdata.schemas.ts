import { z } from 'zod';
import { itemsOf } from '../../platform/http/answer-fields.js';
import { decimalText, int4, uniqueBy } from '../../platform/http/zod-fields.js';
import { CODE_LISTS } from '../customs/messages/code-lists.js';

/** Request bodies of the master-data API; unknown fields are refused (STYLE.md). */
const code = z.string().trim().min(1).max(18).meta({ example: '3105960001' });
/** goods.declared_price is numeric(19,5). */
const decimal = decimalText(19, 5);

export const enterpriseInput = z.strictObject({
  code,
  name: z.string().trim().min(1).max(100),
  roles: z.array(z.enum(['ebp', 'ebc', 'logistics', 'pay', 'iac', 'agent', 'owner'])).min(1),
  creditClass: z.enum(['advanced', 'general', 'untrusted']).default('general'),
});

export const warehouseInput = z
  .strictObject({
    code: z.string().trim().min(1).max(20).meta({ example: 'BC01' }),
    name: z.string().trim().min(1).max(100),
    kind: z.enum(['bonded-centre', 'overseas', 'consolidation']),
    customsCode: z
      .string()
      .regex(/^\d{4}$/, 'a 4-digit customs district code')
      .optional(),
    portCode: z
      .string()
      .regex(/^\d{4}$/, 'a 4-digit port customs code')
      .optional(),
    loctNo: z.string().trim().min(1).max(10).optional(),
    emsNo: z.string().trim().min(1).max(30).optional().meta({ example: 'T5165W000001' }),
    operatorCode: code.optional(),
    country: z.string().trim().min(1).max(3).optional(),
    timeZone: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'an IANA time zone, e.g. Europe/Berlin')
      .default('Asia/Shanghai')
      .describe('The site’s time zone: screens, labels and reports show its local time'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code, e.g. EUR')
      .default('CNY'),
    overseasCustomsReg: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('An overseas warehouse: its registration with the exporter’s customs, where required'),
    storageAgeLimitDays: z.number().int().min(1).max(3650).default(365),
    storageAgeWarningDays: z.number().int().min(0).max(3650).default(30),
    gateRequiresWeighing: z
      .boolean()
      .default(true)
      .describe(
        'The gate passes a parcel only once it was weighed within tolerance (off for a site that does not weigh).',
      ),
    gateRequiresLabel: z
      .boolean()
      .default(true)
      .describe('The gate passes a parcel only once its label printed (off for a site whose carrier labels).'),
    zones: z
      .array(
        z.strictObject({
          code: z.string().trim().min(1).max(20),
          kind: z.enum(['bonded', 'non-bonded', 'inspection', 'returns', 'quarantine']),
          /** Location codes; a location can say what it is for (default storage). */
          locations: z
            .array(
              z.union([
                z.string().trim().min(1).max(30),
                z.strictObject({
                  code: z.string().trim().min(1).max(30),
                  purpose: z.enum(['storage', 'dock', 'pack', 'staging']).default('storage'),
                }),
              ]),
            )
            .default([])
            .transform((list) =>
              list.map((l) => (typeof l === 'string' ? { code: l, purpose: 'storage' as const } : l)),
            ),
        }),
      )
      .default([])
      .superRefine(uniqueBy((z) => z.code, 'zone code')),
  })
  .superRefine((w, ctx) => {
    // a location code is unique in its warehouse, whichever zone lists it
    const where = w.zones.flatMap((zone, zi) => zone.locations.map((_l, li) => ['zones', zi, 'locations', li]));
    uniqueBy<{ code: string }>(
      (l) => l.code,
      'location code',
      (i) => where[i],
    )(
      w.zones.flatMap((zone) => zone.locations),
      ctx,
    );
  })
  .refine((w) => w.kind !== 'bonded-centre' || (w.customsCode && w.loctNo && w.emsNo), {
    message: 'a bonded centre needs customsCode, loctNo (supervised-site code) and emsNo (account book)',
  })
  .refine((w) => w.kind !== 'overseas' || w.country, {
    message: 'an overseas warehouse needs its country (ISO 3166 alpha-2, e.g. DE)',
    path: ['country'],
  });

const unitCode = z.string().refine((v) => CODE_LISTS.unit.has(v), `must be ${CODE_LISTS.unit.hint}`);

export const goodsInput = z
  .strictObject({
    ownerCode: code,
    sku: z.string().trim().min(1).max(30),
    gtin: z
      .string()
      .regex(/^\d{8,14}$/)
      .optional(),
    gcode: z.string().regex(/^\d{10}$/, 'a 10-digit HS code'),
    name: z.string().trim().min(1).max(250),
    model: z.string().trim().max(250).default(''),
    unit: z.string().regex(/^\d{3}$/, 'a 3-digit customs unit code, e.g. 011 (piece)'),
    declaredPrice: decimal,
    currency: z.string().length(3).default('142'),
    country: z.string().regex(/^\d{3}$/, 'a 3-digit customs country code'),
    grossGrams: int4().positive().optional().describe('goods.gross_grams is an integer (int4) column.'),
    legalUnit: unitCode
      .optional()
      .describe(
        'First legal (statutory) unit of the HS code, when it is not the unit (e.g. 035 kg for milk powder in tins)',
      ),
    legalQtyPerUnit: decimal.optional().describe('How many legal units one unit is (e.g. 0.9 kg a tin)'),
    legalUnit2: unitCode
      .optional()
      .describe('Second legal unit, where the HS code has one (e.g. 035 kg for T-shirts in 011)'),
    legalQty2PerUnit: decimal.optional().describe('How many second legal units one unit is'),
  })
  .refine((g) => !g.legalUnit || g.legalUnit === g.unit || g.legalQtyPerUnit, {
    message: 'legalQtyPerUnit is required with a legalUnit that is not the unit: how many of it one unit is',
    path: ['legalQtyPerUnit'],
  })
  .refine((g) => !g.legalUnit2 || g.legalUnit2 === g.unit || g.legalQty2PerUnit, {
    message: 'legalQty2PerUnit is required with a legalUnit2 that is not the unit',
    path: ['legalQty2PerUnit'],
  })
  .refine((g) => !g.legalUnit2 || g.legalUnit2 !== (g.legalUnit ?? g.unit), {
    message: 'legalUnit2 is the second legal unit: it cannot be the first one',
    path: ['legalUnit2'],
  });

export const bookLineInput = z.strictObject({
  emsNo: z.string().trim().min(1).max(30).meta({ example: 'T5165W000001' }),
  putrecSeqno: int4().positive().describe('book_line.putrec_seqno is an integer (int4) column.'),
  itemNo: z.string().trim().min(1).max(30),
  gcode: z.string().regex(/^\d{10}$/, 'a 10-digit HS code'),
  gname: z.string().trim().min(1).max(250),
  unit: z.string().regex(/^\d{3}$/),
});

export const masterDataImport = z.strictObject({
  enterprises: z
    .array(enterpriseInput)
    .max(10_000)
    .default([])
    .superRefine(uniqueBy((e) => e.code, 'enterprise code')),
  warehouses: z
    .array(warehouseInput)
    .max(1_000)
    .default([])
    .superRefine(uniqueBy((w) => w.code, 'warehouse code')),
  goods: z
    .array(goodsInput)
    .max(100_000)
    .default([])
    .superRefine(uniqueBy((g) => `${g.ownerCode}/${g.sku}`, 'goods (ownerCode/sku)')),
  bookLines: z
    .array(bookLineInput)
    .max(200_000)
    .default([])
    .superRefine(uniqueBy((l) => `${l.emsNo}/${l.putrecSeqno}`, 'book line (emsNo/putrecSeqno)'))
    .superRefine(uniqueBy((l) => `${l.emsNo}/${l.itemNo}`, 'book line item (emsNo/itemNo)')),
});

export type EnterpriseInput = z.infer<typeof enterpriseInput>;
export type WarehouseInput = z.infer<typeof warehouseInput>;
export type GoodsInput = z.infer<typeof goodsInput>;
export type BookLineInput = z.infer<typeof bookLineInput>;
export type MasterDataImport = z.infer<typeof masterDataImport>;

/** The answer of an import: how many of each were written. */
export const masterDataImported = z.object({
  enterprises: z.number().int(),
  warehouses: z.number().int(),
  goods: z.number().int(),
  bookLines: z.number().int(),
});

/** The master data as the list routes answer it. */
export const enterprisesListed = itemsOf(
  z.object({
    code: z.string().meta({ example: '3105960001' }),
    name: z.string(),
    roles: z.array(z.enum(['ebp', 'ebc', 'logistics', 'pay', 'iac', 'agent', 'owner'])),
    creditClass: z.enum(['advanced', 'general', 'untrusted']),
  }),
  'The enterprises, by code',
);

export const warehouseAnswer = z.object({
  code: z.string().meta({ example: 'BC01' }),
  name: z.string(),
  kind: z.enum(['bonded-centre', 'overseas', 'consolidation']),
  customsCode: z.string().nullable(),
  portCode: z.string().nullable(),
  loctNo: z.string().nullable(),
  emsNo: z.string().nullable(),
  operatorCode: z.string().nullable(),
  country: z.string().nullable(),
  timeZone: z.string(),
  currency: z.string(),
  overseasCustomsReg: z.string().nullable(),
  storageAgeLimitDays: z.number().int(),
  storageAgeWarningDays: z.number().int(),
  gateRequiresWeighing: z.boolean(),
  gateRequiresLabel: z.boolean(),
});
export const warehousesListed = itemsOf(
  warehouseAnswer.extend({
    zones: z.array(
      z.object({
        code: z.string(),
        kind: z.enum(['bonded', 'non-bonded', 'inspection', 'returns', 'quarantine']),
        locations: z.array(z.string()).describe('Location codes, sorted'),
      }),
    ),
  }),
  'The warehouses, by code, with zones and locations',
);

/** One SKU of the goods master as it is answered (the centre's list and a seller's own SKUs). */
export const goodsItem = z.object({
  ownerCode: z.string(),
  sku: z.string(),
  gtin: z.string().nullable(),
  gcode: z.string().meta({ example: '3304990010' }),
  name: z.string(),
  model: z.string(),
  unit: z.string(),
  declaredPrice: z.string().describe('Decimal text, 5 places').meta({ example: '12.50000' }),
  currency: z.string(),
  country: z.string(),
  grossGrams: z.number().int().nullable(),
});

/** The goods master's own answer: the customs fields with the legal units (DOMAIN.md §4). */
export const masterGoodsItem = goodsItem.extend({
  legalUnit: z.string().nullable().describe('null: the unit is the legal unit'),
  legalQtyPerUnit: z.string().nullable().describe('Decimal text'),
  legalUnit2: z.string().nullable(),
  legalQty2PerUnit: z.string().nullable().describe('Decimal text'),
});

export const goodsListed = itemsOf(masterGoodsItem, 'The goods, by owner and SKU, at most 10,000');

export const bookLinesListed = itemsOf(
  z.object({
    emsNo: z.string(),
    putrecSeqno: z.number().int(),
    itemNo: z.string(),
    gcode: z.string(),
    gname: z.string(),
    unit: z.string(),
  }),
  'The book lines, by line number',
);

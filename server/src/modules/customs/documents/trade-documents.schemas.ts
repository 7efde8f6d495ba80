import { z } from 'zod';
import { dbTime } from '../../../platform/http/answer-fields.js';
import { int4 } from '../../../platform/http/zod-fields.js';
import { CODE_LISTS } from '../messages/code-lists.js';

/**
 * Trade documents as the platform, payment company and carrier send them: the field names of
 * CEB311/411/511 (import) and CEB303/403/505 (export) from reference/ceb-fields.txt, plus the two
 * things the WMS needs to act on them (which warehouse ships the parcel, under which mode).
 * Amounts are decimal strings, never floats (STYLE.md).
 */
const decimal = z
  .union([z.string(), z.number()])
  .transform(String)
  // amounts end up in numeric(19,5) columns (actural_paid) and sums of them: 14 digits before the point
  .pipe(
    z
      .string()
      .regex(
        /^\d{1,14}(\.\d{1,5})?$/,
        'must be a decimal amount such as "12.50" (at most 14 digits before the point, 5 after)',
      ),
  );
/** A parcel's weight in kg: it becomes grams in integer (int4) columns at the weighing station. */
const weightKg = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^\d{1,7}(\.\d{1,5})?$/, 'must be a weight in kg such as "0.95" (at most 2,147,483 kg)'))
  .refine((kg) => Number(kg) * 1000 <= 2_147_483_647, 'must be at most 2,147,483 kg');
const code = z.string().trim().min(1).max(18);
const trafMode = z.string().refine((v) => CODE_LISTS.transportMode.has(v), `must be ${CODE_LISTS.transportMode.hint}`);
const wrapType = z
  .string()
  .refine((v) => CODE_LISTS.wrapType.has(v), `must be ${CODE_LISTS.wrapType.hint}`)
  .describe('包装种类: 1 wooden case, 2 carton (default), 3 drum, 4 bulk, 5 pallet, 6 bag, 7 other');
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

const importOrderLine = z.strictObject({
  gnum: z.number().int().min(1).max(9999),
  itemNo: text(30),
  itemName: text(250),
  gmodel: optionalText(250),
  itemDescribe: optionalText(1000),
  barCode: optionalText(50),
  unit: z.string().regex(/^\d{3}$/, 'a 3-digit customs unit code'),
  qty: decimal,
  price: decimal,
  totalPrice: decimal,
  currency: z.string().length(3).default('142'),
  country: z
    .string()
    .regex(/^\d{3}$/)
    .optional(),
  note: optionalText(1000),
});

export const importOrder = z.strictObject({
  tradeMode: z.enum(['1210', '1239', '9610']),
  warehouseCode: text(20),
  orderType: z.enum(['I', 'E']).default('I'),
  orderNo: text(60),
  ebpCode: code,
  ebpName: text(100),
  ebcCode: code,
  ebcName: text(100),
  goodsValue: decimal,
  freight: decimal,
  discount: decimal.default('0'),
  taxTotal: decimal.default('0'),
  acturalPaid: decimal,
  currency: z.string().length(3).default('142'),
  buyerRegNo: text(60),
  buyerName: text(60),
  buyerTelephone: text(30),
  buyerIdType: z.enum(['1', '2']).default('1'),
  buyerIdNumber: text(60),
  payCode: code,
  payName: text(100),
  payTransactionId: text(60),
  batchNumbers: optionalText(100),
  consignee: text(100),
  consigneeTelephone: text(50),
  consigneeAddress: text(200),
  consigneeDistrict: optionalText(6),
  note: optionalText(1000),
  lines: z.array(importOrderLine).min(1).max(999),
});

export const importPayment = z.strictObject({
  payCode: code,
  payName: text(100),
  payTransactionId: text(60),
  orderNo: text(60),
  ebpCode: code,
  ebpName: text(100),
  payerIdType: z.enum(['1', '2']).default('1'),
  payerIdNumber: text(60),
  payerName: text(60),
  telephone: optionalText(50),
  amountPaid: decimal,
  currency: z.string().length(3).default('142'),
  payTime: z.string().regex(/^\d{14}$/, 'YYYYMMDDhhmmss'),
  note: optionalText(1000),
});

export const importWaybill = z.strictObject({
  logisticsCode: code,
  logisticsName: text(100),
  logisticsNo: text(60),
  billNo: optionalText(37).describe('提运单号: the master bill the parcel came in under (required for 9610)'),
  // Beyond CEB511, what a 9610 direct-purchase list needs of the inbound transport (DOMAIN.md §4)
  trafMode: trafMode.optional().describe('The inbound transport mode (required for 9610): 5 air, 2 sea, 6 post ...'),
  trafNo: optionalText(100).describe('运输工具编号: flight, vessel or vehicle (required for 9610)'),
  voyageNo: optionalText(32).describe('航班航次号 (required for 9610)'),
  wrapType: wrapType.optional(),
  orderNo: text(60),
  freight: decimal.default('0'),
  insuredFee: decimal.default('0'),
  currency: z.string().length(3).default('142'),
  weight: weightKg.describe('Gross weight in kg, as the standard has it.'),
  packNo: int4().min(1).default(1),
  goodsInfo: optionalText(200),
  consignee: text(100),
  consigneeAddress: text(200),
  consigneeTelephone: text(50),
  note: optionalText(1000),
});

const exportOrderLine = z.strictObject({
  gnum: z.number().int().min(1).max(9999),
  itemNo: text(30),
  itemName: text(250),
  itemDescribe: optionalText(1000),
  barCode: optionalText(50),
  unit: z.string().regex(/^\d{3}$/),
  currency: z.string().length(3).default('142'),
  qty: decimal,
  price: decimal,
  totalPrice: decimal,
  note: optionalText(1000),
});

export const exportOrder = z.strictObject({
  tradeMode: z.enum(['9610', '9710', '9810', '1210']),
  warehouseCode: text(20),
  orderType: z.enum(['E']).default('E'),
  orderNo: text(60),
  ebpCode: code,
  ebpName: text(100),
  ebcCode: code,
  ebcName: text(100),
  goodsValue: decimal,
  freight: decimal.default('0'),
  currency: z.string().length(3).default('142'),
  country: z
    .string()
    .regex(/^\d{3}$/)
    .describe('Destination country (customs country code) of the parcel.'),
  statisticsFlag: z
    .enum(['A', 'B'])
    .optional()
    .describe('A simplified, B summarised by the monthly CEB701; default B for 9610/1210, A for 9710/9810'),
  note: optionalText(1000),
  lines: z.array(exportOrderLine).min(1).max(999),
});

/** CEB403 receipt of payment (the export "payment"). */
export const exportPayment = z.strictObject({
  ebpCode: code,
  ebpName: text(100),
  ebcCode: code,
  ebcName: text(100),
  orderNo: text(60),
  payCode: code,
  payName: text(100),
  payNo: text(60),
  charge: decimal,
  currency: z.string().length(3).default('142'),
  accountingDate: z.string().regex(/^\d{14}$/, 'YYYYMMDDhhmmss'),
  note: optionalText(1000),
});

/** CEB505; the standard's export waybill has no orderNo, the WMS needs it to tie the parcel. */
export const exportWaybill = z.strictObject({
  logisticsCode: code,
  logisticsName: text(100),
  logisticsNo: text(60),
  orderNo: text(60),
  freight: decimal.default('0'),
  insuredFee: decimal.default('0'),
  currency: z.string().length(3).default('142'),
  grossWeight: weightKg,
  packNo: int4().min(1).default(1),
  // Beyond CEB505, the departure the CEB603 list declares (DOMAIN.md §4)
  trafMode: trafMode
    .optional()
    .describe('How the parcel leaves (required to declare): 5 air, 2 sea, 4 road, 6 post ...'),
  trafName: optionalText(100).describe('运输工具名称: vessel, flight or vehicle'),
  voyageNo: optionalText(32).describe('航班航次号'),
  billNo: optionalText(37).describe('提运单号: the master bill'),
  totalPackageNo: optionalText(500).describe('总包号: the bag or pallet the parcel travels in'),
  pod: optionalText(6).describe('Port of destination abroad (CEB603 POD), required to declare'),
  wrapType: wrapType.optional(),
  goodsInfo: optionalText(200),
  ebcCode: code,
  ebcName: text(100),
  ebcTelephone: optionalText(50),
  note: optionalText(1000),
});

export type ImportOrderDoc = z.infer<typeof importOrder>;
export type ImportPaymentDoc = z.infer<typeof importPayment>;
export type ImportWaybillDoc = z.infer<typeof importWaybill>;
export type ExportOrderDoc = z.infer<typeof exportOrder>;
export type ExportPaymentDoc = z.infer<typeof exportPayment>;
export type ExportWaybillDoc = z.infer<typeof exportWaybill>;

/** The bulk body: items are checked one by one so one bad order does not refuse the other 9,999. */
const importExample = {
  direction: 'import',
  orders: [
    {
      tradeMode: '1210',
      warehouseCode: 'BC01',
      orderNo: 'SO-0001',
      ebpCode: 'PLAT000001',
      ebpName: 'Demo Platform',
      ebcCode: 'SELLER-DEMO',
      ebcName: 'Demo Seller',
      goodsValue: '99.00',
      freight: '10.00',
      taxTotal: '9.01',
      acturalPaid: '118.01',
      buyerRegNo: 'buyer1',
      buyerName: '演示买家',
      buyerTelephone: '13800000000',
      buyerIdNumber: '110101199001011000',
      payCode: 'PAY0000001',
      payName: 'Demo Pay',
      payTransactionId: 'PT-0001',
      consignee: '演示买家',
      consigneeTelephone: '13800000000',
      consigneeAddress: '上海市浦东新区演示路1号',
      lines: [
        {
          gnum: 1,
          itemNo: 'DEMO-SKU1',
          itemName: 'Face cream',
          unit: '011',
          qty: '1',
          price: '99.00',
          totalPrice: '99.00',
        },
      ],
    },
  ],
  payments: [
    {
      payCode: 'PAY0000001',
      payName: 'Demo Pay',
      payTransactionId: 'PT-0001',
      orderNo: 'SO-0001',
      ebpCode: 'PLAT000001',
      ebpName: 'Demo Platform',
      payerIdNumber: '110101199001011000',
      payerName: '演示买家',
      amountPaid: '118.01',
      payTime: '20261120100000',
    },
  ],
  waybills: [
    {
      logisticsCode: 'LOGI000001',
      logisticsName: 'Demo Express',
      logisticsNo: 'YT00000001',
      orderNo: 'SO-0001',
      weight: '0.9',
      consignee: '演示买家',
      consigneeTelephone: '13800000000',
      consigneeAddress: '上海市浦东新区演示路1号',
    },
  ],
};

export const documentsImport = z
  .strictObject({
    direction: z.enum(['import', 'export']),
    orders: z
      .array(z.unknown())
      .max(20_000)
      .default([])
      .describe('Orders: CEB311 fields (import, importOrder) or CEB303 (export, exportOrder), each checked alone'),
    payments: z
      .array(z.unknown())
      .max(20_000)
      .default([])
      .describe('Payments: CEB411 (import, importPayment) or CEB403 (export, exportPayment), each checked alone'),
    waybills: z
      .array(z.unknown())
      .max(20_000)
      .default([])
      .describe('Waybills: CEB511 (import, importWaybill) or CEB505 (export, exportWaybill), each checked alone'),
  })
  .meta({ example: importExample });
export type DocumentsImport = z.infer<typeof documentsImport>;

export const schemasFor = (direction: 'import' | 'export') =>
  direction === 'import'
    ? { order: importOrder, payment: importPayment, waybill: importWaybill }
    : { order: exportOrder, payment: exportPayment, waybill: exportWaybill };

/** `?wait=true` (the default where a call is short) or `?wait=false` for a long run in the background. */
export const waitQuery = z.strictObject({
  wait: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .describe('true: answer when the work is done; false: answer at once with a job to follow'),
});

// ---------------------------------------------------------------- answers

/** A document import or a background declaring run, as GET /api/customs/imports/{id} shows it. */
export const importJob = z
  .object({
    id: z.uuid(),
    kind: z.string().meta({ example: 'import-documents' }),
    total: z.number().int(),
    processed: z.number().int(),
    accepted: z.number().int(),
    unchanged: z.number().int().describe('Sent again as they were: nothing changed'),
    failed: z.number().int(),
    errors: z
      .array(z.record(z.string(), z.unknown()))
      .describe('Item by item: which document, the error code and message (at most 10,000)'),
    state: z.enum(['running', 'done', 'failed']),
    createdBy: z.string().nullable(),
    createdAt: dbTime,
    finishedAt: dbTime.nullable(),
  })
  .meta({ id: 'ImportJob' });

/** A job just started: follow it at GET /api/customs/imports/{id}. */
export const jobStarted = z.object({
  id: z.uuid(),
  total: z.number().int().describe('Items it will work through'),
  state: z.literal('running'),
});

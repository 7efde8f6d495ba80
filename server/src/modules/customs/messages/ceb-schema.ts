import type { CodeListName } from './code-lists.js';

/**
 * Field definitions of the CEB messages we generate. Names follow reference/ceb-fields.txt; types
 * and lengths follow the cross-border e-commerce import message standard (C = text up to n
 * characters, N = number with total digits and decimals, D14 = YYYYMMDDhhmmss). Where the shared
 * reference is silent on a length, the standard's usual width is used and marked `assumed`.
 */
export type FieldType =
  | { kind: 'C'; max: number; min?: number; assumed?: true }
  | { kind: 'N'; digits: number; decimals: number }
  | { kind: 'D14' }
  | { kind: 'D8' }
  | { kind: 'enum'; values: readonly string[] }
  /** A value of a customs code list (code-lists/*.json), at most `max` characters. */
  | { kind: 'code'; list: CodeListName; max: number };

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
}

export interface MessageSpec {
  /** Root element without prefix, e.g. `CEB621Message`. */
  root: string;
  /** Business document element, e.g. `Inventory`. */
  document: string;
  head: { element: string; fields: FieldSpec[] };
  lines?: { element: string; fields: FieldSpec[]; min: number };
}

const C = (max: number, assumed = false): FieldType =>
  assumed ? { kind: 'C', max, assumed: true } : { kind: 'C', max };
const code = (list: CodeListName, max: number): FieldType => ({ kind: 'code', list, max });
const N = (digits: number, decimals: number): FieldType => ({ kind: 'N', digits, decimals });
/**
 * The type of every field by name: a field means the same thing, with the same type and width,
 * in every message it appears in. Where a message narrows one (ieFlag, tradeMode), it says so.
 */
const FIELD_TYPES: Record<string, FieldType> = {
  agentCode: C(18),
  agentName: C(100),
  appStatus: { kind: 'enum', values: ['1', '2'] },
  appTime: { kind: 'D14' },
  appType: { kind: 'enum', values: ['1', '2', '3'] },
  areaCode: C(18),
  areaName: C(100),
  assureCode: C(18),
  barCode: C(50),
  billNo: C(37, true),
  buyerIdNumber: C(60),
  buyerIdType: { kind: 'enum', values: ['1', '2'] },
  buyerName: C(60),
  buyerTelephone: C(30),
  consigneeAddress: C(200),
  copNo: C(20),
  country: code('country', 3),
  currency: code('currency', 3),
  customsCode: code('customsDistrict', 4),
  declAgentCode: C(18),
  declAgentName: C(100),
  declTime: { kind: 'D8' },
  domesticTrafNo: C(100, true),
  ebcCode: C(18),
  ebcName: C(100),
  ebpCode: C(18),
  ebpName: C(100),
  emsNo: C(30),
  endTime: { kind: 'D14' },
  fCurrency: code('currency', 3),
  fFlag: { kind: 'enum', values: ['1', '2', '3'] },
  freight: N(19, 5),
  gcode: C(10),
  gmodel: C(250),
  gname: C(250),
  gnum: N(4, 0),
  grossWeight: N(19, 5),
  guid: C(36),
  iacCode: C(18),
  iacName: C(100),
  iCurrency: code('currency', 3),
  ieDate: { kind: 'D8' },
  iFlag: { kind: 'enum', values: ['1', '2', '3'] },
  insuredFee: N(19, 5),
  invtNo: C(18),
  itemName: C(250),
  itemNameFlag: { kind: 'enum', values: ['0', '1'] },
  itemNo: C(30),
  itemRecordNo: C(30),
  leaveTime: { kind: 'D14' },
  licenseNo: C(19, true),
  loctNo: C(10),
  logisticsCode: C(18),
  logisticsName: C(100),
  logisticsNo: C(60),
  msgCount: N(9, 0),
  msgSeqNo: N(9, 0),
  netWeight: N(19, 5),
  note: C(1000),
  operatorCode: C(18),
  operatorName: C(100),
  orderNo: C(60),
  ownerCode: C(18),
  ownerName: C(100),
  packNo: N(9, 0),
  POD: C(6, true), // the XSD spells it POD (the field notes: pod)
  portCode: code('customsDistrict', 4),
  preNo: C(18),
  price: N(19, 5),
  qty: N(19, 5),
  qty1: N(19, 5),
  qty2: N(19, 5),
  reason: C(1000),
  rkdNo: C(18),
  startTime: { kind: 'D14' },
  statisticsFlag: { kind: 'enum', values: ['A', 'B'] },
  summaryFlag: { kind: 'enum', values: ['1', '2'] },
  sumNo: C(18),
  totalPackageNo: C(500, true),
  totalPrice: N(19, 5),
  tradeCountry: code('country', 3),
  trafMode: code('transportMode', 1),
  trafName: C(100, true),
  trafNo: C(100, true),
  unit: code('unit', 3),
  unit1: code('unit', 3),
  unit2: code('unit', 3),
  unloadLocation: C(100, true),
  voyageNo: C(32, true),
  wrapType: code('wrapType', 1),
};

function typeOf(name: string): FieldType {
  const type = FIELD_TYPES[name];
  if (!type) throw new Error(`CEB field ${name} has no type in FIELD_TYPES`);
  return type;
}
const req = (name: string, type: FieldType = typeOf(name)): FieldSpec => ({ name, type, required: true });
const opt = (name: string, type: FieldType = typeOf(name)): FieldSpec => ({ name, type, required: false });

/** Head fields every declaration carries (DOMAIN.md §4 "Common head"). */
const commonHead: FieldSpec[] = [req('guid'), req('appType'), req('appTime'), req('appStatus')];

export const CEB621: MessageSpec = {
  root: 'CEB621Message',
  document: 'Inventory',
  head: {
    element: 'InventoryHead',
    fields: [
      ...commonHead,
      req('orderNo'),
      req('ebpCode'),
      req('ebpName'),
      req('ebcCode'),
      req('ebcName'),
      req('logisticsNo'),
      req('logisticsCode'),
      req('logisticsName'),
      req('copNo'),
      opt('preNo'),
      req('assureCode'),
      opt('emsNo'),
      opt('invtNo'),
      req('ieFlag', { kind: 'enum', values: ['I'] }),
      req('declTime'),
      req('customsCode'),
      req('portCode'),
      req('ieDate'),
      req('buyerIdType'),
      req('buyerIdNumber'),
      req('buyerName'),
      req('buyerTelephone'),
      req('consigneeAddress'),
      req('agentCode'),
      req('agentName'),
      opt('areaCode'),
      opt('areaName'),
      req('tradeMode', { kind: 'enum', values: ['9610', '1210', '1239'] }),
      req('trafMode'),
      opt('trafNo'),
      opt('voyageNo'),
      opt('billNo'),
      opt('loctNo'),
      opt('licenseNo'),
      req('country'),
      req('freight'),
      req('insuredFee'),
      req('currency'),
      opt('wrapType'),
      req('packNo'),
      req('grossWeight'),
      req('netWeight'),
      opt('note'),
    ],
  },
  lines: {
    element: 'InventoryList',
    min: 1,
    fields: [
      req('gnum'),
      opt('itemRecordNo'),
      opt('itemNo'),
      opt('itemName'),
      req('gcode'),
      req('gname'),
      req('gmodel'),
      opt('barCode'),
      req('country'),
      opt('tradeCountry'),
      req('currency'),
      req('qty'),
      req('unit'),
      req('qty1'),
      req('unit1'),
      opt('qty2'),
      opt('unit2'),
      req('price'),
      req('totalPrice'),
      opt('note'),
    ],
  },
};

/** The head of a document about one released import parcel: its cancel (CEB623) or return (CEB625). */
const releasedParcelDoc: FieldSpec[] = [
  ...commonHead,
  req('customsCode'),
  req('orderNo'),
  req('ebpCode'),
  req('ebpName'),
  req('ebcCode'),
  req('ebcName'),
  req('logisticsNo'),
  req('logisticsCode'),
  req('logisticsName'),
  req('copNo'),
  opt('preNo'),
  req('invtNo'),
  req('buyerIdType'),
  req('buyerIdNumber'),
  req('buyerName'),
  req('buyerTelephone'),
  req('agentCode'),
  req('agentName'),
  req('reason'),
  opt('note'),
];

/** CEB623 import list cancel: the fields sit directly in InvtCancel (no separate head element). */
export const CEB623: MessageSpec = {
  root: 'CEB623Message',
  document: 'InvtCancel',
  head: {
    element: 'InvtCancel',
    fields: [...releasedParcelDoc],
  },
};

/** CEB625 import return (refund) of a released parcel, with the returned lines. */
export const CEB625: MessageSpec = {
  root: 'CEB625Message',
  document: 'InvtRefund',
  head: {
    element: 'InvtRefundHead',
    fields: [...releasedParcelDoc],
  },
  lines: {
    element: 'InvtRefundList',
    min: 1,
    fields: [req('gnum'), req('gcode'), req('gname'), req('qty'), req('unit'), opt('note')],
  },
};

/** CEB603 export inventory list (9610 general export, 1210 bonded export, 9710/9810 B2B). */
export const CEB603: MessageSpec = {
  root: 'CEB603Message',
  document: 'Inventory',
  head: {
    element: 'InventoryHead',
    fields: [
      ...commonHead,
      req('customsCode'),
      req('ebpCode'),
      req('ebpName'),
      req('orderNo'),
      req('logisticsCode'),
      req('logisticsName'),
      req('logisticsNo'),
      req('copNo'),
      opt('preNo'),
      opt('invtNo'),
      req('ieFlag', { kind: 'enum', values: ['E'] }),
      req('portCode'),
      req('ieDate'),
      req('statisticsFlag'),
      req('agentCode'),
      req('agentName'),
      req('ebcCode'),
      req('ebcName'),
      req('ownerCode'),
      req('ownerName'),
      opt('iacCode'),
      opt('iacName'),
      opt('emsNo'),
      req('tradeMode', { kind: 'enum', values: ['9610', '1210', '9710', '9810'] }),
      req('trafMode'),
      opt('trafName'),
      opt('voyageNo'),
      opt('billNo'),
      opt('totalPackageNo'),
      opt('loctNo'),
      opt('licenseNo'),
      req('country'),
      opt('POD'),
      req('freight'),
      req('fCurrency'),
      req('fFlag'),
      req('insuredFee'),
      req('iCurrency'),
      req('iFlag'),
      opt('wrapType'),
      req('packNo'),
      req('grossWeight'),
      req('netWeight'),
      opt('note'),
    ],
  },
  lines: {
    element: 'InventoryList',
    min: 1,
    fields: [
      req('gnum'),
      req('itemNo'),
      opt('itemRecordNo'),
      opt('itemName'),
      req('gcode'),
      req('gname'),
      req('gmodel'),
      opt('barCode'),
      req('country'),
      req('currency'),
      req('qty'),
      req('qty1'),
      opt('qty2'),
      req('unit'),
      req('unit1'),
      opt('unit2'),
      req('price'),
      req('totalPrice'),
      opt('note'),
    ],
  },
};

/** CEB605 export list cancel: fields directly in InvtCancel. */
export const CEB605: MessageSpec = {
  root: 'CEB605Message',
  document: 'InvtCancel',
  head: {
    element: 'InvtCancel',
    fields: [
      ...commonHead,
      req('customsCode'),
      req('copNo'),
      opt('preNo'),
      req('invtNo'),
      req('reason'),
      req('agentCode'),
      req('agentName'),
      req('ebcCode'),
      req('ebcName'),
      opt('note'),
    ],
  },
};

const msgSplit: FieldSpec[] = [req('msgCount'), req('msgSeqNo')];

/** CEB701 9610 summary application: released export lists of a period. */
export const CEB701: MessageSpec = {
  root: 'CEB701Message',
  document: 'SummaryApply',
  head: {
    element: 'SummaryApplyHead',
    fields: [
      ...commonHead,
      req('customsCode'),
      req('copNo'),
      opt('preNo'),
      opt('sumNo'),
      req('agentCode'),
      req('agentName'),
      req('ebcCode'),
      req('ebcName'),
      req('declAgentCode'),
      req('declAgentName'),
      req('startTime'),
      req('endTime'),
      opt('loctNo'),
      req('summaryFlag'),
      req('itemNameFlag'),
      ...msgSplit,
      opt('note'),
    ],
  },
  lines: { element: 'SummaryApplyList', min: 1, fields: [req('invtNo')] },
};

/** CEB711 import delivery (入库明细单): which parcels entered the supervised site, under which bill. */
export const CEB711: MessageSpec = {
  root: 'CEB711Message',
  document: 'Delivery',
  head: {
    element: 'DeliveryHead',
    fields: [
      ...commonHead,
      req('customsCode'),
      req('copNo'),
      opt('preNo'),
      opt('rkdNo'),
      req('operatorCode'),
      req('operatorName'),
      req('ieFlag', { kind: 'enum', values: ['I'] }),
      req('trafMode'),
      opt('trafNo'),
      opt('voyageNo'),
      req('billNo'),
      req('logisticsCode'),
      req('logisticsName'),
      opt('unloadLocation'),
      opt('note'),
    ],
  },
  lines: {
    element: 'DeliveryList',
    min: 1,
    fields: [req('gnum'), req('logisticsNo'), opt('note')],
  },
};

/** CEB507 export arrival (运抵单): the parcels reached the supervised site. */
export const CEB507: MessageSpec = {
  root: 'CEB507Message',
  document: 'Arrival',
  head: {
    element: 'ArrivalHead',
    fields: [
      ...commonHead,
      req('customsCode'),
      req('copNo'),
      opt('preNo'),
      req('operatorCode'),
      req('operatorName'),
      req('loctNo'),
      req('ieFlag', { kind: 'enum', values: ['E'] }),
      req('trafMode'),
      opt('billNo'),
      opt('domesticTrafNo'),
      req('logisticsCode'),
      req('logisticsName'),
      ...msgSplit,
      opt('note'),
    ],
  },
  lines: {
    element: 'ArrivalList',
    min: 1,
    fields: [req('gnum'), req('logisticsNo'), opt('totalPackageNo'), opt('note')],
  },
};

/** CEB509 export departure (离境单): the parcels left the country. */
export const CEB509: MessageSpec = {
  root: 'CEB509Message',
  document: 'Departure',
  head: {
    element: 'DepartureHead',
    fields: [
      ...commonHead,
      req('customsCode'),
      req('copNo'),
      opt('preNo'),
      req('logisticsCode'),
      req('logisticsName'),
      req('trafMode'),
      req('trafName'),
      opt('voyageNo'),
      req('billNo'),
      req('leaveTime'),
      ...msgSplit,
      opt('note'),
    ],
  },
  lines: {
    element: 'DepartureList',
    min: 1,
    fields: [req('gnum'), opt('totalPackageNo'), req('logisticsNo'), opt('note')],
  },
};

/**
 * CEB607 master/sub waybill list (清单总分单): the master waybill (billNo of the flight or truck)
 * and the parcels it groups, each by its bag (totalPackageNo), waybill and export list number.
 */
export const CEB607: MessageSpec = {
  root: 'CEB607Message',
  document: 'WayBill',
  head: {
    element: 'WayBillHead',
    fields: [
      ...commonHead,
      req('customsCode'),
      req('copNo'),
      opt('preNo'),
      req('agentCode'),
      req('agentName'),
      req('loctNo'),
      req('trafMode'),
      req('trafName'),
      opt('voyageNo'),
      req('billNo'),
      opt('domesticTrafNo'),
      req('grossWeight'),
      req('logisticsCode'),
      req('logisticsName'),
      ...msgSplit,
      opt('note'),
    ],
  },
  lines: {
    element: 'WayBillList',
    min: 1,
    fields: [req('gnum'), req('totalPackageNo'), req('logisticsNo'), req('invtNo'), opt('note')],
  },
};

export const MESSAGE_SPECS = {
  CEB621,
  CEB623,
  CEB625,
  CEB603,
  CEB605,
  CEB701,
  CEB711,
  CEB507,
  CEB509,
  CEB607,
} as const;
export type CebMessageType = keyof typeof MESSAGE_SPECS;

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
  | { kind: 'enum'; values: readonly string[] };

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
const N = (digits: number, decimals: number): FieldType => ({ kind: 'N', digits, decimals });
const req = (name: string, type: FieldType): FieldSpec => ({ name, type, required: true });
const opt = (name: string, type: FieldType): FieldSpec => ({ name, type, required: false });

/** Head fields every declaration carries (DOMAIN.md §4 "Common head"). */
const commonHead: FieldSpec[] = [
  req('guid', C(36)),
  req('appType', { kind: 'enum', values: ['1', '2', '3'] }),
  req('appTime', { kind: 'D14' }),
  req('appStatus', { kind: 'enum', values: ['1', '2'] }),
];

export const CEB621: MessageSpec = {
  root: 'CEB621Message',
  document: 'Inventory',
  head: {
    element: 'InventoryHead',
    fields: [
      ...commonHead,
      req('orderNo', C(60)),
      req('ebpCode', C(18)),
      req('ebpName', C(100)),
      req('ebcCode', C(18)),
      req('ebcName', C(100)),
      req('logisticsNo', C(60)),
      req('logisticsCode', C(18)),
      req('logisticsName', C(100)),
      req('copNo', C(20)),
      opt('preNo', C(18)),
      req('assureCode', C(18)),
      opt('emsNo', C(30)),
      opt('invtNo', C(18)),
      req('ieFlag', { kind: 'enum', values: ['I'] }),
      req('declTime', { kind: 'D8' }),
      req('customsCode', C(4)),
      req('portCode', C(4)),
      req('ieDate', { kind: 'D8' }),
      req('buyerIdType', { kind: 'enum', values: ['1', '2'] }),
      req('buyerIdNumber', C(60)),
      req('buyerName', C(60)),
      req('buyerTelephone', C(30)),
      req('consigneeAddress', C(200)),
      req('agentCode', C(18)),
      req('agentName', C(100)),
      opt('areaCode', C(18)),
      opt('areaName', C(100)),
      req('tradeMode', { kind: 'enum', values: ['9610', '1210', '1239'] }),
      req('trafMode', C(1)),
      opt('trafNo', C(100, true)),
      opt('voyageNo', C(32, true)),
      opt('billNo', C(37, true)),
      opt('loctNo', C(10)),
      opt('licenseNo', C(19, true)),
      req('country', C(3)),
      req('freight', N(19, 5)),
      req('insuredFee', N(19, 5)),
      req('currency', C(3)),
      opt('wrapType', C(1)),
      req('packNo', N(9, 0)),
      req('grossWeight', N(19, 5)),
      req('netWeight', N(19, 5)),
      opt('note', C(1000)),
    ],
  },
  lines: {
    element: 'InventoryList',
    min: 1,
    fields: [
      req('gnum', N(4, 0)),
      opt('itemRecordNo', C(30)),
      opt('itemNo', C(30)),
      opt('itemName', C(250)),
      req('gcode', C(10)),
      req('gname', C(250)),
      req('gmodel', C(250)),
      opt('barCode', C(50)),
      req('country', C(3)),
      opt('tradeCountry', C(3)),
      req('currency', C(3)),
      req('qty', N(19, 5)),
      req('unit', C(3)),
      req('qty1', N(19, 5)),
      req('unit1', C(3)),
      opt('qty2', N(19, 5)),
      opt('unit2', C(3)),
      req('price', N(19, 5)),
      req('totalPrice', N(19, 5)),
      opt('note', C(1000)),
    ],
  },
};

/** The head of a document about one released import parcel: its cancel (CEB623) or return (CEB625). */
const releasedParcelDoc: FieldSpec[] = [
  ...commonHead,
  req('customsCode', C(4)),
  req('orderNo', C(60)),
  req('ebpCode', C(18)),
  req('ebpName', C(100)),
  req('ebcCode', C(18)),
  req('ebcName', C(100)),
  req('logisticsNo', C(60)),
  req('logisticsCode', C(18)),
  req('logisticsName', C(100)),
  req('copNo', C(20)),
  opt('preNo', C(18)),
  req('invtNo', C(18)),
  req('buyerIdType', { kind: 'enum', values: ['1', '2'] }),
  req('buyerIdNumber', C(60)),
  req('buyerName', C(60)),
  req('buyerTelephone', C(30)),
  req('agentCode', C(18)),
  req('agentName', C(100)),
  req('reason', C(1000)),
  opt('note', C(1000)),
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
    fields: [
      req('gnum', N(4, 0)),
      req('gcode', C(10)),
      req('gname', C(250)),
      req('qty', N(19, 5)),
      req('unit', C(3)),
      opt('note', C(1000)),
    ],
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
      req('customsCode', C(4)),
      req('ebpCode', C(18)),
      req('ebpName', C(100)),
      req('orderNo', C(60)),
      req('logisticsCode', C(18)),
      req('logisticsName', C(100)),
      req('logisticsNo', C(60)),
      req('copNo', C(20)),
      opt('preNo', C(18)),
      opt('invtNo', C(18)),
      req('ieFlag', { kind: 'enum', values: ['E'] }),
      req('portCode', C(4)),
      req('ieDate', { kind: 'D8' }),
      req('statisticsFlag', { kind: 'enum', values: ['A', 'B'] }),
      req('agentCode', C(18)),
      req('agentName', C(100)),
      req('ebcCode', C(18)),
      req('ebcName', C(100)),
      req('ownerCode', C(18)),
      req('ownerName', C(100)),
      opt('iacCode', C(18)),
      opt('iacName', C(100)),
      opt('emsNo', C(30)),
      req('tradeMode', { kind: 'enum', values: ['9610', '1210', '9710', '9810'] }),
      req('trafMode', C(1)),
      opt('trafName', C(100, true)),
      opt('voyageNo', C(32, true)),
      opt('billNo', C(37, true)),
      opt('totalPackageNo', C(500, true)),
      opt('loctNo', C(10)),
      opt('licenseNo', C(19, true)),
      req('country', C(3)),
      opt('pod', C(6, true)),
      req('freight', N(19, 5)),
      req('fCurrency', C(3)),
      req('fFlag', { kind: 'enum', values: ['1', '2', '3'] }),
      req('insuredFee', N(19, 5)),
      req('iCurrency', C(3)),
      req('iFlag', { kind: 'enum', values: ['1', '2', '3'] }),
      opt('wrapType', C(1)),
      req('packNo', N(9, 0)),
      req('grossWeight', N(19, 5)),
      req('netWeight', N(19, 5)),
      opt('note', C(1000)),
    ],
  },
  lines: {
    element: 'InventoryList',
    min: 1,
    fields: [
      req('gnum', N(4, 0)),
      req('itemNo', C(30)),
      opt('itemRecordNo', C(30)),
      opt('itemName', C(250)),
      req('gcode', C(10)),
      req('gname', C(250)),
      req('gmodel', C(250)),
      opt('barCode', C(50)),
      req('country', C(3)),
      req('currency', C(3)),
      req('qty', N(19, 5)),
      req('qty1', N(19, 5)),
      opt('qty2', N(19, 5)),
      req('unit', C(3)),
      req('unit1', C(3)),
      opt('unit2', C(3)),
      req('price', N(19, 5)),
      req('totalPrice', N(19, 5)),
      opt('note', C(1000)),
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
      req('customsCode', C(4)),
      req('copNo', C(20)),
      opt('preNo', C(18)),
      req('invtNo', C(18)),
      req('reason', C(1000)),
      req('agentCode', C(18)),
      req('agentName', C(100)),
      req('ebcCode', C(18)),
      req('ebcName', C(100)),
      opt('note', C(1000)),
    ],
  },
};

const msgSplit: FieldSpec[] = [req('msgCount', N(9, 0)), req('msgSeqNo', N(9, 0))];

/** CEB701 9610 summary application: released export lists of a period. */
export const CEB701: MessageSpec = {
  root: 'CEB701Message',
  document: 'SummaryApply',
  head: {
    element: 'SummaryApplyHead',
    fields: [
      ...commonHead,
      req('customsCode', C(4)),
      req('copNo', C(20)),
      opt('preNo', C(18)),
      opt('sumNo', C(18)),
      req('agentCode', C(18)),
      req('agentName', C(100)),
      req('ebcCode', C(18)),
      req('ebcName', C(100)),
      req('declAgentCode', C(18)),
      req('declAgentName', C(100)),
      req('startTime', { kind: 'D14' }),
      req('endTime', { kind: 'D14' }),
      opt('loctNo', C(10)),
      req('summaryFlag', { kind: 'enum', values: ['1', '2'] }),
      req('itemNameFlag', { kind: 'enum', values: ['0', '1'] }),
      ...msgSplit,
      opt('note', C(1000)),
    ],
  },
  lines: { element: 'SummaryApplyList', min: 1, fields: [req('invtNo', C(18))] },
};

/** CEB711 import delivery (入库明细单): which parcels entered the supervised site, under which bill. */
export const CEB711: MessageSpec = {
  root: 'CEB711Message',
  document: 'Delivery',
  head: {
    element: 'DeliveryHead',
    fields: [
      ...commonHead,
      req('customsCode', C(4)),
      req('copNo', C(20)),
      opt('preNo', C(18)),
      opt('rkdNo', C(18)),
      req('operatorCode', C(18)),
      req('operatorName', C(100)),
      req('ieFlag', { kind: 'enum', values: ['I'] }),
      req('trafMode', C(1)),
      opt('trafNo', C(100, true)),
      opt('voyageNo', C(32, true)),
      req('billNo', C(37, true)),
      req('logisticsCode', C(18)),
      req('logisticsName', C(100)),
      opt('unloadLocation', C(100, true)),
      opt('note', C(1000)),
    ],
  },
  lines: {
    element: 'DeliveryList',
    min: 1,
    fields: [req('gnum', N(4, 0)), req('logisticsNo', C(60)), opt('note', C(1000))],
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
      req('customsCode', C(4)),
      req('copNo', C(20)),
      opt('preNo', C(18)),
      req('operatorCode', C(18)),
      req('operatorName', C(100)),
      req('loctNo', C(10)),
      req('ieFlag', { kind: 'enum', values: ['E'] }),
      req('trafMode', C(1)),
      opt('billNo', C(37, true)),
      opt('domesticTrafNo', C(100, true)),
      req('logisticsCode', C(18)),
      req('logisticsName', C(100)),
      ...msgSplit,
      opt('note', C(1000)),
    ],
  },
  lines: {
    element: 'ArrivalList',
    min: 1,
    fields: [
      req('gnum', N(4, 0)),
      req('logisticsNo', C(60)),
      opt('totalPackageNo', C(500, true)),
      opt('note', C(1000)),
    ],
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
      req('customsCode', C(4)),
      req('copNo', C(20)),
      opt('preNo', C(18)),
      req('logisticsCode', C(18)),
      req('logisticsName', C(100)),
      req('trafMode', C(1)),
      req('trafName', C(100, true)),
      opt('voyageNo', C(32, true)),
      req('billNo', C(37, true)),
      req('leaveTime', { kind: 'D14' }),
      ...msgSplit,
      opt('note', C(1000)),
    ],
  },
  lines: {
    element: 'DepartureList',
    min: 1,
    fields: [
      req('gnum', N(4, 0)),
      opt('totalPackageNo', C(500, true)),
      req('logisticsNo', C(60)),
      opt('note', C(1000)),
    ],
  },
};

export const MESSAGE_SPECS = { CEB621, CEB623, CEB625, CEB603, CEB605, CEB701, CEB711, CEB507, CEB509 } as const;
export type CebMessageType = keyof typeof MESSAGE_SPECS;

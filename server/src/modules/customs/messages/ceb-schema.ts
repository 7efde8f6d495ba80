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

export const MESSAGE_SPECS = { CEB621 } as const;
export type CebMessageType = keyof typeof MESSAGE_SPECS;

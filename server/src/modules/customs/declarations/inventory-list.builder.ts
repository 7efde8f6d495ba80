import type { WarehouseRecord } from '../../masterdata/masterdata.repository.js';
import type {
  ExportOrderDoc,
  ExportWaybillDoc,
  ImportOrderDoc,
  ImportWaybillDoc,
} from '../documents/trade-documents.schemas.js';
import { formatDecimal, parseDecimal } from '../rules/money.js';
import type { Mismatch, OrderLine } from '../rules/three-document-match.js';
import { legalQuantities } from './legal-units.rules.js';

/**
 * Builds the inventory list of one parcel from its order, its waybill and the master data: the
 * CEB621 (import) or CEB603 (export) head and lines, with the account-book line of every item.
 * Pure: everything it needs is handed in, so the rules are testable without a database.
 */
export interface GoodsRecord {
  ownerCode: string;
  sku: string;
  gtin: string | null;
  gcode: string;
  name: string;
  model: string;
  unit: string;
  declaredPrice: string;
  country: string;
  grossGrams: number | null;
  /** Legal units (DOMAIN.md §4) and how many of each one declared unit is: legal-units.rules.ts. */
  legalUnit?: string | null;
  legalQtyPerUnit?: string | null;
  legalUnit2?: string | null;
  legalQty2PerUnit?: string | null;
}

export interface BookLineRecord {
  emsNo: string;
  putrecSeqno: number;
  itemNo: string;
  gcode: string;
  gname: string;
  unit: string;
}

export interface ListLine {
  gnum: number;
  itemNo: string;
  qty: string;
  price: string;
  totalPrice: string;
  /** Whole units moved on the ledger (qty of a bonded line must be a whole number of units). */
  units: number;
  ownerCode: string;
  sku: string;
  putrecSeqno: number | null;
  values: Record<string, string>;
}

export interface BuiltList {
  head: Record<string, string>;
  lines: ListLine[];
  problems: Mismatch[];
}

export interface Declarant {
  agentCode: string;
  agentName: string;
}

const BONDED_MODES = new Set(['1210', '1239']);
export const isBondedMode = (tradeMode: string) => BONDED_MODES.has(tradeMode);

/**
 * A 9810 export of goods leaving a bonded centre (DOMAIN.md §3, §6): they are bonded units on its
 * book lines until they leave. A 9810 export from a consolidation warehouse is on no book.
 */
const isBondedExport9810 = (tradeMode: string, warehouse: Pick<WarehouseRecord, 'kind' | 'emsNo'>) =>
  tradeMode === '9810' && warehouse.kind === 'bonded-centre' && Boolean(warehouse.emsNo);

/** Whether a list moves bonded stock on the warehouse's account book: 1210/1239, and bonded 9810 exports. */
export const isBondedList = (tradeMode: string, warehouse: Pick<WarehouseRecord, 'kind' | 'emsNo'>) =>
  isBondedMode(tradeMode) || isBondedExport9810(tradeMode, warehouse);

const problem = (code: string, field: string, expected: string, actual: string, message: string): Mismatch => ({
  code,
  field,
  expected,
  actual,
  message,
});

/** YYYYMMDD of a date in China Standard Time (customs dates are local to the declaring site). */
export function customsDate(at: Date): string {
  return customsTime(at).slice(0, 8);
}

/** YYYYMMDDhhmmss in China Standard Time (UTC+8, no daylight saving). */
export function customsTime(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return local.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function itemLines(
  orderNo: string,
  orderLines: Array<OrderLine & { barCode?: string; currency?: string }>,
  ownerCode: string,
  goodsBySku: Map<string, GoodsRecord>,
  bookLineByItem: Map<string, BookLineRecord> | null,
  problems: Mismatch[],
): ListLine[] {
  const lines: ListLine[] = [];
  for (const l of orderLines) {
    const goods = goodsBySku.get(l.itemNo);
    if (!goods) {
      problems.push(
        problem(
          'UNKNOWN_GOODS',
          `order.lines[${l.gnum}].itemNo`,
          `goods ${l.itemNo} of owner ${ownerCode}`,
          '',
          `order ${orderNo}: item ${l.itemNo} is not in the goods master of ${ownerCode}; add it (with its HS code) first`,
        ),
      );
      continue;
    }
    let units = Number.NaN;
    try {
      const q = parseDecimal(l.qty);
      if (q % 100000n === 0n) units = Number(q / 100000n);
    } catch {
      /* reported by the match */
    }
    if (!Number.isSafeInteger(units) || units <= 0)
      problems.push(
        problem(
          'QTY_NOT_WHOLE_UNITS',
          `order.lines[${l.gnum}].qty`,
          'a whole number of units',
          l.qty,
          `order ${orderNo}: line ${l.gnum} (${l.itemNo}) quantity ${l.qty} is not a whole number of units`,
        ),
      );
    const legal = legalQuantities(goods, l.qty, { orderNo, gnum: l.gnum });
    if (!legal.ok) problems.push(...legal.problems);
    let book: BookLineRecord | undefined;
    if (bookLineByItem) {
      book = bookLineByItem.get(l.itemNo);
      if (!book)
        problems.push(
          problem(
            'NO_BOOK_LINE',
            `order.lines[${l.gnum}].itemNo`,
            `a line of the account book for ${l.itemNo}`,
            '',
            `order ${orderNo}: item ${l.itemNo} has no line in the account book; it cannot leave the bonded centre on a customs list`,
          ),
        );
      else if (book.gcode !== goods.gcode)
        problems.push(
          problem(
            'GCODE_MISMATCH',
            `goods[${l.itemNo}].gcode`,
            book.gcode,
            goods.gcode,
            `order ${orderNo}: item ${l.itemNo} has HS code ${goods.gcode} in the goods master but ${book.gcode} on book line ${book.putrecSeqno}`,
          ),
        );
    }
    lines.push({
      gnum: l.gnum,
      itemNo: l.itemNo,
      qty: l.qty,
      price: l.price,
      totalPrice: l.totalPrice,
      units: Number.isSafeInteger(units) ? units : 0,
      ownerCode,
      sku: goods.sku,
      putrecSeqno: book?.putrecSeqno ?? null,
      values: {
        gnum: String(l.gnum),
        ...(book ? { itemRecordNo: String(book.putrecSeqno) } : {}),
        itemNo: l.itemNo,
        itemName: l.itemName,
        gcode: book?.gcode ?? goods.gcode,
        gname: book?.gname ?? goods.name,
        gmodel: goods.model || goods.name,
        ...(goods.gtin || l.barCode ? { barCode: goods.gtin ?? l.barCode ?? '' } : {}),
        country: goods.country,
        currency: l.currency ?? '142',
        qty: l.qty,
        unit: goods.unit,
        ...(legal.ok ? legal.values : {}),
        price: l.price,
        totalPrice: l.totalPrice,
      },
    });
  }
  return lines;
}

function netKg(lines: ListLine[], goodsBySku: Map<string, GoodsRecord>, grossKg: string): string {
  let grams = 0;
  for (const l of lines) {
    const g = goodsBySku.get(l.sku)?.grossGrams;
    if (!g) return grossKg;
    grams += g * l.units;
  }
  const gross = parseDecimal(grossKg);
  const net = parseDecimal((grams / 1000).toFixed(3));
  // biome-ignore lint/complexity/useMathMinMax: bigint values; Math.min does not take them
  return formatDecimal(net < gross ? net : gross);
}

export function buildImportList(input: {
  copNo: string;
  order: ImportOrderDoc;
  waybill: ImportWaybillDoc | null;
  warehouse: WarehouseRecord;
  goodsBySku: Map<string, GoodsRecord>;
  bookLineByItem: Map<string, BookLineRecord>;
  declarant: Declarant;
  /** The registered name of the centre's enterprise (warehouse.operatorCode): areaName. */
  areaName?: string | null;
  now: Date;
}): BuiltList {
  const { order, waybill, warehouse } = input;
  const problems: Mismatch[] = [];
  const bonded = isBondedMode(order.tradeMode);
  if (bonded && warehouse.kind !== 'bonded-centre')
    problems.push(
      problem(
        'WAREHOUSE_NOT_BONDED',
        'order.warehouseCode',
        'a bonded centre',
        warehouse.code,
        `order ${order.orderNo}: mode ${order.tradeMode} ships from a bonded centre, but ${warehouse.code} is a ${warehouse.kind}`,
      ),
    );
  const lines = itemLines(
    order.orderNo,
    order.lines,
    order.ebcCode,
    input.goodsBySku,
    bonded ? input.bookLineByItem : null,
    problems,
  );
  if (!bonded && waybill && !waybill.trafMode)
    problems.push(
      problem(
        'WAYBILL_TRAF_MODE',
        'waybill.trafMode',
        'the transport mode the parcel came in by (customs code, e.g. 5 air, 2 sea, 6 post)',
        '',
        `order ${order.orderNo}: a 9610 direct-purchase import needs the waybill's trafMode, trafNo, voyageNo and billNo (the inbound transport): send waybill ${waybill.logisticsNo} again with them`,
      ),
    );
  const today = customsDate(input.now);
  const first = lines[0] ? input.goodsBySku.get(lines[0].sku) : undefined;
  const grossWeight = waybill?.weight ?? '0';
  const head: Record<string, string> = {
    orderNo: order.orderNo,
    ebpCode: order.ebpCode,
    ebpName: order.ebpName,
    ebcCode: order.ebcCode,
    ebcName: order.ebcName,
    logisticsNo: waybill?.logisticsNo ?? '',
    logisticsCode: waybill?.logisticsCode ?? '',
    logisticsName: waybill?.logisticsName ?? '',
    copNo: input.copNo,
    // the e-commerce company guarantees the duties of its own parcels
    assureCode: order.ebcCode,
    ...(bonded && warehouse.emsNo ? { emsNo: warehouse.emsNo } : {}),
    ieFlag: 'I',
    declTime: today,
    customsCode: warehouse.customsCode ?? '',
    portCode: warehouse.portCode ?? warehouse.customsCode ?? '',
    ieDate: today,
    buyerIdType: order.buyerIdType,
    buyerIdNumber: order.buyerIdNumber,
    buyerName: order.buyerName,
    buyerTelephone: order.buyerTelephone,
    consigneeAddress: order.consigneeAddress,
    agentCode: input.declarant.agentCode,
    agentName: input.declarant.agentName,
    // the enterprise in the centre (区内企业), required in bonded mode: the centre's operator, or,
    // where master data names none, the declarant (the operator running this WMS declares)
    ...(bonded
      ? {
          areaCode: warehouse.operatorCode ?? input.declarant.agentCode,
          areaName: (warehouse.operatorCode ? input.areaName : input.declarant.agentName) ?? '',
        }
      : {}),
    tradeMode: order.tradeMode,
    // W: logistics centre, as the transport-mode code of goods leaving a B-type centre; a direct
    // purchase (9610) came in on the waybill's transport, with its number, voyage and bill
    trafMode: bonded ? 'W' : (waybill?.trafMode ?? ''),
    ...(!bonded
      ? {
          ...(waybill?.trafNo ? { trafNo: waybill.trafNo } : {}),
          ...(waybill?.voyageNo ? { voyageNo: waybill.voyageNo } : {}),
          ...(waybill?.billNo ? { billNo: waybill.billNo } : {}),
        }
      : {}),
    ...(warehouse.loctNo ? { loctNo: warehouse.loctNo } : {}),
    // 起运国: a bonded parcel leaves from the centre, in China, whatever its goods' origin
    country: bonded ? '142' : (first?.country ?? ''),
    freight: order.freight,
    insuredFee: waybill?.insuredFee ?? '0',
    currency: order.currency,
    wrapType: waybill?.wrapType ?? DEFAULT_WRAP_TYPE,
    // one list is one parcel (a waybill of several parcels has one list per parcel)
    packNo: '1',
    grossWeight,
    netWeight: netKg(lines, input.goodsBySku, grossWeight),
  };
  return { head, lines, problems };
}

/** 2: carton (纸箱), what a parcel goes in unless its waybill says otherwise. */
const DEFAULT_WRAP_TYPE = '2';

/**
 * The CEB603 export list. 9610 and 1210 lists, and (decided here, DOMAIN.md §3, §10) 9710/9810 B2B
 * tickets up to CNY 5,000 that need no licence, inspection or tax, which the cross-border export
 * system takes on this same list with tradeMode 9710/9810 (9810 shipments: shipments/
 * export-declaration.service.ts); a bigger ticket goes through the general declaration (H2018),
 * which this system flags but does not file. `statisticsFlag` is the order's (A simplified,
 * B summarised by a monthly CEB701); without one, 9610/1210 lists are B and B2B lists A, as they
 * are not summarised into a declaration. Transport (`trafMode`, `trafName`, `voyageNo`, `billNo`,
 * `totalPackageNo`), the port of destination (`POD`) and `wrapType` come from the waybill.
 */
export function buildExportList(input: {
  copNo: string;
  order: ExportOrderDoc;
  waybill: ExportWaybillDoc | null;
  warehouse: WarehouseRecord;
  goodsBySku: Map<string, GoodsRecord>;
  bookLineByItem: Map<string, BookLineRecord>;
  declarant: Declarant;
  now: Date;
}): BuiltList {
  const { order, waybill, warehouse } = input;
  const problems: Mismatch[] = [];
  if (!waybill)
    problems.push(
      problem(
        'WAYBILL_MISSING',
        'waybill',
        `a waybill (CEB505) for order ${order.orderNo}`,
        '',
        `order ${order.orderNo}: no waybill (CEB505) received`,
      ),
    );
  else if (waybill.ebcCode !== order.ebcCode)
    problems.push(
      problem(
        'WAYBILL_EBC_CODE',
        'waybill.ebcCode',
        order.ebcCode,
        waybill.ebcCode,
        `order ${order.orderNo}: the waybill names a different e-commerce company`,
      ),
    );
  if (waybill && !waybill.trafMode)
    problems.push(
      problem(
        'WAYBILL_TRAF_MODE',
        'waybill.trafMode',
        'the transport mode the parcel leaves by (customs code, e.g. 5 air, 2 sea, 4 road, 6 post)',
        '',
        `order ${order.orderNo}: the waybill (CEB505) ${waybill.logisticsNo} names no trafMode: send it again with the transport mode`,
      ),
    );
  if (waybill && !waybill.pod)
    problems.push(
      problem(
        'WAYBILL_POD',
        'waybill.pod',
        'the port of destination abroad (POD)',
        '',
        `order ${order.orderNo}: the waybill (CEB505) ${waybill.logisticsNo} names no pod (port of destination): send it again with it`,
      ),
    );
  const bonded = order.tradeMode === '1210' || isBondedExport9810(order.tradeMode, warehouse);
  const lines = itemLines(
    order.orderNo,
    order.lines,
    order.ebcCode,
    input.goodsBySku,
    bonded ? input.bookLineByItem : null,
    problems,
  );
  let sum = 0n;
  for (const l of order.lines) sum += parseDecimal(l.totalPrice);
  if (sum !== parseDecimal(order.goodsValue))
    problems.push(
      problem(
        'GOODS_VALUE',
        'order.goodsValue',
        formatDecimal(sum),
        order.goodsValue,
        `order ${order.orderNo}: goodsValue is not the sum of the line totals`,
      ),
    );
  const grossWeight = waybill?.grossWeight ?? '0';
  const head: Record<string, string> = {
    customsCode: warehouse.customsCode ?? '',
    ebpCode: order.ebpCode,
    ebpName: order.ebpName,
    orderNo: order.orderNo,
    logisticsCode: waybill?.logisticsCode ?? '',
    logisticsName: waybill?.logisticsName ?? '',
    logisticsNo: waybill?.logisticsNo ?? '',
    copNo: input.copNo,
    ieFlag: 'E',
    portCode: warehouse.portCode ?? warehouse.customsCode ?? '',
    ieDate: customsDate(input.now),
    statisticsFlag: order.statisticsFlag ?? (order.tradeMode === '9710' || order.tradeMode === '9810' ? 'A' : 'B'),
    agentCode: input.declarant.agentCode,
    agentName: input.declarant.agentName,
    ebcCode: order.ebcCode,
    ebcName: order.ebcName,
    ownerCode: order.ebcCode,
    ownerName: order.ebcName,
    ...(warehouse.operatorCode ? { iacCode: warehouse.operatorCode } : {}),
    ...(bonded && warehouse.emsNo ? { emsNo: warehouse.emsNo } : {}),
    tradeMode: order.tradeMode,
    trafMode: waybill?.trafMode ?? '',
    ...(waybill?.trafName ? { trafName: waybill.trafName } : {}),
    ...(waybill?.voyageNo ? { voyageNo: waybill.voyageNo } : {}),
    ...(waybill?.billNo ? { billNo: waybill.billNo } : {}),
    ...(waybill?.totalPackageNo ? { totalPackageNo: waybill.totalPackageNo } : {}),
    ...(warehouse.loctNo ? { loctNo: warehouse.loctNo } : {}),
    country: order.country,
    ...(waybill?.pod ? { POD: waybill.pod } : {}),
    freight: waybill?.freight ?? order.freight,
    fCurrency: order.currency,
    fFlag: '3',
    insuredFee: waybill?.insuredFee ?? '0',
    iCurrency: order.currency,
    iFlag: '3',
    wrapType: waybill?.wrapType ?? DEFAULT_WRAP_TYPE,
    packNo: String(waybill?.packNo ?? 1),
    grossWeight,
    netWeight: netKg(lines, input.goodsBySku, grossWeight),
  };
  // CEB603 lines have no tradeCountry/qty1 split beyond the standard fields
  for (const l of lines) {
    delete l.values.itemRecordNo;
    if (bonded && l.putrecSeqno) l.values.itemRecordNo = String(l.putrecSeqno);
  }
  return { head, lines, problems };
}

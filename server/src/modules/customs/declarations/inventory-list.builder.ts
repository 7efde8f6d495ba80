import type { WarehouseRecord } from '../../masterdata/masterdata.repository.js';
import type {
  ExportOrderDoc,
  ExportWaybillDoc,
  ImportOrderDoc,
  ImportWaybillDoc,
} from '../documents/trade-documents.schemas.js';
import { formatDecimal, parseDecimal } from '../rules/money.js';
import type { Mismatch, OrderLine } from '../rules/three-document-match.js';

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
        qty1: l.qty,
        unit1: goods.unit,
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
    ...(warehouse.operatorCode ? { areaCode: warehouse.operatorCode } : {}),
    tradeMode: order.tradeMode,
    // W: logistics centre, as the transport-mode code of goods leaving a B-type centre
    trafMode: bonded ? 'W' : '5',
    ...(warehouse.loctNo ? { loctNo: warehouse.loctNo } : {}),
    country: first?.country ?? '142',
    freight: order.freight,
    insuredFee: waybill?.insuredFee ?? '0',
    currency: order.currency,
    packNo: String(waybill?.packNo ?? 1),
    grossWeight,
    netWeight: netKg(lines, input.goodsBySku, grossWeight),
  };
  return { head, lines, problems };
}

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
    // B: goods declared in a monthly summary (9610 "清单汇总"), A: simplified
    statisticsFlag: 'B',
    agentCode: input.declarant.agentCode,
    agentName: input.declarant.agentName,
    ebcCode: order.ebcCode,
    ebcName: order.ebcName,
    ownerCode: order.ebcCode,
    ownerName: order.ebcName,
    ...(warehouse.operatorCode ? { iacCode: warehouse.operatorCode } : {}),
    ...(bonded && warehouse.emsNo ? { emsNo: warehouse.emsNo } : {}),
    tradeMode: order.tradeMode,
    trafMode: '5',
    ...(warehouse.loctNo ? { loctNo: warehouse.loctNo } : {}),
    country: order.country,
    freight: waybill?.freight ?? order.freight,
    fCurrency: order.currency,
    fFlag: '3',
    insuredFee: waybill?.insuredFee ?? '0',
    iCurrency: order.currency,
    iFlag: '3',
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

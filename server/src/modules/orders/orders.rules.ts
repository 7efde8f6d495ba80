import { createHash } from 'node:crypto';
import {
  type ImportRowError,
  ORDER_IMPORT_COLUMNS,
  type SellerOrderCreate,
  type SellerOrderStatus,
  type ShortLine,
  sellerOrderCreate,
} from '@wms/contracts';

/**
 * The rules of a seller's outbound order (issue 12 "Outbound orders from the seller", DOMAIN.md
 * §10): what one order is (its normal form and the hash that makes a repeat idempotent), which
 * lots it takes (FEFO where expiry exists, else FIFO by arrival), when it may be cancelled, and how
 * the rows of an import file become orders. Pure: the service reads the stock and writes.
 */

/** The order as stored and compared: lines of one SKU summed, in the order first named. */
export function normalOrder(order: SellerOrderCreate): SellerOrderCreate {
  const lines = new Map<string, number>();
  for (const line of order.lines) lines.set(line.sku, (lines.get(line.sku) ?? 0) + line.qty);
  return { ...order, lines: [...lines].map(([sku, qty]) => ({ sku, qty })) };
}

/** JSON with object keys sorted: two requests that mean the same have the same text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The key of "the same body": a repeat with it answers the existing order, another body is refused. */
export function orderBodyHash(order: SellerOrderCreate): string {
  return createHash('sha256')
    .update(stableJson(normalOrder(order)))
    .digest('hex');
}

/** A lot the seller has available, as the ledger lists it. */
export interface AvailableLot {
  lotNo: string;
  qty: number;
  expiry: string | null;
  arrivedAt: string | Date | null;
}

export interface Allocation {
  ownerCode: string;
  sku: string;
  lotNo: string;
  expiry: string | null;
  qty: number;
}

const time = (t: string | Date | null) => (t === null ? Number.POSITIVE_INFINITY : new Date(t).getTime());

/**
 * Lots in the order they are taken: first-expiry first-out among lots with an expiry date
 * (the ones that spoil go first), then the lots without one first-in first-out by arrival.
 */
export function pickOrder(lots: AvailableLot[]): AvailableLot[] {
  return [...lots].sort((a, b) => {
    if (a.expiry && b.expiry && a.expiry !== b.expiry) return a.expiry < b.expiry ? -1 : 1;
    if (a.expiry && !b.expiry) return -1;
    if (!a.expiry && b.expiry) return 1;
    const byArrival = time(a.arrivedAt) - time(b.arrivedAt);
    if (byArrival) return byArrival;
    return a.lotNo < b.lotNo ? -1 : a.lotNo > b.lotNo ? 1 : 0;
  });
}

export const stockKey = (ownerCode: string, sku: string) => `${ownerCode}\u0000${sku}`;

/**
 * Allocates every line of one order from the lots, all or nothing: a short line leaves every lot
 * as it was and answers each short line with what it wanted and what was available. On success
 * the lots' quantities are taken down (the next order of a batch sees what is left).
 */
export function allocateOrder(
  lines: Array<{ ownerCode: string; sku: string; qty: number }>,
  stock: Map<string, AvailableLot[]>,
): { ok: true; allocations: Allocation[] } | { ok: false; shortfall: ShortLine[] } {
  const shortfall: ShortLine[] = [];
  const allocations: Allocation[] = [];
  for (const line of lines) {
    const lots = pickOrder(stock.get(stockKey(line.ownerCode, line.sku)) ?? []);
    const available = lots.reduce((s, l) => s + Math.max(0, l.qty), 0);
    if (available < line.qty) {
      shortfall.push({ sku: line.sku, wanted: line.qty, available });
      continue;
    }
    let left = line.qty;
    for (const lot of lots) {
      if (!left) break;
      const take = Math.min(left, Math.max(0, lot.qty));
      if (!take) continue;
      allocations.push({ ownerCode: line.ownerCode, sku: line.sku, lotNo: lot.lotNo, expiry: lot.expiry, qty: take });
      left -= take;
    }
  }
  if (shortfall.length) return { ok: false, shortfall };
  for (const a of allocations) {
    const lot = stock.get(stockKey(a.ownerCode, a.sku))?.find((l) => l.lotNo === a.lotNo);
    if (lot) lot.qty -= a.qty;
  }
  return { ok: true, allocations };
}

/** The shortfall in words, for the seller. */
export const shortfallText = (shortfall: ShortLine[]) =>
  `Not enough stock available: ${shortfall.map((s) => `${s.sku} wanted ${s.wanted}, available ${s.available}`).join('; ')}. Nothing was reserved.`;

/**
 * An order may be cancelled while the warehouse has not started picking it; after, the seller is
 * told when picking started (the goods may already be in a tote).
 */
export function cancelRefusal(
  order: { status: SellerOrderStatus; pickingStartedAt: string | null; shippedAt: string | null },
  localTime: (t: string) => string,
): string | null {
  if (order.status === 'reserved') return null;
  if (order.status === 'cancelled') return 'This order is already cancelled.';
  if (order.status === 'shipped' && order.shippedAt)
    return `This order cannot be cancelled: it was shipped at ${localTime(order.shippedAt)}.`;
  return `This order cannot be cancelled: picking started at ${order.pickingStartedAt ? localTime(order.pickingStartedAt) : 'an earlier time'}.`;
}

/** The floor's steps: each status and the ones that may follow it. */
const NEXT: Record<SellerOrderStatus, SellerOrderStatus[]> = {
  reserved: ['picking', 'cancelled'],
  picking: ['picked'],
  picked: ['packed'],
  packed: ['shipped'],
  shipped: [],
  cancelled: [],
};
export const mayMove = (from: SellerOrderStatus, to: SellerOrderStatus) => NEXT[from].includes(to);

/** The warehouse's number of an order: unique across sellers (the seller's own number is not). */
export const fulfilmentNo = (id: string | number) => `SO${String(id).padStart(8, '0')}`;

// ---- imports -----------------------------------------------------------------------------

export type ImportColumn = (typeof ORDER_IMPORT_COLUMNS)[number];

/** One row of an import file: its row number (the header is row 1) and its cells by column. */
export interface ImportRow {
  row: number;
  cells: Partial<Record<ImportColumn, string>>;
}

export interface ImportedOrder {
  orderNo: string;
  /** The file rows it came from (its lines), for errors found when it is created. */
  rows: number[];
  order: SellerOrderCreate;
}

/**
 * Maps a header row to the columns it names (case and spaces ignored); unknown headers are an
 * error, a missing required column too.
 */
export function importHeader(header: string[]): { columns: Array<ImportColumn | null>; errors: ImportRowError[] } {
  const known = new Map(ORDER_IMPORT_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const errors: ImportRowError[] = [];
  const columns = header.map((h) => {
    const name = h.trim().replace(/\s+/g, '').toLowerCase();
    if (!name) return null;
    const column = known.get(name);
    if (!column)
      errors.push({
        row: 1,
        column: h,
        orderNo: null,
        message: `unknown column "${h}": the columns are ${ORDER_IMPORT_COLUMNS.join(', ')}`,
      });
    return column ?? null;
  });
  for (const required of ['orderNo', 'warehouseCode', 'name', 'line1', 'city', 'postcode', 'country', 'sku', 'qty'])
    if (!columns.includes(required as ImportColumn))
      errors.push({ row: 1, column: required, orderNo: null, message: `the column ${required} is missing` });
  return { columns, errors };
}

const SHIP_TO_COLUMNS = ['name', 'line1', 'line2', 'city', 'postcode', 'country', 'phone', 'email'] as const;
const ORDER_COLUMNS = ['warehouseCode', ...SHIP_TO_COLUMNS, 'carrier'] as const;

/**
 * Rows to orders, grouped by orderNo (one row per order line): the order's own columns are read
 * from its first row and must not differ on the others; each order is checked with the API's own
 * schema, and every problem names its row and column. An order with any bad row is refused whole.
 */
export function ordersFromRows(rows: ImportRow[]): { orders: ImportedOrder[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const groups = new Map<string, ImportRow[]>();
  for (const r of rows) {
    const orderNo = (r.cells.orderNo ?? '').trim();
    if (!orderNo) {
      errors.push({ row: r.row, column: 'orderNo', orderNo: null, message: 'orderNo is empty' });
      continue;
    }
    const group = groups.get(orderNo);
    if (group) group.push(r);
    else groups.set(orderNo, [r]);
  }
  const orders: ImportedOrder[] = [];
  for (const [orderNo, group] of groups) {
    const first = group[0];
    const bad: ImportRowError[] = [];
    for (const r of group.slice(1))
      for (const c of ORDER_COLUMNS) {
        const v = (r.cells[c] ?? '').trim();
        if (v && v !== (first.cells[c] ?? '').trim())
          bad.push({
            row: r.row,
            column: c,
            orderNo,
            message: `${c} differs from row ${first.row} of the same order ("${v}" against "${(first.cells[c] ?? '').trim()}")`,
          });
      }
    const lines = group.map((r) => {
      const qtyText = (r.cells.qty ?? '').trim();
      const qty = /^\d+$/.test(qtyText) ? Number(qtyText) : Number.NaN;
      if (!Number.isSafeInteger(qty) || qty < 1)
        bad.push({
          row: r.row,
          column: 'qty',
          orderNo,
          message: `qty "${qtyText}" is not a whole number of units (1 or more)`,
        });
      return { sku: (r.cells.sku ?? '').trim(), qty };
    });
    const opt = (c: ImportColumn) => {
      const v = (first.cells[c] ?? '').trim();
      return v ? v : undefined;
    };
    const candidate = {
      orderNo,
      warehouseCode: opt('warehouseCode') ?? '',
      shipTo: Object.fromEntries(
        SHIP_TO_COLUMNS.map((c) => [c, c === 'country' ? opt(c)?.toUpperCase() : opt(c)]).filter(
          ([, v]) => v !== undefined,
        ),
      ),
      ...(opt('carrier') ? { carrier: opt('carrier') } : {}),
      lines,
    };
    const parsed = sellerOrderCreate.safeParse(candidate);
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const [top, index, field] = issue.path as Array<string | number>;
        const row = top === 'lines' && typeof index === 'number' ? group[index].row : first.row;
        const column =
          top === 'lines' ? String(field ?? 'sku') : top === 'shipTo' ? String(index ?? 'name') : String(top ?? '');
        if (top === 'lines' && field === 'qty' && bad.some((b) => b.row === row && b.column === 'qty')) continue;
        bad.push({ row, column, orderNo, message: `${column}: ${issue.message}` });
      }
    if (bad.length || !parsed.success) {
      errors.push(...bad);
      continue;
    }
    orders.push({ orderNo, rows: group.map((r) => r.row), order: parsed.data });
  }
  return { orders, errors };
}

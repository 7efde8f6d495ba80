import { buildSscc, isValidSscc, type ShipmentStatus } from '@wms/contracts';
import { type BookCover, exportCover } from '../inventory/ledger-rules.js';

/**
 * Pure rules of a seller's inbound shipment (ASN) into an overseas warehouse (issue 12, DOMAIN.md
 * §3 9810, §10): which status may follow which, when a 9810 export needs the general declaration,
 * carton SSCCs, and what one counted scan does to the seller's buckets. No I/O here.
 */

/** booked -> departed -> in_transit -> arrived -> receiving -> received -> closed. */
const NEXT: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  booked: ['departed'],
  // a carrier that reports arrival without an in-transit step: arrival still follows departure
  departed: ['in_transit', 'arrived'],
  in_transit: ['arrived'],
  // a receipt closed with nothing scanned (all short) goes from arrived to received
  arrived: ['receiving', 'received'],
  receiving: ['received'],
  received: ['closed'],
  closed: [],
};

/** The customs receipt status that lets goods leave (DOMAIN.md §4: 800, or 899 closed after release). */
export const isReleased = (customsStatus: number | null) => customsStatus === 800 || customsStatus === 899;

export interface TransitionFacts {
  shipmentNo: string;
  from: ShipmentStatus;
  to: ShipmentStatus;
  /** The export list the shipment left under (null: not declared yet). */
  copNo: string | null;
  customsStatus: number | null;
}

/** Why the shipment cannot go to `to` now (null: it can). A message staff can act on. */
export function transitionRefusal(f: TransitionFacts): string | null {
  if (f.from === f.to) return `shipment ${f.shipmentNo} is already ${f.to}`;
  if (!NEXT[f.from].includes(f.to))
    return `shipment ${f.shipmentNo} is ${f.from}: it can go to ${NEXT[f.from].join(' or ') || 'nothing further'}, not ${f.to}`;
  if (f.to === 'departed') {
    if (!f.copNo)
      return `shipment ${f.shipmentNo} is not declared for export yet: declare it under 9810 (POST /api/shipments/${f.shipmentNo}/declare) before it leaves`;
    if (!isReleased(f.customsStatus))
      return `shipment ${f.shipmentNo}: export list ${f.copNo} is not released by customs (status ${f.customsStatus ?? 'none yet'}); it may leave only once released (800)`;
  }
  return null;
}

/** The statuses a shipment passes through on its way to `status` (for the seller's history). */
export const statusOrder = (status: ShipmentStatus): number =>
  (['booked', 'departed', 'in_transit', 'arrived', 'receiving', 'received', 'closed'] as const).indexOf(status);

/**
 * DOMAIN.md §10: an export over CNY 5,000 a ticket goes through the general declaration (H2018);
 * smaller ones may use the cross-border e-commerce export list. Amounts in fen (integer minor units).
 */
export const GENERAL_DECLARATION_LIMIT_FEN = 500_000n;
/** A declared price (decimal text, CNY, up to 5 decimals) in fen, rounded half up. */
export function fenOfPrice(price: string): bigint {
  const [whole, fraction = ''] = price.split('.');
  const units = BigInt(whole) * 100_000n + BigInt(fraction.padEnd(5, '0').slice(0, 5));
  return (units + 500n) / 1000n;
}
/** Fen as a decimal text of yuan: 600000n -> "6000.00". */
export const fenText = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;

export const needsGeneralDeclaration = (valueFen: bigint, limitFen = GENERAL_DECLARATION_LIMIT_FEN) =>
  valueFen > limitFen;

/** A carton's SSCC given by the seller: 18 digits with a valid GS1 check digit. */
export function ssccRefusal(sscc: string): string | null {
  if (!/^\d{18}$/.test(sscc)) return `SSCC ${sscc} is not 18 digits (GS1 AI 00)`;
  if (!isValidSscc(sscc)) return `SSCC ${sscc} has a wrong check digit: check the number on the label`;
  return null;
}

/** The SSCC the warehouse gives a carton: extension digit 3, the site's company prefix, a serial. */
export const cartonSscc = (companyPrefix: string, serial: bigint) =>
  buildSscc({ extensionDigit: 3, companyPrefix, serial });

/** Repeated SSCCs among the cartons given (each names one carton, ever). */
export function repeatedSsccs(ssccs: Array<string | undefined>): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const s of ssccs) {
    if (!s) continue;
    if (seen.has(s)) repeated.add(s);
    seen.add(s);
  }
  return [...repeated];
}

export type Bucket = 'inbound' | 'receiving' | 'available' | 'reserved' | 'unfulfillable' | 'on_hold';

export interface BucketMove {
  from: Bucket | null;
  to: Bucket | null;
  qty: number;
  event: 'receipt.counted' | 'receipt.damaged' | 'receipt.over' | 'receipt.short';
}

/** An ASN line as counted so far. */
export interface LineCount {
  expected: number;
  received: number;
  over: number;
  damaged: number;
}

/**
 * One counted scan against an ASN line: good units count up to what is still expected
 * ('inbound' -> 'receiving'), good units beyond it are over (from outside -> 'receiving'); damaged
 * units come out of 'inbound' into 'unfulfillable' as far as the line still has inbound units,
 * beyond that from outside. Returns the line after the scan and the moves (qty > 0 only).
 */
export function countMoves(
  line: LineCount,
  qty: number,
  condition: 'good' | 'damaged',
): { line: LineCount; moves: BucketMove[] } {
  const inboundLeft = Math.max(0, line.expected - line.received - line.damaged);
  const fromInbound = Math.min(qty, inboundLeft);
  const beyond = qty - fromInbound;
  const moves: BucketMove[] = [];
  if (condition === 'good') {
    if (fromInbound) moves.push({ from: 'inbound', to: 'receiving', qty: fromInbound, event: 'receipt.counted' });
    if (beyond) moves.push({ from: null, to: 'receiving', qty: beyond, event: 'receipt.over' });
    return { line: { ...line, received: line.received + fromInbound, over: line.over + beyond }, moves };
  }
  if (fromInbound) moves.push({ from: 'inbound', to: 'unfulfillable', qty: fromInbound, event: 'receipt.damaged' });
  if (beyond) moves.push({ from: null, to: 'unfulfillable', qty: beyond, event: 'receipt.damaged' });
  return { line: { ...line, damaged: line.damaged + qty }, moves };
}

/** At the close: what is still inbound on the line never came ('inbound' -> out, 'receipt.short'). */
export function shortAtClose(line: LineCount): number {
  // damaged units beyond the line came from outside only once nothing was left inbound (countMoves)
  return Math.max(0, line.expected - line.received - line.damaged);
}

/**
 * Which line of the shipment a counted unit of `sku` belongs to: the scanned carton's line for the
 * SKU with units still expected, else any line of the SKU with units still expected (cartons get
 * mixed up), else the carton's (or the first) line of the SKU, where it counts as over. Null: the
 * SKU is on no line of the shipment.
 */
export function lineFor<T extends LineCount & { sku: string; cartonSscc: string; lineNo: number }>(
  lines: T[],
  sku: string,
  cartonSscc: string | null,
): T | null {
  const ofSku = lines.filter((l) => l.sku === sku).sort((a, b) => a.lineNo - b.lineNo);
  if (!ofSku.length) return null;
  const open = (l: T) => l.expected - l.received - l.damaged > 0;
  const inCarton = cartonSscc ? ofSku.filter((l) => l.cartonSscc === cartonSscc) : [];
  return inCarton.find(open) ?? ofSku.find(open) ?? inCarton[0] ?? ofSku[0];
}

/** The seller's view of a line: short only once closed; outstanding = still expected, not counted. */
export function lineResult(line: LineCount & { short: number | null }) {
  const outstanding = Math.max(0, line.expected - line.received - line.damaged);
  return { short: line.short ?? 0, outstanding: line.short === null ? outstanding : 0 };
}

/** What an ASN wants of one SKU that the seller's bonded stock at the origin does not cover. */
export interface BondedShortfall {
  sku: string;
  wanted: number;
  available: number;
  /** The book line the SKU is on (null: none in the centre's account book). */
  putrecSeqno: number | null;
}

/**
 * A 9810 export from the bonded centre takes the seller's bonded goods there (DOMAIN.md §3, §6):
 * each SKU of the ASN needs a book line with that many units free to export (exportCover). Returns
 * every SKU short, in the ASN's order; empty when all are covered.
 */
export function bondedShortfalls(
  wanted: Map<string, number>,
  cover: Map<string, BookCover & { putrecSeqno: number | null }>,
): BondedShortfall[] {
  const out: BondedShortfall[] = [];
  for (const [sku, qty] of wanted) {
    const c = cover.get(sku);
    const available = c && c.putrecSeqno !== null ? exportCover(c) : 0;
    if (available < qty) out.push({ sku, wanted: qty, available, putrecSeqno: c?.putrecSeqno ?? null });
  }
  return out;
}

/** The refusal staff read when the seller's bonded stock does not cover the shipment. */
export function shortfallMessage(shipmentNo: string, origin: string, shortfalls: BondedShortfall[]): string {
  const each = shortfalls.map((f) =>
    f.putrecSeqno === null
      ? `${f.sku}: wanted ${f.wanted}, available 0 (no line in the account book of ${origin})`
      : `${f.sku}: wanted ${f.wanted}, available ${f.available} (book line ${f.putrecSeqno})`,
  );
  return `shipment ${shipmentNo} is not covered by the seller's bonded stock at ${origin}: ${each.join('; ')}. Nothing was declared: bring the goods into ${origin} (entry) or book the ASN with what is there`;
}

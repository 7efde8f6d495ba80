/**
 * The bonded account book and the shelves as append-only movements (DOMAIN.md §6). These pure
 * functions decide WHICH movements a business event writes; the repository only stores them.
 *
 * Two ledgers in one movement stream:
 *  - book:  the customs account book (`emsNo` lines). Every row names the customs document that
 *           changed it (entry verification list, inventory list, gate release, return, cancel).
 *           A unit moves bonded -> verification-applied (its list released, 800)
 *           -> written-off (it passed the gate); a return or cancel brings it back to bonded.
 *  - shelf: units physically in the warehouse, by location and batch.
 * Book equals shelf: for every book line, book units not yet written off = shelf units.
 */
export type Ledger = 'book' | 'shelf';
export type CustomsState = 'bonded' | 'verification-applied' | 'gate-release-applied' | 'written-off' | 'non-bonded';
export type DocType =
  | 'entry-verification'
  | 'inventory-list'
  | 'gate-release'
  | 'return'
  | 'cancel'
  | 'pick'
  | 'stocktake'
  | 'putaway'
  | 'inbound';

export interface BookLineRef {
  emsNo: string;
  putrecSeqno: number;
}

export interface Movement {
  ledger: Ledger;
  warehouseCode: string;
  bookLine: BookLineRef | null;
  ownerCode: string;
  sku: string;
  batch: string;
  location: string;
  customsState: CustomsState;
  qty: number;
  docType: DocType;
  docNo: string;
  logisticsNo: string | null;
}

/** Where a packed parcel's units are until it leaves: in process, still in the warehouse. */
export const parcelLocation = (logisticsNo: string) => `PARCEL:${logisticsNo}`;

export interface StockLine {
  bookLine: BookLineRef | null;
  ownerCode: string;
  sku: string;
  qty: number;
}

export interface PlacedLine extends StockLine {
  batch: string;
  location: string;
}

const stateOf = (line: { bookLine: BookLineRef | null }): CustomsState => (line.bookLine ? 'bonded' : 'non-bonded');

/** Units coming into the warehouse under a customs document: the shelf grows, and the book with it for bonded goods. */
function arrivalMovements(
  warehouseCode: string,
  docType: 'entry-verification' | 'return',
  docNo: string,
  logisticsNo: string | null,
  lines: PlacedLine[],
): Movement[] {
  return lines.flatMap((l) => {
    const shelf: Movement = {
      ledger: 'shelf',
      warehouseCode,
      bookLine: l.bookLine,
      ownerCode: l.ownerCode,
      sku: l.sku,
      batch: l.batch,
      location: l.location,
      customsState: stateOf(l),
      qty: l.qty,
      docType,
      docNo,
      logisticsNo,
    };
    return l.bookLine ? [{ ...shelf, ledger: 'book' as const, location: '' }, shelf] : [shelf];
  });
}

/** First-line entry into the centre against an entry verification list: book and shelf both grow. */
export function entryMovements(warehouseCode: string, docNo: string, lines: PlacedLine[]): Movement[] {
  return arrivalMovements(warehouseCode, 'entry-verification', docNo, null, lines);
}

function bookTransfer(
  warehouseCode: string,
  line: StockLine,
  from: CustomsState,
  to: CustomsState,
  docType: DocType,
  docNo: string,
  logisticsNo: string,
): Movement[] {
  if (!line.bookLine) return [];
  const base = {
    ledger: 'book' as const,
    warehouseCode,
    bookLine: line.bookLine,
    ownerCode: line.ownerCode,
    sku: line.sku,
    batch: '',
    location: '',
    docType,
    docNo,
    logisticsNo,
  };
  return [
    { ...base, customsState: from, qty: -line.qty },
    { ...base, customsState: to, qty: line.qty },
  ];
}

/** Customs released the list (800): its units are verification-applied on the book. */
export function releaseMovements(warehouseCode: string, invtNo: string, logisticsNo: string, lines: StockLine[]) {
  return lines.flatMap((l) =>
    bookTransfer(warehouseCode, l, 'bonded', 'verification-applied', 'inventory-list', invtNo, logisticsNo),
  );
}

/** An approved cancel (CEB624/606 399) of a released list puts its units back to bonded. */
export function cancelMovements(warehouseCode: string, cancelNo: string, logisticsNo: string, lines: StockLine[]) {
  return lines.flatMap((l) =>
    bookTransfer(warehouseCode, l, 'verification-applied', 'bonded', 'cancel', cancelNo, logisticsNo),
  );
}

/** Picking and packing: units move from their shelves into the parcel; the book does not change. */
export function packMovements(warehouseCode: string, logisticsNo: string, picks: PlacedLine[]): Movement[] {
  return picks.flatMap((p) =>
    transferMovements(warehouseCode, 'pick', logisticsNo, { ...p, to: parcelLocation(logisticsNo) }, logisticsNo),
  );
}

/** The parcel passed the outbound gate: it leaves the shelves and is written off the book. */
export function gatePassMovements(
  warehouseCode: string,
  gatePassNo: string,
  logisticsNo: string,
  picks: PlacedLine[],
): Movement[] {
  return picks.flatMap((p) => [
    {
      ledger: 'shelf' as const,
      warehouseCode,
      bookLine: p.bookLine,
      ownerCode: p.ownerCode,
      sku: p.sku,
      batch: p.batch,
      location: parcelLocation(logisticsNo),
      customsState: stateOf(p),
      qty: -p.qty,
      docType: 'gate-release' as const,
      docNo: gatePassNo,
      logisticsNo,
    },
    ...bookTransfer(warehouseCode, p, 'verification-applied', 'written-off', 'gate-release', gatePassNo, logisticsNo),
  ]);
}

/**
 * A 9810 export left the centre for the overseas warehouse (DOMAIN.md §3, §6): its units leave the
 * shelves they were taken from and, for bonded goods, are written off their book lines straight
 * from bonded (the export list's release does not move the book; the goods passing the gate does),
 * under the export list's invtNo, with the shipment as logistics number.
 */
export function exportDepartureMovements(
  warehouseCode: string,
  invtNo: string,
  shipmentNo: string,
  picks: PlacedLine[],
): Movement[] {
  return picks.flatMap((p) => [
    {
      ledger: 'shelf' as const,
      warehouseCode,
      bookLine: p.bookLine,
      ownerCode: p.ownerCode,
      sku: p.sku,
      batch: p.batch,
      location: p.location,
      customsState: stateOf(p),
      qty: -p.qty,
      docType: 'gate-release' as const,
      docNo: invtNo,
      logisticsNo: shipmentNo,
    },
    ...bookTransfer(warehouseCode, p, 'bonded', 'written-off', 'gate-release', invtNo, shipmentNo),
  ]);
}

/** An owner's standing on one book line: what the book and the shelves hold and what is promised. */
export interface BookCover {
  bonded: number;
  /** Units declared lists still promise (their goods have not left). */
  promised: number;
  /** Units released on the book that are still in the centre (picked or waiting to be). */
  verificationApplied: number;
  onStorage: number;
  inParcels: number;
}

/**
 * Units of a book line an export may still take (DOMAIN.md §6): bonded on the book and not
 * promised to a declared list, and on the storage shelves beyond what released or promised lists
 * will still pick from them (what is already in parcels has left the shelves).
 */
export function exportCover(c: BookCover): number {
  const book = c.bonded - c.promised;
  const stillToPick = Math.max(0, c.promised + c.verificationApplied - c.inParcels);
  const shelf = c.onStorage - stillToPick;
  return Math.max(0, Math.min(book, shelf));
}

/** A customs-approved return (CEB625/626) received back: bonded on the book and on a returns shelf. */
export function returnMovements(
  warehouseCode: string,
  returnNo: string,
  logisticsNo: string,
  lines: PlacedLine[],
): Movement[] {
  return arrivalMovements(warehouseCode, 'return', returnNo, logisticsNo, lines);
}

export interface ShelfBalance {
  location: string;
  batch: string;
  qty: number;
  /** When this batch first arrived at this location (FIFO key). */
  since: string;
}

/**
 * Picks `qty` units first-in first-out (oldest batch first, then location), so the oldest bonded
 * stock leaves first and storage age stays low. Returns the picks, or the shortfall.
 */
export function allocateFifo(
  balances: ShelfBalance[],
  qty: number,
): { ok: true; picks: Array<{ location: string; batch: string; qty: number }> } | { ok: false; available: number } {
  const sorted = balances
    .filter((b) => b.qty > 0)
    .sort((a, b) =>
      a.since < b.since ? -1 : a.since > b.since ? 1 : a.location < b.location ? -1 : a.location > b.location ? 1 : 0,
    );
  const available = sorted.reduce((s, b) => s + b.qty, 0);
  if (available < qty) return { ok: false, available };
  const picks: Array<{ location: string; batch: string; qty: number }> = [];
  let left = qty;
  for (const b of sorted) {
    if (left === 0) break;
    const take = Math.min(left, b.qty);
    picks.push({ location: b.location, batch: b.batch, qty: take });
    left -= take;
  }
  return { ok: true, picks };
}

export interface LineBalance {
  book: Record<CustomsState, number>;
  shelf: number;
}

/** Folds movements into per-book-line balances (what the reconciliation query computes in SQL). */
export function balancesByBookLine(movements: Iterable<Movement>): Map<string, LineBalance> {
  const out = new Map<string, LineBalance>();
  for (const m of movements) {
    if (!m.bookLine) continue;
    const key = `${m.bookLine.emsNo}/${m.bookLine.putrecSeqno}`;
    let b = out.get(key);
    if (!b) {
      b = {
        book: { bonded: 0, 'verification-applied': 0, 'gate-release-applied': 0, 'written-off': 0, 'non-bonded': 0 },
        shelf: 0,
      };
      out.set(key, b);
    }
    if (m.ledger === 'book') b.book[m.customsState] += m.qty;
    else b.shelf += m.qty;
  }
  return out;
}

/** Units the book says are in the warehouse: everything not written off. */
export const bookInWarehouse = (b: LineBalance) =>
  b.book.bonded + b.book['verification-applied'] + b.book['gate-release-applied'];

/**
 * Units moving between two places inside the warehouse (put-away, pick into a parcel, routing to
 * inspection): shelf only, the book does not change because nothing entered or left.
 */
export function transferMovements(
  warehouseCode: string,
  docType: 'putaway' | 'pick',
  docNo: string,
  line: PlacedLine & { to: string },
  logisticsNo: string | null = null,
): Movement[] {
  const base = {
    ledger: 'shelf' as const,
    warehouseCode,
    bookLine: line.bookLine,
    ownerCode: line.ownerCode,
    sku: line.sku,
    batch: line.batch,
    customsState: stateOf(line),
    docType,
    docNo,
    logisticsNo,
  };
  return [
    { ...base, location: line.location, qty: -line.qty },
    { ...base, location: line.to, qty: line.qty },
  ];
}

/**
 * Goods that arrived without a customs document covering them (over-delivered, unexpected, or
 * not on the account book): on the shelf in quarantine, never on the book, until customs decides.
 */
export function heldInboundMovements(warehouseCode: string, deliveryNo: string, line: PlacedLine): Movement[] {
  return [
    {
      ledger: 'shelf',
      warehouseCode,
      bookLine: null,
      ownerCode: line.ownerCode,
      sku: line.sku,
      batch: line.batch,
      location: line.location,
      customsState: 'non-bonded',
      qty: line.qty,
      docType: 'inbound',
      docNo: deliveryNo,
      logisticsNo: null,
    },
  ];
}

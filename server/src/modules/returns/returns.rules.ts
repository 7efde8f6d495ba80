import type { ReturnGrade } from '@wms/contracts';
import type { StockMove } from '../sellers/stock/seller-stock.repository.js';
import { type Text, tell } from './returns.messages.js';

/**
 * Returns at the overseas warehouse (issue 12, DOMAIN.md §10): what a scan at the returns desk
 * means, whether a unit may be graded on its RMA, and which stock moves a grade makes.
 */

/** What the desk reads besides RMA numbers and goods: a grade, a new return, a choice, done. */
export type DeskCommand =
  | { kind: 'grade'; grade: ReturnGrade; reason: string | null }
  | { kind: 'newReturn' }
  | { kind: 'choose'; code: string }
  | { kind: 'done' }
  | { kind: 'text'; text: string };

const GRADES: Record<string, ReturnGrade> = {
  SELLABLE: 'sellable',
  UNSELLABLE: 'unsellable',
  DESTROY: 'destroy',
};

/**
 * The desk's command codes (printed on the desk's card): `SELLABLE`, `UNSELLABLE` or `DESTROY`
 * (also as `GRADE:…`, optionally followed by `:reason`), `NEW-RETURN` (goods with no RMA),
 * `SELLER:<seller or owner code>` (when two sellers share a code), `DONE` (the RMA is complete).
 */
export function deskCommand(text: string): DeskCommand {
  const trimmed = text.trim();
  const upper = trimmed.toUpperCase();
  if (upper === 'NEW-RETURN' || upper === 'RETURN:NEW') return { kind: 'newReturn' };
  if (upper === 'DONE' || upper === 'RETURN:DONE') return { kind: 'done' };
  if (upper.startsWith('SELLER:')) {
    const code = trimmed.slice('SELLER:'.length).trim();
    if (code) return { kind: 'choose', code };
  }
  const parts = trimmed.split(':');
  const head = parts[0].toUpperCase() === 'GRADE' ? parts.slice(1) : parts;
  const grade = GRADES[(head[0] ?? '').trim().toUpperCase()];
  if (grade) {
    const reason = head.slice(1).join(':').trim();
    return { kind: 'grade', grade, reason: reason || null };
  }
  return { kind: 'text', text: trimmed };
}

export interface ReturnLineState {
  sku: string;
  expected: number;
  sellable: number;
  unsellable: number;
  destroyed: number;
}

export const receivedOf = (line: ReturnLineState) => line.sellable + line.unsellable + line.destroyed;

/**
 * Whether `qty` units of a SKU may be graded on this RMA: an announced RMA takes its SKUs up to
 * what it expects (more, or another SKU, is set apart for the seller to announce); a return that
 * came without an RMA takes whatever comes. Null: yes; else why not.
 */
export function gradeRefusal(
  rma: { rmaNo: string; unannounced: boolean; status: string },
  line: ReturnLineState | undefined,
  sku: string,
  qty: number,
): Text | null {
  if (rma.status === 'received') return tell.rmaAlreadyReceived(rma.rmaNo);
  if (rma.unannounced) return null;
  if (!line || line.expected === 0) return tell.notOnRma(sku, rma.rmaNo);
  const left = line.expected - receivedOf(line);
  if (qty > left) return tell.moreThanExpected(sku, rma.rmaNo, line.expected, left);
  return null;
}

/** An announced RMA is complete when every line has all it expects graded. */
export function isComplete(unannounced: boolean, lines: ReturnLineState[]): boolean {
  if (unannounced || !lines.length) return false;
  return lines.every((l) => receivedOf(l) >= l.expected);
}

/** The lot a return's units come back in: their arrival for FIFO and ageing is the grading. */
export const returnLot = (rmaNo: string) => `RET-${rmaNo}`;

/**
 * The seller's stock moves of one grade, in the order they are posted (each step in its own post:
 * a destroy first brings the units in as unfulfillable, then takes them out, so the ledger shows
 * both what came back and that it was destroyed).
 */
export function gradeMoves(
  grade: ReturnGrade,
  unit: { ownerCode: string; warehouseCode: string; sku: string; rmaNo: string; qty: number; reason: string },
): StockMove[][] {
  const base = {
    ownerCode: unit.ownerCode,
    warehouseCode: unit.warehouseCode,
    sku: unit.sku,
    lotNo: returnLot(unit.rmaNo),
    qty: unit.qty,
    docType: 'return',
    docNo: unit.rmaNo,
    reason: unit.reason,
  };
  switch (grade) {
    case 'sellable':
      return [[{ ...base, from: null, to: 'available', event: 'return.graded' }]];
    case 'unsellable':
      return [[{ ...base, from: null, to: 'unfulfillable', event: 'return.graded' }]];
    case 'destroy':
      return [
        [{ ...base, from: null, to: 'unfulfillable', event: 'return.graded' }],
        [{ ...base, from: 'unfulfillable', to: null, event: 'return.destroyed' }],
      ];
  }
}

/** The largest photo the desk keeps (the table's check says the same). */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** A picture's type from its first bytes (what it claims to be is not trusted): JPEG, PNG or none. */
export function pictureType(bytes: Uint8Array): 'image/jpeg' | 'image/png' | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length > png.length && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

import type { BookLineStock } from '@wms/contracts';

/**
 * Pure rules of the customs console's inventory (issue 13): the page cursor, the export's columns
 * (the table's, in the officer's language) and the storage-age alert's recipients (DOMAIN.md §6:
 * the storage time in a centre is limited per site; alert on ageing; the level is storage-age.rules).
 */

/** The cursor after a page: the account book and the last line, opaque to the client. */
export function cursorAfter(emsNo: string, putrecSeqno: number): string {
  return Buffer.from(JSON.stringify([emsNo, putrecSeqno])).toString('base64url');
}

/** The line a cursor points after, or null when it is not one this server gave for that book. */
export function cursorLine(cursor: string, emsNo: string): number | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2 || value[0] !== emsNo) return null;
    const line = value[1];
    return Number.isInteger(line) && line > 0 && line <= 2_147_483_647 ? line : null;
  } catch {
    return null;
  }
}

/** The book-line table's columns, in the order the console shows them. */
export const BOOK_LINE_COLUMNS: Array<{
  key: string;
  zh: string;
  en: string;
  value: (l: BookLineStock) => string | number;
}> = [
  { key: 'emsNo', zh: '账册编号', en: 'Account book', value: (l) => l.emsNo },
  { key: 'putrecSeqno', zh: '备案序号', en: 'Book line', value: (l) => l.putrecSeqno },
  { key: 'itemNo', zh: '料号', en: 'Item no.', value: (l) => l.itemNo },
  { key: 'gcode', zh: '商品编码', en: 'HS code', value: (l) => l.gcode },
  { key: 'gname', zh: '商品名称', en: 'Goods name', value: (l) => l.gname },
  { key: 'unit', zh: '计量单位', en: 'Unit', value: (l) => l.unit },
  { key: 'bookBonded', zh: '账册·保税', en: 'Book: bonded', value: (l) => l.book.bonded },
  {
    key: 'bookVerificationApplied',
    zh: '账册·已申报核注',
    en: 'Book: verification applied',
    value: (l) => l.book.verificationApplied,
  },
  {
    key: 'bookGateReleaseApplied',
    zh: '账册·已申报核放',
    en: 'Book: gate release applied',
    value: (l) => l.book.gateReleaseApplied,
  },
  { key: 'bookInWarehouse', zh: '账册数量', en: 'Book quantity', value: (l) => l.book.inWarehouse },
  { key: 'shelfOnShelf', zh: '在架', en: 'On shelf', value: (l) => l.shelf.onShelf },
  { key: 'shelfInProcess', zh: '作业中', en: 'In process', value: (l) => l.shelf.inProcess },
  { key: 'shelfInspection', zh: '查验', en: 'Inspection', value: (l) => l.shelf.inspection },
  { key: 'shelfHeld', zh: '扣留', en: 'Held', value: (l) => l.shelf.held },
  { key: 'shelfTotal', zh: '实物数量', en: 'Physical quantity', value: (l) => l.shelf.total },
  { key: 'difference', zh: '差异（实物−账册）', en: 'Difference (shelf − book)', value: (l) => l.difference },
];

/** The export's columns in the reader's language (`sendTable`'s shape): the table's, in its order. */
export function bookLineExportColumns(lang: 'zh' | 'en') {
  return BOOK_LINE_COLUMNS.map((c) => ({ header: c[lang], value: c.value, width: c.key === 'gname' ? 30 : 14 }));
}

export interface AgeRecipient {
  kind: 'customs' | 'supervisor' | 'seller';
  code: string;
  via: 'console' | 'portal';
}

/**
 * Who hears of an ageing batch: the customs officers and the centre's supervisors on their live
 * consoles always, and the sellers that own the goods (through their owner code) on their portal.
 */
export function ageRecipients(sellerCodes: string[]): AgeRecipient[] {
  return [
    { kind: 'customs', code: 'customs', via: 'console' },
    { kind: 'supervisor', code: 'supervisor', via: 'console' },
    ...[...new Set(sellerCodes)].sort().map((code) => ({ kind: 'seller' as const, code, via: 'portal' as const })),
  ];
}

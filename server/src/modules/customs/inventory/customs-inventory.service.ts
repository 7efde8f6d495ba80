import { Injectable } from '@nestjs/common';
import type {
  BookLineDetail,
  BookLineStock,
  BookLinesExportQuery,
  BookLinesPage,
  BookLinesQuery,
  InventoryTotals,
  LocationStockPage,
  LocationStockQuery,
} from '@wms/contracts';
import { AppError } from '../../../platform/http/app-error.js';
import { BondedStockRepository, type BookLineFilter } from '../../inventory/bonded-stock.repository.js';
import { StockViewsRepository } from '../../inventory/stock-views.repository.js';
import { cursorAfter, cursorLine } from './customs-inventory.rules.js';

const filterOf = (q: Omit<BookLinesQuery, 'after' | 'limit'>): BookLineFilter => ({
  putrecSeqno: q.putrecSeqno,
  gcode: q.gcode,
  gname: q.gname,
  itemNo: q.itemNo,
  ownerCode: q.ownerCode,
  customsState: q.customsState,
  differencesOnly: q.differences === 'true',
});

/** Lines read per round trip when a whole table is exported. */
const EXPORT_PAGE = 1000;

/**
 * "In the warehouse now" and "Book equals shelf" for the customs console (issue 13, DOMAIN.md §6):
 * book lines a page at a time, the totals they add up to, a line down to its units and parcels
 * with its history of differences, and every line of a filter for the export. Read-only.
 */
@Injectable()
export class CustomsInventoryService {
  constructor(
    private readonly balances: BondedStockRepository,
    private readonly stock: StockViewsRepository,
  ) {}

  private async bookOf(warehouseCode: string): Promise<string> {
    const book = await this.balances.accountBook(warehouseCode);
    if (!book.exists)
      throw new AppError('NOT_FOUND', `Warehouse ${warehouseCode} is not known: choose a bonded centre.`);
    if (!book.emsNo)
      throw new AppError(
        'VALIDATION_FAILED',
        `Warehouse ${warehouseCode} keeps no account book (it is not a bonded centre): choose a bonded centre.`,
      );
    return book.emsNo;
  }

  async page(q: BookLinesQuery): Promise<BookLinesPage> {
    const emsNo = await this.bookOf(q.warehouseCode);
    const after = q.after === undefined ? null : cursorLine(q.after, emsNo);
    if (q.after !== undefined && after === null)
      throw new AppError(
        'VALIDATION_FAILED',
        'after: not the `next` of a page of this warehouse’s book lines; start again from the first page.',
      );
    const rows = await this.balances.bookLines(q.warehouseCode, emsNo, filterOf(q), after, q.limit + 1);
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      warehouseCode: q.warehouseCode,
      emsNo,
      items,
      next: rows.length > q.limit && last ? cursorAfter(emsNo, last.putrecSeqno) : null,
    };
  }

  /** The shelf by location, a page at a time (the last location of a page is the next one's `after`). */
  async locations(q: LocationStockQuery): Promise<LocationStockPage> {
    await this.bookOf(q.warehouseCode);
    const rows = await this.balances.locations(
      q.warehouseCode,
      { location: q.location, ownerCode: q.ownerCode },
      q.after ?? null,
      q.limit + 1,
    );
    const items = rows.slice(0, q.limit);
    return {
      warehouseCode: q.warehouseCode,
      items,
      next: rows.length > q.limit ? (items[items.length - 1]?.location ?? null) : null,
    };
  }

  async totals(warehouseCode: string): Promise<InventoryTotals> {
    const emsNo = await this.bookOf(warehouseCode);
    const [totals, unbooked] = await Promise.all([
      this.balances.totals(warehouseCode, emsNo),
      this.stock.unbooked(warehouseCode),
    ]);
    const unbookedUnits = unbooked.reduce((s, u) => s + u.units, 0);
    return {
      warehouseCode,
      emsNo,
      ...totals,
      unbookedUnits,
      physicalUnits: totals.shelf.total + unbookedUnits,
    };
  }

  async line(warehouseCode: string, emsNo: string, putrecSeqno: number): Promise<BookLineDetail> {
    const book = await this.bookOf(warehouseCode);
    if (book !== emsNo)
      throw new AppError(
        'NOT_FOUND',
        `Account book ${emsNo} is not the book of ${warehouseCode} (its book is ${book}).`,
      );
    const [line] = await this.balances.bookLines(
      warehouseCode,
      emsNo,
      { putrecSeqno, differencesOnly: false, includeEmpty: true },
      null,
      1,
    );
    if (!line)
      throw new AppError(
        'NOT_FOUND',
        `Book line ${emsNo}/${putrecSeqno} holds nothing in ${warehouseCode} and never did.`,
      );
    const [units, history] = await Promise.all([
      this.balances.lineUnits(warehouseCode, emsNo, putrecSeqno),
      this.balances.differenceHistory(warehouseCode, emsNo, putrecSeqno, 200),
    ]);
    return { warehouseCode, line, ...units, history };
  }

  /**
   * Every line the filter selects, a page at a time, for the export (the same rows as the table).
   * The warehouse is checked before the first byte goes out, so a wrong one is still a 4xx.
   */
  async exportPages(q: BookLinesExportQuery): Promise<AsyncGenerator<BookLineStock[]>> {
    const emsNo = await this.bookOf(q.warehouseCode);
    return this.pagesOf(q.warehouseCode, emsNo, filterOf(q));
  }

  private async *pagesOf(warehouseCode: string, emsNo: string, filter: BookLineFilter) {
    let after: number | null = null;
    for (;;) {
      const rows = await this.balances.bookLines(warehouseCode, emsNo, filter, after, EXPORT_PAGE);
      if (rows.length) yield rows;
      if (rows.length < EXPORT_PAGE) return;
      after = rows[rows.length - 1].putrecSeqno;
    }
  }
}

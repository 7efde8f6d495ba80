import type { Writable } from 'node:stream';
import type { BookLineStock } from '@wms/contracts';
import ExcelJS from 'exceljs';
import { BOOK_LINE_COLUMNS, csvRow } from './customs-inventory.rules.js';

/**
 * The book-line table as a file (issue 13 "export to CSV and XLSX"): the table's columns, every row
 * of the filter, streamed as the pages are read (a 100k-line book is never held in memory whole).
 */
export async function writeBookLines(
  out: Writable,
  format: 'csv' | 'xlsx',
  lang: 'zh' | 'en',
  pages: AsyncIterable<BookLineStock[]>,
): Promise<number> {
  let rows = 0;
  if (format === 'csv') {
    // a BOM so spreadsheet programs read the Chinese names as UTF-8
    out.write(`\uFEFF${csvRow(BOOK_LINE_COLUMNS.map((c) => c[lang]))}`);
    for await (const page of pages) {
      out.write(page.map((l) => csvRow(BOOK_LINE_COLUMNS.map((c) => c.value(l)))).join(''));
      rows += page.length;
    }
    out.end();
    return rows;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(lang === 'zh' ? '账册库存' : 'Book lines');
  sheet.columns = BOOK_LINE_COLUMNS.map((c) => ({ header: c[lang], key: c.key, width: c.key === 'gname' ? 30 : 14 }));
  for await (const page of pages) {
    for (const l of page) sheet.addRow(BOOK_LINE_COLUMNS.map((c) => c.value(l))).commit();
    rows += page.length;
  }
  sheet.commit();
  await workbook.commit();
  return rows;
}

import type { Writable } from 'node:stream';
import type { CreditGradeTable, HoldsByAge, StatisticsTable } from '@wms/contracts';
import ExcelJS from 'exceljs';

type Cell = string | number | null;
export interface ExportTable {
  name: string;
  columns: string[];
  rows: Cell[][];
}

const MEASURE_COLUMNS = [
  'lists',
  'parcels',
  'value',
  'weightGrams',
  'tax',
  'qty',
  'released',
  'releaseRate',
  'rejected',
  'rejectionRate',
  'inspected',
  'inspectionRate',
  'releaseP50Seconds',
  'releaseP90Seconds',
] as const;

/** A statistics table as export rows: the table's own columns, one line per row (no totals line, so rows re-add). */
export function summaryExport(table: StatisticsTable): ExportTable {
  return {
    name: `statistics-by-${table.groupBy}`,
    columns: [table.groupBy, 'label', ...MEASURE_COLUMNS],
    rows: table.rows.map((r) => [r.key, r.label, ...MEASURE_COLUMNS.map((c) => r[c])]),
  };
}

export function gradesExport(table: CreditGradeTable): ExportTable {
  return {
    name: 'inspection-by-credit-grade',
    columns: ['grade', 'enterprises', 'lists', 'inspected', 'inspectionRate'],
    rows: table.rows.map((r) => [r.grade, r.enterprises, r.lists, r.inspected, r.inspectionRate]),
  };
}

export function holdsExport(holds: HoldsByAge): ExportTable {
  return {
    name: 'holds-by-age',
    columns: ['band', 'customs', 'weightCheck', 'total'],
    rows: holds.rows.map((r) => [r.band, r.customs, r.weightCheck, r.total]),
  };
}

const csvCell = (v: Cell) => {
  if (v === null) return '';
  const s = String(v);
  // a leading = + - @ would run as a formula in a spreadsheet: quote it as text (CSV injection)
  const safe = /^[=+\-@\t\r]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Writes the table as CSV (UTF-8 with a BOM, CRLF, as spreadsheets open it), a row at a time. */
export async function writeCsv(table: ExportTable, out: Writable): Promise<void> {
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(text)) resolve();
      else out.once('drain', resolve).once('error', reject);
    });
  await write(`\ufeff${table.columns.map(csvCell).join(',')}\r\n`);
  for (const row of table.rows) await write(`${row.map(csvCell).join(',')}\r\n`);
  out.end();
}

/** Writes the table as XLSX with exceljs's streaming writer: rows go out as they are committed. */
export async function writeXlsx(table: ExportTable, out: Writable): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = book.addWorksheet(table.name.slice(0, 31));
  sheet.columns = table.columns.map((c) => ({ header: c, key: c, width: Math.max(12, c.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const row of table.rows) {
    // decimal strings of money go in as numbers (a spreadsheet sums them); codes stay text
    sheet
      .addRow(row.map((v, i) => (i > 1 && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)))
      .commit();
  }
  sheet.commit();
  await book.commit();
}

import { type ImportRowError, ORDER_IMPORT_COLUMNS } from '@wms/contracts';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/http/app-error.js';
import { type ImportRow, importHeader } from './orders.rules.js';

/**
 * Reading and writing order import files (one row per order line, the header on row 1): CSV by
 * csv-parse (quotes, embedded commas and newlines, a BOM, ; or , as separator), XLSX by exceljs.
 * A file that cannot be read at all is refused at upload; a bad row is a row error later.
 */

export type ImportFormat = 'csv' | 'xlsx';

export const MAX_IMPORT_ROWS = 50_000;

export interface ImportSheet {
  rows: ImportRow[];
  headerErrors: ImportRowError[];
}

/** What the upload is, from its name and type (and the zip signature of an XLSX). */
export function importFormatOf(fileName: string, mimeType: string, bytes: Buffer): ImportFormat {
  const name = fileName.toLowerCase();
  const zip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  if (name.endsWith('.xlsx') || mimeType.includes('spreadsheetml')) {
    if (!zip) throw new AppError('VALIDATION_FAILED', `file: ${fileName} is not an XLSX workbook (save it as .xlsx).`);
    return 'xlsx';
  }
  if (name.endsWith('.csv') || mimeType.startsWith('text/') || mimeType === 'application/csv') {
    if (zip) throw new AppError('VALIDATION_FAILED', `file: ${fileName} looks like a workbook, not CSV text.`);
    return 'csv';
  }
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `file: send a .csv or .xlsx file (got ${fileName || 'no name'}).`);
}

function sheetOf(header: string[], body: Array<{ row: number; values: string[] }>): ImportSheet {
  const { columns, errors } = importHeader(header);
  const rows: ImportRow[] = [];
  for (const { row, values } of body) {
    if (values.every((v) => !v.trim())) continue; // a blank row
    const cells: ImportRow['cells'] = {};
    columns.forEach((c, i) => {
      if (c) cells[c] = values[i] ?? '';
    });
    rows.push({ row, cells });
  }
  if (rows.length > MAX_IMPORT_ROWS)
    throw new AppError('VALIDATION_FAILED', `file: ${rows.length} rows; one import takes at most ${MAX_IMPORT_ROWS}.`);
  return { rows, headerErrors: errors };
}

export function readCsv(bytes: Buffer): ImportSheet {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: false });
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw new AppError(
      'VALIDATION_FAILED',
      `file: not readable CSV${e.lines ? ` at line ${e.lines}` : ''}: ${e.message ?? error}`,
    );
  }
  if (!records.length)
    throw new AppError('VALIDATION_FAILED', 'file: the CSV is empty: it needs a header row and order lines.');
  const [header, ...body] = records;
  return sheetOf(
    header,
    body.map((values, i) => ({ row: i + 2, values })),
  );
}

const cellText = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
};

export async function readXlsx(bytes: Buffer): Promise<ImportSheet> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `file: not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const sheet = book.worksheets[0];
  if (!sheet || sheet.rowCount === 0)
    throw new AppError(
      'VALIDATION_FAILED',
      'file: the workbook’s first sheet is empty: it needs a header row and order lines.',
    );
  const width = sheet.getRow(1).cellCount;
  const rowValues = (n: number) => {
    const row = sheet.getRow(n);
    const values: string[] = [];
    for (let c = 1; c <= Math.max(width, row.cellCount); c++) values.push(cellText(row.getCell(c).value));
    return values;
  };
  const body: Array<{ row: number; values: string[] }> = [];
  for (let n = 2; n <= sheet.rowCount; n++) body.push({ row: n, values: rowValues(n) });
  return sheetOf(rowValues(1), body);
}

const EXAMPLE = [
  [
    'SO-1001',
    'OW-DE1',
    'Anna Schmidt',
    'Hauptstr. 5',
    '',
    'Berlin',
    '10115',
    'DE',
    '+49 30 1234567',
    '',
    'DHL',
    'SKU-001',
    '2',
  ],
  [
    'SO-1001',
    'OW-DE1',
    'Anna Schmidt',
    'Hauptstr. 5',
    '',
    'Berlin',
    '10115',
    'DE',
    '+49 30 1234567',
    '',
    'DHL',
    'SKU-002',
    '1',
  ],
];

/** The template: the header and two example rows of one order with two lines. */
export async function importTemplate(format: ImportFormat): Promise<Buffer> {
  if (format === 'csv') {
    const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    return Buffer.from(
      `${[ORDER_IMPORT_COLUMNS as readonly string[], ...EXAMPLE].map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`,
    );
  }
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('orders');
  sheet.addRow([...ORDER_IMPORT_COLUMNS]);
  sheet.getRow(1).font = { bold: true };
  for (const r of EXAMPLE) sheet.addRow(r);
  sheet.columns.forEach((c) => {
    c.width = 16;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

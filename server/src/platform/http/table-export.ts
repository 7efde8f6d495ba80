import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { z } from 'zod';

/**
 * Tables as files: every console table can be taken away as CSV or XLSX with the same columns as
 * on screen and all its rows (not only the page shown). Rows are streamed as they are read, so a
 * big export holds one batch in memory, not the whole table.
 */

export const exportFormat = z.enum(['csv', 'xlsx']);
export type ExportFormat = z.infer<typeof exportFormat>;

export interface ExportColumn<Row> {
  /** The header cell, in the reader's language where the caller has one. */
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
  /** XLSX column width in characters. */
  width?: number;
}

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * A CSV cell (RFC 4180 quoting). A text that a spreadsheet would run as a formula (= + - @, tab,
 * CR) is prefixed with ' so an exported consignee name can never execute (OWASP CSV injection).
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes the rows to the response as a download named `<baseName>.<format>`. */
export async function sendTable<Row>(
  res: Response,
  format: ExportFormat,
  baseName: string,
  columns: Array<ExportColumn<Row>>,
  rows: AsyncIterable<Row[]> | Iterable<Row[]>,
): Promise<void> {
  const fileName = `${baseName}.${format}`;
  res.status(200);
  res.setHeader('content-type', EXPORT_TYPES[format]);
  res.setHeader(
    'content-disposition',
    `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  );
  res.setHeader('cache-control', 'no-store');
  if (format === 'csv') {
    // the BOM makes Excel read the UTF-8 (Chinese names) right
    res.write(`\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`);
    for await (const batch of rows) {
      const text = batch.map((row) => `${columns.map((c) => csvCell(c.value(row))).join(',')}\r\n`).join('');
      if (!res.write(text)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
    return;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
  const sheet = workbook.addWorksheet(baseName.slice(0, 31) || 'export');
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const batch of rows)
    for (const row of batch) sheet.addRow(columns.map((c) => c.value(row) ?? null)).commit();
  sheet.commit();
  await workbook.commit();
}

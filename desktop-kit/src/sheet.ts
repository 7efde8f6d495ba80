/**
 * A spreadsheet a seller uploads (CSV or XLSX) read into rows keyed by the header row's names.
 * The first row names the columns; `rowNo` is the line as the seller sees it in the file (header = 1).
 */
export interface SheetRow {
  rowNo: number;
  values: Record<string, string>;
}

/** Parses CSV text (RFC 4180: quoted fields, "" inside quotes, CRLF or LF, `,` or `;` or tab). */
export function parseCsv(text: string): string[][] {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce(
    (best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best),
    ',',
  );
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Header row + data rows -> rows keyed by header (trimmed, lower case); empty rows are dropped. */
export function rowsOf(table: unknown[][]): SheetRow[] {
  const [header = [], ...body] = table;
  const names = header.map((h) =>
    String(h ?? '')
      .trim()
      .toLowerCase(),
  );
  const out: SheetRow[] = [];
  body.forEach((cells, index) => {
    const values: Record<string, string> = {};
    names.forEach((name, col) => {
      const cell = cells[col];
      if (!name || cell === null || cell === undefined) return;
      const text = cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell).trim();
      if (text !== '') values[name] = text;
    });
    if (Object.keys(values).length) out.push({ rowNo: index + 2, values });
  });
  return out;
}

/** Reads an uploaded .csv or .xlsx file in the browser. */
export async function readSheetFile(file: File): Promise<SheetRow[]> {
  if (/\.xlsx$/i.test(file.name)) {
    const { readSheet } = await import('read-excel-file/browser');
    return rowsOf((await readSheet(file)) as unknown[][]);
  }
  return rowsOf(parseCsv(await file.text()));
}

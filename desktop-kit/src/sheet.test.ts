import { describe, expect, it } from 'vitest';
import { parseCsv, rowsOf } from './sheet.js';

describe('a CSV a user uploads', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFsku,name\r\nA-1,"Cream, ""rich"""\r\nB-2,Soap\r\n')).toEqual([
      ['sku', 'name'],
      ['A-1', 'Cream, "rich"'],
      ['B-2', 'Soap'],
    ]);
  });

  it('takes the delimiter the header uses (semicolons from a European spreadsheet)', () => {
    expect(parseCsv('sku;declaredPrice\nA-1;1,50')).toEqual([
      ['sku', 'declaredPrice'],
      ['A-1', '1,50'],
    ]);
  });

  it('keys rows by the header, counts rows as the file does and skips empty ones', () => {
    expect(rowsOf(parseCsv('SKU , Name\nA-1,Cream\n,\nB-2,\n'))).toEqual([
      { rowNo: 2, values: { sku: 'A-1', name: 'Cream' } },
      { rowNo: 4, values: { sku: 'B-2' } },
    ]);
  });
});

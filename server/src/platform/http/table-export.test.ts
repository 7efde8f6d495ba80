import { describe, expect, it } from 'vitest';
import { csvCell } from './table-export.js';

describe('an exported CSV cell', () => {
  it('quotes what RFC 4180 needs quoted and leaves the rest', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it('never lets a spreadsheet run a text as a formula, but keeps negative numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('-12.5')).toBe('-12.5');
  });
});

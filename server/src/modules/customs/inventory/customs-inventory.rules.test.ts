import { describe, expect, it } from 'vitest';
import {
  ageRecipients,
  BOOK_LINE_COLUMNS,
  bookLineExportColumns,
  cursorAfter,
  cursorLine,
} from './customs-inventory.rules.js';

describe('book-line page cursor', () => {
  it('points after the line it was made for, in that book only', () => {
    const c = cursorAfter('T5165W000001', 100_000);
    expect(cursorLine(c, 'T5165W000001')).toBe(100_000);
    expect(cursorLine(c, 'T0000W000009')).toBeNull();
  });

  it('refuses what it did not make', () => {
    for (const bad of ['bm90LWEtY3Vyc29y', '', '!!!!', Buffer.from('[1,2,3]').toString('base64url')])
      expect(cursorLine(bad, 'T5165W000001')).toBeNull();
    expect(cursorLine(Buffer.from('["E",0]').toString('base64url'), 'E')).toBeNull();
    expect(cursorLine(Buffer.from('["E",1.5]').toString('base64url'), 'E')).toBeNull();
  });
});

describe('export columns', () => {
  it('are the table’s columns in the reader’s language', () => {
    expect(bookLineExportColumns('zh').map((c) => c.header)).toEqual(BOOK_LINE_COLUMNS.map((c) => c.zh));
    expect(bookLineExportColumns('en')[0].header).toBe('Account book');
    expect(new Set(BOOK_LINE_COLUMNS.map((c) => c.key)).size).toBe(BOOK_LINE_COLUMNS.length);
  });
});

describe('storage-age alert recipients (DOMAIN.md §6)', () => {
  it('tells customs and supervisors always, and each owning seller once', () => {
    expect(ageRecipients(['S2', 'S1', 'S2'])).toEqual([
      { kind: 'customs', code: 'customs', via: 'console' },
      { kind: 'supervisor', code: 'supervisor', via: 'console' },
      { kind: 'seller', code: 'S1', via: 'portal' },
      { kind: 'seller', code: 'S2', via: 'portal' },
    ]);
  });
});

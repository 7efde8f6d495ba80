import { describe, expect, it } from 'vitest';
import { ageLevel, ageRecipients, csvField, csvRow, cursorAfter, cursorLine } from './customs-inventory.rules.js';

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

describe('export fields', () => {
  it('quotes separators and quotes, and keeps a leading = from running as a formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    expect(csvRow(['a', 1, 'b\nc'])).toBe('a,1,"b\nc"\r\n');
  });
});

describe('storage age (DOMAIN.md §6)', () => {
  it('warns within the warning days before the limit and flags past it', () => {
    expect(ageLevel(null, 365, 30)).toBe('unknown');
    expect(ageLevel(334, 365, 30)).toBe('ok');
    expect(ageLevel(335, 365, 30)).toBe('warning');
    expect(ageLevel(365, 365, 30)).toBe('warning');
    expect(ageLevel(366, 365, 30)).toBe('over-limit');
  });

  it('tells customs and supervisors always, and each owning seller once', () => {
    expect(ageRecipients(['S2', 'S1', 'S2'])).toEqual([
      { kind: 'customs', code: 'customs', via: 'console' },
      { kind: 'supervisor', code: 'supervisor', via: 'console' },
      { kind: 'seller', code: 'S1', via: 'portal' },
      { kind: 'seller', code: 'S2', via: 'portal' },
    ]);
  });
});

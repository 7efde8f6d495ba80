import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breaksAnywhere, ELLIPSIS, fitText, isLatin1, type MeasureText, wrapText } from './label-text.js';

/** A full-width ideograph is `size` wide, anything else half of it: the shape of a CJK font. */
const measure: MeasureText = (text, size) => [...text].reduce((w, c) => w + (breaksAnywhere(c) ? size : size / 2), 0);

describe('wrapText', () => {
  it('breaks Latin text at spaces, never inside a word that fits a line', () => {
    // 10 dots a letter at size 20, 100 dots a line: 10 letters
    expect(wrapText('Flat 12B Harbour Road Ningbo', 100, 20, measure)).toEqual([
      'Flat 12B',
      'Harbour',
      'Road',
      'Ningbo',
    ]);
  });

  it('breaks Chinese text, which has no spaces, between any two characters', () => {
    expect(wrapText('浙江省宁波市北仑区保税西区', 100, 20, measure)).toEqual(['浙江省宁波', '市北仑区保', '税西区']);
  });

  it('breaks a word wider than the line between its letters, and mixes both scripts', () => {
    expect(wrapText('ABCDEFGHIJKLMNO', 100, 20, measure)).toEqual(['ABCDEFGHIJ', 'KLMNO']);
    expect(wrapText('宁波 Ningbo 港东大道8号', 120, 20, measure)).toEqual(['宁波 Ningbo', '港东大道8号']);
  });

  it('turns line breaks and runs of blanks into one space', () => {
    expect(wrapText('  A\r\n\tB  ', 100, 20, measure)).toEqual(['A B']);
    expect(wrapText(' \n ', 100, 20, measure)).toEqual([]);
  });
});

describe('fitText', () => {
  const box = { width: 100, lines: 2, maxSize: 20, minSize: 10 };

  it('keeps the largest size at which the whole text fits the lines', () => {
    expect(fitText('张三', box, measure)).toEqual({ size: 20, lines: ['张三'], truncated: false });
    // 15 ideographs: 3 lines at 20, 2 lines of 8 at 12
    expect(fitText('一二三四五六七八九十一二三四五', box, measure)).toMatchObject({ size: 12, truncated: false });
  });

  it('reaches an odd minimum size before giving up', () => {
    const fitted = fitText('一二三四五六七八九十一二三四五六七八', { ...box, minSize: 11 }, measure);
    expect(fitted).toEqual({ size: 11, lines: ['一二三四五六七八九', '十一二三四五六七八'], truncated: false });
  });

  it('cuts what does not fit at the minimum size with an ellipsis, inside the width', () => {
    const fitted = fitText('一二三四五六七八九十'.repeat(3), box, measure);
    expect(fitted.size).toBe(10);
    expect(fitted.truncated).toBe(true);
    expect(fitted.lines).toEqual(['一二三四五六七八九十', `一二三四五六七八九${ELLIPSIS}`]);
  });

  it('never gives a line wider than the box nor more lines than it has, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'W', ' ', '国', '-', '\n', '…'), maxLength: 300 }),
        fc.integer({ min: 1, max: 4 }),
        (text, lines) => {
          const fitted = fitText(text, { width: 120, lines, maxSize: 30, minSize: 12 }, measure);
          expect(fitted.lines.length).toBeLessThanOrEqual(lines);
          for (const line of fitted.lines) expect(measure(line, fitted.size)).toBeLessThanOrEqual(120);
          if (!fitted.truncated) expect(fitted.lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
        },
      ),
    );
  });

  it('refuses a box with no line or an upside-down size range', () => {
    expect(() => fitText('x', { ...box, lines: 0 }, measure)).toThrow(RangeError);
    expect(() => fitText('x', { ...box, minSize: 30 }, measure)).toThrow(RangeError);
  });
});

describe('isLatin1', () => {
  it('tells what the printer fonts can print from what must be drawn', () => {
    expect(isLatin1('Müller, 12 Rue de la Paix')).toBe(true);
    expect(isLatin1('张三')).toBe(false);
    expect(isLatin1(`Li Lei${ELLIPSIS}`)).toBe(false);
  });
});

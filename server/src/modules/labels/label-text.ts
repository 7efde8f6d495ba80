/**
 * Fitting free text (a consignee's name, an address) into a field box of a label: the box has a
 * width in dots, a number of lines and a range of font sizes. The text is wrapped, the font shrunk
 * step by step down to the minimum, and what still does not fit is cut with an ellipsis "…" — so a
 * field never prints past its box, whatever the input. Pure: the width of a text at a size is
 * asked of the caller's `measure`, which is the renderer's own measure (see text-graphic.ts).
 *
 * Wrapping: Latin text breaks at spaces (a word longer than the line breaks between letters);
 * Chinese, Japanese and Korean text has no spaces and breaks between any two characters.
 */

export interface TextBox {
  /** Dots available for one line. */
  width: number;
  /** Lines available. */
  lines: number;
  /** Font height in dots to try first, and the smallest still legible. */
  maxSize: number;
  minSize: number;
}

export interface FittedText {
  size: number;
  lines: string[];
  /** True when text was cut (and ends with the ellipsis). */
  truncated: boolean;
}

/** Width in dots of `text` at font height `size`. */
export type MeasureText = (text: string, size: number) => number;

export const ELLIPSIS = '…';

/** Distance between line tops for a font height: glyphs with descenders stay inside their line. */
export const linePitch = (size: number) => Math.ceil(size * 1.25);

/** The height in dots of `lines` lines at `size`. */
export const blockHeight = (lines: number, size: number) => lines * linePitch(size);

// Ideographs, kana, hangul, CJK punctuation and full-width forms: each character is a break point.
const BREAK_ANYWHERE =
  /[\u1100-\u11ff\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3ffff}]/u;
const UNITS =
  /\s+|[\u1100-\u11ff\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3ffff}]|[^\s\u1100-\u11ff\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u{20000}-\u{3ffff}]+/gu;

/** Control characters and runs of blanks become one space; the ends are trimmed. */
export function normaliseText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
}

/** True when every character is printable Latin-1, the repertoire of the printer's own fonts. */
export const isLatin1 = (text: string) => /^[\u0020-\u007e\u00a0-\u00ff]*$/.test(text);

export const breaksAnywhere = (character: string) => BREAK_ANYWHERE.test(character);

/** Greedy line breaking at `size`: every line's measure is at most `width`. */
export function wrapText(text: string, width: number, size: number, measure: MeasureText): string[] {
  const lines: string[] = [];
  let line = '';
  let space = false;
  const fits = (candidate: string) => measure(candidate, size) <= width;
  const place = (unit: string) => {
    const joined = line === '' ? unit : `${line}${space ? ' ' : ''}${unit}`;
    space = false;
    if (fits(joined)) {
      line = joined;
      return;
    }
    if (line !== '') lines.push(line);
    line = '';
    if (fits(unit)) {
      line = unit;
      return;
    }
    // A word wider than the line: break it between characters.
    for (const character of unit) {
      if (line !== '' && !fits(line + character)) {
        lines.push(line);
        line = '';
      }
      line += character;
    }
  };
  for (const [unit] of normaliseText(text).matchAll(UNITS)) {
    if (/^\s+$/.test(unit)) space = line !== '';
    else place(unit);
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The lines read back as one text: a space where a line broke at one, none between ideographs. */
export const joinLines = (lines: string[]) =>
  lines.reduce(
    (text, line) =>
      text === ''
        ? line
        : `${text}${breaksAnywhere(text.at(-1) ?? '') || breaksAnywhere(line[0] ?? '') ? '' : ' '}${line}`,
    '',
  );

/** Cuts `text` so that it, with the ellipsis, measures at most `width`. */
function withEllipsis(text: string, width: number, size: number, measure: MeasureText): string {
  const characters = [...text.trimEnd()];
  while (characters.length && measure(`${characters.join('').trimEnd()}${ELLIPSIS}`, size) > width) characters.pop();
  return `${characters.join('').trimEnd()}${ELLIPSIS}`;
}

/**
 * The largest size from `maxSize` down to `minSize` at which the whole text fits the box's lines;
 * at the minimum, the first lines with the last one cut by an ellipsis.
 */
export function fitText(text: string, box: TextBox, measure: MeasureText): FittedText {
  if (box.lines < 1 || box.minSize > box.maxSize || box.minSize < 1)
    throw new RangeError(`a text box needs at least one line and 1 <= minSize <= maxSize`);
  let lines: string[] = [];
  for (let size = box.maxSize; ; size = Math.max(box.minSize, size - 2)) {
    lines = wrapText(text, box.width, size, measure);
    if (lines.length <= box.lines) return { size, lines, truncated: false };
    if (size === box.minSize) break;
  }
  const size = box.minSize;
  const kept = lines.slice(0, box.lines);
  // The cut line takes as much of the rest as fits before the ellipsis.
  const rest = lines.slice(box.lines - 1).join(breaksAnywhere(lines[box.lines]?.[0] ?? '') ? '' : ' ');
  kept[box.lines - 1] = withEllipsis(rest, box.width, size, measure);
  return { size, lines: kept, truncated: true };
}

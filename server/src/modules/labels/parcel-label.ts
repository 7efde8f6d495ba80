import { formatGs1HumanReadable, gs1CheckDigit, isValidSscc, siteTime } from '@wms/contracts';
import {
  breaksAnywhere,
  fitText,
  isLatin1,
  joinLines,
  linePitch,
  type MeasureText,
  type TextBox,
} from './label-text.js';
import { drawTextGraphic, measureLabelText } from './text-graphic.js';

/**
 * The parcel label: a 4×6 in Zebra ZPL II format (203 dpi: 812 × 1218 dots) carrying the parcel's
 * SSCC as GS1-128, the carrier's waybill as Code 128, and the consignee in Chinese or Latin text.
 *
 * Every free-text field has a box (width, lines, font sizes) and is fitted to it (label-text.ts):
 * wrapped (Latin at spaces, Chinese between characters), shrunk to the box's smallest size, then cut
 * with "…" — a field never prints past its box, whatever the input. Text the printer's own fonts
 * cannot print (anything beyond Latin-1) is drawn on the server into a `^GF` graphic
 * (text-graphic.ts), so Chinese prints on any printer; a site whose printers all hold a Chinese font
 * may name it (`cjkFont`, LABEL_CJK_FONT) and get the text as printer text in that font instead.
 *
 * Commands used, from Zebra's "ZPL II Programming Guide" (45541L-004):
 *   - `^CI28`: field data is UTF-8 (Latin-1 letters, and Chinese with a printer font: `^CW`).
 *   - `^GFA,b,t,r,:Z64:…`: a graphic field, r bytes a row, zlib-compressed and base64-encoded.
 *   - `^FX`: a comment that is not printed; the job id goes there so a printer (and the simulator)
 *     can tell a retried job from a new one, and `^FX text:…` before a text graphic says what it
 *     shows (with the `_XX` escapes of `^FH`).
 *   - `^FH_` + `^FD`: in the field data, `_` followed by two hex digits is that byte. `^` and `~` are
 *     command prefixes even inside field data (a `~` command runs on arrival), so free text never
 *     carries them raw: `^` -> `_5E`, `~` -> `_7E`, and `_` itself -> `_5F`.
 *   - `^FBa,b,c,d,e`: a text block a dots wide with at most b lines, c dots added between lines, d
 *     justification. Inside it `\&` is a line break, so a backslash in free text is written `\\`.
 *     The lines are broken here, each measured to fit, so the printer never wraps (nor, past the
 *     b-th line, overprints) on its own.
 *   - `^BCo,h,f,g,e,m` (Code 128): o orientation N, h bar height in dots, f/g interpretation line
 *     below/above (N: we print our own), e UCC mod-10 check digit (N: the SSCC already ends with
 *     its check digit), m mode. In mode N ("no selected mode") the field data carries Zebra's
 *     invocation codes: `>;` Start Code C (digit pairs), `>:` Start Code B, `>8` FNC1. FNC1 right
 *     after the start character is what makes Code 128 a GS1-128 symbol; then "00" is the SSCC's
 *     application identifier. Mode A ("automatic") picks the subsets itself; the waybill uses it.
 */

export interface ParcelLabelInput {
  /** The print job id, written in `^FX job:<id>`. */
  jobId: string;
  /** 18 digits with a valid GS1 check digit. */
  sscc: string;
  /** The carrier's waybill number. */
  logisticsNo: string;
  /** The carrier (logistics enterprise) code, printed beside the waybill. */
  logisticsCode?: string;
  orderNo: string;
  consignee: string;
  consigneeAddress: string;
  /** Integer grams; printed as kilograms with 3 decimals. */
  grossGrams?: number;
  /** The customs inventory (清单) number, once declared. */
  invtNo?: string | null;
  warehouseName: string;
  printedAt: Date;
  /** 0 for the first print; n > 0 prints a REPRINT n marker. */
  reprint?: number;
}

export interface ParcelLabelOptions {
  /**
   * Unset (the default): text beyond Latin-1 is drawn into a `^GF` graphic, for any printer. Set: the
   * printer's font file with Chinese glyphs (the built-in `^A0` has none), e.g. `E:SIMSUN.FNT`,
   * mapped with `^CW`, for sites whose printers all hold it.
   */
  cjkFont?: string;
  /** IANA time zone for the printed time. Default UTC. */
  timeZone?: string;
}

export class ParcelLabelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParcelLabelError';
  }
}

const WIDTH = 812;
const LENGTH = 1218;
const MARGIN = 30;
/** 752 dots: the width of every full-width field. */
const INNER = WIDTH - 2 * MARGIN;
const CJK = 'J';

/** Free text to `^FH_` field data: no raw command prefix can reach the printer. */
function escapeFieldText(text: string): string {
  return (
    text
      // control characters (CR/LF in an address) would end lines or confuse the parser: spaces
      // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/\\/g, '\\\\')
      .replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase()}`)
  );
}

export interface TextBlock {
  x: number;
  y: number;
  /** `^A` font designation and size, e.g. `0N,32,32`. */
  font: string;
  width: number;
  justify?: 'L' | 'C' | 'R';
  /** `^FR`: print white on whatever is already black (a filled box). */
  reverse?: boolean;
}

/** One line of fixed text in a printer font, with hex escapes. */
export function text(block: TextBlock, value: string): string {
  const { x, y, font, width, justify = 'L', reverse = false } = block;
  return `^FO${x},${y}${reverse ? '^FR' : ''}^A${font}^FB${width},1,0,${justify},0^FH_^FD${escapeFieldText(value)}^FS`;
}

/** A field's place on the label: text fitted to `width` × `lines` at `maxSize` down to `minSize` dots high. */
export interface FieldBox extends TextBox {
  x: number;
  y: number;
  justify?: 'L' | 'C' | 'R';
}

const PRINTER_TEXT_INSET = 2;

/** The printer-font (Chinese font file) measure: an ideograph is as wide as the font is high. */
const printerCjkMeasure: MeasureText = (value, size) =>
  [...value].reduce((sum, c) => sum + (breaksAnywhere(c) ? size : Math.max(size / 2, measureLabelText(c, size))), 0);

/**
 * One free-text field fitted to its box: Latin-1 in the printer's font `^A0` (measured with the
 * label font, which is wider than the printer's condensed one), anything else as a graphic, or in
 * the printer's Chinese font when one is named. Lines are broken here and joined with `\&`.
 */
export function field(box: FieldBox, value: string, cjkFont: string | undefined): string {
  const { x, y, width, justify = 'L' } = box;
  const measure = cjkFont && !isLatin1(value) ? printerCjkMeasure : measureLabelText;
  const fitted = fitText(value, box, measure);
  const printed = joinLines(fitted.lines);
  if (isLatin1(printed) || cjkFont) {
    const font = isLatin1(printed) ? '0' : CJK;
    const data = fitted.lines.map(escapeFieldText).join('\\&');
    const spacing = linePitch(fitted.size) - fitted.size;
    // Printer glyphs may reach a dot above the field origin: start them inside the box (spacing >= 2).
    return `^FO${x},${y + PRINTER_TEXT_INSET}^A${font}N,${fitted.size},${fitted.size}^FB${width},${fitted.lines.length},${spacing},${justify},0^FH_^FD${data}^FS`;
  }
  const graphic = drawTextGraphic(fitted.lines, fitted.size, width, justify);
  // The comment says what the graphic shows, for whoever reads the job (and the simulator's reader).
  const shown = printed.replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `^FX text:${shown}^FS^FO${x},${y}${graphic.field}^FS`;
}

/**
 * Where each free-text field goes and how much of it fits: the longest consignee that prints whole
 * is 26 ideographs (one line at 28 dots) or two lines of Latin; an address gets four lines.
 * Widths are multiples of 8 (a `^GF` row is whole bytes).
 */
export const PARCEL_LABEL_BOXES = {
  warehouse: { x: MARGIN, y: 28, width: INNER, lines: 1, maxSize: 36, minSize: 24 },
  warehouseBesideReprint: { x: MARGIN, y: 28, width: 496, lines: 1, maxSize: 36, minSize: 24 },
  printed: { x: MARGIN, y: 74, width: 496, lines: 1, maxSize: 24, minSize: 20 },
  consignee: { x: MARGIN, y: 156, width: INNER, lines: 2, maxSize: 44, minSize: 28 },
  address: { x: MARGIN, y: 270, width: INNER, lines: 4, maxSize: 32, minSize: 24 },
  orderNo: { x: MARGIN, y: 446, width: INNER, lines: 1, maxSize: 32, minSize: 22 },
  weight: { x: MARGIN, y: 486, width: INNER, lines: 1, maxSize: 32, minSize: 22 },
  invtNo: { x: MARGIN, y: 526, width: INNER, lines: 1, maxSize: 32, minSize: 22 },
  carrier: { x: MARGIN, y: 582, width: INNER, lines: 1, maxSize: 26, minSize: 20 },
} satisfies Record<string, FieldBox>;

const rule = (y: number) => `^FO${MARGIN},${y}^GB${INNER},3,3^FS`;

function requireText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ParcelLabelError(`parcel label: ${field} is required`);
  if ([...value].length > max)
    throw new ParcelLabelError(`parcel label: ${field} is ${[...value].length} characters, at most ${max} fit`);
  return value.trim();
}

/** Absent, null or blank means "not given". */
const optionalText = (field: string, value: string | null | undefined, max: number) =>
  value == null || value.trim() === '' ? undefined : requireText(field, value, max);

function checkSscc(sscc: unknown): string {
  if (typeof sscc !== 'string' || !/^\d{18}$/.test(sscc))
    throw new ParcelLabelError(`parcel label: SSCC must be 18 digits, got "${String(sscc)}"`);
  if (!isValidSscc(sscc))
    throw new ParcelLabelError(
      `parcel label: SSCC ${sscc} has check digit ${sscc.at(-1)}, expected ${gs1CheckDigit(sscc.slice(0, 17))}`,
    );
  return sscc;
}

// Code 128 subset B, the widest case: start + data + check symbols of 11 modules, stop of 13.
const code128Modules = (characters: number) => 11 * (characters + 2) + 13;
const WAYBILL_X = 40;
/** The widest module (dots) at which the waybill, with a 10-module quiet zone after it (ISO/IEC 15417), fits. */
const waybillModule = (characters: number) => (WAYBILL_X + (code128Modules(characters) + 10) * 3 <= WIDTH ? 3 : 2);

function checkWaybill(logisticsNo: unknown): string {
  // 30 characters at 2 dots a module is the most that fits the label's width.
  const waybill = requireText('waybill number (logisticsNo)', logisticsNo, 30);
  // Letters, digits and dashes only: no `>` (a Code 128 invocation code), `^` or `~` in barcode data.
  if (!/^[A-Za-z0-9-]+$/.test(waybill))
    throw new ParcelLabelError(
      `parcel label: waybill number "${waybill}" may only hold letters, digits and "-" to go into a barcode`,
    );
  return waybill;
}

function kilograms(grams: number): string {
  if (!Number.isSafeInteger(grams) || grams < 0)
    throw new ParcelLabelError(`parcel label: gross weight must be whole grams, 0 or more, got ${grams}`);
  return `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')} kg`;
}

/** The site's clock as a worker reads it (contracts' `siteTime`), refusing a bad date or zone by name. */
function printedTime(at: Date, timeZone: string): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new ParcelLabelError('parcel label: printedAt is not a valid date');
  try {
    return siteTime(at, timeZone);
  } catch {
    throw new ParcelLabelError(`parcel label: unknown time zone "${timeZone}"`);
  }
}

/** The ZPL II for one parcel label; throws ParcelLabelError naming the bad input. */
export function buildParcelLabelZpl(input: ParcelLabelInput, options: ParcelLabelOptions = {}): string {
  const jobId = requireText('jobId', input.jobId, 64);
  // `^FX` takes no hex escapes, and a reader takes the id up to the next blank or command prefix.
  if (!/^[A-Za-z0-9._:-]+$/.test(jobId))
    throw new ParcelLabelError(`parcel label: jobId "${jobId}" may only hold letters, digits and . _ : -`);
  const sscc = checkSscc(input.sscc);
  const waybill = checkWaybill(input.logisticsNo);
  const carrier = optionalText('carrier code (logisticsCode)', input.logisticsCode, 30);
  const orderNo = requireText('order number', input.orderNo, 60);
  // The customs order's limits (trade-documents.schemas.ts, CEB buyerName C60, consigneeAddress
  // C200): the longest of each is fitted to its box, so a declared order always gets its label.
  const consignee = requireText('consignee', input.consignee, 60);
  const address = requireText('consignee address', input.consigneeAddress, 200);
  // master data takes warehouse names of up to 100 characters (masterdata.schemas.ts): fitted to one line
  const warehouse = requireText('warehouse name', input.warehouseName, 100);
  const invtNo = optionalText('customs inventory number (invtNo)', input.invtNo, 40);
  const weight = input.grossGrams === undefined ? undefined : kilograms(input.grossGrams);
  const reprint = input.reprint ?? 0;
  if (!Number.isSafeInteger(reprint) || reprint < 0)
    throw new ParcelLabelError(`parcel label: reprint must be a whole number, 0 or more, got ${reprint}`);
  const cjkFont = options.cjkFont;
  if (cjkFont !== undefined && !/^[A-Z]:[A-Za-z0-9_]{1,16}\.(FNT|TTF|TTE)$/i.test(cjkFont))
    throw new ParcelLabelError(`parcel label: font "${cjkFont}" is not a printer font file like E:SIMSUN.FNT`);
  const time = printedTime(input.printedAt, options.timeZone ?? 'UTC');

  // 0.5 mm X-dimension at 203 dpi (4 dots) and 31.75 mm (254 dots) bars: the GS1 logistic label
  // minimums for an SSCC. Start C + FNC1 + 10 digit pairs + check + stop = 156 modules = 624 dots.
  const ssccX = Math.round((WIDTH - 156 * 4) / 2);

  const box = PARCEL_LABEL_BOXES;
  const lines: string[] = ['^XA', `^FX job:${jobId}^FS`, '^CI28', `^PW${WIDTH}`, `^LL${LENGTH}`, '^LH0,0'];
  if (cjkFont) lines.push(`^CW${CJK},${cjkFont}`);
  lines.push(
    field(reprint > 0 ? box.warehouseBesideReprint : box.warehouse, warehouse, cjkFont),
    field(box.printed, `Printed ${time}`, cjkFont),
  );
  if (reprint > 0) {
    // White on black (^FR over a filled box): a reprint is told apart from across the bench.
    const x = WIDTH - MARGIN - 230;
    lines.push(
      `^FO${x},20^GB230,80,80^FS`,
      text({ x, y: 40, font: '0N,44,40', width: 230, justify: 'C', reverse: true }, `REPRINT ${reprint}`),
    );
  }
  lines.push(
    rule(110),
    text({ x: MARGIN, y: 122, font: '0N,26,26', width: INNER }, 'SHIP TO'),
    field(box.consignee, consignee, cjkFont),
    field(box.address, address, cjkFont),
    rule(436),
    field(box.orderNo, `Order: ${orderNo}`, cjkFont),
  );
  if (weight) lines.push(field(box.weight, `Gross weight: ${weight}`, cjkFont));
  if (invtNo) lines.push(field(box.invtNo, `Customs inventory: ${invtNo}`, cjkFont));
  lines.push(
    rule(572),
    field(box.carrier, carrier ? `WAYBILL  Carrier: ${carrier}` : 'WAYBILL', cjkFont),
    // Code 128, automatic subsets (mode A); the number is printed below by us.
    `^FO${WAYBILL_X},616^BY${waybillModule(waybill.length)}^BCN,130,N,N,N,A^FD${waybill}^FS`,
    text({ x: MARGIN, y: 754, font: '0N,36,36', width: INNER, justify: 'C' }, waybill),
    rule(802),
    text({ x: MARGIN, y: 814, font: '0N,26,26', width: INNER }, 'SSCC'),
    // GS1-128: Start C (`>;`), FNC1 (`>8`), AI 00 and the 18 SSCC digits as 10 digit pairs.
    `^FO${ssccX},848^BY4^BCN,254,N,N,N,N^FD>;>800${sscc}^FS`,
    text(
      { x: MARGIN, y: 1114, font: '0N,44,44', width: INNER, justify: 'C' },
      formatGs1HumanReadable([{ ai: '00', value: sscc }]),
    ),
    '^XZ',
  );
  return lines.join('\n');
}

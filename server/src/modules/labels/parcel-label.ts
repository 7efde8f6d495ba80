import { formatGs1HumanReadable, gs1CheckDigit, isValidSscc } from '@wms/contracts';

/**
 * The parcel label: a 4×6 in Zebra ZPL II format (203 dpi: 812 × 1218 dots) carrying the parcel's
 * SSCC as GS1-128, the carrier's waybill as Code 128, and the consignee in Chinese or Latin text.
 *
 * Commands used, from Zebra's "ZPL II Programming Guide" (45541L-004):
 *   - `^CI28`: field data is UTF-8, so Chinese names print (with a font that has the glyphs: `^CW`).
 *   - `^FX`: a comment that is not printed; the job id goes there so a printer (and the simulator)
 *     can tell a retried job from a new one.
 *   - `^FH_` + `^FD`: in the field data, `_` followed by two hex digits is that byte. `^` and `~` are
 *     command prefixes even inside field data (a `~` command runs on arrival), so free text never
 *     carries them raw: `^` -> `_5E`, `~` -> `_7E`, and `_` itself -> `_5F`.
 *   - `^FBa,b,c,d,e`: a text block a dots wide with at most b lines (word wrap). Inside it `\&` is a
 *     line break, so a backslash in free text is written `\\`.
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
   * The printer's font file with Chinese glyphs (the built-in `^A0` has none), mapped with `^CW`.
   * Default `E:SIMSUN.FNT`; set the file the printers actually hold.
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

interface TextBlock {
  x: number;
  y: number;
  /** `^A` font designation and size, e.g. `0N,32,32` or `JN,40,40`. */
  font: string;
  width: number;
  lines?: number;
  justify?: 'L' | 'C' | 'R';
  /** `^FR`: print white on whatever is already black (a filled box). */
  reverse?: boolean;
}

/** One text field: always a word-wrapped block with hex escapes, so free text is never raw ZPL. */
function text(block: TextBlock, value: string): string {
  const { x, y, font, width, lines = 1, justify = 'L', reverse = false } = block;
  return `^FO${x},${y}${reverse ? '^FR' : ''}^A${font}^FB${width},${lines},0,${justify},0^FH_^FD${escapeFieldText(value)}^FS`;
}

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

function printedTime(at: Date, timeZone: string): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new ParcelLabelError('parcel label: printedAt is not a valid date');
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
  } catch {
    throw new ParcelLabelError(`parcel label: unknown time zone "${timeZone}"`);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${timeZone}`;
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
  const consignee = requireText('consignee', input.consignee, 60);
  const address = requireText('consignee address', input.consigneeAddress, 200);
  const warehouse = requireText('warehouse name', input.warehouseName, 60);
  const invtNo = optionalText('customs inventory number (invtNo)', input.invtNo, 40);
  const weight = input.grossGrams === undefined ? undefined : kilograms(input.grossGrams);
  const reprint = input.reprint ?? 0;
  if (!Number.isSafeInteger(reprint) || reprint < 0)
    throw new ParcelLabelError(`parcel label: reprint must be a whole number, 0 or more, got ${reprint}`);
  const cjkFont = options.cjkFont ?? 'E:SIMSUN.FNT';
  if (!/^[A-Z]:[A-Za-z0-9_]{1,16}\.(FNT|TTF|TTE)$/i.test(cjkFont))
    throw new ParcelLabelError(`parcel label: font "${cjkFont}" is not a printer font file like E:SIMSUN.FNT`);
  const time = printedTime(input.printedAt, options.timeZone ?? 'UTC');

  // 0.5 mm X-dimension at 203 dpi (4 dots) and 31.75 mm (254 dots) bars: the GS1 logistic label
  // minimums for an SSCC. Start C + FNC1 + 10 digit pairs + check + stop = 156 modules = 624 dots.
  const ssccX = Math.round((WIDTH - 156 * 4) / 2);

  const lines: string[] = [
    '^XA',
    `^FX job:${jobId}^FS`,
    '^CI28',
    `^PW${WIDTH}`,
    `^LL${LENGTH}`,
    '^LH0,0',
    `^CW${CJK},${cjkFont}`,
    text({ x: MARGIN, y: 30, font: `${CJK}N,36,36`, width: reprint > 0 ? 500 : INNER }, warehouse),
    text({ x: MARGIN, y: 74, font: '0N,24,24', width: 500 }, `Printed ${time}`),
  ];
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
    text({ x: MARGIN, y: 125, font: '0N,26,26', width: INNER }, 'SHIP TO'),
    text({ x: MARGIN, y: 158, font: `${CJK}N,44,44`, width: INNER }, consignee),
    text({ x: MARGIN, y: 212, font: `${CJK}N,32,32`, width: INNER, lines: 4 }, address),
    rule(350),
    text({ x: MARGIN, y: 365, font: '0N,32,32', width: INNER }, `Order: ${orderNo}`),
  );
  if (weight) lines.push(text({ x: MARGIN, y: 405, font: '0N,32,32', width: INNER }, `Gross weight: ${weight}`));
  if (invtNo) lines.push(text({ x: MARGIN, y: 445, font: '0N,32,32', width: INNER }, `Customs inventory: ${invtNo}`));
  lines.push(
    rule(490),
    text({ x: MARGIN, y: 505, font: '0N,26,26', width: INNER }, carrier ? `WAYBILL  Carrier: ${carrier}` : 'WAYBILL'),
    // Code 128, automatic subsets (mode A); the number is printed below by us.
    `^FO${WAYBILL_X},540^BY${waybillModule(waybill.length)}^BCN,130,N,N,N,A^FD${waybill}^FS`,
    text({ x: MARGIN, y: 680, font: '0N,36,36', width: INNER, justify: 'C' }, waybill),
    rule(730),
    text({ x: MARGIN, y: 745, font: '0N,26,26', width: INNER }, 'SSCC'),
    // GS1-128: Start C (`>;`), FNC1 (`>8`), AI 00 and the 18 SSCC digits as 10 digit pairs.
    `^FO${ssccX},780^BY4^BCN,254,N,N,N,N^FD>;>800${sscc}^FS`,
    text(
      { x: MARGIN, y: 1050, font: '0N,44,44', width: INNER, justify: 'C' },
      formatGs1HumanReadable([{ ai: '00', value: sscc }]),
    ),
    '^XZ',
  );
  return lines.join('\n');
}

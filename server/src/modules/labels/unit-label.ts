import { formatGs1HumanReadable, gs1CheckDigit, isValidSscc, siteTime } from '@wms/contracts';
import { type FieldBox, field, text } from './parcel-label.js';

/**
 * The logistic label of a bag or pallet (a handling unit): 4×6 in ZPL II at 203 dpi (812 × 1218
 * dots), like the parcel label, after the GS1 Logistic Label Guideline: the SSCC (AI 00) as
 * GS1-128 at the bottom, at 0.5 mm X (4 dots) and 31.75 mm bars (254 dots), its human-readable
 * "(00) …" under it; above it, in a second GS1-128 symbol when known, the gross weight (AI 330n,
 * kg with n decimals, a logistic measure of the unit). Text: the kind (BAG 袋 / PALLET 托盘), the
 * warehouse, the destination (the trip's vehicle once the unit is on one, else the warehouse's
 * gate), the contents count and weight, and when the unit was created, in the warehouse's time.
 *
 * The contents count is printed as text but not encoded as AI 37: GS1 allows AI 37 only together
 * with AI 02 (the GTIN of identical trade items contained), and a bag of parcels holds different
 * orders. Free text is fitted to its box and Chinese drawn as `^GF` graphics as on the parcel label
 * (parcel-label.ts `field`).
 */

export interface UnitLabelInput {
  /** The print job id, written in `^FX job:<id>`. */
  jobId: string;
  /** 18 digits with a valid GS1 check digit. */
  sscc: string;
  kind: 'bag' | 'pallet';
  warehouseName: string;
  /** Where the unit goes: the trip and vehicle, or the warehouse's gate. */
  destination: string;
  /** Parcels inside, when counted (a reprint after loading); absent on a new, empty unit. */
  parcels?: number;
  /** Integer grams, parcels as weighed plus the bag or pallet; absent when not every parcel was weighed. */
  grossGrams?: number;
  /** When the unit was created (a reprint shows the same time; REPRINT n tells it apart). */
  createdAt: Date;
  /** 0 for the first print; n > 0 prints a REPRINT n marker. */
  reprint?: number;
}

export interface UnitLabelOptions {
  /** As for the parcel label: a printer font with Chinese glyphs, else Chinese is drawn as graphics. */
  cjkFont?: string;
  /** IANA time zone of the warehouse. Default Asia/Shanghai. */
  timeZone?: string;
}

export class UnitLabelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnitLabelError';
  }
}

const WIDTH = 812;
const LENGTH = 1218;
const MARGIN = 30;
const INNER = WIDTH - 2 * MARGIN;

/** Where each text field goes; widths are multiples of 8 (a `^GF` row is whole bytes). */
export const UNIT_LABEL_BOXES = {
  warehouse: { x: MARGIN, y: 28, width: INNER, lines: 1, maxSize: 36, minSize: 24 },
  warehouseBesideReprint: { x: MARGIN, y: 28, width: 496, lines: 1, maxSize: 36, minSize: 24 },
  created: { x: MARGIN, y: 74, width: 496, lines: 1, maxSize: 24, minSize: 20 },
  kind: { x: MARGIN, y: 122, width: INNER, lines: 1, maxSize: 72, minSize: 56 },
  destination: { x: MARGIN, y: 262, width: INNER, lines: 2, maxSize: 40, minSize: 28 },
  contents: { x: MARGIN, y: 386, width: INNER, lines: 1, maxSize: 36, minSize: 24 },
  weight: { x: MARGIN, y: 436, width: INNER, lines: 1, maxSize: 36, minSize: 24 },
} satisfies Record<string, FieldBox>;

export const UNIT_KIND_TEXT = { bag: 'BAG 袋', pallet: 'PALLET 托盘' } as const;

const rule = (y: number) => `^FO${MARGIN},${y}^GB${INNER},3,3^FS`;

function requireText(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UnitLabelError(`unit label: ${name} is required`);
  if ([...value].length > max)
    throw new UnitLabelError(`unit label: ${name} is ${[...value].length} characters, at most ${max} fit`);
  return value.trim();
}

function checkSscc(sscc: unknown): string {
  if (typeof sscc !== 'string' || !/^\d{18}$/.test(sscc))
    throw new UnitLabelError(`unit label: SSCC must be 18 digits, got "${String(sscc)}"`);
  if (!isValidSscc(sscc))
    throw new UnitLabelError(
      `unit label: SSCC ${sscc} has check digit ${sscc.at(-1)}, expected ${gs1CheckDigit(sscc.slice(0, 17))}`,
    );
  return sscc;
}

function wholeNumber(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new UnitLabelError(`unit label: ${name} must be a whole number, 0 or more, got ${value}`);
  return value;
}

/**
 * AI 330n: gross weight in kg with n decimals in 6 digits. The most decimals that hold the weight
 * (n = 3 up to 999.999 kg, a heavier pallet in 10 g, then 100 g steps, rounded).
 */
export function grossWeightElement(grams: number): { ai: string; value: string } {
  for (let decimals = 3; decimals >= 0; decimals--) {
    const value = Math.round(grams / 10 ** (3 - decimals));
    if (value <= 999_999) return { ai: `330${decimals}`, value: String(value).padStart(6, '0') };
  }
  throw new UnitLabelError(`unit label: gross weight ${grams} g is beyond what AI 330n can carry (999,999 kg)`);
}

const kilograms = (grams: number) => `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')} kg`;

/** The site's clock as a worker reads it (contracts' `siteTime`), refusing a bad date or zone by name. */
function localTime(at: Date, timeZone: string): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new UnitLabelError('unit label: createdAt is not a valid date');
  try {
    return siteTime(at, timeZone);
  } catch {
    throw new UnitLabelError(`unit label: unknown time zone "${timeZone}"`);
  }
}

/** Code 128 modules of a subset C symbol with FNC1: start, FNC1, digit pairs, check, stop. */
const gs1Modules = (digits: number) => 11 * (2 + digits / 2 + 1) + 13;
const X = 4;

/** One GS1-128 symbol (Start C, FNC1, the element strings' digits) centred, with its text under it. */
function gs1Symbol(y: number, elements: Array<{ ai: string; value: string }>, textSize: number): string[] {
  const digits = elements.map((e) => e.ai + e.value).join('');
  const x = Math.round((WIDTH - gs1Modules(digits.length) * X) / 2);
  return [
    `^FO${x},${y}^BY${X}^BCN,254,N,N,N,N^FD>;>8${digits}^FS`,
    text(
      { x: MARGIN, y: y + 264, font: `0N,${textSize},${textSize}`, width: INNER, justify: 'C' },
      formatGs1HumanReadable(elements),
    ),
  ];
}

/** The ZPL II of one bag or pallet label; throws UnitLabelError naming the bad input. */
export function buildUnitLabelZpl(input: UnitLabelInput, options: UnitLabelOptions = {}): string {
  const jobId = requireText('jobId', input.jobId, 64);
  if (!/^[A-Za-z0-9._:-]+$/.test(jobId))
    throw new UnitLabelError(`unit label: jobId "${jobId}" may only hold letters, digits and . _ : -`);
  const sscc = checkSscc(input.sscc);
  if (input.kind !== 'bag' && input.kind !== 'pallet')
    throw new UnitLabelError(`unit label: kind must be bag or pallet, got "${String(input.kind)}"`);
  // as long as master data takes them (warehouse names up to 100), fitted to their boxes
  const warehouse = requireText('warehouse name', input.warehouseName, 100);
  const destination = requireText('destination', input.destination, 200);
  const parcels = wholeNumber('parcel count', input.parcels);
  const grams = wholeNumber('gross weight (grams)', input.grossGrams);
  const reprint = wholeNumber('reprint', input.reprint) ?? 0;
  const weightElement = grams === undefined ? undefined : grossWeightElement(grams);
  const cjkFont = options.cjkFont;
  if (cjkFont !== undefined && !/^[A-Z]:[A-Za-z0-9_]{1,16}\.(FNT|TTF|TTE)$/i.test(cjkFont))
    throw new UnitLabelError(`unit label: font "${cjkFont}" is not a printer font file like E:SIMSUN.FNT`);
  const time = localTime(input.createdAt, options.timeZone ?? 'Asia/Shanghai');

  const box = UNIT_LABEL_BOXES;
  const lines: string[] = ['^XA', `^FX job:${jobId}^FS`, '^CI28', `^PW${WIDTH}`, `^LL${LENGTH}`, '^LH0,0'];
  if (cjkFont) lines.push(`^CWJ,${cjkFont}`);
  lines.push(
    field(reprint > 0 ? box.warehouseBesideReprint : box.warehouse, warehouse, cjkFont),
    field(box.created, `Created ${time}`, cjkFont),
  );
  if (reprint > 0) {
    const x = WIDTH - MARGIN - 230;
    lines.push(
      `^FO${x},20^GB230,80,80^FS`,
      text({ x, y: 40, font: '0N,44,40', width: 230, justify: 'C', reverse: true }, `REPRINT ${reprint}`),
    );
  }
  lines.push(
    rule(110),
    field(box.kind, UNIT_KIND_TEXT[input.kind], cjkFont),
    rule(218),
    text({ x: MARGIN, y: 230, font: '0N,26,26', width: INNER }, 'DESTINATION'),
    field(box.destination, destination, cjkFont),
    rule(372),
  );
  if (parcels !== undefined)
    lines.push(field(box.contents, `Contents 件数: ${parcels} parcel${parcels === 1 ? '' : 's'}`, cjkFont));
  if (grams !== undefined) lines.push(field(box.weight, `Gross weight 毛重: ${kilograms(grams)}`, cjkFont));
  lines.push(rule(492));
  // the weight as a GS1-128 symbol of its own, so the SSCC symbol stays the standard one
  if (weightElement) lines.push(...gs1Symbol(506, [weightElement], 36));
  lines.push(
    rule(826),
    text({ x: MARGIN, y: 836, font: '0N,26,26', width: INNER }, 'SSCC'),
    ...gs1Symbol(870, [{ ai: '00', value: sscc }], 44),
    '^XZ',
  );
  return lines.join('\n');
}

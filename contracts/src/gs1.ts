/**
 * GS1 element strings (GS1 General Specifications §3 and §7.8): application identifiers followed
 * by their data; a variable-length field ends with FNC1, which scanners send as GS (0x1D).
 * Pure string logic shared by the edge agent (decoding scans) and the server (printing labels).
 */
import { checkPairings, type Gs1Error, readElementString } from './gs1/element-string.js';
import { gs1Century } from './gs1/linters.js';

export const GS = '\u001d';

export interface Gs1Element {
  ai: string;
  value: string;
  /** GS1's title of the AI, from the Barcode Syntax Dictionary (e.g. `GROSS WEIGHT (kg)`). */
  title?: string;
}

/** A measure or amount with its implied decimal point applied (AIs 31nn-36nn, 392n, 393n, 394n, 395n). */
export interface Gs1Measure {
  ai: string;
  title: string;
  /** Decimal text, e.g. `12.34`; for 393n the ISO 4217 currency is in `currency`. */
  amount: string;
  currency?: string;
}

export interface Gs1Data {
  /** Every element read, in order, whether the floor acts on it or not. */
  elements: Gs1Element[];
  sscc?: string;
  gtin?: string;
  /** AI 02: GTIN of the trade items contained in a logistic unit (with AI 37 their count). */
  contentGtin?: string;
  batch?: string;
  serial?: string;
  /** AI 11, ISO date; `YYYY-MM` when the day is 00 (GS1: day not given, not month-end). */
  productionDate?: string;
  bestBefore?: string;
  expiry?: string;
  /** AI 37 (count of trade items in a logistic unit) or AI 30 (variable count). */
  count?: number;
  /** AI 310n: net weight converted to integer grams. */
  netWeightGrams?: number;
  /** AI 330n: logistic gross weight converted to integer grams. */
  grossWeightGrams?: number;
  measures: Gs1Measure[];
  customerPo?: string;
  shipToPostalCode?: string;
  productUrl?: string;
}

export type { Gs1Error, Gs1ErrorKind } from './gs1/element-string.js';

export type Gs1Result = { ok: true; data: Gs1Data } | { ok: false; errors: Gs1Error[]; data?: Gs1Data };

export interface ParseGs1Options {
  /**
   * Elements read from the item's other carriers: GS1 evaluates mandatory and invalid pairings
   * over the combined data of every carrier marking one item.
   */
  alsoOnItem?: Gs1Element[];
  /** Check the mandatory associations (`req=`); GS1's engine does by default. */
  requisites?: boolean;
}

/**
 * GS1 mod-10 check digit (GS1 General Specifications §7.9.1) of `digitsWithoutCheck`: from the
 * right, digits are weighted 3, 1, 3, 1, …; the check digit brings the sum to a multiple of ten.
 */
export function gs1CheckDigit(digitsWithoutCheck: string): string {
  if (!/^\d+$/.test(digitsWithoutCheck))
    throw new Error(`a GS1 check digit is computed over digits only, got "${digitsWithoutCheck}"`);
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const d = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** True when `code` is all digits and its last digit is the GS1 check digit of the rest. */
export function isValidGs1Check(code: string): boolean {
  return /^\d{2,}$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === code.at(-1);
}

export const isValidSscc = (value: string) => value.length === 18 && isValidGs1Check(value);
export const isValidGtin = (value: string) => [8, 12, 13, 14].includes(value.length) && isValidGs1Check(value);

export interface SsccParts {
  /** 0-9, chosen by the company to extend the serial range (GS1 General Specifications §2.2.1). */
  extensionDigit: number;
  /** The GS1 company prefix, 7 to 10 digits. */
  companyPrefix: string;
  /** The serial reference; it fills the digits the company prefix leaves (16 - prefix length). */
  serial: number | bigint;
}

/** An SSCC: extension digit + company prefix + zero-padded serial reference (17 digits) + check digit. */
export function buildSscc({ extensionDigit, companyPrefix, serial }: SsccParts): string {
  if (!Number.isInteger(extensionDigit) || extensionDigit < 0 || extensionDigit > 9)
    throw new Error(`SSCC extension digit must be a single digit 0-9, got ${extensionDigit}`);
  if (!/^\d{7,10}$/.test(companyPrefix))
    throw new Error(`SSCC company prefix must be 7 to 10 digits, got "${companyPrefix}"`);
  if (typeof serial === 'number' && !Number.isSafeInteger(serial))
    throw new Error(`SSCC serial reference must be a whole number, got ${serial}`);
  if (serial < 0) throw new Error(`SSCC serial reference must not be negative, got ${serial}`);
  const serialDigits = 16 - companyPrefix.length;
  const serialText = serial.toString();
  if (serialText.length > serialDigits)
    throw new Error(
      `SSCC serial reference ${serialText} does not fit: company prefix ${companyPrefix} leaves ${serialDigits} digits (at most ${'9'.repeat(serialDigits)})`,
    );
  const withoutCheck = `${extensionDigit}${companyPrefix}${serialText.padStart(serialDigits, '0')}`;
  return withoutCheck + gs1CheckDigit(withoutCheck);
}

/** The human-readable interpretation: each AI in parentheses before its data, e.g. `(00) 306901234000000019`. */
export function formatGs1HumanReadable(elements: Array<{ ai: string; value: string }>): string {
  return elements
    .map(({ ai, value }) => {
      if (!/^\d{2,4}$/.test(ai)) throw new Error(`a GS1 application identifier is 2 to 4 digits, got "${ai}"`);
      return `(${ai}) ${value}`;
    })
    .join(' ');
}

/**
 * YYMMDD to ISO date, century by GS1 §7.12. Day 00: for the expiry-type dates (15, 16, 17) the
 * month's last day (`dayZero: 'month-end'`, GS1 General Specifications §3.4); for the others
 * (11 production, 12 due, 13 packaging) the day is simply not given: `YYYY-MM` (`dayZero: 'month'`).
 */
export function gs1Date(yymmdd: string, now = new Date(), dayZero: 'month-end' | 'month' = 'month-end'): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const year = gs1Century(Number(yymmdd.slice(0, 2)), now);
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const ym = `${year}-${String(month).padStart(2, '0')}`;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day === 0) {
    if (dayZero === 'month') return ym;
    day = lastDay;
  }
  if (day > lastDay) return null;
  return `${ym}-${String(day).padStart(2, '0')}`;
}

/** Kilograms with `decimals` implied decimals (AI 310n, 330n) to integer grams, exactly. */
function kilogramsToGrams(digits: string, decimals: number): number {
  const units = BigInt(digits);
  // grams = units * 1000 / 10^decimals; round half up when decimals > 3
  const scale = 10n ** BigInt(decimals);
  const thousandths = units * 1000n;
  const grams = (thousandths * 2n + scale) / (2n * scale);
  return Number(grams);
}

function withDecimals(digits: string, decimals: number): string {
  const padded = digits.padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals).replace(/^0+(?=\d)/, '');
  return decimals ? `${whole}.${padded.slice(-decimals)}` : whole;
}

/** The implied-decimal measure of an AI of the 31nn-36nn, 392n-395n families, or null. */
function measureOf(element: Gs1Element, title: string): Gs1Measure | null {
  const { ai, value } = element;
  if (/^3[1-6]\d\d$/.test(ai) || /^39[245]\d$/.test(ai))
    return { ai, title, amount: withDecimals(value, Number(ai[3])) };
  if (/^393\d$/.test(ai))
    return { ai, title, currency: value.slice(0, 3), amount: withDecimals(value.slice(3), Number(ai[3])) };
  return null;
}

/**
 * Reads and validates a GS1 element string by GS1's Barcode Syntax Dictionary (every AI; check
 * digits, dates, lengths, character sets, FNC1, pairings). A refused string gets GS1's reason:
 * which AI and which rule. `data` is given with the errors when the syntax was read and only a
 * pairing failed.
 */
export function parseGs1(
  input: string,
  now: Date | ParseGs1Options = new Date(),
  options: ParseGs1Options = {},
): Gs1Result {
  if (!(now instanceof Date)) {
    options = now;
    now = new Date();
  }
  const text = input.startsWith(GS) ? input.slice(1) : input;
  const read = readElementString(text, now);
  if (read.errors.length) return { ok: false, errors: read.errors };
  const elements: Gs1Element[] = read.elements;
  const data: Gs1Data = { elements, measures: [] };
  for (const element of read.elements) {
    const { ai, value } = element;
    const measure = measureOf(element, element.title);
    if (measure) data.measures.push(measure);
    switch (ai) {
      case '00':
        data.sscc = value;
        break;
      case '01':
        data.gtin = value;
        break;
      case '02':
        data.contentGtin = value;
        break;
      case '10':
        data.batch = value;
        break;
      case '11':
        data.productionDate = gs1Date(value, now, 'month')!;
        break;
      case '15':
        data.bestBefore = gs1Date(value, now, 'month-end')!;
        break;
      case '17':
        data.expiry = gs1Date(value, now, 'month-end')!;
        break;
      case '21':
        data.serial = value;
        break;
      case '30':
      case '37':
        data.count = Number(value);
        break;
      case '400':
        data.customerPo = value;
        break;
      case '420':
        data.shipToPostalCode = value;
        break;
      case '8200':
        data.productUrl = value;
        break;
      default:
        if (ai.startsWith('310')) data.netWeightGrams = kilogramsToGrams(value, Number(ai[3]));
        if (ai.startsWith('330')) data.grossWeightGrams = kilogramsToGrams(value, Number(ai[3]));
    }
  }
  const combined = [...read.elements, ...(options.alsoOnItem ?? []).map((e) => ({ ...e, title: e.title ?? '' }))];
  const pairing = checkPairings(combined).filter((e) => options.requisites !== false || e.kind !== 'missing-pairing');
  return pairing.length ? { ok: false, errors: pairing, data } : { ok: true, data };
}

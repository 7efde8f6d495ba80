/**
 * GS1 element strings (GS1 General Specifications §3 and §7.8): application identifiers followed
 * by their data; a variable-length field ends with FNC1, which scanners send as GS (0x1D).
 * Pure string logic shared by the edge agent (decoding scans) and the server (printing labels).
 */
export const GS = '\u001d';

export interface Gs1Element {
  ai: string;
  value: string;
}

export interface Gs1Data {
  elements: Gs1Element[];
  sscc?: string;
  gtin?: string;
  contentGtin?: string;
  batch?: string;
  serial?: string;
  productionDate?: string;
  bestBefore?: string;
  expiry?: string;
  count?: number;
  /** AI 310n: net weight converted to integer grams. */
  netWeightGrams?: number;
  customerPo?: string;
  shipToPostalCode?: string;
}

export type Gs1Result =
  | { ok: true; data: Gs1Data }
  | { ok: false; errors: Array<{ ai?: string; position: number; message: string }> };

type AiSpec = { length: number; fixed: boolean; numeric: boolean; check?: boolean; date?: boolean; name: string };

// Predefined-length AIs need no separator (GS1 General Specifications, figure 7.8.5-2).
const AIS: Record<string, AiSpec> = {
  '00': { length: 18, fixed: true, numeric: true, check: true, name: 'SSCC' },
  '01': { length: 14, fixed: true, numeric: true, check: true, name: 'GTIN' },
  '02': { length: 14, fixed: true, numeric: true, check: true, name: 'GTIN of contained items' },
  '10': { length: 20, fixed: false, numeric: false, name: 'batch/lot' },
  '11': { length: 6, fixed: true, numeric: true, date: true, name: 'production date' },
  '15': { length: 6, fixed: true, numeric: true, date: true, name: 'best before date' },
  '17': { length: 6, fixed: true, numeric: true, date: true, name: 'expiry date' },
  '21': { length: 20, fixed: false, numeric: false, name: 'serial number' },
  '30': { length: 8, fixed: false, numeric: true, name: 'variable count of items' },
  '37': { length: 8, fixed: false, numeric: true, name: 'count of trade items' },
  '400': { length: 30, fixed: false, numeric: false, name: "customer's purchase order" },
  '420': { length: 20, fixed: false, numeric: false, name: 'ship-to postal code' },
};
for (let n = 0; n <= 5; n++)
  AIS[`310${n}`] = { length: 6, fixed: true, numeric: true, name: `net weight (kg, ${n} decimals)` };

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

/** YYMMDD to ISO date; DD 00 is the month's last day; century by GS1 §7.12. */
export function gs1Date(yymmdd: string, now = new Date()): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  const currentYear = now.getUTCFullYear();
  const diff = yy - (currentYear % 100);
  let century = Math.floor(currentYear / 100);
  if (diff >= 51) century -= 1;
  else if (diff <= -50) century += 1;
  const year = century * 100 + yy;
  if (month < 1 || month > 12) return null;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day === 0) day = lastDay;
  if (day > lastDay) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Net kilograms with `decimals` implied decimals (AI 310n) to integer grams, exactly. */
function kilogramsToGrams(digits: string, decimals: number): number {
  const units = BigInt(digits);
  // grams = units * 1000 / 10^decimals; round half up when decimals > 3
  const scale = 10n ** BigInt(decimals);
  const thousandths = units * 1000n;
  const grams = (thousandths * 2n + scale) / (2n * scale);
  return Number(grams);
}

export function parseGs1(input: string, now = new Date()): Gs1Result {
  const text = input.startsWith(GS) ? input.slice(1) : input;
  const elements: Gs1Element[] = [];
  const errors: Array<{ ai?: string; position: number; message: string }> = [];
  const data: Gs1Data = { elements };
  let pos = 0;
  while (pos < text.length) {
    if (text[pos] === GS) {
      pos++;
      continue;
    }
    const ai = ['2', '3', '4']
      .map(Number)
      .map((n) => text.slice(pos, pos + n))
      .find((candidate) => AIS[candidate]);
    if (!ai) {
      errors.push({
        position: pos,
        message: `unknown or unsupported application identifier at position ${pos} ("${text.slice(pos, pos + 4)}…")`,
      });
      break;
    }
    const spec = AIS[ai];
    const start = pos + ai.length;
    let value: string;
    if (spec.fixed) {
      value = text.slice(start, start + spec.length);
      pos = start + spec.length;
      if (value.length < spec.length || value.includes(GS)) {
        errors.push({
          ai,
          position: start,
          message: `(${ai}) ${spec.name} needs ${spec.length} digits, got "${value.split(GS)[0]}"`,
        });
        break;
      }
    } else {
      const end = text.indexOf(GS, start);
      value = text.slice(start, end === -1 ? text.length : end);
      pos = end === -1 ? text.length : end + 1;
      if (value.length === 0 || value.length > spec.length) {
        errors.push({
          ai,
          position: start,
          message: `(${ai}) ${spec.name} must be 1 to ${spec.length} characters, got ${value.length}`,
        });
        continue;
      }
    }
    if (spec.numeric && !/^\d+$/.test(value)) {
      errors.push({ ai, position: start, message: `(${ai}) ${spec.name} must be digits only, got "${value}"` });
      continue;
    }
    if (spec.check && !isValidGs1Check(value)) {
      errors.push({
        ai,
        position: start,
        message: `(${ai}) ${spec.name} ${value}: check digit is ${value.at(-1)}, expected ${gs1CheckDigit(value.slice(0, -1))}`,
      });
      continue;
    }
    let isoDate: string | null = null;
    if (spec.date) isoDate = gs1Date(value, now);
    if (spec.date && !isoDate) {
      errors.push({ ai, position: start, message: `(${ai}) ${spec.name} "${value}" is not a valid YYMMDD date` });
      continue;
    }
    elements.push({ ai, value });
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
        data.productionDate = isoDate!;
        break;
      case '15':
        data.bestBefore = isoDate!;
        break;
      case '17':
        data.expiry = isoDate!;
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
      default:
        if (ai.startsWith('310')) data.netWeightGrams = kilogramsToGrams(value, Number(ai[3]));
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, data };
}

import { splitAimPrefix } from './aim.js';

/**
 * GS1 element strings (GS1 General Specifications §3 and §7.8): application identifiers followed
 * by their data; a variable-length field ends with FNC1, which scanners send as GS (0x1D).
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
  '37': { length: 8, fixed: false, numeric: true, name: 'count of trade items' },
  '400': { length: 30, fixed: false, numeric: false, name: "customer's purchase order" },
  '420': { length: 20, fixed: false, numeric: false, name: 'ship-to postal code' },
};
for (let n = 0; n <= 5; n++)
  AIS[`310${n}`] = { length: 6, fixed: true, numeric: true, name: `net weight (kg, ${n} decimals)` };

/** GS1 mod-10 check digit of `digits` (the data without its check digit). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

const hasValidCheckDigit = (value: string) =>
  /^\d+$/.test(value) && gs1CheckDigit(value.slice(0, -1)) === Number(value.at(-1));
export const isValidSscc = (value: string) => value.length === 18 && hasValidCheckDigit(value);
export const isValidGtin = (value: string) => [8, 12, 13, 14].includes(value.length) && hasValidCheckDigit(value);

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
    if (spec.check && !hasValidCheckDigit(value)) {
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

export interface DecodedScan {
  /** The data without its AIM prefix (and without a leading FNC1); GS separators kept. */
  code: string;
  symbology: string | null;
  /** Present when the data is GS1 (AIM GS1 identifier, or data starting with FNC1). */
  gs1?: Gs1Result;
  /** EAN/UPC data whose check digit is wrong (reported, not refused). */
  checkDigitWarning?: string;
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/** One scanner frame (terminator removed) to what it means. Plain Code 128 / EAN stay plain codes. */
export function decodeScan(frame: Uint8Array, now = new Date()): DecodedScan {
  const { symbology, data, isGs1, isEanUpc } = splitAimPrefix(decodeText(frame));
  const gs1Data = isGs1 || data.startsWith(GS);
  const code = data.startsWith(GS) ? data.slice(1) : data;
  const decoded: DecodedScan = { code, symbology };
  if (gs1Data) decoded.gs1 = parseGs1(code, now);
  if (isEanUpc && /^\d+$/.test(code) && [8, 12, 13].includes(code.length) && !hasValidCheckDigit(code)) {
    decoded.checkDigitWarning = `EAN/UPC ${code}: check digit is ${code.at(-1)}, expected ${gs1CheckDigit(code.slice(0, -1))}`;
  }
  return decoded;
}

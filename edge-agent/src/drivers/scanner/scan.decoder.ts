import { GS, type Gs1Result, gs1CheckDigit, isValidGs1Check, parseGs1, splitAimPrefix } from '@wms/contracts';

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
  if (isEanUpc && /^\d+$/.test(code) && [8, 12, 13].includes(code.length) && !isValidGs1Check(code)) {
    decoded.checkDigitWarning = `EAN/UPC ${code}: check digit is ${code.at(-1)}, expected ${gs1CheckDigit(code.slice(0, -1))}`;
  }
  return decoded;
}

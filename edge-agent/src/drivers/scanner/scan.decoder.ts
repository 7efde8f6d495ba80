import { GS, type Gs1Result, gs1CheckDigit, isValidGs1Check, parseGs1, splitAimPrefix } from '@wms/contracts';

export interface DecodedScan {
  /** The data without its AIM prefix (and without a leading FNC1); GS separators kept. */
  code: string;
  symbology: string | null;
  /** Present when the data is GS1 (AIM GS1 identifier, or data starting with FNC1). */
  gs1?: Gs1Result;
  /** EAN/UPC data whose check digit is wrong (reported, not refused). */
  checkDigitWarning?: string;
  /**
   * Why the frame is not a code (a NUL, 0xFF or another control byte than GS; bytes that are not
   * UTF-8 text): line noise or a half-read frame. Such a frame is never sent as a scan.
   */
  refused?: string;
}

/** A frame a scanner would not send: control bytes other than GS (FNC1), or bytes that are not UTF-8 text. */
export function refusedFrame(bytes: Uint8Array): string | null {
  for (const b of bytes) {
    if ((b < 0x20 && b !== 0x1d) || b === 0x7f) return `control byte 0x${b.toString(16).padStart(2, '0')} in a read`;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // 0xFF (and 0xFE, 0xC0, ...) never occur in UTF-8: line noise, not a character
    return 'not valid text (UTF-8)';
  }
  return null;
}

/** One scanner frame (terminator removed) to what it means. Plain Code 128 / EAN stay plain codes. */
export function decodeScan(frame: Uint8Array, now = new Date()): DecodedScan {
  const refused = refusedFrame(frame);
  if (refused) return { code: '', symbology: null, refused };
  const { symbology, data, isGs1, isEanUpc } = splitAimPrefix(new TextDecoder('utf-8').decode(frame));
  const gs1Data = isGs1 || data.startsWith(GS);
  const code = data.startsWith(GS) ? data.slice(1) : data;
  const decoded: DecodedScan = { code, symbology };
  if (gs1Data) decoded.gs1 = parseGs1(code, now);
  if (isEanUpc && /^\d+$/.test(code) && [8, 12, 13].includes(code.length) && !isValidGs1Check(code)) {
    decoded.checkDigitWarning = `EAN/UPC ${code}: check digit is ${code.at(-1)}, expected ${gs1CheckDigit(code.slice(0, -1))}`;
  }
  return decoded;
}

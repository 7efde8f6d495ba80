/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier, sent before the data
 * by scanners configured to (DOMAIN.md §9). Those that mean GS1 data: ]C1 GS1-128, ]d2 GS1
 * DataMatrix, ]Q3 GS1 QR Code, ]e0 GS1 DataBar, ]J1 GS1 DotCode.
 */
const GS1_IDENTIFIERS = new Set([']C1', ']d2', ']Q3', ']e0', ']J1']);
const AIM = /^\][A-Za-z][0-9A-Za-z]/;

export interface AimPrefix {
  /** The 3-character identifier, or null when the data has none. */
  symbology: string | null;
  /** The data after the identifier. */
  data: string;
  isGs1: boolean;
  isEanUpc: boolean;
}

export function splitAimPrefix(text: string): AimPrefix {
  if (!AIM.test(text)) return { symbology: null, data: text, isGs1: false, isEanUpc: false };
  const symbology = text.slice(0, 3);
  return { symbology, data: text.slice(3), isGs1: GS1_IDENTIFIERS.has(symbology), isEanUpc: symbology[1] === 'E' };
}

import { GS, type Gs1Data, type Gs1Measure, isValidGs1Check, parseGs1, splitAimPrefix } from '@wms/contracts';

/**
 * Pure rules of the floor: what a scanned code is, where goods may go, whether a weight is right.
 * The service reads the database and applies these; nothing here touches I/O.
 */

/** What a scan can be before the database says which goods, location or parcel it names. */
export type ScannedCode =
  | { kind: 'sscc'; sscc: string; gs1?: Gs1ScanDetail }
  | { kind: 'gs1-goods'; gtin: string; batch: string; expiry: string | null; count: number | null; gs1: Gs1ScanDetail }
  | { kind: 'plain'; text: string }
  | { kind: 'invalid'; reason: string };

/**
 * Everything a GS1 scan carried, kept with the scan's answer whether the floor acts on it or not:
 * each element with GS1's title, the measures with their decimals (320n, 330n, 3922, ...).
 */
export interface Gs1ScanDetail {
  elements: Array<{ ai: string; value: string; title?: string }>;
  measures: Gs1Measure[];
  /** AI 02: the GTIN of the trade items a logistic unit contains (the goods the floor counts). */
  contentGtin?: string;
  grossWeightGrams?: number;
  netWeightGrams?: number;
  productionDate?: string;
  /**
   * A logistic label's content barcode read without its SSCC barcode: GS1 checks pairings over
   * every carrier of the item, and (37) and the logistic measures require the label's (00).
   */
  labelSscc?: 'not-scanned';
}

function detailOf(d: Gs1Data, labelSsccNotScanned = false): Gs1ScanDetail {
  return {
    elements: d.elements,
    measures: d.measures,
    ...(d.contentGtin ? { contentGtin: d.contentGtin } : {}),
    ...(d.grossWeightGrams !== undefined ? { grossWeightGrams: d.grossWeightGrams } : {}),
    ...(d.netWeightGrams !== undefined ? { netWeightGrams: d.netWeightGrams } : {}),
    ...(d.productionDate ? { productionDate: d.productionDate } : {}),
    ...(labelSsccNotScanned ? { labelSscc: 'not-scanned' as const } : {}),
  };
}

/** `(01)04006381333931(10)LOT7` -> element string with FNC1 separators. */
function fromHumanReadable(text: string): string | null {
  if (!/^(\(\d{2,4}\)[^()]+)+$/.test(text)) return null;
  // the printed form puts a space between an AI and its data (no space is GS1 data: CSET 82 has none)
  const parts = [...text.matchAll(/\((\d{2,4})\)([^()]+)/g)].map(([, ai, value]) => [ai, value.trim()]);
  return parts.map(([ai, value], i) => `${ai}${value}${i < parts.length - 1 ? GS : ''}`).join('');
}

export function interpretCode(raw: string, now = new Date()): ScannedCode {
  const text = raw.replace(/[\r\n]+$/g, '').replace(/<GS>/g, GS);
  if (!text.trim()) return { kind: 'invalid', reason: 'empty scan' };
  let element: string | null = null;
  // a keyboard-wedge scanner may put the AIM symbology identifier in front (]C1 = GS1-128, ...)
  const aim = splitAimPrefix(text);
  if (aim.isGs1) element = aim.data;
  else if (aim.symbology) return plainOrTooLong(aim.data);
  else if (text.includes(GS)) element = text;
  else if (text.startsWith('(')) element = fromHumanReadable(text);
  else if (/^00\d{18}$/.test(text)) element = text;
  // a GTIN (01) or a logistic unit's content GTIN (02) with a right check digit, without FNC1 or AIM prefix
  else if (
    /^0[12]\d{14}/.test(text) &&
    (isValidGs1Check(text.slice(2, 16)) || /^0[12]\d{14}($|1[0-7]|2[01]|3[07])/.test(text))
  )
    element = text;
  if (element !== null) {
    let parsed = parseGs1(element, now);
    let ssccOnLabel = false;
    if (!parsed.ok && parsed.data?.contentGtin && parsed.errors.every((e) => e.kind === 'missing-pairing')) {
      // (02) marks only a logistic unit, whose label carries its SSCC in a barcode of its own: GS1
      // evaluates the pairings over every carrier of the item, so the label's (00) counts
      const withLabel = parseGs1(element, now, { alsoOnItem: [{ ai: '00', value: '' }] });
      if (withLabel.ok) {
        parsed = withLabel;
        ssccOnLabel = true;
      }
    }
    if (!parsed.ok) {
      const syntax = !parsed.data;
      const why = parsed.errors.map((e) => e.message).join('; ');
      return { kind: 'invalid', reason: syntax ? `unreadable GS1 code: ${why}` : `GS1 code refused: ${why}` };
    }
    const d = parsed.data;
    if (d.sscc) return { kind: 'sscc', sscc: d.sscc, ...(d.elements.length > 1 ? { gs1: detailOf(d) } : {}) };
    const gtin = d.gtin ?? d.contentGtin;
    if (gtin)
      return {
        kind: 'gs1-goods',
        gtin,
        batch: d.batch ?? '',
        expiry: d.expiry ?? d.bestBefore ?? null,
        count: d.count ?? null,
        gs1: detailOf(d, ssccOnLabel),
      };
    return { kind: 'invalid', reason: 'a GS1 code without an SSCC or a GTIN: scan the goods or the pallet label' };
  }
  return plainOrTooLong(text);
}

function plainOrTooLong(text: string): ScannedCode {
  if (text.length > 100) return { kind: 'invalid', reason: 'scan longer than 100 characters' };
  return { kind: 'plain', text: text.trim() };
}

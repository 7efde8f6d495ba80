import { GS, parseGs1, splitAimPrefix } from '@wms/contracts';

/**
 * Pure rules of the floor: what a scanned code is, where goods may go, whether a weight is right.
 * The service reads the database and applies these; nothing here touches I/O.
 */

/** What a scan can be before the database says which goods, location or parcel it names. */
export type ScannedCode =
  | { kind: 'sscc'; sscc: string }
  | { kind: 'gs1-goods'; gtin: string; batch: string; expiry: string | null; count: number | null }
  | { kind: 'plain'; text: string }
  | { kind: 'invalid'; reason: string };

/** `(01)04006381333931(10)LOT7` -> element string with FNC1 separators. */
function fromHumanReadable(text: string): string | null {
  if (!/^(\(\d{2,4}\)[^()]+)+$/.test(text)) return null;
  const parts = [...text.matchAll(/\((\d{2,4})\)([^()]+)/g)];
  return parts.map(([, ai, value], i) => `${ai}${value}${i < parts.length - 1 ? GS : ''}`).join('');
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
  else if (/^01\d{14}($|10|11|15|17|21|30|37)/.test(text)) element = text;
  if (element !== null) {
    const parsed = parseGs1(element, now);
    if (!parsed.ok)
      return { kind: 'invalid', reason: `unreadable GS1 code: ${parsed.errors.map((e) => e.message).join('; ')}` };
    const d = parsed.data;
    if (d.sscc) return { kind: 'sscc', sscc: d.sscc };
    const gtin = d.gtin ?? d.contentGtin;
    if (gtin)
      return {
        kind: 'gs1-goods',
        gtin,
        batch: d.batch ?? '',
        expiry: d.expiry ?? d.bestBefore ?? null,
        count: d.count ?? null,
      };
    return { kind: 'invalid', reason: 'a GS1 code without an SSCC or a GTIN: scan the goods or the pallet label' };
  }
  return plainOrTooLong(text);
}

function plainOrTooLong(text: string): ScannedCode {
  if (text.length > 100) return { kind: 'invalid', reason: 'scan longer than 100 characters' };
  return { kind: 'plain', text: text.trim() };
}

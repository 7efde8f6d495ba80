import type { TraceKind } from '@wms/contracts';

/**
 * The officer's one search box (issue 13, DOMAIN.md §7): a code as scanned or typed — a waybill,
 * an order, a customs list or entry number, a gate pass, an SSCC read from a GS1-128 label with its
 * AI and symbology prefix, a trip, a release note or a book line — and the timeline's lines.
 */

/** One object a code names. */
export interface TraceMatch {
  kind: TraceKind;
  ref: string;
  label: string;
  matchedBy: string;
}

/** One line of a timeline: when, what, who, where (station or place), with which device and documents. */
export interface TimelineEntry {
  at: Date | string;
  source: string;
  step: string;
  disposition: string | null;
  who: string | null;
  where: string | null;
  device: string | null;
  documents: Record<string, unknown>;
  detail: Record<string, unknown>;
}

/**
 * The code as stored: trimmed, without an AIM symbology prefix (`]C1`), and an SSCC read with its
 * application identifier (`00` + 18 digits, or `(00)…`) as its 18 digits (DOMAIN.md §9).
 */
export function normaliseCode(text: string): string {
  let code = text.trim().replace(/^\][A-Za-z]\d/, '');
  const bracketed = /^\(00\)\s*(\d{18})$/.exec(code);
  if (bracketed) return bracketed[1];
  if (/^00\d{18}$/.test(code)) code = code.slice(2);
  return code;
}

const grams = (g: unknown) => (typeof g === 'number' ? `${(g / 1000).toFixed(3)} kg` : '—');

/** A line an officer reads at a glance ("weighed 1.250 kg, declared 1.200 kg: within"). */
export function summarise(e: TimelineEntry): string {
  const d = e.detail ?? {};
  switch (e.source) {
    case 'weight':
      return `weighed ${grams(d.grossGrams)}, declared ${grams(d.declaredGrams)} (± ${grams(d.toleranceGrams)}): ${d.within ? 'within' : 'outside'} tolerance`;
    case 'label':
      return `label ${e.disposition ?? ''}${Number(d.reprint) > 0 ? ` (reprint ${d.reprint}: ${d.reason ?? ''})` : ''}`.trim();
    case 'receipt':
      return `customs receipt ${d.returnStatus}${d.returnInfo ? `: ${d.returnInfo}` : ''}${d.ignoredBecause ? ` (ignored: ${d.ignoredBecause})` : ''}`;
    case 'message':
      return `message ${e.documents.messageType ?? ''} sent to the single window`;
    case 'movement':
      return `${e.step === 'ledger-book' ? 'book' : 'shelf'} ${Number(d.qty) > 0 ? '+' : ''}${d.qty} × ${d.sku} (${e.documents.docType} ${e.documents.docNo})`;
    case 'unit':
      return e.disposition === 'parcel_added'
        ? `parcel ${e.documents.logisticsNo} put in`
        : e.disposition === 'in_unit'
          ? `put in ${d.kind} ${e.documents.sscc}`
          : `${d.kind ?? 'unit'} ${e.documents.sscc ?? ''} ${e.disposition === 'unit_on_trip' ? `loaded (${d.parcels} parcels)` : 'created'}`.trim();
    case 'trip':
      return e.disposition === 'departed'
        ? `departed${e.documents.releaseNoteNo ? ` under release note ${e.documents.releaseNoteNo}` : ''}${d.weighedGrossKg ? `, weighed ${d.weighedGrossKg} kg` : ''}`
        : `trip opened for ${d.plate ?? 'a vehicle'}`;
    default: {
      const why = typeof d.reason === 'string' ? `: ${d.reason}` : '';
      return `${e.step}${e.disposition ? ` · ${e.disposition}` : ''}${why}`;
    }
  }
}

import { describe, expect, it } from 'vitest';
import { normaliseCode, summarise, type TimelineEntry } from './trace-search.rules.js';

const entry = (over: Partial<TimelineEntry>): TimelineEntry => ({
  at: '2026-12-01 10:00:00+00',
  source: 'event',
  step: 'holding',
  disposition: 'held',
  who: 'officer',
  where: null,
  device: null,
  documents: {},
  detail: {},
  ...over,
});

describe('the trace search box', () => {
  it('reads an SSCC with its AI and symbology prefix as its 18 digits', () => {
    expect(normaliseCode(' 00069000001000000017 ')).toBe('069000001000000017');
    expect(normaliseCode(']C100069000001000000017')).toBe('069000001000000017');
    expect(normaliseCode('(00)069000001000000017')).toBe('069000001000000017');
    // other codes stay as typed
    expect(normaliseCode('SF1234567890')).toBe('SF1234567890');
    expect(normaliseCode('T5165W000001/3')).toBe('T5165W000001/3');
    expect(normaliseCode('0012345')).toBe('0012345');
  });

  it('sums a timeline line up for the officer', () => {
    expect(
      summarise(
        entry({
          source: 'weight',
          detail: { grossGrams: 1250, declaredGrams: 1200, toleranceGrams: 100, within: true },
        }),
      ),
    ).toBe('weighed 1.250 kg, declared 1.200 kg (± 0.100 kg): within tolerance');
    expect(summarise(entry({ detail: { reason: 'x-ray' } }))).toBe('holding · held: x-ray');
    expect(summarise(entry({ source: 'receipt', detail: { returnStatus: 800, returnInfo: '放行' } }))).toBe(
      'customs receipt 800: 放行',
    );
    expect(
      summarise(
        entry({
          source: 'movement',
          step: 'ledger-book',
          documents: { docType: 'inventory-list', docNo: 'LI1' },
          detail: { qty: -2, sku: 'S1' },
        }),
      ),
    ).toBe('book -2 × S1 (inventory-list LI1)');
    expect(summarise(entry({ source: 'label', disposition: 'done', detail: { reprint: 1, reason: 'torn' } }))).toBe(
      'label done (reprint 1: torn)',
    );
  });
});

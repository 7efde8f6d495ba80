import { riskRuleParams } from '@wms/contracts';
import { describe, expect, it } from 'vitest';
import { buyerLimit, frequentReturns, sharedParty } from './buyer.rules.js';
import { coldChainWarning, effectiveRange, excursions } from './cold-chain.rules.js';
import { lowValue, weightDeviation } from './parcel.rules.js';
import { missingSteps, trackedStep } from './special-goods.rules.js';

const defaults = <K extends keyof typeof riskRuleParams>(rule: K) => riskRuleParams[rule].parse({}) as never;

describe('weight deviation (DOMAIN.md §8)', () => {
  const check = {
    checkId: '7',
    logisticsNo: 'LP1',
    stationId: 'PACK-1',
    grossGrams: 1450,
    declaredGrams: 1000,
    expectedGrams: 1010,
    toleranceGrams: 50,
    within: false,
    at: '2026-12-01T10:00:00Z',
  };
  it('warns with the deviation and the tolerance as evidence', () => {
    const w = weightDeviation(check, defaults('weight-deviation'))!;
    expect(w).toMatchObject({ subjectKind: 'parcel', subjectId: 'LP1', logisticsNo: 'LP1', severity: 'high' });
    expect(w.evidence).toMatchObject({ deviationGrams: 450, deviationPct: 45, toleranceGrams: 50 });
    expect(w.reason).toContain('+450 g');
  });
  it('is silent for a weight within tolerance', () => {
    expect(weightDeviation({ ...check, within: true }, defaults('weight-deviation'))).toBeNull();
  });
});

describe('low declared value', () => {
  const parcel = {
    logisticsNo: 'LP2',
    copNo: 'C2',
    orderNo: 'O2',
    lines: [{ gnum: 1, itemNo: 'I', sku: 'MILK', gcode: '0402210000', gname: 'milk powder', price: '49.99' }],
  };
  const refs = new Map([['0402210000', { gcode: '0402210000', median: '100', samples: 12 }]]);
  it('warns below the band of the median, exactly at the decimal', () => {
    expect(lowValue(parcel, refs, defaults('low-value'))?.evidence).toMatchObject({
      lines: [{ price: '49.99', referenceMedian: '100.00', sharePct: 49.9 }],
    });
    const atBand = { ...parcel, lines: [{ ...parcel.lines[0], price: '50' }] };
    expect(lowValue(atBand, refs, defaults('low-value'))).toBeNull();
  });
  it('needs enough history to have a reference', () => {
    const few = new Map([['0402210000', { gcode: '0402210000', median: '100', samples: 4 }]]);
    expect(lowValue(parcel, few, defaults('low-value'))).toBeNull();
    expect(lowValue(parcel, new Map(), defaults('low-value'))).toBeNull();
  });
});

describe('buyer limits (DOMAIN.md §5)', () => {
  const year = (total: string, paid = '100') => ({
    buyerIdNumber: '110101199001011234',
    buyerName: 'Zhang San',
    year: '2026',
    total,
    lists: 9,
    latest: { logisticsNo: 'LP3', orderNo: 'O3', paid },
  });
  it('is silent below the approach share, warns at it and is high over the limit', () => {
    expect(buyerLimit(year('20799.99'), defaults('buyer-limit'))).toBeNull();
    expect(buyerLimit(year('20800'), defaults('buyer-limit'))).toMatchObject({ severity: 'warning' });
    expect(buyerLimit(year('26000.01'), defaults('buyer-limit'))).toMatchObject({ severity: 'high' });
  });
  it('warns on one order over the per-order limit', () => {
    expect(buyerLimit(year('5100', '5100'), defaults('buyer-limit'))?.reason).toContain('per-order limit');
  });
  it('masks the ID number in the reason (the live summary); the evidence keeps it for the officer', () => {
    const w = buyerLimit(year('30000'), defaults('buyer-limit'))!;
    expect(w.reason).toContain('1101…1234');
    expect(w.reason).not.toContain('199001011234');
    expect(w.evidence.buyerIdNumber).toBe('110101199001011234');
  });
});

describe('shared consignee and payer', () => {
  const party = (n: number, kind: 'address' | 'payer' = 'address') => ({
    key: 'Room 1, 8 Harbour Rd',
    kind,
    buyers: Array.from({ length: n }, (_, i) => ({ buyerIdNumber: `ID${i}`, buyerName: `B${i}` })),
    orders: Array.from({ length: n }, (_, i) => ({
      orderNo: `O${i}`,
      logisticsNo: `LP${i}`,
      buyerIdNumber: `ID${i}`,
      at: `2026-12-0${i + 1}T00:00:00Z`,
    })),
  });
  it('warns at the threshold of different buyers, naming the newest parcel', () => {
    expect(sharedParty(party(2), defaults('shared-consignee'))).toBeNull();
    expect(sharedParty(party(3), defaults('shared-consignee'))).toMatchObject({
      rule: 'shared-consignee',
      logisticsNo: 'LP2',
    });
    expect(sharedParty(party(3, 'payer'), defaults('shared-payer'))).toMatchObject({ rule: 'shared-payer' });
  });
  it('counts one buyer with many orders once', () => {
    const p = party(3);
    p.buyers = p.buyers.map(() => ({ buyerIdNumber: 'ID0', buyerName: 'B0' }));
    expect(sharedParty(p, defaults('shared-consignee'))).toBeNull();
  });
});

describe('frequent returns', () => {
  it('warns at the threshold', () => {
    const h = (n: number) => ({
      kind: 'buyer' as const,
      key: 'ID1',
      name: 'B',
      returns: Array.from({ length: n }, (_, i) => ({
        returnNo: `R${i}`,
        logisticsNo: `LP${i}`,
        orderNo: `O${i}`,
        at: '2026-12-01T00:00:00Z',
        reason: 'x',
      })),
    });
    expect(frequentReturns(h(2), defaults('frequent-returns'))).toBeNull();
    expect(frequentReturns(h(3), defaults('frequent-returns'))?.reason).toContain('returned 3 parcels');
  });
});

describe('special goods tracked at every step', () => {
  const knife = { ownerCode: 'OWN', sku: 'KNIFE', gcode: '8211910000', gname: 'kitchen knife' };
  const step = (s: string, at: string) => ({ step: s as never, at, traceId: at, readPoint: null });
  it('maps trace events to tracked steps', () => {
    expect(trackedStep({ objectKind: 'parcel', bizStep: 'packing', disposition: 'weighed' })).toBe('weighing');
    expect(trackedStep({ objectKind: 'parcel', bizStep: 'departing', disposition: 'gate_refused' })).toBeNull();
    expect(trackedStep({ objectKind: 'stock', bizStep: 'storing', disposition: null })).toBe('storing');
  });
  it('warns on a pick with no put-away and a gate without weighing', () => {
    const w = missingSteps(
      { logisticsNo: 'LP4', lines: [knife] },
      [step('picking', '1'), step('packing', '2'), step('departing', '3')],
      defaults('special-goods'),
    );
    expect(w?.evidence.gaps).toEqual([
      { step: 'picking', missing: ['storing'], at: '1' },
      { step: 'departing', missing: ['weighing'], at: '3' },
    ]);
  });
  it('is silent when every step is there, and for ordinary goods', () => {
    const all = ['storing', 'picking', 'packing', 'weighing', 'departing'].map((s, i) => step(s, String(i)));
    expect(missingSteps({ logisticsNo: 'LP4', lines: [knife] }, all, defaults('special-goods'))).toBeNull();
    const milk = { ...knife, gcode: '0402210000', sku: 'MILK' };
    expect(
      missingSteps({ logisticsNo: 'LP4', lines: [milk] }, [step('departing', '1')], defaults('special-goods')),
    ).toBeNull();
  });
});

describe('cold chain', () => {
  const range = { minDeciC: 20, maxDeciC: 80, source: 'zone' };
  const r = (deciCelsius: number, minute: number) => ({
    id: String(minute),
    deciCelsius,
    at: new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString(),
  });
  it('narrows the zone range by the goods stored in it', () => {
    expect(
      effectiveRange({ minDeciC: 0, maxDeciC: 80 }, [{ sku: 'VAX', minDeciC: 20, maxDeciC: 60 }], {
        minDeciC: 20,
        maxDeciC: 80,
      }),
    ).toEqual({ minDeciC: 20, maxDeciC: 60, source: 'zone, goods VAX' });
  });
  it('finds an excursion longer than allowed, and a short one that is no breach', () => {
    const found = excursions([r(40, 0), r(95, 1), r(120, 5), r(100, 12), r(40, 13), r(85, 20), r(40, 21)], range, 600);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ peakDeciC: 120, readings: 3, durationS: 720, breach: true });
    expect(found[1]).toMatchObject({ durationS: 60, breach: false });
  });
  it('counts an excursion still under way up to the newest reading', () => {
    const [open] = excursions([r(40, 0), r(10, 1), r(5, 15)], range, 600);
    expect(open).toMatchObject({ endedAt: null, peakDeciC: 5, durationS: 840, breach: true });
    const w = coldChainWarning({ deviceId: 'T1', warehouseCode: 'W', zoneCode: 'COLD' }, range, open, 600)!;
    expect(w.reason).toContain('and counting');
    expect(w.subjectId).toBe(`T1@${open.startedAt}`);
  });
});

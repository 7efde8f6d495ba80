import { DEFAULT_INSPECTION_RATES } from '@wms/contracts';
import { unitDraw } from '@wms/contracts/draw';
import { describe, expect, it } from 'vitest';
import { inspectionRates, preselect, preselectionKey, rateFigures } from './credit.rules.js';

describe('the WMS pre-selection by credit grade', () => {
  const table = { grades: { DIS: 'dishonest' as const, ADV: 'advanced_certified' as const }, rates: {} };

  it('picks below the rate and says why, in words a worker can act on', () => {
    expect(preselect({ copNo: 'C1', ebcCode: 'DIS', tradeMode: '1210' }, table, 0.79)).toMatchObject({
      grade: 'dishonest',
      ratePpm: 800_000,
      b2b: false,
      reason: expect.stringMatching(/DIS is Dishonest \(失信企业\), rate 80 %; take the parcel to the inspection area/),
    });
    expect(preselect({ copNo: 'C1', ebcCode: 'DIS', tradeMode: '1210' }, table, 0.8)).toBeNull();
    expect(preselect({ copNo: 'C1', ebcCode: 'ADV', tradeMode: '9710' }, table, 0.002)?.reason).toMatch(
      /B2B rate 0.3 %/,
    );
    expect(preselect({ copNo: 'C1', ebcCode: 'ADV', tradeMode: '9710' }, table, 0.004)).toBeNull();
  });

  it('over 10,000 lists of each grade pre-selects the configured share (± 4 binomial standard deviations)', () => {
    const grades = Object.keys(DEFAULT_INSPECTION_RATES) as Array<keyof typeof DEFAULT_INSPECTION_RATES>;
    const n = 10_000;
    for (const grade of grades) {
      const t = { grades: { E: grade }, rates: {} };
      let picked = 0;
      for (let i = 0; i < n; i++)
        if (preselect({ copNo: `L${i}`, ebcCode: 'E', tradeMode: '1210' }, t, unitDraw(3, preselectionKey(`L${i}`))))
          picked++;
      const p = DEFAULT_INSPECTION_RATES[grade].ratePpm / 1e6;
      expect(Math.abs(picked / n - p), grade).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});

describe('actual against configured inspection rates', () => {
  it('is the share inspected, the mean configured rate and a 4-sigma binomial bound', () => {
    // 1,000 lists at 3 %: expected 30, sd sqrt(1000 * 0.03 * 0.97) = 5.394
    const f = rateFigures(1000, 41, 1000 * 30_000, 1000 * 30_000 * 970_000);
    expect(f.actualRate).toBe(0.041);
    expect(f.configuredRate).toBe(0.03);
    expect(f.bound).toBeCloseTo((4 * Math.sqrt(1000 * 0.03 * 0.97)) / 1000, 6);
    expect(f.withinBound).toBe(true);
    expect(rateFigures(1000, 52, 1000 * 30_000, 1000 * 30_000 * 970_000).withinBound).toBe(false);
    expect(rateFigures(0, 0, 0, 0)).toEqual({
      lists: 0,
      inspected: 0,
      actualRate: 0,
      configuredRate: 0,
      bound: 0,
      withinBound: true,
    });
  });

  it('adds enterprises up by grade, gives all five grades, and counts B2B lists at the B2B rate', () => {
    const r = inspectionRates(
      [
        { enterpriseCode: 'R2', name: null, grade: 'regular', lists: 100, inspected: 3, b2bLists: 0 },
        { enterpriseCode: 'R1', name: 'One', grade: 'regular', lists: 100, inspected: 2, b2bLists: 100 },
        { enterpriseCode: 'D1', name: null, grade: 'dishonest', lists: 10, inspected: 8, b2bLists: 0 },
      ],
      { regular: { ratePpm: 30_000, b2bRatePpm: 20_000 } },
    );
    expect(r.enterprises.map((e) => e.enterpriseCode)).toEqual(['R1', 'R2', 'D1']);
    expect(r.enterprises[0]).toMatchObject({ lists: 100, inspected: 2, actualRate: 0.02, configuredRate: 0.02 });
    const regular = r.grades.find((g) => g.grade === 'regular')!;
    expect(regular).toMatchObject({
      lists: 200,
      inspected: 5,
      enterprises: 2,
      actualRate: 0.025,
      configuredRate: 0.025,
    });
    expect(r.grades.map((g) => g.grade)).toEqual([
      'advanced_certified',
      'certified',
      'regular',
      'dishonest',
      'seriously_dishonest',
    ]);
    // a grade without lists still shows its configured rate (the default where none is stored)
    expect(r.grades[0]).toMatchObject({ lists: 0, configuredRate: 0.005, ratePpm: 5_000 });
    expect(r.total).toMatchObject({ lists: 210, inspected: 13 });
  });
});

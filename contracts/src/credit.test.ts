import { describe, expect, it } from 'vitest';
import {
  CREDIT_GRADES,
  DEFAULT_INSPECTION_RATES,
  inspectionRateOf,
  percentOfPpm,
  pickedForInspection,
} from './credit.js';
import { unitDraw } from './node/draw.js';

describe('credit-graded inspection rules (DOMAIN.md §8)', () => {
  it('keeps the published shape in its defaults: advanced < 20 % of regular < dishonest >= 80 % < seriously dishonest', () => {
    const r = DEFAULT_INSPECTION_RATES;
    expect(r.advanced_certified.ratePpm).toBeLessThan(0.2 * r.regular.ratePpm);
    expect(r.certified.ratePpm).toBeGreaterThan(r.advanced_certified.ratePpm);
    expect(r.certified.ratePpm).toBeLessThan(r.regular.ratePpm);
    expect(r.dishonest.ratePpm).toBeGreaterThanOrEqual(800_000);
    expect(r.seriously_dishonest.ratePpm).toBeGreaterThan(r.dishonest.ratePpm);
    for (const g of ['advanced_certified', 'certified', 'regular'] as const)
      expect(r[g].b2bRatePpm!).toBeLessThan(r[g].ratePpm);
  });

  it('takes the grade of the enterprise (regular when not graded) and the B2B rate for 9710/9810 only', () => {
    const table = { grades: { A: 'advanced_certified' as const, D: 'dishonest' as const }, rates: {} };
    expect(inspectionRateOf(table, 'A', '1210')).toEqual({ grade: 'advanced_certified', ratePpm: 5_000, b2b: false });
    expect(inspectionRateOf(table, 'A', '9710')).toEqual({ grade: 'advanced_certified', ratePpm: 3_000, b2b: true });
    expect(inspectionRateOf(table, 'A', '9610').ratePpm).toBe(5_000);
    expect(inspectionRateOf(table, 'NEW', '9810')).toEqual({ grade: 'regular', ratePpm: 20_000, b2b: true });
    // no B2B rate for the dishonest: the grade's own
    expect(inspectionRateOf(table, 'D', '9810')).toEqual({ grade: 'dishonest', ratePpm: 800_000, b2b: false });
    const configured = { grades: {}, rates: { regular: { ratePpm: 50_000, b2bRatePpm: null } } };
    expect(inspectionRateOf(configured, 'X', '9710')).toEqual({ grade: 'regular', ratePpm: 50_000, b2b: false });
  });

  it('picks below the rate: 0 ppm never, 1,000,000 always, and about the rate over many draws', () => {
    expect(pickedForInspection(0, 0)).toBe(false);
    expect(pickedForInspection(0.999_999, 1_000_000)).toBe(true);
    expect(pickedForInspection(0.03, 30_000)).toBe(false);
    expect(pickedForInspection(0.029_999, 30_000)).toBe(true);
    const n = 10_000;
    for (const grade of CREDIT_GRADES) {
      const p = DEFAULT_INSPECTION_RATES[grade].ratePpm / 1e6;
      let picked = 0;
      for (let i = 0; i < n; i++) if (pickedForInspection(unitDraw(9, `L${i}`), p * 1e6)) picked++;
      // 4 standard deviations of the binomial share
      expect(Math.abs(picked / n - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it('writes rates as people read them', () => {
    expect(percentOfPpm(30_000)).toBe('3 %');
    expect(percentOfPpm(5_000)).toBe('0.5 %');
    expect(percentOfPpm(950_000)).toBe('95 %');
  });
});

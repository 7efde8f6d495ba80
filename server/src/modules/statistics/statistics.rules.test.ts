import { describe, expect, it } from 'vitest';
import {
  bucketMiddle,
  daysIn,
  holdAgeBand,
  percentileOfBuckets,
  RELEASE_BUCKETS,
  rangeParts,
  releaseBucket,
  share,
} from './statistics.rules.js';

describe('release-time buckets', () => {
  it('puts a time in the bucket whose bounds hold it, under 1 s in bucket 0, beyond the last in the last', () => {
    expect(releaseBucket(0)).toBe(0);
    expect(releaseBucket(0.99)).toBe(0);
    expect(releaseBucket(1)).toBe(1);
    expect(releaseBucket(2)).toBe(5);
    expect(releaseBucket(1e12)).toBe(RELEASE_BUCKETS - 1);
    for (let s = 1; s < 4_000_000; s = s * 1.07 + 1) {
      const b = releaseBucket(s);
      expect(2 ** ((b - 1) / 4)).toBeLessThanOrEqual(s);
      if (b < RELEASE_BUCKETS - 1) expect(s).toBeLessThan(2 ** (b / 4));
      // the bucket's middle stands for every time in it within 2^(1/8) - 1 = 9.05%
      expect(Math.abs(bucketMiddle(b) / s - 1)).toBeLessThan(0.0906);
    }
  });

  it('takes the nearest-rank percentile off the histogram', () => {
    const counts = new Map([
      [releaseBucket(10), 5],
      [releaseBucket(100), 4],
      [releaseBucket(1000), 1],
    ]);
    expect(percentileOfBuckets(counts, 50)).toBeCloseTo(bucketMiddle(releaseBucket(10)), 1);
    expect(percentileOfBuckets(counts, 90)).toBeCloseTo(bucketMiddle(releaseBucket(100)), 1);
    expect(percentileOfBuckets(counts, 91)).toBeCloseTo(bucketMiddle(releaseBucket(1000)), 1);
    expect(percentileOfBuckets(new Map(), 50)).toBeNull();
  });
});

describe('ranges', () => {
  it('reads whole months from the monthly rows and the edge days from the daily ones', () => {
    expect(rangeParts('2026-10-15', '2026-12-31', false)).toEqual({
      months: ['2026-11-01', '2027-01-01'],
      days: [['2026-10-15', '2026-11-01']],
    });
    expect(rangeParts('2026-11-01', '2026-11-30', false)).toEqual({ months: ['2026-11-01', '2026-12-01'], days: [] });
    expect(rangeParts('2026-11-03', '2026-11-20', false)).toEqual({
      months: null,
      days: [['2026-11-03', '2026-11-21']],
    });
    expect(rangeParts('2026-10-25', '2026-12-04', false)).toEqual({
      months: ['2026-11-01', '2026-12-01'],
      days: [
        ['2026-10-25', '2026-11-01'],
        ['2026-12-01', '2026-12-05'],
      ],
    });
    expect(rangeParts('2026-12-20', '2027-01-10', false)).toEqual({
      months: null,
      days: [['2026-12-20', '2027-01-11']],
    });
    expect(rangeParts('2026-10-15', '2026-12-31', true)).toEqual({
      months: null,
      days: [['2026-10-15', '2027-01-01']],
    });
    expect(daysIn('2026-02-01', '2026-03-01')).toBe(29);
  });

  it('bands hold ages and shares rates', () => {
    expect([0.5, 1, 23.9, 24, 71, 100, 719, 720].map(holdAgeBand)).toEqual([
      '<1h',
      '1–24h',
      '1–24h',
      '1–3d',
      '1–3d',
      '3–7d',
      '7–30d',
      '30d+',
    ]);
    expect(share(1, 3)).toBe(0.3333);
    expect(share(0, 0)).toBeNull();
  });
});

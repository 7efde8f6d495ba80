import { describe, expect, it } from 'vitest';
import { ageInDays, bandIndex, bandsOf, crossesAlert } from './ageing.rules.js';

describe('ageing bands', () => {
  it('makes one band per limit and one beyond the last, each limit starting its band', () => {
    expect(bandsOf([30, 60, 90, 180]).map((b) => b.label)).toEqual(['0–29', '30–59', '60–89', '90–179', '180+']);
    expect(bandsOf([7])).toEqual([
      { label: '0–6', fromDays: 0, toDays: 7 },
      { label: '7+', fromDays: 7, toDays: null },
    ]);
  });

  it('puts an age in the band whose range holds it, at the edges too', () => {
    const limits = [30, 60, 90, 180];
    expect([0, 29, 30, 59, 60, 89, 90, 179, 180, 5000].map((d) => bandIndex(d, limits))).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]);
    for (let age = 0; age < 400; age++) {
      const band = bandsOf(limits)[bandIndex(age, limits)];
      expect(age).toBeGreaterThanOrEqual(band.fromDays);
      if (band.toDays !== null) expect(age).toBeLessThan(band.toDays);
    }
  });

  it('counts whole days since arrival and raises the alert from the alert age on', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(ageInDays(new Date('2026-11-01T12:00:01Z'), now)).toBe(29);
    expect(ageInDays(new Date('2026-11-01T12:00:00Z'), now)).toBe(30);
    expect(ageInDays(new Date('2026-12-02T00:00:00Z'), now)).toBe(0);
    expect(crossesAlert(179, 180)).toBe(false);
    expect(crossesAlert(180, 180)).toBe(true);
  });
});

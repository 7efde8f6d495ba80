import { describe, expect, it } from 'vitest';
import { ageDays, ageLevel } from './storage-age.rules.js';

describe('storage age (DOMAIN.md §6)', () => {
  it('warns within the warning days before the limit and flags past it', () => {
    expect(ageLevel(null, 365, 30)).toBe('unknown');
    expect(ageLevel(334, 365, 30)).toBe('ok');
    expect(ageLevel(335, 365, 30)).toBe('warning');
    expect(ageLevel(365, 365, 30)).toBe('warning');
    expect(ageLevel(366, 365, 30)).toBe('over-limit');
  });

  it('counts whole days since the first entry', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(ageDays(null, now)).toBeNull();
    expect(ageDays(new Date('2026-11-30T12:00:01Z'), now)).toBe(0);
    expect(ageDays(new Date('2026-11-30T12:00:00Z'), now)).toBe(1);
    expect(ageDays(new Date('2025-12-01T12:00:00Z'), now)).toBe(365);
  });
});

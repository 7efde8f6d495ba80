import { describe, expect, it } from 'vitest';
import { SITE_TIME_ZONE, siteTime } from './site-time.js';

describe('siteTime', () => {
  it("shows the site's clock with its zone, minutes only", () => {
    expect(SITE_TIME_ZONE).toBe('Asia/Shanghai');
    expect(siteTime('2026-12-01T10:08:59Z')).toBe('2026-12-01 18:08 Asia/Shanghai');
    // past midnight in Shanghai while still the day before in UTC
    expect(siteTime(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30 Asia/Shanghai');
    expect(siteTime('2026-12-01T10:08:00Z', 'UTC')).toBe('2026-12-01 10:08 UTC');
  });
});

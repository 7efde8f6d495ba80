/**
 * The definitions behind the customs statistics (issue 13, DOMAIN.md §11), pure so the route
 * tests can recompute every figure from the raw rows with the same words:
 *
 * - A list counts once it was declared (`declared_at`, its first declaration) and is not
 *   cancelled; its day is the site-local day of that declaration.
 * - released: an 800 receipt for it took effect; rejected: it got a 100 or a negative receipt
 *   (any of its declarations); inspected: it got a 500 receipt. Rates are shares of its lists.
 * - Declaration→release time: from `declared_at` to the `returnTime` (China Standard Time) of
 *   its first 800 receipt that took effect. Kept as a histogram of fixed log buckets per rollup
 *   cell: bucket 0 is under 1 s, bucket b ≥ 1 holds [2^((b-1)/4), 2^(b/4)) s, up to bucket 88
 *   (2^21.75 s ≈ 40 days and over). A percentile is the geometric middle of its bucket: within
 *   ±9.1% (2^(1/8) − 1) of the exact value.
 */

export const RELEASE_BUCKETS = 89;
/** Lower bound of bucket b (b ≥ 1), in seconds: 2^((b-1)/4). Shared with the SQL (width_bucket). */
export const RELEASE_THRESHOLDS: readonly number[] = Array.from(
  { length: RELEASE_BUCKETS - 1 },
  (_, i) => 2 ** (i / 4),
);

/** The bucket of a declaration→release time in seconds: the number of thresholds at or below it. */
export function releaseBucket(seconds: number): number {
  let lo = 0;
  let hi = RELEASE_THRESHOLDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (RELEASE_THRESHOLDS[mid] <= seconds) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The value a bucket stands for: its geometric middle (0.5 s for bucket 0). */
export function bucketMiddle(bucket: number): number {
  if (bucket <= 0) return 0.5;
  return 2 ** ((bucket - 1) / 4 + 1 / 8);
}

/**
 * The p-th percentile (nearest rank: the smallest value with at least p% of the lists at or
 * below it) of a histogram given as bucket → lists. null when it is empty.
 */
export function percentileOfBuckets(counts: ReadonlyMap<number, number>, p: number): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return Number(bucketMiddle(bucket).toFixed(1));
  }
  return null;
}

/** n of d as a share with 4 decimals; null when there is nothing to share. */
export function share(n: number, d: number): number | null {
  return d > 0 ? Number((n / d).toFixed(4)) : null;
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Days from `from` to `to`, both included. */
export function daysIn(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/**
 * Which rollup rows a range of days reads: the whole months inside it from the monthly rows,
 * the days before and after them from the daily rows. `byDay` reads days only (a trend by day).
 * Ranges are [from, to) with `to` exclusive, as ISO days.
 */
export function rangeParts(
  from: string,
  to: string,
  byDay: boolean,
): { months: [string, string] | null; days: Array<[string, string]> } {
  const end = isoOf(dayNumber(to) + 1);
  if (byDay) return { months: null, days: [[from, end]] };
  const firstMonth = from.endsWith('-01') ? from : nextMonth(from);
  const lastMonth = `${end.slice(0, 7)}-01`;
  if (firstMonth >= lastMonth) return { months: null, days: [[from, end]] };
  const days: Array<[string, string]> = [];
  if (from < firstMonth) days.push([from, firstMonth]);
  if (lastMonth < end) days.push([lastMonth, end]);
  return { months: [firstMonth, lastMonth], days };
}

function nextMonth(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** The age bands of open holds, upper bounds in hours (the last has none). */
export const HOLD_AGE_BANDS: ReadonlyArray<{ band: string; belowHours: number | null }> = [
  { band: '<1h', belowHours: 1 },
  { band: '1–24h', belowHours: 24 },
  { band: '1–3d', belowHours: 72 },
  { band: '3–7d', belowHours: 168 },
  { band: '7–30d', belowHours: 720 },
  { band: '30d+', belowHours: null },
];

export function holdAgeBand(hours: number): string {
  for (const b of HOLD_AGE_BANDS) if (b.belowHours === null || hours < b.belowHours) return b.band;
  return HOLD_AGE_BANDS[HOLD_AGE_BANDS.length - 1].band;
}

/** A trend is by day up to this many days, by month beyond. */
export const TREND_DAYS_MAX = 62;
/** The longest range a table by day reads. */
export const DAY_TABLE_MAX_DAYS = 400;

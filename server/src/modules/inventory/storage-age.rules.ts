/**
 * Storage age in a bonded centre (DOMAIN.md §6: the time goods may stay is limited per site, alert
 * on ageing): the one rule that the ageing view, the console's storage-age page and the alerts
 * sweep all read.
 */
export type AgeLevel = 'ok' | 'warning' | 'over-limit' | 'unknown';

const DAY_MS = 86_400_000;

/** Whole days a batch has been in the centre since its first entry (null when it has none). */
export function ageDays(since: Date | null, now: Date): number | null {
  return since ? Math.floor((now.getTime() - since.getTime()) / DAY_MS) : null;
}

/** The level of a batch's age against the site's limit: a warning within `warningDays` of it, over past it. */
export function ageLevel(days: number | null, limitDays: number, warningDays: number): AgeLevel {
  if (days === null) return 'unknown';
  const left = limitDays - days;
  if (left < 0) return 'over-limit';
  return left <= warningDays ? 'warning' : 'ok';
}

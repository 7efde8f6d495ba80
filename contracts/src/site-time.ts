/**
 * The warehouse's local time for what people read (issue 11): answer messages and labels show
 * the site's clock; ISO fields in JSON stay UTC and screens format them in the site's zone. The
 * demo centre and every site so far are in China: one zone, kept here so it is changed once.
 */
export const SITE_TIME_ZONE = 'Asia/Shanghai';

/** `2026-12-01 18:08 Asia/Shanghai`: a time as a worker reads it in an answer. */
export function siteTime(at: Date | string, timeZone = SITE_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${timeZone}`;
}

/**
 * The warehouse's local time for what people read: one helper, in contracts so the server's
 * answers and the screens format alike (`siteTime` → `2026-12-01 18:08 Asia/Shanghai`).
 */
export { SITE_TIME_ZONE, siteTime } from '@wms/contracts';

import { SITE_TIME_ZONE, siteTime } from '@wms/contracts';
import { currentLocale } from './i18n.js';

const numberLocale = () => (currentLocale() === 'zh' ? 'zh-CN' : 'en-GB');

/** A time as the warehouse's people read it, in the given zone: `2026-12-01 09:08 Europe/Berlin`. */
export function timeIn(at: string | null | undefined, zone: string = SITE_TIME_ZONE): string {
  if (!at) return '—';
  try {
    return siteTime(at, zone);
  } catch {
    return at;
  }
}

/** A quantity in the reader's language (`1,234`); bigint text from the server stays exact. */
export function qty(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(n)) return String(value);
  if (typeof value === 'string' && !Number.isSafeInteger(n) && /^-?\d+$/.test(value))
    return new Intl.NumberFormat(numberLocale()).format(BigInt(value));
  return new Intl.NumberFormat(numberLocale()).format(n);
}

/** A decimal money text in the reader's language, its digits kept (never through a float). */
export function money(value: string | null | undefined, currency?: string | null): string {
  if (!value) return '—';
  const negative = value.startsWith('-');
  const [whole, frac = ''] = (negative ? value.slice(1) : value).split('.');
  const trimmed = frac.replace(/0+$/, '').padEnd(2, '0');
  const formatted = `${negative ? '-' : ''}${new Intl.NumberFormat(numberLocale()).format(BigInt(whole || '0'))}.${trimmed}`;
  return currency ? `${formatted} ${currency}` : formatted;
}

/** A share (0..1) as a percentage with the given decimals: `0.0357` -> `3.57 %`. */
export function percent(share: number | null | undefined, decimals = 2): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${new Intl.NumberFormat(numberLocale(), { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(share * 100)} %`;
}

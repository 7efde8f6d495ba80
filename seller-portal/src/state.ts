import { SITE_TIME_ZONE, siteTime } from '@wms/contracts';
import { reactive } from 'vue';
import type { SellerMe, User } from './api.js';
import { currentLocale } from './i18n.js';
import type { ConnectionState } from './live.js';

/** What the whole portal shares: who is signed in, for which seller, and the live feed's state. */
export const state = reactive({
  user: null as User | null,
  me: null as SellerMe | null,
  live: 'reconnecting' as ConnectionState,
  /**
   * Bumped per kind of `seller.changed` event ('stock', 'shipment', 'order', 'return', 'alert',
   * 'import'); pages watch the kinds they show and load again.
   */
  changes: {} as Record<string, number>,
  /** The ref of the last change of each kind (a shipment number, an import id, ...). */
  lastRefs: {} as Record<string, string>,
  /** Each warehouse's time zone (from the stock summary): times are shown in the warehouse's clock. */
  zones: {} as Record<string, string>,
});

/** The warehouse's own time zone (an overseas warehouse keeps its clock), the centre's otherwise. */
export function zoneOf(warehouseCode?: string | null): string {
  return (warehouseCode && state.zones[warehouseCode]) || SITE_TIME_ZONE;
}

/** A time as the warehouse's people read it: `2026-12-01 09:08 Europe/Berlin`. */
export function timeAt(at: string | null | undefined, warehouseCode?: string | null): string {
  if (!at) return '—';
  try {
    return siteTime(at, zoneOf(warehouseCode));
  } catch {
    return at;
  }
}

/** A quantity in the reader's language (`1,234` / `1,234`); bigint text from the server stays exact. */
export function qty(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const locale = currentLocale() === 'zh' ? 'zh-CN' : 'en-GB';
  const n = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(n)) return String(value);
  if (typeof value === 'string' && !Number.isSafeInteger(n) && /^-?\d+$/.test(value))
    return new Intl.NumberFormat(locale).format(BigInt(value));
  return new Intl.NumberFormat(locale).format(n);
}

/** A decimal price text in the reader's language, its digits kept. */
export function money(value: string | null | undefined, currency?: string | null): string {
  if (!value) return '—';
  const locale = currentLocale() === 'zh' ? 'zh-CN' : 'en-GB';
  const [whole, frac = ''] = value.split('.');
  const trimmed = frac.replace(/0+$/, '').padEnd(2, '0');
  const formatted = `${new Intl.NumberFormat(locale).format(BigInt(whole))}.${trimmed}`;
  return currency ? `${formatted} ${currency}` : formatted;
}

/**
 * The kinds of `seller.changed` that move stock: a stock view reloads on any of them (an order's
 * reservation is told as an `order` change, a receipt as a `shipment` change).
 */
export const STOCK_KINDS = ['stock', 'order', 'shipment', 'return'];

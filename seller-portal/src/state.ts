import { SITE_TIME_ZONE } from '@wms/contracts';
import { timeIn } from '@wms/desktop-kit';
import { reactive } from 'vue';
import type { SellerMe, User } from './api.js';
import type { ConnectionState } from './live.js';

export { money, qty } from '@wms/desktop-kit';

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
export const timeAt = (at: string | null | undefined, warehouseCode?: string | null) =>
  timeIn(at, zoneOf(warehouseCode));

/**
 * The kinds of `seller.changed` that move stock: a stock view reloads on any of them (an order's
 * reservation is told as an `order` change, a receipt as a `shipment` change).
 */
export const STOCK_KINDS = ['stock', 'order', 'shipment', 'return'];

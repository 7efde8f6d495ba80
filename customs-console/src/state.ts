import type { CustomsChange } from '@wms/contracts';
import { type ConnectionState, loaderFor, timeIn } from '@wms/desktop-kit';
import { reactive } from 'vue';
import type { User } from './api.js';

export { money, percent, qty } from '@wms/desktop-kit';

/** The live feed keeps this many of the latest changes. */
const FEED_SIZE = 100;

/** What the whole console shares: the officer signed in, the live feed and its state. */
export const state = reactive({
  user: null as User | null,
  live: 'reconnecting' as ConnectionState,
  /** Bumped per kind of `customs.changed` ('hold', 'warning', 'stock', ...): pages reload the kinds they show. */
  changes: {} as Record<string, number>,
  /** The latest changes, newest first, for the live feed. */
  feed: [] as CustomsChange[],
});

/** A change arrived: pages watching its kind load again; the feed shows it. */
export function changed(change: CustomsChange): void {
  state.changes[change.kind] = (state.changes[change.kind] ?? 0) + 1;
  state.feed.unshift(change);
  if (state.feed.length > FEED_SIZE) state.feed.length = FEED_SIZE;
}

/** A time on the centre's clock (Asia/Shanghai), as the officers and the documents read it. */
export const timeAt = (at: string | null | undefined) => timeIn(at);

/**
 * Loads a page's data on mount and again whenever a `customs.changed` of one of `kinds` arrives:
 * `const rows = useLoad(() => request(...), ['hold'])`.
 */
export const useLoad = loaderFor(state.changes);
export { messageOf } from '@wms/desktop-kit';

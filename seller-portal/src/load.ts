import { loaderFor } from '@wms/desktop-kit';
import { state } from './state.js';

export type { Loaded } from '@wms/desktop-kit';
export { messageOf } from '@wms/desktop-kit';

/**
 * Loads a page's data on mount and again whenever a `seller.changed` event of one of `kinds`
 * arrives, so what the seller sees follows the warehouse without a reload.
 */
export const useLoad = loaderFor(state.changes);

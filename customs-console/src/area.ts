import type { RouteRecordRaw } from 'vue-router';

// biome-ignore lint/suspicious/noExplicitAny: an area's message tree
type Messages = Record<string, any>;

/**
 * One area of the console (issue 13): a file `src/areas/<name>.ts` exporting this as default. The
 * console picks every area up by itself (areas.ts), so adding one never edits the router, the menu
 * or the i18n index. The area's words are under its name: `t('<name>.title')`.
 */
export interface Area {
  /** Position in the menu, lower first. */
  order: number;
  menu: Array<{ path: string; label: { zh: string; en: string } }>;
  routes: RouteRecordRaw[];
  messages: { zh: Messages; en: Messages };
}

/** Declares an area (typing only). */
export const defineArea = (area: Area): Area => area;

/** One entry of a desktop app's menu (AppShell.vue). */
export interface MenuEntry {
  path: string;
  label: string;
  testid: string;
}

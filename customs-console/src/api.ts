import { createClient, qs, type User } from '@wms/desktop-kit';

/**
 * The console's side of the server's API: the desktop kit's sign-in and token renewal under the
 * console's own session key, and the /api/customs routes. The server decides; this only asks.
 * Areas add their own calls in their views' folders (`views/<area>/api.ts`) with `request`.
 */

export type { Page, SignedIn, User } from '@wms/desktop-kit';
export { ApiError, allPages, isRouteMissing, qs } from '@wms/desktop-kit';

/** The roles this console is for: customs officers (the server's `customs` role). */
export const isOfficer = (user: User | null) => !!user?.roles.includes('customs');

/** Kept in sessionStorage under its own key: closing the tab ends the session on this computer. */
export const client = createClient('wms.customs.session');
export const {
  session,
  request,
  renewSession,
  fetchDocument,
  fetchDataUrl,
  saveDocument,
  onTokenRenewed,
  whenSessionRejected,
} = client;

/** An export of a console table (`format=csv|xlsx` on the table's own route), saved as a file. */
export function exportTable(
  path: string,
  query: Record<string, string | number | boolean | undefined | null>,
  format: 'csv' | 'xlsx',
  baseName: string,
) {
  return saveDocument(`${path}${qs({ ...query, format })}`, `${baseName}.${format}`);
}

export const api = {
  login: client.login,
  logout: client.logout,
  me: () => request<User>('GET', '/api/auth/me'),
};

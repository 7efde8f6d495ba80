import './styles.css';
import { api, session, whenSessionRejected } from './api.js';
import { applyLang, t } from './i18n.js';
import { renderBoard } from './screens/board.screen.js';
import type { Nav } from './screens/frame.js';
import { type Route, renderHome } from './screens/home.screen.js';
import { renderLiveScans } from './screens/live-scans.screen.js';
import { renderLogin } from './screens/login.screen.js';
import { renderOperation } from './screens/operation.screen.js';
import { renderStation } from './screens/station.screen.js';

const root = document.getElementById('app')!;
applyLang();

const ROUTES: Route[] = [
  'live',
  'receive',
  'putaway',
  'pick',
  'stocktake',
  'gate',
  'station',
  'board',
  'load',
  'returns',
  'inspection',
];

/** Whatever the current screen must stop (sockets, timers) when we leave it. */
let leaveScreen = () => {};

/** The screen in the address (`#/pick`), so a reload or a bookmark on a station opens it again. */
function routeFromHash(): Route | null {
  const name = location.hash.replace(/^#\/?/, '');
  return (ROUTES as string[]).includes(name) ? (name as Route) : null;
}

function showLogin(notice?: string) {
  leaveScreen();
  leaveScreen = () => {};
  // Signing out ends the session on the server as well (a refused session is already over).
  if (session.token && !notice) void api.logout().catch(() => undefined);
  session.clear();
  renderLogin(root, () => show(routeFromHash()), notice);
}

const nav: Nav = {
  home: () => go(null),
  signOut: (notice?: string) => showLogin(notice),
};

function go(route: Route | null) {
  const hash = route ? `#/${route}` : '#/';
  if (location.hash !== hash) history.pushState(null, '', hash);
  show(route);
}

function show(route: Route | null) {
  leaveScreen();
  leaveScreen = () => {};
  if (!route) {
    renderHome(root, go, () => showLogin());
    return;
  }
  const screen =
    route === 'live'
      ? renderLiveScans(root, showLogin, () => go(null))
      : route === 'station'
        ? renderStation(root, nav)
        : route === 'board'
          ? renderBoard(root, nav)
          : renderOperation(root, route, nav);
  leaveScreen = () => screen.close();
}

window.addEventListener('popstate', () => {
  if (session.token) show(routeFromHash());
});

// Any request the server refuses for an expired or revoked token ends the session, on any screen.
whenSessionRejected(() => {
  if (session.token) showLogin(t('sessionExpired'));
});

if (session.token) show(routeFromHash());
else showLogin();

import './styles.css';
import { session, whenSessionRejected } from './api.js';
import { applyLang, t } from './i18n.js';
import { renderLiveScans } from './screens/live-scans.screen.js';
import { renderLogin } from './screens/login.screen.js';

const root = document.getElementById('app')!;
applyLang();

/** Whatever the current screen must stop (sockets, timers) when we leave it. */
let leaveScreen = () => {};

function showLogin(notice?: string) {
  leaveScreen();
  leaveScreen = () => {};
  session.clear();
  renderLogin(root, showLive, notice);
}

function showLive() {
  leaveScreen();
  const screen = renderLiveScans(root, showLogin);
  leaveScreen = () => screen.close();
}

// Any request the server refuses for an expired or revoked token ends the session, on any screen.
whenSessionRejected(() => {
  if (session.token) showLogin(t('sessionExpired'));
});

if (session.token) showLive();
else showLogin();

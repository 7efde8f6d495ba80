import './styles.css';
import { session } from './api.js';
import { lang } from './i18n.js';
import { renderLiveScans } from './screens/live-scans.screen.js';
import { renderLogin } from './screens/login.screen.js';

const root = document.getElementById('app')!;
document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';

function showLogin(notice?: string) {
  renderLogin(root, showLive, notice);
}

function showLive() {
  void renderLiveScans(root, showLogin);
}

if (session.token) showLive();
else showLogin();

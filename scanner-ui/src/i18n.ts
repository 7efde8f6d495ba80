/** Every word on screen, in English and Chinese. `{name}` marks a value filled in at run time. */
const en = {
  appTitle: 'Bonded WMS',
  signIn: 'Sign in',
  username: 'Username',
  password: 'Password',
  signingIn: 'Signing in…',
  signOut: 'Sign out',
  /** The toggle shows the language it switches to, in that language. */
  switchLanguage: '中文',
  liveScans: 'Live scans',
  station: 'Station',
  allStations: 'All stations',
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  noScans: 'No scans yet. Scan a barcode at the station.',
  device: 'Device',
  symbology: 'Type',
  agents: 'Agents',
  agentOnline: 'online',
  agentOffline: 'offline',
  agentUnknown: 'not reported',
  agentBacklog: '{count} waiting to upload',
  sessionExpired: 'Your session has expired. Sign in again.',
  serverUnreachable: 'Cannot reach the server. Check the network and try again.',
  loadFailed: 'Could not load the latest scans: {message}',
};

type Messages = Record<keyof typeof en, string>;

const zh: Messages = {
  appTitle: '保税仓储系统',
  signIn: '登录',
  username: '用户名',
  password: '密码',
  signingIn: '正在登录…',
  signOut: '退出',
  switchLanguage: 'English',
  liveScans: '实时扫描',
  station: '工位',
  allStations: '全部工位',
  live: '实时',
  connecting: '正在连接…',
  reconnecting: '正在重连…',
  offline: '离线',
  noScans: '暂无扫描。请在工位扫描条码。',
  device: '设备',
  symbology: '码制',
  agents: '采集端',
  agentOnline: '在线',
  agentOffline: '离线',
  agentUnknown: '未上报',
  agentBacklog: '{count} 条待上传',
  sessionExpired: '登录已过期，请重新登录。',
  serverUnreachable: '无法连接服务器，请检查网络后重试。',
  loadFailed: '无法加载最近的扫描：{message}',
};

const messages: Record<Lang, Messages> = { en, zh };

export type Lang = 'en' | 'zh';
export type MessageKey = keyof Messages;

const LANG_KEY = 'wms.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current: Lang = initialLang();

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return messages[current][key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

export function lang(): Lang {
  return current;
}

/** The BCP 47 tag for `<html lang>` and date formatting. */
export function locale(): string {
  return current === 'zh' ? 'zh-CN' : 'en-GB';
}

export function applyLang(): void {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  document.title = t('appTitle');
}

export function toggleLang(): void {
  current = current === 'en' ? 'zh' : 'en';
  localStorage.setItem(LANG_KEY, current);
  applyLang();
}

/** Every word on screen, in Chinese and English. */
const messages = {
  en: {
    appTitle: 'Bonded WMS',
    signIn: 'Sign in',
    username: 'Username',
    password: 'Password',
    signingIn: 'Signing in…',
    signOut: 'Sign out',
    language: '中文',
    liveScans: 'Live scans',
    station: 'Station',
    allStations: 'All stations',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
    noScans: 'No scans yet. Scan a barcode at the station.',
    code: 'Code',
    device: 'Device',
    time: 'Time',
    symbology: 'Type',
    agent: 'Agent',
    agentOnline: 'online',
    agentOffline: 'offline',
    sessionExpired: 'Your session has expired. Sign in again.',
    serverUnreachable: 'Cannot reach the server. Check the network and try again.',
  },
  zh: {
    appTitle: '保税仓储系统',
    signIn: '登录',
    username: '用户名',
    password: '密码',
    signingIn: '正在登录…',
    signOut: '退出',
    language: 'English',
    liveScans: '实时扫描',
    station: '工位',
    allStations: '全部工位',
    live: '在线',
    reconnecting: '正在重连…',
    offline: '离线',
    noScans: '暂无扫描。请在工位扫描条码。',
    code: '条码',
    device: '设备',
    time: '时间',
    symbology: '码制',
    agent: '采集端',
    agentOnline: '在线',
    agentOffline: '离线',
    sessionExpired: '登录已过期，请重新登录。',
    serverUnreachable: '无法连接服务器，请检查网络后重试。',
  },
} as const;

export type Lang = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['en'];

let current: Lang = (localStorage.getItem('wms.lang') as Lang) || (navigator.language.startsWith('zh') ? 'zh' : 'en');

export function t(key: MessageKey): string {
  return messages[current][key];
}

export function lang(): Lang {
  return current;
}

export function toggleLang(): void {
  current = current === 'en' ? 'zh' : 'en';
  localStorage.setItem('wms.lang', current);
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
}

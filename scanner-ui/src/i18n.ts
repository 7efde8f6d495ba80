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
  home: 'Menu',
  back: 'Menu',
  opReceive: 'Receive',
  opPutaway: 'Put away',
  opPick: 'Pick',
  opStocktake: 'Stock-take',
  opGate: 'Gate out',
  opStation: 'Pack · weigh · label',
  opBoard: 'Supervisor board',
  opLoad: 'Load',
  opReturns: 'Returns desk',
  opInspection: 'Inspection area',
  trip: 'Vehicle trip',
  fillUnits: '— fill bags and pallets —',
  warehouse: 'Warehouse',
  delivery: 'Delivery',
  stocktake: 'Stock-take',
  noneOpen: '— none open —',
  condition: 'Condition',
  good: 'Good',
  damaged: 'Damaged',
  scanHere: 'Scan or type a code, then Enter',
  ready: 'Ready',
  readyNext: 'Scan the first code',
  sending: 'Sending…',
  savedOffline: 'No network: scan saved, it will be sent when the network is back',
  pendingCount: '{count} scan(s) waiting for the network',
  gatePassed: '{no} may leave: gate pass {pass}',
  gateNext: 'Scan the next parcel',
  refusedNext: 'Do what it says, then scan again',
  scanParcel: 'Scan the parcel',
  weight: 'Weight',
  noWeight: 'No weight yet',
  printer: 'Printer',
  printerUnknown: 'not reported',
  parcel: 'Parcel',
  customsStatus: 'Customs',
  packed: 'Packed: put the parcel on the scale',
  weighed: 'Weight {kg} kg matches: printing the label',
  weightHold: 'Held: {message}',
  printed: 'Label printed (SSCC {sscc})',
  printFailed: 'Label not printed: {reason}',
  printLabel: 'Print label',
  reprint: 'Reprint',
  reprintReason: 'Why reprint? (damaged label, printer jam…)',
  counts: 'Work in progress',
  holds: 'Holds',
  refusedScans: 'Refused scans (last hour)',
  boardDeliveriesOpen: 'Deliveries being counted',
  boardDeliveriesHeld: 'Deliveries held',
  boardParcelsToPick: 'Parcels to pick',
  boardShortPicks: 'Short picks',
  boardPackedWaiting: 'Packed, not yet out',
  boardHeld: 'Parcels held',
  boardInspection: 'Under inspection',
  boardStocktakesOpen: 'Stock-takes open',
  nothingHere: 'Nothing',
  job: 'Job',
  noJob: 'No job set',
  setJob: 'Set job',
  jobSet: 'Job set: {job}',
  jobBy: 'by {operator}',
  jobPack: 'Pack · weigh · label',
  contextNo: 'Delivery, count or trip no.',
  lastAnswers: 'Answers',
  noAnswers: 'No answers yet',
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
  home: '菜单',
  back: '菜单',
  opReceive: '收货',
  opPutaway: '上架',
  opPick: '拣货',
  opStocktake: '盘点',
  opGate: '卡口放行',
  opStation: '打包 · 称重 · 贴标',
  opBoard: '主管看板',
  opLoad: '装车',
  opReturns: '退货台',
  opInspection: '查验区',
  trip: '车次',
  fillUnits: '— 装袋 / 装托盘 —',
  warehouse: '仓库',
  delivery: '到货单',
  stocktake: '盘点单',
  noneOpen: '— 暂无 —',
  condition: '货物状况',
  good: '完好',
  damaged: '破损',
  scanHere: '扫描或输入条码后按回车',
  ready: '就绪',
  readyNext: '请扫描第一个条码',
  sending: '正在发送…',
  savedOffline: '网络中断：扫描已保存，网络恢复后自动发送',
  pendingCount: '{count} 条扫描等待网络',
  gatePassed: '{no} 可以放行：核放单 {pass}',
  gateNext: '请扫描下一个包裹',
  refusedNext: '请按提示处理后再扫描',
  scanParcel: '请扫描包裹',
  weight: '重量',
  noWeight: '暂无重量',
  printer: '打印机',
  printerUnknown: '未上报',
  parcel: '包裹',
  customsStatus: '海关状态',
  packed: '已打包：请把包裹放到秤上',
  weighed: '重量 {kg} kg 相符：正在打印面单',
  weightHold: '已扣留：{message}',
  printed: '面单已打印（SSCC {sscc}）',
  printFailed: '面单未打印：{reason}',
  printLabel: '打印面单',
  reprint: '补打',
  reprintReason: '补打原因？（面单破损、卡纸…）',
  counts: '作业进度',
  holds: '扣留',
  refusedScans: '被拒扫描（最近一小时）',
  boardDeliveriesOpen: '清点中的到货单',
  boardDeliveriesHeld: '挂起的到货单',
  boardParcelsToPick: '待拣包裹',
  boardShortPicks: '缺拣',
  boardPackedWaiting: '已打包未出区',
  boardHeld: '扣留包裹',
  boardInspection: '查验中',
  boardStocktakesOpen: '进行中的盘点',
  nothingHere: '无',
  job: '作业',
  noJob: '未设置作业',
  setJob: '设置作业',
  jobSet: '作业已设置：{job}',
  jobBy: '操作员 {operator}',
  jobPack: '打包 · 称重 · 贴标',
  contextNo: '到货单、盘点单或车次号',
  lastAnswers: '处理结果',
  noAnswers: '暂无结果',
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

import { createAppI18n } from '@wms/desktop-kit';
import { areas } from './areas.js';

/** The console speaks Chinese first, and English; each area brings its own words under its name. */
export type { Locale } from '@wms/desktop-kit';
export { currentLocale, named } from '@wms/desktop-kit';

const en = {
  app: {
    title: 'Customs console',
    refresh: 'Refresh',
    cancel: 'Cancel',
    confirm: 'Confirm',
    search: 'Search',
    all: 'All',
    none: 'None',
    more: 'Load more',
    loadFailed: 'Could not load: {message}',
  },
  login: {
    title: 'Customs officer sign-in',
    notOfficer:
      'This console is for customs officers. {name} is not a customs account: warehouse staff use the floor app at /, sellers the portal at /seller/.',
  },
  change: {
    hold: 'Hold',
    inspection: 'Inspection',
    warning: 'Risk warning',
    stock: 'Bonded stock',
    stocktake: 'Stock-take',
    receipt: 'Customs receipt',
    declaration: 'Declaration',
    statistics: 'Statistics',
    ageing: 'Storage ageing',
    credit: 'Credit grade',
  },
};

const zh: typeof en = {
  app: {
    title: '海关监管控制台',
    refresh: '刷新',
    cancel: '取消',
    confirm: '确认',
    search: '查询',
    all: '全部',
    none: '无',
    more: '加载更多',
    loadFailed: '加载失败：{message}',
  },
  login: {
    title: '海关关员登录',
    notOfficer: '本控制台供海关关员使用。{name} 不是海关账号：仓库人员请使用 / 的作业端，卖家请使用 /seller/ 的门户。',
  },
  change: {
    hold: '扣留',
    inspection: '查验',
    warning: '风险预警',
    stock: '保税库存',
    stocktake: '盘点',
    receipt: '海关回执',
    declaration: '申报',
    statistics: '统计',
    ageing: '库龄',
    credit: '信用等级',
  },
};

const byArea = (locale: 'zh' | 'en') => Object.fromEntries(areas.map((a) => [a.name, a.messages[locale]]));

export const { i18n, setLocale } = createAppI18n('wms.customs.locale', {
  en: { ...en, ...byArea('en') },
  zh: { ...zh, ...byArea('zh') },
});

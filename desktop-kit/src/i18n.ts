import { createI18n } from 'vue-i18n';

/** The desktop apps speak Chinese and English; the choice is remembered on this computer. */
export type Locale = 'zh' | 'en';

/** The kit's own words (sign-in card, shell, empty states), merged into each app under `kit`. */
const kit = {
  en: {
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    signOut: 'Sign out',
    live: { live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' },
    notAvailable: 'Not available yet: this server does not offer {what} yet.',
    network: 'The server cannot be reached: check the network and try again.',
    exportCsv: 'Export CSV',
    exportXlsx: 'Export XLSX',
  },
  zh: {
    username: '用户名',
    password: '密码',
    submit: '登录',
    signOut: '退出',
    live: { live: '实时', reconnecting: '重新连接中…', offline: '离线' },
    notAvailable: '暂不可用：此服务器尚未提供{what}。',
    network: '无法连接服务器：请检查网络后重试。',
    exportCsv: '导出 CSV',
    exportXlsx: '导出 XLSX',
  },
};

// biome-ignore lint/suspicious/noExplicitAny: message trees of each app
type Messages = Record<string, any>;

let current: ReturnType<typeof build> | null = null;
function build(messages: { en: Messages; zh: Messages }, locale: Locale) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en: { ...messages.en, kit: kit.en }, zh: { ...messages.zh, kit: kit.zh } },
  });
}

/**
 * The app's i18n: its messages plus the kit's, the locale saved under `storageKey` (else the
 * browser's language). One per app; `setLocale`, `currentLocale` and `named` act on it.
 */
export function createAppI18n(storageKey: string, messages: { en: Messages; zh: Messages }) {
  const saved = localStorage.getItem(storageKey);
  const locale: Locale =
    saved === 'zh' || saved === 'en' ? saved : navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  current = build(messages, locale);
  const i18n = current;
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  return {
    i18n,
    setLocale(next: Locale): void {
      i18n.global.locale.value = next;
      localStorage.setItem(storageKey, next);
      document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    },
  };
}

export const currentLocale = (): Locale => (current?.global.locale.value as Locale | undefined) ?? 'en';

/** A code's name in the reader's language (`statuses.packed` -> Packed / 已打包), or the code itself. */
export function named(prefix: string, code: unknown): string {
  if (code === null || code === undefined || code === '') return '—';
  const key = `${prefix}.${String(code)}`;
  return current?.global.te(key) ? current.global.t(key) : String(code);
}

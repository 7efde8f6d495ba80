import { api, session, type Warehouse } from '../api.js';
import { h } from '../dom.js';
import { lang, t, toggleLang } from '../i18n.js';

export interface Nav {
  /** Back to the menu. */
  home(): void;
  /** End the session (with a notice when it was not the user's choice). */
  signOut(notice?: string): void;
}

/** The language switch, labelled in the language it switches to; `repaint` redraws the screen. */
export function languageToggle(repaint: () => void): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'link',
      lang: lang() === 'en' ? 'zh-CN' : 'en',
      'data-testid': 'language-toggle',
      onclick: () => {
        toggleLang();
        repaint();
      },
    },
    t('switchLanguage'),
  );
}

/** The bar on top of every work screen: back to the menu, title, what else, language, sign out. */
export function bar(title: string, nav: Nav, repaint: () => void, ...extra: Array<Node | null>): HTMLElement {
  return h(
    'header',
    { class: 'bar' },
    h(
      'button',
      { type: 'button', class: 'link', 'data-testid': 'nav-home', onclick: () => nav.home() },
      `← ${t('back')}`,
    ),
    h('h1', { 'data-testid': 'screen-title' }, title),
    ...extra,
    h('span', { class: 'user', 'data-testid': 'user-name' }, session.user?.displayName ?? ''),
    languageToggle(repaint),
    h(
      'button',
      { type: 'button', class: 'link', 'data-testid': 'sign-out', onclick: () => nav.signOut() },
      t('signOut'),
    ),
  );
}

const WAREHOUSE_KEY = 'wms.warehouse';
const STATION_KEY = 'wms.station';

/** The warehouse and station this device works in, remembered on the device. */
export const place = {
  get warehouse(): string {
    return localStorage.getItem(WAREHOUSE_KEY) ?? '';
  },
  set warehouse(code: string) {
    localStorage.setItem(WAREHOUSE_KEY, code);
  },
  get station(): string {
    return localStorage.getItem(STATION_KEY) ?? sessionStorage.getItem(STATION_KEY) ?? '';
  },
  set station(id: string) {
    localStorage.setItem(STATION_KEY, id);
  },
};

let warehouses: Warehouse[] | null = null;

/** A select of the warehouses, remembering the choice. */
export function warehousePicker(onChange: () => void): HTMLLabelElement {
  const select = h('select', { 'data-testid': 'warehouse-picker' });
  const fill = () => {
    select.replaceChildren(
      ...(warehouses ?? []).map((w) =>
        h('option', { value: w.code, selected: w.code === place.warehouse }, `${w.code} · ${w.name}`),
      ),
    );
    if (!place.warehouse && warehouses?.length) place.warehouse = warehouses[0].code;
    select.value = place.warehouse;
  };
  select.addEventListener('change', () => {
    place.warehouse = select.value;
    onChange();
  });
  if (warehouses) fill();
  else
    void api.warehouses().then(({ items }) => {
      warehouses = items;
      const first = !place.warehouse;
      fill();
      if (first) onChange();
    });
  return h('label', {}, h('span', {}, t('warehouse')), select);
}

/** A select of the stations (the serial scanner and scale whose events this screen follows). */
export function stationPicker(onChange: () => void): HTMLLabelElement {
  const select = h('select', { 'data-testid': 'station-picker' });
  void api.stations().then(({ items }) => {
    select.replaceChildren(
      ...items.map((s) =>
        h('option', { value: s.stationId, selected: s.stationId === place.station }, `${s.stationId} · ${s.name}`),
      ),
    );
    if (!items.some((s) => s.stationId === place.station) && items.length) {
      place.station = items[0].stationId;
      onChange();
    }
    select.value = place.station;
  });
  select.addEventListener('change', () => {
    place.station = select.value;
    onChange();
  });
  return h('label', {}, h('span', {}, t('station')), select);
}

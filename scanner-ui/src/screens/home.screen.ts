import { session } from '../api.js';
import { h } from '../dom.js';
import { type MessageKey, t } from '../i18n.js';
import { languageToggle } from './frame.js';

export type Route =
  | 'live'
  | 'receive'
  | 'putaway'
  | 'pick'
  | 'stocktake'
  | 'gate'
  | 'station'
  | 'board'
  | 'load'
  | 'returns'
  | 'inspection';

const ITEMS: Array<[Route, MessageKey, string[] | null]> = [
  ['receive', 'opReceive', null],
  ['putaway', 'opPutaway', null],
  ['pick', 'opPick', null],
  ['station', 'opStation', null],
  ['load', 'opLoad', null],
  ['gate', 'opGate', null],
  ['inspection', 'opInspection', null],
  ['returns', 'opReturns', null],
  ['stocktake', 'opStocktake', null],
  ['live', 'liveScans', null],
  ['board', 'opBoard', ['supervisor']],
];

/** The menu: one big button per job, as the user's roles allow. */
export function renderHome(root: HTMLElement, go: (route: Route) => void, signOut: () => void): void {
  const roles = session.user?.roles ?? [];
  // a customs officer has no floor job: the console at /customs/ is theirs (issue 13)
  const officerOnly = roles.includes('customs') && !roles.some((r) => r === 'staff' || r === 'supervisor');
  const visible = officerOnly ? [] : ITEMS.filter(([, , need]) => !need || need.some((r) => roles.includes(r)));
  root.replaceChildren(
    h(
      'div',
      { class: 'screen', 'data-testid': 'screen-home' },
      h(
        'header',
        { class: 'bar' },
        h('h1', {}, t('appTitle')),
        h('span', { class: 'user', 'data-testid': 'user-name' }, session.user?.displayName ?? ''),
        languageToggle(() => renderHome(root, go, signOut)),
        h('button', { type: 'button', class: 'link', 'data-testid': 'sign-out', onclick: signOut }, t('signOut')),
      ),
      officerOnly
        ? h(
            'nav',
            { class: 'menu' },
            h('p', {}, t('customsConsoleHint')),
            h(
              'a',
              { class: 'button primary', href: '/customs/', 'data-testid': 'customs-console-link' },
              t('customsConsole'),
            ),
          )
        : null,
      h(
        'nav',
        { class: 'menu' },
        ...visible.map(([route, label]) =>
          h(
            'button',
            { type: 'button', class: 'primary', 'data-testid': `menu-${route}`, onclick: () => go(route) },
            t(label),
          ),
        ),
      ),
    ),
  );
}

import { api, session } from '../api.js';
import { h } from '../dom.js';
import { locale, type MessageKey, t } from '../i18n.js';
import { LiveConnection } from '../live.js';
import { bar, type Nav, place, warehousePicker } from './frame.js';

const TILES: Array<[string, MessageKey, 'bad' | 'warn' | '']> = [
  ['deliveriesOpen', 'boardDeliveriesOpen', ''],
  ['deliveriesHeld', 'boardDeliveriesHeld', 'warn'],
  ['parcelsToPick', 'boardParcelsToPick', ''],
  ['shortPicks', 'boardShortPicks', 'bad'],
  ['packedWaiting', 'boardPackedWaiting', ''],
  ['held', 'boardHeld', 'bad'],
  ['inspection', 'boardInspection', 'warn'],
  ['stocktakesOpen', 'boardStocktakesOpen', ''],
];

/** Work in progress per operation, holds and refused scans, refreshed live. */
export function renderBoard(root: HTMLElement, nav: Nav): { close(): void } {
  const screen = h('div', { class: 'screen', 'data-testid': 'screen-board' });
  const state = h('span', { class: 'state', 'data-testid': 'connection-state' });
  const tiles = h('div', { class: 'tiles', 'data-testid': 'board-counts' });
  const holds = h('ol', { class: 'answers', 'data-testid': 'board-holds' });
  const refused = h('ol', { class: 'answers', 'data-testid': 'board-refused' });
  let data: Awaited<ReturnType<typeof api.board>> | null = null;

  const paintData = () => {
    const counts = data?.counts ?? {};
    tiles.replaceChildren(
      ...TILES.map(([key, label, tone]) =>
        h(
          'div',
          { class: `tile ${counts[key] && tone ? tone : ''}`, 'data-count': key },
          h('span', { class: 'label' }, t(label)),
          h('strong', {}, String(counts[key] ?? 0)),
        ),
      ),
    );
    const time = (iso: string) => new Date(iso).toLocaleTimeString(locale(), { hour12: false });
    holds.replaceChildren(
      ...(data?.holds.length
        ? data.holds.map((x) =>
            h(
              'li',
              { class: 'answer refused' },
              h('strong', {}, x.logisticsNo),
              ` ${x.reason} · ${x.by} · ${time(x.at)}`,
            ),
          )
        : [h('li', { class: 'answer' }, t('nothingHere'))]),
    );
    refused.replaceChildren(
      ...(data?.refusedScans.length
        ? data.refusedScans.map((x) =>
            h(
              'li',
              { class: 'answer refused' },
              `${time(x.at)} · ${x.actor} · ${x.stationId} · ${x.operation} · `,
              h('strong', {}, x.code),
              ` — ${x.message}`,
            ),
          )
        : [h('li', { class: 'answer' }, t('nothingHere'))]),
    );
  };
  const load = async () => {
    if (!place.warehouse) return;
    try {
      data = await api.board(place.warehouse);
      paintData();
    } catch {
      /* the next refresh tries again */
    }
  };
  const paint = () => {
    root.replaceChildren(screen);
    screen.replaceChildren(
      bar(t('opBoard'), nav, paint, state),
      h(
        'div',
        { class: 'context' },
        warehousePicker(() => void load()),
      ),
      h('h2', {}, t('counts')),
      tiles,
      h('h2', {}, t('holds')),
      holds,
      h('h2', {}, t('refusedScans')),
      refused,
    );
    paintData();
  };
  let queued: ReturnType<typeof setTimeout> | null = null;
  const soon = () => {
    queued ??= setTimeout(() => {
      queued = null;
      void load();
    }, 500);
  };
  const live = new LiveConnection(() => session.token, {
    onScan: soon,
    onPresence: () => {},
    onState: (next) => {
      state.className = `state ${next}`;
      state.dataset.state = next;
      state.textContent = t(next);
    },
    onWatching: () => {},
    onSessionRejected: () => nav.signOut(t('sessionExpired')),
    onServerError: () => {},
    onWeight: soon,
  });
  const timer = setInterval(() => void load(), 5000);
  paint();
  void load();
  return {
    close: () => {
      clearInterval(timer);
      live.close();
    },
  };
}

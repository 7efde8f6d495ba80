import type { AgentPresenceMessage, ScanRecordedMessage } from '@wms/contracts';
import { ApiError, api, type Station, session } from '../api.js';
import { codeNodes, h } from '../dom.js';
import { locale, t } from '../i18n.js';
import { type ConnectionState, LiveConnection } from '../live.js';
import { languageToggle } from './frame.js';

/** Rows kept on screen; older ones are in the history, not on a handheld's memory. */
const MAX_ROWS = 100;
const STATION_KEY = 'wms.station';

interface AgentPresence {
  state: string;
  at: string | null;
  backlog?: number;
}

export interface LiveScansScreen {
  /** Stop the live feed (leaving the screen). */
  close(): void;
}

/**
 * Live scans at one station (or all): who is connected, and every scan as it is recorded,
 * newest on top. `onSignOut` is called with a notice when the session ends.
 */
export function renderLiveScans(
  root: HTMLElement,
  onSignOut: (notice?: string) => void,
  onHome?: () => void,
): LiveScansScreen {
  let stationId: string | null = sessionStorage.getItem(STATION_KEY) || null;
  let stations: Station[] = [];
  /** Newest first, as on screen. */
  let scans: ScanRecordedMessage[] = [];
  const presence = new Map<string, AgentPresence>();
  let connection: ConnectionState = 'reconnecting';
  let everConnected = false;
  /** The station the server confirmed it is sending us ('*' = all); '' until confirmed. */
  let watching = '';
  let problem = '';
  /** Bumped on every station change so a slow history answer for the old station is dropped. */
  let loadGeneration = 0;

  const state = h('span', { class: 'state', role: 'status', 'data-testid': 'connection-state' });
  const picker = h('select', { 'data-testid': 'station-picker' });
  const agents = h('div', { class: 'agents', 'data-testid': 'agent-presence' });
  const banner = h('p', { class: 'banner', role: 'alert', 'data-testid': 'live-error' });
  const empty = h('p', { class: 'empty', 'data-testid': 'no-scans' });
  const list = h('ol', { class: 'scans', 'aria-live': 'polite', 'data-testid': 'scan-list' });

  const stationName = (id: string) => stations.find((s) => s.stationId === id)?.name;

  const paintState = () => {
    state.dataset.state = connection;
    state.dataset.watching = connection === 'live' ? watching : '';
    state.className = `state ${connection}`;
    state.textContent = t(connection === 'reconnecting' && !everConnected ? 'connecting' : connection);
  };

  const paintBanner = () => {
    banner.textContent = problem;
    banner.hidden = !problem;
  };

  const paintPicker = () => {
    picker.setAttribute('aria-label', t('station'));
    picker.replaceChildren(
      h('option', { value: '' }, t('allStations')),
      ...stations.map((s) =>
        h('option', { value: s.stationId, selected: s.stationId === stationId }, `${s.stationId} · ${s.name}`),
      ),
    );
    picker.value = stationId ?? '';
  };

  const paintAgents = () => {
    const shown = stationId
      ? new Set(stations.find((s) => s.stationId === stationId)?.devices.map((d) => d.agentId) ?? [])
      : new Set(presence.keys());
    const items = [...shown].sort().map((agentId) => {
      const p = presence.get(agentId) ?? { state: 'unknown', at: null };
      const known = p.state === 'online' || p.state === 'offline';
      const words = t(p.state === 'online' ? 'agentOnline' : p.state === 'offline' ? 'agentOffline' : 'agentUnknown');
      const backlog = p.backlog ? ` · ${t('agentBacklog', { count: p.backlog })}` : '';
      return h(
        'span',
        {
          class: `agent ${known ? p.state : 'unknown'}`,
          title: p.at ? new Date(p.at).toLocaleString(locale()) : '',
          'data-testid': 'agent-presence-item',
          'data-agent-id': agentId,
          'data-state': p.state,
        },
        h('strong', {}, agentId),
        ` ${words}${backlog}`,
      );
    });
    agents.replaceChildren(...(items.length ? [h('span', { class: 'label' }, t('agents')), ...items] : []));
  };

  const time = (iso: string) => {
    const at = new Date(iso);
    const clock = at.toLocaleTimeString(locale(), { hour12: false });
    return at.toDateString() === new Date().toDateString() ? clock : `${at.toLocaleDateString(locale())} ${clock}`;
  };

  const field = (name: string, label: string | null, value: string, title?: string) =>
    h(
      'span',
      { class: `field ${name}`, 'data-field': name, ...(title ? { title } : {}) },
      label ? h('span', { class: 'label' }, label) : null,
      label ? ' ' : null,
      value,
    );

  const row = (scan: ScanRecordedMessage, fresh: boolean) => {
    const element = h(
      'li',
      { class: fresh ? 'scan fresh' : 'scan', 'data-testid': 'scan-row', 'data-event-id': scan.eventId },
      h('div', { class: 'code', 'data-testid': 'scan-code' }, ...codeNodes(scan.code)),
      h(
        'div',
        { class: 'meta' },
        field('station', t('station'), scan.stationId, stationName(scan.stationId)),
        field('device', t('device'), scan.deviceId),
        scan.symbology ? field('symbology', t('symbology'), scan.symbology) : null,
        h('time', { class: 'field time', 'data-field': 'time', datetime: scan.occurredAt }, time(scan.occurredAt)),
      ),
    );
    // The highlight says "this one just arrived"; once it has faded the row is like the others.
    if (fresh) element.addEventListener('animationend', () => element.classList.remove('fresh'), { once: true });
    return element;
  };

  const paintEmpty = () => {
    empty.textContent = t('noScans');
    empty.hidden = scans.length > 0;
  };

  const paintList = () => {
    list.replaceChildren(...scans.map((scan) => row(scan, false)));
    paintEmpty();
  };

  const belongsHere = (scan: ScanRecordedMessage) => !stationId || scan.stationId === stationId;

  const addLive = (scan: ScanRecordedMessage) => {
    if (!belongsHere(scan) || scans.some((s) => s.eventId === scan.eventId)) return;
    scans.unshift(scan);
    list.prepend(row(scan, true));
    while (scans.length > MAX_ROWS) {
      scans.pop();
      list.lastElementChild?.remove();
    }
    paintEmpty();
  };

  const loadHistory = async () => {
    const generation = ++loadGeneration;
    scans = [];
    paintList();
    try {
      const { items } = await api.latestScans(stationId);
      if (generation !== loadGeneration) return;
      // Scans that came in live while we waited are newer than the history: keep them on top.
      const known = new Set(scans.map((s) => s.eventId));
      const older = items.filter((s) => belongsHere(s) && !known.has(s.eventId));
      const room = older.slice(0, Math.max(0, MAX_ROWS - scans.length));
      scans.push(...room);
      list.append(...room.map((scan) => row(scan, false)));
      paintEmpty();
    } catch (error) {
      if (generation === loadGeneration) showApiProblem(error);
    }
  };

  const showApiProblem = (error: unknown) => {
    // A 401 has already sent us back to the login screen (see main.ts).
    if (error instanceof ApiError && error.status === 401) return;
    const message = error instanceof ApiError && error.status && error.message ? error.message : t('serverUnreachable');
    problem = t('loadFailed', { message });
    paintBanner();
  };

  const loadStations = async () => {
    try {
      ({ items: stations } = await api.stations());
    } catch (error) {
      showApiProblem(error);
      return;
    }
    for (const device of stations.flatMap((s) => s.devices)) {
      // A live presence event is newer than this answer: don't overwrite it.
      if (device.agentPresence && !presence.has(device.agentId)) presence.set(device.agentId, device.agentPresence);
    }
    if (stationId && !stations.some((s) => s.stationId === stationId)) pickStation(null);
    paintPicker();
    paintAgents();
  };

  const live = new LiveConnection(() => session.token, {
    onScan: addLive,
    onPresence: (p: AgentPresenceMessage) => {
      presence.set(p.agentId, { state: p.state, at: p.at, backlog: p.backlog });
      paintAgents();
    },
    onState: (next) => {
      connection = next;
      if (next === 'live') everConnected = true;
      else watching = '';
      paintState();
    },
    onWatching: (id) => {
      watching = id;
      paintState();
    },
    onSessionRejected: () => onSignOut(t('sessionExpired')),
    onServerError: (message) => {
      problem = message;
      paintBanner();
    },
  });

  const pickStation = (next: string | null) => {
    stationId = next;
    sessionStorage.setItem(STATION_KEY, next ?? '');
    problem = '';
    paintBanner();
    watching = '';
    paintState();
    live.watch(next);
    paintAgents();
    void loadHistory();
  };
  picker.addEventListener('change', () => pickStation(picker.value || null));

  /** Everything with words in it; called again when the language changes. */
  const paint = () => {
    const languageButton = languageToggle(paint);
    const signOut = h(
      'button',
      { type: 'button', class: 'link', 'data-testid': 'sign-out', onclick: () => onSignOut() },
      t('signOut'),
    );
    root.replaceChildren(
      h(
        'header',
        { class: 'bar' },
        onHome
          ? h('button', { type: 'button', class: 'link', 'data-testid': 'nav-home', onclick: onHome }, `← ${t('back')}`)
          : null,
        h('h1', {}, t('liveScans')),
        state,
        h('span', { class: 'user', 'data-testid': 'user-name' }, session.user?.displayName ?? ''),
        languageButton,
        signOut,
      ),
      h('section', { class: 'controls' }, h('label', {}, h('span', {}, t('station')), picker), agents),
      banner,
      empty,
      list,
    );
    paintState();
    paintBanner();
    paintPicker();
    paintAgents();
    paintList();
  };

  paint();
  live.watch(stationId);
  void loadStations();
  void loadHistory();

  return { close: () => live.close() };
}

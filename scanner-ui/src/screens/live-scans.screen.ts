import type { AgentPresenceMessage, ScanRecordedMessage } from '@wms/contracts';
import { ApiError, api, type Station, session } from '../api.js';
import { h, visibleCode } from '../dom.js';
import { lang, t, toggleLang } from '../i18n.js';
import { type ConnectionState, LiveConnection } from '../live.js';

const MAX_ROWS = 100;

export async function renderLiveScans(root: HTMLElement, onSignedOut: (notice?: string) => void): Promise<void> {
  let stationId: string | null = sessionStorage.getItem('wms.station') || null;
  const seen = new Set<string>();
  const presence = new Map<string, AgentPresenceMessage>();

  const state = h(
    'span',
    { class: 'state offline', 'data-testid': 'connection-state', 'data-state': 'offline' },
    t('offline'),
  );
  const agents = h('span', { class: 'agents', 'data-testid': 'agent-presence' });
  const picker = h('select', { 'data-testid': 'station-picker', 'aria-label': t('station') });
  const list = h('ol', { class: 'scans', 'data-testid': 'scan-list' });
  const empty = h('p', { class: 'empty', 'data-testid': 'no-scans' }, t('noScans'));

  const signOut = (notice?: string) => {
    live.close();
    session.clear();
    onSignedOut(notice);
  };
  const handleApiError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) signOut(t('sessionExpired'));
  };

  const setState = (next: ConnectionState) => {
    state.dataset.state = next;
    state.className = `state ${next}`;
    state.textContent = t(next === 'live' ? 'live' : next === 'reconnecting' ? 'reconnecting' : 'offline');
  };

  const row = (scan: ScanRecordedMessage, fresh: boolean) =>
    h(
      'li',
      { class: fresh ? 'scan fresh' : 'scan', 'data-testid': 'scan-row', 'data-event-id': scan.eventId },
      h('span', { class: 'code', 'data-testid': 'scan-code' }, visibleCode(scan.code)),
      h(
        'span',
        { class: 'meta' },
        h('span', {}, scan.stationId),
        h('span', {}, scan.deviceId),
        scan.symbology ? h('span', { class: 'symbology' }, scan.symbology) : null,
        h(
          'time',
          { datetime: scan.occurredAt },
          new Date(scan.occurredAt).toLocaleTimeString(lang() === 'zh' ? 'zh-CN' : 'en-GB'),
        ),
      ),
    );

  const add = (scan: ScanRecordedMessage, fresh: boolean) => {
    if (seen.has(scan.eventId)) return;
    if (stationId && scan.stationId !== stationId) return;
    seen.add(scan.eventId);
    if (fresh) list.prepend(row(scan, true));
    else list.append(row(scan, false));
    while (list.children.length > MAX_ROWS) list.lastElementChild?.remove();
    empty.hidden = list.children.length > 0;
  };

  const renderPresence = () => {
    agents.replaceChildren(
      ...[...presence.values()].map((p) =>
        h(
          'span',
          { class: `agent ${p.state}` },
          `${t('agent')} ${p.agentId}: ${t(p.state === 'online' ? 'agentOnline' : 'agentOffline')}`,
        ),
      ),
    );
  };

  const load = async () => {
    list.replaceChildren();
    seen.clear();
    try {
      const { items } = await api.latestScans(stationId);
      for (const scan of items) add(scan, false);
    } catch (error) {
      handleApiError(error);
    }
    empty.hidden = list.children.length > 0;
  };

  const live = new LiveConnection(session.token ?? '', {
    onScan: (scan) => add(scan, true),
    onPresence: (p) => {
      presence.set(p.agentId, p);
      renderPresence();
    },
    onState: setState,
    onAuthError: () => signOut(t('sessionExpired')),
  });

  picker.addEventListener('change', () => {
    stationId = picker.value || null;
    sessionStorage.setItem('wms.station', picker.value);
    live.watch(stationId);
    void load();
  });

  const user = session.user;
  root.replaceChildren(
    h(
      'header',
      { class: 'bar' },
      h('strong', {}, t('liveScans')),
      state,
      h('span', { class: 'user' }, user?.displayName ?? ''),
      h(
        'button',
        {
          class: 'link',
          'data-testid': 'language-toggle',
          onclick: () => {
            toggleLang();
            live.close();
            void renderLiveScans(root, onSignedOut);
          },
        },
        t('language'),
      ),
      h('button', { class: 'link', 'data-testid': 'sign-out', onclick: () => signOut() }, t('signOut')),
    ),
    h('section', { class: 'controls' }, h('label', {}, t('station'), picker), agents),
    empty,
    list,
  );

  try {
    const { items } = await api.stations();
    picker.replaceChildren(
      h('option', { value: '' }, t('allStations')),
      ...items.map((s: Station) =>
        h('option', { value: s.stationId, selected: s.stationId === stationId }, `${s.stationId} · ${s.name}`),
      ),
    );
    if (stationId && !items.some((s) => s.stationId === stationId)) stationId = null;
    for (const device of items.flatMap((s) => s.devices)) {
      const { state, at } = device.agentPresence;
      if ((state === 'online' || state === 'offline') && !presence.has(device.agentId))
        presence.set(device.agentId, { agentId: device.agentId, state, at: at ?? '' });
    }
    renderPresence();
  } catch (error) {
    handleApiError(error);
  }
  live.watch(stationId);
  await load();
}

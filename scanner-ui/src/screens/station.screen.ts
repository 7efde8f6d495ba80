import type { DeviceStatusMessage, WeightRecordedMessage } from '@wms/contracts';
import { ApiError, api, type Station, session } from '../api.js';
import { h } from '../dom.js';
import { signal } from '../feedback.js';
import { t } from '../i18n.js';
import { type ConnectionState, LiveConnection } from '../live.js';
import { bar, type Nav, place, stationPicker } from './frame.js';

interface Step {
  outcome: 'ok' | 'refused' | 'pending' | 'idle';
  message: string;
}

/**
 * The packing station: scan a parcel, it is packed (from its picks); put it on the scale and the
 * stable weight (never typed) is checked against the declared and expected weight; within
 * tolerance the label prints on the station's printer, once. Live weight and printer state are
 * on screen all the time.
 */
export function renderStation(root: HTMLElement, nav: Nav): { close(): void } {
  let stations: Station[] = [];
  let connection: ConnectionState = 'reconnecting';
  let weight: WeightRecordedMessage | null = null;
  let printerStatus: DeviceStatusMessage | null = null;
  let parcel: string | null = null;
  /** A weight newer than this belongs to the current parcel. */
  let parcelSince = 0;
  let step: Step = { outcome: 'idle', message: t('scanParcel') };
  let busy = false;
  let labelled = false;

  const screen = h('div', { class: 'screen', 'data-testid': 'screen-station' });
  const state = h('span', { class: 'state', 'data-testid': 'connection-state' });
  const weightBox = h('div', { class: 'tile weight', 'data-testid': 'live-weight' });
  const printerBox = h('div', { class: 'tile printer', 'data-testid': 'printer-state' });
  const parcelBox = h('div', { class: 'tile parcel', 'data-testid': 'current-parcel' });
  const result = h('section', {
    class: 'result',
    role: 'status',
    'aria-live': 'assertive',
    'data-testid': 'station-result',
  });
  const actions = h('div', { class: 'actions' });
  const input = h('input', { 'data-testid': 'scan-input', autocomplete: 'off', placeholder: t('scanHere') });

  const printerDevice = () =>
    stations.find((s) => s.stationId === place.station)?.devices.find((d) => d.kind === 'printer')?.deviceId;

  const paintTiles = () => {
    weightBox.replaceChildren(
      h('span', { class: 'label' }, t('weight')),
      h(
        'strong',
        { 'data-grams': weight ? String(weight.grossGrams) : '' },
        weight ? `${(weight.grossGrams / 1000).toFixed(3)} kg` : t('noWeight'),
      ),
    );
    const status = printerStatus?.status ?? null;
    printerBox.className = `tile printer ${status === null ? '' : status === 'ok' ? 'good' : 'bad'}`;
    printerBox.dataset.status = status ?? 'unknown';
    printerBox.replaceChildren(
      h('span', { class: 'label' }, `${t('printer')} ${printerDevice() ?? ''}`),
      h('strong', {}, status ?? t('printerUnknown')),
    );
    parcelBox.replaceChildren(h('span', { class: 'label' }, t('parcel')), h('strong', {}, parcel ?? '—'));
  };
  const paintResult = () => {
    result.className = `result ${step.outcome}`;
    result.dataset.outcome = step.outcome;
    result.replaceChildren(h('div', { class: 'message', 'data-testid': 'result-message' }, step.message));
  };
  const paintActions = () => {
    actions.replaceChildren(
      ...(parcel && labelled
        ? [
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                'data-testid': 'reprint',
                onclick: () => {
                  const reason = window.prompt(t('reprintReason'));
                  if (reason && reason.trim().length >= 3) void print(reason.trim());
                },
              },
              t('reprint'),
            ),
          ]
        : []),
    );
  };
  const setStep = (next: Step) => {
    step = next;
    if (next.outcome !== 'idle') signal(next.outcome);
    paintResult();
    paintActions();
  };
  const problem = (error: unknown) =>
    error instanceof ApiError ? error.message || t('serverUnreachable') : String(error);

  const print = async (reprintReason?: string) => {
    if (!parcel) return;
    try {
      const label = await api.label(parcel, place.station, reprintReason);
      labelled = true;
      if (label.status === 'done') setStep({ outcome: 'ok', message: t('printed', { sscc: label.sscc }) });
      else setStep({ outcome: 'refused', message: t('printFailed', { reason: label.reason ?? label.status }) });
    } catch (error) {
      setStep({ outcome: 'refused', message: problem(error) });
    }
  };

  /** `onScan`: the parcel may already be on the scale; if there is no weight for it yet, wait for one. */
  const weigh = async (onScan = false) => {
    if (!parcel || busy) return;
    busy = true;
    try {
      const verdict = await api.weigh(parcel, place.station);
      if (verdict.within) {
        setStep({ outcome: 'pending', message: t('weighed', { kg: (verdict.grossGrams / 1000).toFixed(3) }) });
        await print();
      } else setStep({ outcome: 'refused', message: t('weightHold', { message: verdict.message }) });
    } catch (error) {
      if (onScan && error instanceof ApiError && error.status === 400) return;
      setStep({ outcome: 'refused', message: problem(error) });
    } finally {
      busy = false;
    }
  };

  const scanParcel = async (code: string) => {
    parcel = code.trim();
    parcelSince = Date.now();
    labelled = false;
    paintTiles();
    try {
      const view = await api.parcel(parcel);
      if (!view.packedAt) await api.pack(parcel, place.station);
      setStep({ outcome: 'ok', message: t('packed') });
    } catch (error) {
      setStep({ outcome: 'refused', message: problem(error) });
      return;
    }
    await weigh(true);
  };

  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const code = input.value;
    input.value = '';
    if (code.trim()) void scanParcel(code);
  });

  const live = new LiveConnection(() => session.token, {
    onScan: (scan) => {
      if (scan.stationId === place.station) void scanParcel(scan.code);
    },
    onPresence: () => {},
    onState: (next) => {
      connection = next;
      state.className = `state ${connection}`;
      state.dataset.state = connection;
      state.textContent = t(connection);
    },
    onWatching: () => {},
    onSessionRejected: () => nav.signOut(t('sessionExpired')),
    onServerError: () => {},
    onWeight: (w) => {
      if (w.stationId !== place.station) return;
      weight = w;
      paintTiles();
      // the stable weight of the parcel on the scale: check it (it is never typed)
      if (parcel && !labelled && new Date(w.recordedAt).getTime() >= parcelSince - 1000 && w.grossGrams > 0)
        void weigh();
    },
    onDeviceStatus: (s) => {
      if (s.stationId !== place.station || s.deviceId !== printerDevice()) return;
      printerStatus = s;
      paintTiles();
    },
  });

  const paint = () => {
    root.replaceChildren(screen);
    screen.replaceChildren(
      bar(t('opStation'), nav, paint, state),
      h(
        'div',
        { class: 'context' },
        stationPicker(() => {
          live.watch(place.station || null);
          paintTiles();
        }),
      ),
      h('div', { class: 'tiles' }, parcelBox, weightBox, printerBox),
      result,
      input,
      actions,
    );
    paintTiles();
    paintResult();
    paintActions();
    input.focus();
  };
  void api.stations().then(({ items }) => {
    stations = items;
    paintTiles();
  });
  paint();
  live.watch(place.station || null);
  return { close: () => live.close() };
}

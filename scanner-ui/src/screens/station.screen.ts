import type { DeviceStatusMessage, StationJobKind, WeightRecordedMessage } from '@wms/contracts';
import { ApiError, api, type Station, type StationAnswer, type StationState, session } from '../api.js';
import { h } from '../dom.js';
import { signal } from '../feedback.js';
import { lang, type MessageKey, t } from '../i18n.js';
import { type ConnectionState, LiveConnection } from '../live.js';
import { bar, type Nav, place, stationPicker, warehousePicker } from './frame.js';
import { uuid } from './operation.screen.js';

/** How many answers the screen keeps on show. */
const SHOWN_ANSWERS = 20;

const JOBS: Array<{ job: StationJobKind; label: MessageKey }> = [
  { job: 'pack', label: 'jobPack' },
  { job: 'receive', label: 'opReceive' },
  { job: 'putaway', label: 'opPutaway' },
  { job: 'pick', label: 'opPick' },
  { job: 'load', label: 'opLoad' },
  { job: 'gate', label: 'opGate' },
  { job: 'inspection', label: 'opInspection' },
  { job: 'returns', label: 'opReturns' },
  { job: 'stocktake', label: 'opStocktake' },
];
const jobLabel = (job: StationJobKind | null) => {
  const found = JOBS.find((j) => j.job === job);
  return found ? t(found.label) : t('noJob');
};

/**
 * The station screen: a view of the station as the server runs it (issue 11). It shows the
 * station's job and lets the user change it, the parcel on the bench, the live weight, the
 * printer's state and the answers the server decided for every scan and weight at the station
 * (on open it loads the last ones, so it catches up on what happened while it was closed). It
 * decides nothing itself: a typed code goes to the server as a scan for the station's job.
 */
export function renderStation(root: HTMLElement, nav: Nav): { close(): void } {
  let stations: Station[] = [];
  let connection: ConnectionState = 'reconnecting';
  let weight: WeightRecordedMessage | null = null;
  let printerStatus: DeviceStatusMessage | null = null;
  let state: StationState | null = null;
  let answers: StationAnswer[] = [];
  let problem: string | null = null;
  /** Bumped at every change of `state`: a read of the station that started before is stale. */
  let version = 0;
  /** The user picked a job not set yet: what the server says does not overwrite that choice. */
  let jobTouched = false;

  const screen = h('div', { class: 'screen', 'data-testid': 'screen-station' });
  const stateBadge = h('span', { class: 'state', 'data-testid': 'connection-state' });
  const jobBox = h('div', { class: 'tile job', 'data-testid': 'station-job' });
  const weightBox = h('div', { class: 'tile weight', 'data-testid': 'live-weight' });
  const printerBox = h('div', { class: 'tile printer', 'data-testid': 'printer-state' });
  const parcelBox = h('div', { class: 'tile parcel', 'data-testid': 'current-parcel' });
  const result = h('section', {
    class: 'result',
    role: 'status',
    'aria-live': 'assertive',
    'data-testid': 'station-result',
  });
  const history = h('ol', { class: 'history', 'data-testid': 'station-answers' });
  const actions = h('div', { class: 'actions' });
  const jobSelect = h('select', { 'data-testid': 'job-picker' });
  const contextInput = h('input', { 'data-testid': 'job-context', autocomplete: 'off', placeholder: t('contextNo') });
  const input = h('input', { 'data-testid': 'scan-input', autocomplete: 'off', placeholder: t('scanHere') });

  const printerDevice = () =>
    stations.find((s) => s.stationId === place.station)?.devices.find((d) => d.kind === 'printer')?.deviceId;
  const said = (a: StationAnswer) => (lang() === 'zh' ? a.zh.message : a.message);
  const next = (a: StationAnswer) => (lang() === 'zh' ? a.zh.next : a.next);

  const paintTiles = () => {
    jobBox.dataset.job = state?.job ?? '';
    jobBox.replaceChildren(
      h('span', { class: 'label' }, t('job')),
      h('strong', {}, jobLabel(state?.job ?? null)),
      h('small', {}, state?.operator ? t('jobBy', { operator: state.operator }) : ''),
    );
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
    parcelBox.replaceChildren(h('span', { class: 'label' }, t('parcel')), h('strong', {}, state?.currentParcel ?? '—'));
  };
  const paintResult = () => {
    const last = answers[0];
    if (problem) {
      result.className = 'result refused';
      result.dataset.outcome = 'refused';
      result.replaceChildren(h('div', { class: 'message', 'data-testid': 'result-message' }, problem));
      return;
    }
    const outcome = last ? (last.outcome === 'ok' ? 'ok' : last.outcome === 'noted' ? 'pending' : 'refused') : 'idle';
    result.className = `result ${outcome}`;
    result.dataset.outcome = last?.outcome ?? 'idle';
    result.dataset.eventId = last?.eventId ?? '';
    result.replaceChildren(
      h('div', { class: 'message', 'data-testid': 'result-message' }, last ? said(last) : t('scanParcel')),
      h('div', { class: 'next', 'data-testid': 'result-next' }, last ? next(last) : ''),
    );
  };
  const paintHistory = () => {
    history.replaceChildren(
      ...(answers.length
        ? answers.map((a) =>
            h(
              'li',
              { 'data-outcome': a.outcome, 'data-kind': a.kind, 'data-event-id': a.eventId },
              `${a.code ?? (a.grossGrams !== null ? `${(a.grossGrams / 1000).toFixed(3)} kg` : '')} — ${said(a)}`,
            ),
          )
        : [h('li', { class: 'empty' }, t('noAnswers'))]),
    );
  };
  /** The last label the server printed here: a reprint is a person's decision, with a reason. */
  const lastLabelled = () => answers.find((a) => typeof a.detail?.sscc === 'string')?.detail?.logisticsNo as string;
  const paintActions = () => {
    const parcel = lastLabelled();
    actions.replaceChildren(
      ...(parcel
        ? [
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                'data-testid': 'reprint',
                onclick: () => {
                  const reason = window.prompt(t('reprintReason'));
                  if (reason && reason.trim().length >= 3) void reprint(parcel, reason.trim());
                },
              },
              t('reprint'),
            ),
          ]
        : []),
    );
  };
  const paintAll = () => {
    paintTiles();
    paintResult();
    paintHistory();
    paintActions();
  };
  const failed = (error: unknown) => {
    problem = error instanceof ApiError ? error.message || t('serverUnreachable') : String(error);
    signal('refused');
    paintResult();
  };

  /** An answer from the server (socket or HTTP): shown once, newest first. */
  const take = (answer: StationAnswer) => {
    if (answer.stationId !== place.station || answers.some((a) => a.eventId === answer.eventId)) return;
    problem = null;
    answers = [answer, ...answers].slice(0, SHOWN_ANSWERS);
    signal(answer.outcome === 'ok' ? 'ok' : answer.outcome === 'noted' ? 'pending' : 'refused');
    paintAll();
    // the parcel on the bench changes with the answers: read it from the server
    void refresh(false);
  };

  const refresh = async (withAnswers: boolean) => {
    const stationId = place.station;
    if (!stationId) return;
    const asked = version;
    try {
      const station = await api.stationJob(stationId);
      if (stationId !== place.station) return;
      if (withAnswers)
        // answers that came over the socket meanwhile stay
        for (const a of answers)
          if (!station.lastAnswers.some((b) => b.eventId === a.eventId)) station.lastAnswers.unshift(a);
      if (asked !== version) {
        if (withAnswers) answers = station.lastAnswers.slice(0, SHOWN_ANSWERS);
        paintAll();
        return;
      }
      version++;
      state = station;
      if (withAnswers) answers = station.lastAnswers.slice(0, SHOWN_ANSWERS);
      if (station.job && !jobTouched) jobSelect.value = station.job;
      paintAll();
    } catch (error) {
      failed(error);
    }
  };

  const setJob = async () => {
    if (!place.station || !place.warehouse) return;
    const job = jobSelect.value as StationJobKind;
    const context = contextInput.value.trim();
    try {
      const set = await api.setStationJob(place.station, {
        job,
        warehouseCode: place.warehouse,
        ...(context && job === 'receive' ? { deliveryNo: context } : {}),
        ...(context && job === 'stocktake' ? { stocktakeNo: context } : {}),
        ...(context && job === 'load' ? { tripNo: context } : {}),
      });
      version++;
      state = set;
      jobTouched = false;
      problem = null;
      paintAll();
    } catch (error) {
      failed(error);
    }
  };

  const reprint = async (parcel: string, reason: string) => {
    try {
      const label = await api.label(parcel, place.station, reason);
      problem = label.status === 'done' ? null : t('printFailed', { reason: label.reason ?? label.status });
      paintResult();
    } catch (error) {
      failed(error);
    }
  };

  jobSelect.replaceChildren(...JOBS.map((j) => h('option', { value: j.job }, t(j.label))));
  jobSelect.addEventListener('change', () => {
    jobTouched = true;
  });
  const setButton = h(
    'button',
    { type: 'button', 'data-testid': 'set-job', onclick: () => void setJob() },
    t('setJob'),
  );

  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const code = input.value.trim();
    input.value = '';
    if (!code || !place.station) return;
    api.stationScan(place.station, uuid(), code).then(take, failed);
  });

  const live = new LiveConnection(() => session.token, {
    onScan: () => {},
    onPresence: () => {},
    onState: (nextState) => {
      connection = nextState;
      stateBadge.className = `state ${connection}`;
      stateBadge.dataset.state = connection;
      stateBadge.textContent = t(connection);
      // back on line: catch up on what the server decided meanwhile
      if (nextState === 'live') void refresh(true);
    },
    onWatching: () => {},
    onSessionRejected: () => nav.signOut(t('sessionExpired')),
    onServerError: () => {},
    onWeight: (w) => {
      if (w.stationId !== place.station) return;
      weight = w;
      paintTiles();
    },
    onDeviceStatus: (s) => {
      if (s.stationId !== place.station || s.deviceId !== printerDevice()) return;
      printerStatus = s;
      paintTiles();
    },
    onStationAnswered: take,
    onStationJobChanged: (job) => {
      if (job.stationId !== place.station) return;
      version++;
      state = job;
      if (!jobTouched) jobSelect.value = job.job ?? 'pack';
      paintAll();
    },
  });

  const paint = () => {
    root.replaceChildren(screen);
    screen.replaceChildren(
      bar(t('opStation'), nav, paint, stateBadge),
      h(
        'div',
        { class: 'context' },
        stationPicker(() => {
          live.watch(place.station || null);
          state = null;
          answers = [];
          void refresh(true);
        }),
        warehousePicker(() => undefined),
        h('label', {}, h('span', {}, t('job')), jobSelect),
        contextInput,
        setButton,
      ),
      h('div', { class: 'tiles' }, jobBox, parcelBox, weightBox, printerBox),
      result,
      input,
      actions,
      h('h2', {}, t('lastAnswers')),
      history,
    );
    paintAll();
    input.focus();
  };
  void api.stations().then(({ items }) => {
    stations = items;
    paintTiles();
  });
  paint();
  live.watch(place.station || null);
  void refresh(true);
  return { close: () => live.close() };
}

import { ApiError, api, type FloorOperation, type ScanAnswer, type StationAnswer, session } from '../api.js';
import { codeNodes, h } from '../dom.js';
import { signal } from '../feedback.js';
import { lang, type MessageKey, t } from '../i18n.js';
import { type ConnectionState, LiveConnection } from '../live.js';
import { bar, type Nav, place, stationPicker, warehousePicker } from './frame.js';
import { worklist } from './worklist.js';

export type Operation = FloorOperation;

const TITLES: Record<Operation, MessageKey> = {
  receive: 'opReceive',
  putaway: 'opPutaway',
  pick: 'opPick',
  stocktake: 'opStocktake',
  gate: 'opGate',
  load: 'opLoad',
  returns: 'opReturns',
  inspection: 'opInspection',
  pack: 'jobPack',
};

const PENDING_KEY = 'wms.pendingScans';
const HISTORY = 20;

/** A v4 UUID also where crypto.randomUUID is missing (plain http on the warehouse LAN). */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

interface Shown {
  outcome: 'ok' | 'refused' | 'pending' | 'idle';
  code: string;
  message: string;
  next: string;
}

type ScanBody = Parameters<typeof api.scan>[0];

/** Scans the network did not take: kept on the device and sent again, same scan id, in order. */
const pending = {
  all(): ScanBody[] {
    try {
      return JSON.parse(localStorage.getItem(PENDING_KEY) ?? '[]');
    } catch {
      return [];
    }
  },
  save(list: ScanBody[]) {
    localStorage.setItem(PENDING_KEY, JSON.stringify(list));
  },
};

/**
 * One floor operation by scanning: a keyboard-wedge scanner types into the focused field and
 * presses Enter. At a station, the screen sets the station's job on the server (issue 11): the
 * station's serial scanner is then answered by the server itself, and the screen shows those
 * answers as they arrive over socket.io (it never turns them into calls). Each scan gets one answer,
 * shown big in green or red with the reason and the next step, and a sound. A scan made without
 * network is kept and sent when the network is back (its scan id makes a resend harmless).
 */
export function renderOperation(root: HTMLElement, op: Operation, nav: Nav): { close(): void } {
  let shown: Shown = { outcome: 'idle', code: '', message: t('ready'), next: t('readyNext') };
  const history: Shown[] = [];
  let chain: Promise<void> = Promise.resolve();
  let connection: ConnectionState = 'reconnecting';
  let deliveryNo = '';
  let stocktakeNo = '';
  /** load: '' fills bags and pallets; a trip puts the scanned bags and pallets on that vehicle. */
  let tripNo = '';
  let condition: 'good' | 'damaged' = 'good';

  const input = h('input', {
    'data-testid': 'scan-input',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    enterkeyhint: 'send',
    placeholder: t('scanHere'),
  });
  const result = h('section', {
    class: 'result',
    role: 'status',
    'aria-live': 'assertive',
    'data-testid': 'scan-result',
  });
  const historyList = h('ol', { class: 'answers', 'data-testid': 'scan-history' });
  const pendingNote = h('p', { class: 'pending', 'data-testid': 'pending-count' });
  const state = h('span', { class: 'state', 'data-testid': 'connection-state' });
  const contextBox = h('div', { class: 'context' });

  const paintResult = () => {
    result.dataset.outcome = shown.outcome;
    result.className = `result ${shown.outcome}`;
    result.replaceChildren(
      shown.code ? h('div', { class: 'code', 'data-testid': 'result-code' }, ...codeNodes(shown.code)) : '',
      h('div', { class: 'message', 'data-testid': 'result-message' }, shown.message),
      h('div', { class: 'next', 'data-testid': 'result-next' }, shown.next),
    );
  };
  const paintHistory = () =>
    historyList.replaceChildren(
      ...history.map((a) =>
        h(
          'li',
          { class: `answer ${a.outcome}`, 'data-outcome': a.outcome },
          h('span', { class: 'code' }, ...codeNodes(a.code)),
          ' ',
          a.message,
        ),
      ),
    );
  const paintPending = () => {
    const count = pending.all().length;
    pendingNote.textContent = count ? t('pendingCount', { count }) : '';
    pendingNote.hidden = !count;
  };
  const paintState = () => {
    state.className = `state ${connection}`;
    state.dataset.state = connection;
    state.textContent = t(connection);
  };

  const show = (next: Shown) => {
    shown = next;
    if (next.outcome !== 'idle') {
      history.unshift(next);
      history.length = Math.min(history.length, HISTORY);
      signal(next.outcome);
    }
    paintResult();
    paintHistory();
    paintPending();
  };

  const words = (a: ScanAnswer) => (lang() === 'zh' && a.zh ? a.zh : { message: a.message, next: a.next });

  const sendScan = async (body: ScanBody, fromQueue: boolean): Promise<'sent' | 'offline'> => {
    try {
      const answer = await api.scan(body);
      const w = words(answer);
      show({ outcome: answer.outcome, code: body.code, message: w.message, next: w.next });
      list.afterAnswer(answer);
      return 'sent';
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) {
        if (!fromQueue) {
          pending.save([...pending.all(), body]);
          show({ outcome: 'pending', code: body.code, message: t('savedOffline'), next: t('scanHere') });
        }
        return 'offline';
      }
      if (error instanceof ApiError && error.status === 401) return 'sent';
      show({
        outcome: 'refused',
        code: body.code,
        message: error instanceof ApiError ? error.message : String(error),
        next: t('refusedNext'),
      });
      return 'sent';
    }
  };

  const flushPending = async () => {
    for (;;) {
      const queue = pending.all();
      if (!queue.length) return;
      if ((await sendScan(queue[0], true)) === 'offline') return;
      pending.save(pending.all().slice(1));
      paintPending();
    }
  };

  /** Sends what waited for the network, in order, before anything new. */
  function retryPending() {
    chain = chain.then(flushPending).catch(() => undefined);
  }

  const handle = async (code: string, scanId: string) => {
    if (op === 'gate') {
      try {
        const pass = await api.gatePass(code, place.station || 'GATE');
        show({
          outcome: 'ok',
          code,
          message: t('gatePassed', { no: pass.logisticsNo, pass: pass.gatePassNo }),
          next: t('gateNext'),
        });
      } catch (error) {
        const zh = error instanceof ApiError && lang() === 'zh' ? error.details.reasonZh : undefined;
        const message =
          typeof zh === 'string'
            ? zh
            : error instanceof ApiError
              ? error.message || t('serverUnreachable')
              : String(error);
        show({ outcome: 'refused', code, message, next: t('refusedNext') });
      }
      return;
    }
    await flushPending();
    const qty = list.qty();
    const body: ScanBody = {
      scanId,
      operation: op,
      warehouseCode: place.warehouse,
      stationId: place.station || 'HANDHELD',
      code,
      ...(op === 'receive' ? { deliveryNo: deliveryNo || undefined, condition } : {}),
      ...(op === 'stocktake' ? { stocktakeNo: stocktakeNo || undefined } : {}),
      ...(op === 'load' && tripNo ? { tripNo } : {}),
      ...(qty ? { qty } : {}),
    };
    if (pending.all().length) {
      // still offline: keep the order, this one waits behind the others
      pending.save([...pending.all(), body]);
      show({ outcome: 'pending', code, message: t('savedOffline'), next: t('scanHere') });
      return;
    }
    await sendScan(body, false);
  };

  const submit = (code: string, scanId = uuid()) => {
    const clean = code.replace(/[\r\n]+$/, '');
    if (!clean.trim()) return;
    shown = { outcome: shown.outcome, code: clean, message: t('sending'), next: '' };
    chain = chain.then(() => handle(clean, scanId)).catch(() => undefined);
  };

  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const code = input.value;
    input.value = '';
    submit(code);
  });
  // The field keeps the focus: a wedge scanner types wherever the focus is.
  const refocus = () => setTimeout(() => input.focus(), 0);
  const list = worklist(op, refocus, (outcome, message) => show({ outcome, code: '', message, next: '' }));

  /** The server's answer to a scan of the station's own scanner. */
  const fromStation = (a: StationAnswer) => {
    if (a.stationId !== place.station || a.kind !== 'scan' || a.deviceId === 'screen') return;
    const w = lang() === 'zh' ? a.zh : { message: a.message, next: a.next };
    show({
      outcome: a.outcome === 'ok' ? 'ok' : a.outcome === 'noted' ? 'pending' : 'refused',
      code: a.code ?? '',
      message: w.message,
      next: w.next,
    });
  };

  /** This screen's job and context become the station's, on the server (a handheld alone sets nothing). */
  const setStationJob = async () => {
    if (!place.station || !place.warehouse) return;
    if ((op === 'receive' && !deliveryNo) || (op === 'stocktake' && !stocktakeNo)) return;
    try {
      await api.setStationJob(place.station, {
        job: op,
        warehouseCode: place.warehouse,
        ...(op === 'receive' ? { deliveryNo } : {}),
        ...(op === 'stocktake' ? { stocktakeNo } : {}),
        ...(op === 'load' && tripNo ? { tripNo } : {}),
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) return;
      show({
        outcome: 'refused',
        code: place.station,
        message: error instanceof ApiError ? error.message : String(error),
        next: t('refusedNext'),
      });
    }
  };

  const live = new LiveConnection(() => session.token, {
    onScan: () => {},
    onStationAnswered: fromStation,
    onPresence: () => {},
    onState: (next) => {
      connection = next;
      paintState();
      if (next === 'live') retryPending();
    },
    onWatching: () => {},
    onSessionRejected: () => nav.signOut(t('sessionExpired')),
    onServerError: () => {},
  });

  const paintContext = async () => {
    const parts: Node[] = [
      warehousePicker(() => void paintContext()),
      stationPicker(() => {
        live.watch(place.station || null);
        void setStationJob();
      }),
    ];
    if (op === 'receive' || op === 'stocktake') {
      const select = h('select', { 'data-testid': op === 'receive' ? 'delivery-picker' : 'stocktake-picker' });
      parts.push(h('label', {}, h('span', {}, t(op === 'receive' ? 'delivery' : 'stocktake')), select));
      if (place.warehouse) {
        try {
          const options =
            op === 'receive'
              ? (await api.deliveries(place.warehouse)).items.map((d) => ({
                  value: d.deliveryNo,
                  text: `${d.deliveryNo} · ${d.countedUnits}/${d.expectedUnits}`,
                }))
              : (await api.stocktakes(place.warehouse)).items.map((s) => ({
                  value: s.stocktakeNo,
                  text: `${s.stocktakeNo} · ${s.locations.join(' ')}`,
                }));
          const current = op === 'receive' ? deliveryNo : stocktakeNo;
          select.replaceChildren(
            ...(options.length
              ? options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.text))
              : [h('option', { value: '' }, t('noneOpen'))]),
          );
          const chosen = options.some((o) => o.value === current) ? current : (options[0]?.value ?? '');
          if (op === 'receive') {
            deliveryNo = chosen;
            void list.refresh(deliveryNo);
          } else stocktakeNo = chosen;
          select.value = chosen;
        } catch {
          select.replaceChildren(h('option', { value: '' }, t('noneOpen')));
        }
      }
      select.addEventListener('change', () => {
        if (op === 'receive') {
          deliveryNo = select.value;
          void list.refresh(deliveryNo);
        } else stocktakeNo = select.value;
        void setStationJob();
        refocus();
      });
    }
    if (op === 'load' && place.warehouse) {
      const select = h('select', { 'data-testid': 'trip-picker' });
      parts.push(h('label', {}, h('span', {}, t('trip')), select));
      try {
        const { items } = await api.trips(place.warehouse);
        select.replaceChildren(
          h('option', { value: '' }, t('fillUnits')),
          ...items.map((trip) =>
            h('option', { value: trip.tripNo, selected: trip.tripNo === tripNo }, `${trip.tripNo} · ${trip.plate}`),
          ),
        );
        select.value = items.some((trip) => trip.tripNo === tripNo) ? tripNo : '';
      } catch {
        select.replaceChildren(h('option', { value: '' }, t('fillUnits')));
      }
      select.addEventListener('change', () => {
        tripNo = select.value;
        void setStationJob();
        refocus();
      });
      // a new bag or pallet: the server prints its label on the chosen station's printer
      const newUnit = (kind: 'bag' | 'pallet') => async () => {
        try {
          const unit = await api.createUnit(place.warehouse, kind, place.station || undefined);
          const label = unit.label;
          show({
            outcome: !label || label.status === 'done' || label.status === 'sent' ? 'ok' : 'refused',
            code: `00${unit.sscc}`,
            message: label
              ? lang() === 'zh'
                ? label.zh.message
                : label.message
              : t('unitCreatedNoPrint', { kind: t(kind), sscc: unit.sscc }),
            next: t('unitNext'),
          });
        } catch (error) {
          show({
            outcome: 'refused',
            code: '',
            message: error instanceof ApiError ? error.message || t('serverUnreachable') : String(error),
            next: t('refusedNext'),
          });
        }
        refocus();
      };
      for (const kind of ['bag', 'pallet'] as const)
        parts.push(
          h(
            'button',
            { type: 'button', class: 'link', 'data-testid': `new-${kind}`, onclick: newUnit(kind) },
            t(kind === 'bag' ? 'newBag' : 'newPallet'),
          ),
        );
    }
    if (op === 'receive') {
      const toggle = h(
        'button',
        {
          type: 'button',
          class: `link condition ${condition}`,
          'data-testid': 'condition-toggle',
          'data-condition': condition,
          onclick: () => {
            condition = condition === 'good' ? 'damaged' : 'good';
            void paintContext();
            refocus();
          },
        },
        `${t('condition')}: ${t(condition)}`,
      );
      parts.push(toggle);
    }
    contextBox.replaceChildren(...parts);
    if (op === 'pick' || op === 'putaway') void list.refresh('');
    await setStationJob();
  };

  const screen = h('div', { class: 'screen', 'data-testid': `screen-${op}` });
  const paint = () => {
    root.replaceChildren(screen);
    screen.replaceChildren(
      bar(
        t(TITLES[op]),
        nav,
        () => {
          if (shown.outcome === 'idle')
            shown = { outcome: 'idle', code: '', message: t('ready'), next: t('readyNext') };
          paint();
        },
        state,
      ),
      contextBox,
      list.node,
      result,
      input,
      pendingNote,
      historyList,
    );
    void paintContext();
    paintResult();
    paintHistory();
    paintPending();
    paintState();
    refocus();
  };

  window.addEventListener('online', retryPending);
  screen.addEventListener('click', (event) => {
    if (!(event.target instanceof HTMLSelectElement) && !(event.target instanceof HTMLButtonElement)) refocus();
  });
  paint();
  live.watch(place.station || null);
  return {
    close: () => {
      live.close();
      window.removeEventListener('online', retryPending);
    },
  };
}

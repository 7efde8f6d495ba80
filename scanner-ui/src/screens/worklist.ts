import { siteTime } from '@wms/contracts';
import {
  ApiError,
  api,
  type DeliveryClosed,
  type NextPick,
  type ReceivingLine,
  type ScanAnswer,
  session,
  type WaveTasks,
} from '../api.js';
import { h } from '../dom.js';
import { type MessageKey, t } from '../i18n.js';
import { place } from './frame.js';

/**
 * The handheld's work lists (issue 11), beside the scan field: the pick list of a wave with the
 * next bin, and a short pick; a delivery's lines, expected against counted, and the supervisor's
 * close with the receiving report; the quantity of a put-away or receive scan. The server decides;
 * this shows what its answers say (a pick answer carries the next task, a receive answer the
 * line), so the list advances without asking again.
 */
export interface Worklist {
  node: HTMLElement;
  /** The quantity to send with the next scan (put-away and receive), or undefined. */
  qty(): number | undefined;
  /** What a scan's answer says for the list: the next pick, the delivery line as counted. */
  afterAnswer(answer: ScanAnswer): void;
  /** The delivery or warehouse changed: read the list again. */
  refresh(deliveryNo: string): Promise<void>;
}

const SHORT_REASONS: Array<{ key: MessageKey; value: string }> = [
  { key: 'shortBinEmpty', value: 'bin empty' },
  { key: 'shortDamaged', value: 'damaged' },
  { key: 'shortWrongItem', value: 'wrong item in the bin' },
  { key: 'shortOther', value: 'other' },
];

export function worklist(
  op: string,
  refocus: () => void,
  report: (outcome: 'ok' | 'refused', message: string) => void,
): Worklist {
  const node = h('div', { class: 'worklist', 'data-testid': `worklist-${op}` });
  const qtyInput = h('input', {
    type: 'number',
    min: '1',
    step: '1',
    value: '1',
    inputmode: 'numeric',
    'data-testid': 'qty-input',
  });
  const withQty = op === 'putaway' || op === 'receive';
  const qty = () => {
    if (!withQty) return undefined;
    const n = Number.parseInt(qtyInput.value, 10);
    // back to one after each scan: a count is typed for one scan only
    qtyInput.value = '1';
    return Number.isInteger(n) && n > 1 ? n : undefined;
  };
  const qtyField = withQty ? h('label', { class: 'qty' }, h('span', {}, t('quantity')), qtyInput) : null;

  // ------------------------------------------------------------------ pick
  let wave: WaveTasks | null = null;
  let next: NextPick | null = null;
  let waveNo = '';
  let shortOpen = false;

  const paintPick = () => {
    const waveSelect = h('select', { 'data-testid': 'wave-picker' });
    const parts: Node[] = [h('label', {}, h('span', {}, t('wave')), waveSelect)];
    void api
      .waves(place.warehouse)
      .then(({ items }) => {
        waveSelect.replaceChildren(
          ...(items.length
            ? items.map((w) =>
                h('option', { value: w.waveNo, selected: w.waveNo === waveNo }, `${w.waveNo} · ${w.unitsLeft}`),
              )
            : [h('option', { value: '' }, t('noneOpen'))]),
        );
        waveSelect.value = waveNo;
      })
      .catch(() => undefined);
    waveSelect.addEventListener('change', () => {
      waveNo = waveSelect.value;
      void loadWave().then(refocus);
    });
    const open = wave?.tasks.filter((x) => x.status === 'open') ?? [];
    parts.push(
      next
        ? h(
            'div',
            { class: 'next-pick', 'data-testid': 'next-pick', 'data-task': next.taskId },
            h('span', { class: 'label' }, t('nextPick')),
            h('strong', { 'data-testid': 'next-bin' }, next.location),
            h('span', { 'data-testid': 'next-sku' }, `${next.sku}${next.batch ? ` · ${next.batch}` : ''}`),
            h('span', { 'data-testid': 'next-left' }, t('left', { left: next.left })),
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                'data-testid': 'short-button',
                onclick: () => {
                  shortOpen = !shortOpen;
                  paint();
                },
              },
              t('short'),
            ),
          )
        : h('div', { class: 'next-pick done', 'data-testid': 'next-pick' }, wave ? t('pickDone') : ''),
    );
    if (shortOpen && next) parts.push(shortForm(next));
    parts.push(
      h(
        'ol',
        { class: 'pick-list', 'data-testid': 'pick-list' },
        ...open.map((x) =>
          h(
            'li',
            {
              class: x.id === next?.taskId ? 'next' : '',
              'data-testid': 'pick-task',
              'data-task': x.id,
              'data-next': x.id === next?.taskId,
            },
            `${x.location} · ${x.sku}${x.batch ? ` · ${x.batch}` : ''} · ${x.qty - x.picked}`,
          ),
        ),
      ),
    );
    return parts;
  };

  const shortForm = (task: NextPick) => {
    const reason = h(
      'select',
      { 'data-testid': 'short-reason' },
      ...SHORT_REASONS.map((r) => h('option', { value: r.value }, t(r.key))),
    );
    const other = h('input', { 'data-testid': 'short-other', placeholder: t('shortOtherText'), hidden: true });
    reason.addEventListener('change', () => {
      other.hidden = reason.value !== 'other';
    });
    const confirm = h(
      'button',
      {
        type: 'button',
        'data-testid': 'short-confirm',
        onclick: async () => {
          const why = reason.value === 'other' ? `other: ${other.value.trim() || '—'}` : reason.value;
          try {
            const done = await api.shortPick(task.taskId, why);
            const mine = wave?.tasks.find((x) => x.id === task.taskId);
            if (mine) mine.status = 'short';
            next = done.next;
            shortOpen = false;
            report('ok', t('shortDone', { missing: done.missing }));
          } catch (error) {
            report('refused', error instanceof ApiError ? error.message : String(error));
          }
          paint();
          refocus();
        },
      },
      t('shortConfirm'),
    );
    return h(
      'div',
      { class: 'short-form', 'data-testid': 'short-form' },
      h('label', {}, h('span', {}, t('shortReason')), reason),
      other,
      confirm,
    );
  };

  const loadWave = async () => {
    if (!waveNo) {
      const { items } = await api.waves(place.warehouse).catch(() => ({ items: [] }));
      waveNo = items[0]?.waveNo ?? '';
    }
    wave = waveNo ? await api.wave(waveNo).catch(() => null) : null;
    const first = wave?.tasks.find((x) => x.status === 'open');
    next = first
      ? {
          taskId: first.id,
          location: first.location,
          sku: first.sku,
          batch: first.batch,
          logisticsNo: first.logisticsNo,
          left: first.qty - first.picked,
          parcelLeft: wave!.tasks
            .filter((x) => x.logisticsNo === first.logisticsNo && x.status === 'open')
            .reduce((s, x) => s + x.qty - x.picked, 0),
        }
      : null;
    paint();
  };

  // ------------------------------------------------------------------ receive
  let deliveryNo = '';
  let lines: ReceivingLine[] = [];
  let closed: DeliveryClosed | null = null;
  const supervisor = () => session.user?.roles.includes('supervisor') ?? false;

  const reportTable = (rows: ReceivingLine[], testid: string, withReport: boolean) =>
    h(
      'table',
      { class: 'lines', 'data-testid': testid },
      h(
        'tr',
        {},
        h('th', {}, 'SKU'),
        h('th', {}, t('expected')),
        h('th', {}, t('counted')),
        h('th', {}, t('damaged')),
        h('th', {}, t('batchMismatch')),
        ...(withReport ? [h('th', {}, t('over')), h('th', {}, t('shortQty')), h('th', {}, t('unexpected'))] : []),
      ),
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-testid': `line-${r.sku}`, 'data-sku': r.sku },
          h('td', {}, r.sku),
          h('td', { 'data-col': 'expected' }, String(r.expected)),
          h('td', { 'data-col': 'good' }, String(r.good)),
          h('td', { 'data-col': 'damaged' }, String(r.damaged)),
          h('td', { 'data-col': 'batchMismatch' }, String(r.batchMismatch)),
          ...(withReport
            ? [
                h('td', { 'data-col': 'over' }, String(r.over)),
                h('td', { 'data-col': 'short' }, String(r.short)),
                h('td', { 'data-col': 'unexpected' }, String(r.unexpected)),
              ]
            : []),
        ),
      ),
    );

  const paintReceive = () => {
    const parts: Node[] = [];
    if (closed) {
      parts.push(
        h(
          'section',
          { class: 'report', 'data-testid': 'receiving-report', 'data-status': closed.status },
          h('h3', {}, t('report')),
          h(
            'p',
            { 'data-testid': 'report-message' },
            closed.status === 'closed' ? t('closedAt', { at: siteTime(closed.closedAt) }) : closed.message,
          ),
          reportTable(closed.report, 'report-lines', true),
          h(
            'ul',
            { 'data-testid': 'report-differences' },
            ...closed.differences.map((d) =>
              h(
                'li',
                {},
                t('batchDifference', {
                  qty: d.qty,
                  sku: d.sku,
                  batch: d.batch || '—',
                  expected: d.expectedBatches.join(', ') || '—',
                }),
              ),
            ),
          ),
        ),
      );
      return parts;
    }
    if (deliveryNo) parts.push(reportTable(lines, 'delivery-lines', false));
    if (deliveryNo && supervisor())
      parts.push(
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'close-delivery',
            onclick: async () => {
              try {
                closed = await api.closeDelivery(deliveryNo);
                report(
                  'ok',
                  closed.status === 'closed' ? t('closedAt', { at: siteTime(closed.closedAt) }) : closed.message,
                );
              } catch (error) {
                report('refused', error instanceof ApiError ? error.message : String(error));
              }
              paint();
            },
          },
          t('closeDelivery'),
        ),
      );
    return parts;
  };

  const paint = () => {
    const parts: Node[] = [];
    if (qtyField) parts.push(qtyField);
    if (op === 'pick') parts.push(...paintPick());
    if (op === 'receive') parts.push(...paintReceive());
    node.replaceChildren(...parts);
  };

  return {
    node,
    qty,
    afterAnswer(answer) {
      const detail = answer.detail as Record<string, unknown> | undefined;
      if (!detail || answer.outcome !== 'ok') return;
      if (op === 'pick' && 'next' in detail) {
        const mine = wave?.tasks.find((x) => x.id === detail.taskId);
        if (mine) {
          mine.picked = mine.qty - Number(detail.taskLeft);
          if (Number(detail.taskLeft) <= 0) mine.status = 'done';
        }
        next = (detail.next as NextPick | null) ?? null;
        if (!wave) void loadWave();
        paint();
      }
      if (op === 'receive' && detail.line) {
        const line = detail.line as Pick<ReceivingLine, 'sku' | 'expected' | 'good' | 'damaged' | 'batchMismatch'>;
        const row = lines.find((l) => l.sku === line.sku);
        if (row) Object.assign(row, line);
        else lines.push({ unexpected: 0, over: 0, short: 0, ...line });
        paint();
      }
    },
    async refresh(no: string) {
      if (op === 'pick') return loadWave();
      if (op !== 'receive') return paint();
      deliveryNo = no;
      closed = null;
      lines = no
        ? await api
            .delivery(no)
            .then((d) => d.progress)
            .catch(() => [])
        : [];
      paint();
    },
  };
}

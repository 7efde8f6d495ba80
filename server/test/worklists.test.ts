import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gs1CheckDigit } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../../test/support/trade-docs.js';

/**
 * Handheld work lists (issue 11) on the real stack (real PostgreSQL, the customs simulator on
 * real folders): a batch that differs from the delivery line is a difference in the delivery and
 * its report, never good stock; only a supervisor closes a delivery, and the close says when in the
 * site's time; put-away takes a quantity and refuses more than waits; a pick answer carries the
 * wave's next bin, a short pick too; open waves are listed.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-worklists-'));
chmodSync(dir, 0o755);
const WH = 'WL01';
const EMS = 'T5165W000011';
const OWNER = 'OWNWL00001';
const DELIVERY = `DW${suffix}`;
const gtin = (n: number) => {
  const body = `690000002${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
const gs1 = (n: number, ais: string) => `01${gtin(n).padStart(14, '0')}${ais}`;
let app: TestServer;
let databaseUrl: string;
let authority: CustomsAuthority;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);

async function scan(operation: string, code: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/api/floor/scans', 'staff', {
    scanId: randomUUID(),
    operation,
    warehouseCode: WH,
    stationId: `HH-${suffix}`,
    code,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    outcome: 'ok' | 'refused';
    message: string;
    next: string;
    zh: { message: string; next: string };
    detail?: any;
  };
}
const receive = (code: string, extra: Record<string, unknown> = {}) =>
  scan('receive', code, { deliveryNo: DELIVERY, ...extra });
const shelf = async (location: string) =>
  (
    await query<{ sku: string; batch: string; qty: string }>(
      databaseUrl,
      `select sku, batch, sum(qty) as qty from stock_movement where ledger = 'shelf' and warehouse_code = $1 and location = $2
       group by sku, batch having sum(qty) <> 0 order by sku, batch`,
      [WH, location],
    )
  ).map((r) => `${r.sku}/${r.batch}:${r.qty}`);

beforeAll(async () => {
  app = await startTestServer(
    'worklists',
    { CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'), CUSTOMS_INBOX_DIR: join(dir, 'inbox'), CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], staff: ['staff'] },
    { checkAnswers: true },
  );
  databaseUrl = app.databaseUrl;
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    delays: { acceptMs: 0, decisionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  const md = await api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: OWNER, name: 'Worklist Seller', roles: ['ebc', 'owner'] },
      { code: 'PLATWL0001', name: 'Platform', roles: ['ebp'] },
      { code: 'PAYWL00001', name: 'Pay', roles: ['pay'] },
      { code: 'LOGIWL0001', name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Work list centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W11',
        emsNo: EMS,
        zones: [
          { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK-W', purpose: 'dock' }, 'S-01', 'S-02'] },
          { code: 'QT', kind: 'quarantine', locations: ['QT-01'] },
        ],
      },
    ],
    goods: [1, 2].map((n) => ({
      ownerCode: OWNER,
      sku: `WL${n}`,
      gtin: gtin(n),
      gcode: '3304990010',
      name: `Lotion ${n}`,
      unit: '011',
      declaredPrice: '99.00',
      country: '116',
      grossGrams: 100,
    })),
    bookLines: [1, 2].map((n) => ({
      emsNo: EMS,
      putrecSeqno: n,
      itemNo: `WL${n}`,
      gcode: '3304990010',
      gname: `乳液${n}`,
      unit: '011',
    })),
  });
  expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
  const delivery = await api('POST', '/api/floor/deliveries', 'super', {
    warehouseCode: WH,
    deliveryNo: DELIVERY,
    ownerCode: OWNER,
    entryDocNo: `QDW${suffix}`,
    dockLocation: 'DOCK-W',
    lines: [
      { sku: 'WL1', qty: 4, batch: 'L1', expiry: '2027-06-30' },
      { sku: 'WL2', qty: 3 },
    ],
  });
  expect(delivery, JSON.stringify(delivery.body)).toMatchObject({ status: 201 });
}, 120_000);

afterAll(async () => {
  await authority?.stop();
  await app?.close();
});

describe('handheld work lists (issue 11)', () => {
  it('counts another batch or expiry as a difference, shown in the delivery and its report, never as good stock', async () => {
    const good = await receive(gs1(1, '1727063010L1\u001d303'));
    expect(good).toMatchObject({
      outcome: 'ok',
      message: 'WL1: 3 of 4',
      detail: { condition: 'good', line: { sku: 'WL1', expected: 4, good: 3, damaged: 0, batchMismatch: 0 } },
    });
    const otherBatch = await receive(gs1(1, '1727063010L2'));
    expect(otherBatch).toMatchObject({
      outcome: 'ok',
      message: 'batch L2 is not the expected L1: counted as a difference',
      next: 'set it aside for the supervisor and scan the next item',
      zh: { message: '批次 L2 不是应到批次 L1：已记为差异' },
      detail: {
        condition: 'batch_mismatch',
        difference: { differs: 'batch', expectedBatch: 'L1' },
        line: { expected: 4, good: 3, batchMismatch: 1 },
      },
    });
    const otherExpiry = await receive(gs1(1, '1727013110L1'));
    expect(otherExpiry).toMatchObject({
      outcome: 'ok',
      message: 'expiry 2027-01-31 is not the expected 2027-06-30: counted as a difference',
      detail: { condition: 'batch_mismatch', line: { good: 3, batchMismatch: 2 } },
    });
    expect(await receive('WL2', { qty: 3 })).toMatchObject({ outcome: 'ok', detail: { line: { good: 3 } } });

    const detail = (await api('GET', `/api/floor/deliveries/${DELIVERY}`, 'staff')).body;
    expect(detail.counted).toEqual([
      { sku: 'WL1', batch: 'L1', condition: 'batch_mismatch', qty: 1 },
      { sku: 'WL1', batch: 'L1', condition: 'good', qty: 3 },
      { sku: 'WL1', batch: 'L2', condition: 'batch_mismatch', qty: 1 },
      { sku: 'WL2', batch: '', condition: 'good', qty: 3 },
    ]);
    expect(detail.progress[0]).toMatchObject({ sku: 'WL1', expected: 4, good: 3, batchMismatch: 2, short: 0 });
    expect(detail.differences).toEqual([
      { sku: 'WL1', batch: 'L1', expiry: '2027-01-31', qty: 1, expectedBatches: ['L1'] },
      { sku: 'WL1', batch: 'L2', expiry: '2027-06-30', qty: 1, expectedBatches: ['L1'] },
    ]);
  });

  it('only a supervisor closes a delivery; the close says when in the site time and books no difference as good', async () => {
    const byStaff = await api('POST', `/api/floor/deliveries/${DELIVERY}/close`, 'staff');
    expect(byStaff.status).toBe(403);
    expect((await api('GET', `/api/floor/deliveries/${DELIVERY}`, 'staff')).body.status).toBe('open');

    const closed = await api('POST', `/api/floor/deliveries/${DELIVERY}/close`, 'super');
    expect(closed, JSON.stringify(closed.body)).toMatchObject({ status: 200, body: { status: 'closed' } });
    expect(closed.body.report).toEqual([
      { sku: 'WL1', expected: 4, good: 3, damaged: 0, unexpected: 0, batchMismatch: 2, over: 0, short: 0 },
      { sku: 'WL2', expected: 3, good: 3, damaged: 0, unexpected: 0, batchMismatch: 0, over: 0, short: 0 },
    ]);
    expect(closed.body.differences).toHaveLength(2);
    // the JSON time stays ISO (UTC); the message shows it on the site's clock
    const [{ closed_at }] = await query<{ closed_at: Date }>(
      databaseUrl,
      'select closed_at from inbound_delivery where delivery_no = $1',
      [DELIVERY],
    );
    expect(closed.body.closedAt).toBe(new Date(closed_at).toISOString());
    const local = new Date(new Date(closed_at).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(closed.body.message).toBe(
      `delivery ${DELIVERY} closed at ${local} Asia/Shanghai and booked against QDW${suffix}`,
    );
    // the expected batch is good stock at the dock; the differences wait in quarantine, off the book
    expect(await shelf('DOCK-W')).toEqual(['WL1/L1:3', 'WL2/:3']);
    expect(await shelf('QT-01')).toEqual(['WL1/L1:1', 'WL1/L2:1']);
    const report = (await api('GET', `/api/floor/deliveries/${DELIVERY}`, 'super')).body.report;
    expect(report[0]).toMatchObject({ sku: 'WL1', batchMismatch: 2 });
  });

  it('puts away the quantity asked, never more than waits at the dock', async () => {
    const tooMany = await scan('putaway', 'WL1', { qty: 5 });
    expect(tooMany).toMatchObject({
      outcome: 'refused',
      message: '5 × WL1 batch L1 asked, only 3 waiting at DOCK-W',
      next: 'enter at most what is waiting, or count again',
      detail: { waiting: 3 },
    });
    expect(await shelf('DOCK-W')).toEqual(['WL1/L1:3', 'WL2/:3']);
    expect(await scan('putaway', 'WL1', { qty: 2 })).toMatchObject({ outcome: 'ok', detail: { qty: 2, waiting: 3 } });
    expect(await scan('putaway', 'S-01')).toMatchObject({ outcome: 'ok', message: '2 × WL1 put in S-01' });
    // a count on the label (AI 30) is the quantity
    expect(await scan('putaway', gs1(1, '10L1\u001d301'))).toMatchObject({ outcome: 'ok', detail: { qty: 1 } });
    expect(await scan('putaway', 'S-01')).toMatchObject({ outcome: 'ok', message: '1 × WL1 put in S-01' });
    expect(await scan('putaway', gs1(2, '304'))).toMatchObject({
      outcome: 'refused',
      message: '4 × WL2 asked, only 3 waiting at DOCK-W',
    });
    // location first, then the goods with the quantity
    expect(await scan('putaway', 'S-02')).toMatchObject({ outcome: 'ok' });
    expect(await scan('putaway', 'WL2', { qty: 3 })).toMatchObject({ outcome: 'ok', message: '3 × WL2 put in S-02' });
    expect(await shelf('DOCK-W')).toEqual([]);
    expect(await shelf('S-01')).toEqual(['WL1/L1:3']);
    expect(await shelf('S-02')).toEqual(['WL2/:3']);
  });

  it("lists the open waves; a pick answer carries the wave's next bin; a short pick moves on", async () => {
    const parcel = (n: number) => `YTW${suffix}${n}`;
    const docs = [
      [1, 'WL1', 2],
      [2, 'WL2', 2],
    ].map(([n, sku, qty]) =>
      consumerOrderDocs({
        warehouseCode: WH,
        ebpCode: 'PLATWL0001',
        ebcCode: OWNER,
        payCode: 'PAYWL00001',
        logisticsCode: 'LOGIWL0001',
        orderNo: `SOW${suffix}${n}`,
        logisticsNo: parcel(n as number),
        sku: sku as string,
        qty: qty as number,
        buyer: 3000 + (n as number),
      }),
    );
    const imported = await api('POST', '/api/customs/documents?wait=true', 'super', documentsBody(docs));
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
    const declared = await api('POST', '/api/customs/declarations', 'super', { direction: 'import', all: true });
    expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 2 });
    await authority.settle();
    await waitFor('customs to release both', async () => {
      const rows = await query<{ customs_status: number | null }>(
        databaseUrl,
        'select customs_status from inventory_list where logistics_no like $1',
        [`YTW${suffix}%`],
      );
      return rows.length === 2 && rows.every((r) => r.customs_status === 800);
    });
    const wave = await api('POST', '/api/floor/waves', 'super', { warehouseCode: WH });
    expect(wave.body, JSON.stringify(wave.body)).toMatchObject({ parcels: 2, tasks: 2 });
    const waveNo = wave.body.waveNo;
    const open = await api('GET', `/api/floor/waves?warehouseCode=${WH}&status=open`, 'staff');
    expect(open.body.items).toEqual([
      expect.objectContaining({ waveNo, parcels: 2, tasks: 2, openTasks: 2, unitsLeft: 4 }),
    ]);

    expect(await scan('pick', 'S-01')).toMatchObject({ outcome: 'ok', message: 'bin S-01: pick 2 × WL1' });
    const first = await scan('pick', 'WL1');
    expect(first).toMatchObject({
      outcome: 'ok',
      detail: {
        waveNo,
        sku: 'WL1',
        taskLeft: 1,
        parcelLeft: 1,
        next: { location: 'S-01', sku: 'WL1', batch: 'L1', left: 1, parcelLeft: 1, logisticsNo: parcel(1) },
      },
    });
    const second = await scan('pick', 'WL1');
    expect(second).toMatchObject({
      outcome: 'ok',
      next: `parcel ${parcel(1)} is complete: take it to packing`,
      detail: {
        taskLeft: 0,
        parcelLeft: 0,
        next: { location: 'S-02', sku: 'WL2', left: 2, parcelLeft: 2, logisticsNo: parcel(2) },
      },
    });
    const short = await api('POST', `/api/floor/picks/${second.detail.next.taskId}/short`, 'staff', {
      reason: 'bin empty',
    });
    expect(short.body).toMatchObject({ missing: 2, reason: 'bin empty', next: null });
    expect((await api('GET', `/api/floor/waves?warehouseCode=${WH}`, 'staff')).body.items).toEqual([]);
    const done = await api('GET', `/api/floor/waves?warehouseCode=${WH}&status=done`, 'staff');
    expect(done.body.items).toEqual([expect.objectContaining({ waveNo, openTasks: 0, unitsLeft: 0 })]);
  });
});

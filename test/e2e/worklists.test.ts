import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gs1CheckDigit } from '@wms/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { launchChromium, signIn } from '../support/browser.js';
import { query, waitFor } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../support/trade-docs.js';

/**
 * The handheld's work lists in real Chromium against the real server (issue 11): a supervisor
 * sees a delivery's lines fill up as they scan with a quantity and closes it from the handheld,
 * seeing the receiving report (a staff worker sees no close button); the pick screen shows the
 * next bin, advances after each pick without asking again, and reports a short with a reason.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-worklists-ui-'));
chmodSync(dir, 0o755);
const WH = 'WU01';
const EMS = 'T5165W000012';
const OWNER = 'OWNWU00001';
const DELIVERY = `DU${suffix}`;
const gtin = (n: number) => {
  const body = `690000003${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
let app: TestServer;
let databaseUrl: string;
let browser: Browser;
let boss: Page;
let worker: Page;
let authority: CustomsAuthority;

const api = (method: string, path: string, body?: unknown) => app.api(method, path, 'boss', body);

/** Types a code into the scan field as a wedge scanner does, then waits for its answer. */
async function scanInto(page: Page, code: string) {
  const before = await page.getByTestId('scan-history').locator('li').count();
  await page.getByTestId('scan-input').fill(code);
  await page.getByTestId('scan-input').press('Enter');
  await page.getByTestId('scan-history').locator('li').nth(before).waitFor();
  return {
    outcome: (await page.getByTestId('scan-result').getAttribute('data-outcome')) ?? '',
    message: (await page.getByTestId('result-message').textContent()) ?? '',
  };
}

async function inEnglish(page: Page) {
  if ((await page.locator('html').getAttribute('lang')) !== 'en') await page.getByTestId('language-toggle').click();
}

const cell = (page: Page, table: string, sku: string, col: string) =>
  page.getByTestId(table).locator(`[data-sku="${sku}"] [data-col="${col}"]`);

beforeAll(async () => {
  app = await startTestServer('worklistsui', {
    UI_DIST_DIR: resolve(import.meta.dirname, '../../scanner-ui/dist'),
    CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
    CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
    CUSTOMS_POLL_MS: '100',
  });
  databaseUrl = app.databaseUrl;
  await app.signIn('boss', ['supervisor', 'staff'], 'Boss');
  await app.signIn('worker', ['staff'], '李师傅');
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    delays: { acceptMs: 0, decisionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  const md = await api('POST', '/api/master-data', {
    enterprises: [
      { code: OWNER, name: 'Seller', roles: ['ebc', 'owner'] },
      { code: 'PLATWU0001', name: 'Platform', roles: ['ebp'] },
      { code: 'PAYWU00001', name: 'Pay', roles: ['pay'] },
      { code: 'LOGIWU0001', name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Work list UI centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W12',
        emsNo: EMS,
        zones: [
          { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK-U', purpose: 'dock' }, 'S-01', 'S-02'] },
          { code: 'QT', kind: 'quarantine', locations: ['QT-U'] },
        ],
      },
    ],
    goods: [1, 2].map((n) => ({
      ownerCode: OWNER,
      sku: `WU${n}`,
      gtin: gtin(n),
      gcode: '3304990010',
      name: `Toner ${n}`,
      unit: '011',
      declaredPrice: '99.00',
      country: '116',
      grossGrams: 100,
    })),
    bookLines: [1, 2].map((n) => ({
      emsNo: EMS,
      putrecSeqno: n,
      itemNo: `WU${n}`,
      gcode: '3304990010',
      gname: `爽肤水${n}`,
      unit: '011',
    })),
  });
  expect(md.status, JSON.stringify(md.body)).toBe(201);
  const delivery = await api('POST', '/api/floor/deliveries', {
    warehouseCode: WH,
    deliveryNo: DELIVERY,
    ownerCode: OWNER,
    entryDocNo: `QDU${suffix}`,
    dockLocation: 'DOCK-U',
    lines: [
      { sku: 'WU1', qty: 2 },
      { sku: 'WU2', qty: 2 },
    ],
  });
  expect(delivery.status, JSON.stringify(delivery.body)).toBe(201);
  browser = await launchChromium();
  boss = await browser.newPage();
  worker = await browser.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await authority?.stop();
  await app?.close();
});

describe('handheld work lists in Chromium (issue 11)', () => {
  it('receive: lines fill up with the quantity scanned; staff see no close; the supervisor closes and sees the report', async () => {
    await signIn(worker, app.server.url, app.username('worker'), 'pw', 'receive');
    await inEnglish(worker);
    await worker.getByTestId('delivery-picker').locator(`option[value="${DELIVERY}"]`).waitFor({ state: 'attached' });
    await cell(worker, 'delivery-lines', 'WU1', 'expected').waitFor();
    expect(await worker.getByTestId('close-delivery').count()).toBe(0);

    await signIn(boss, app.server.url, app.username('boss'), 'pw', 'receive');
    await inEnglish(boss);
    await boss.getByTestId('delivery-picker').locator(`option[value="${DELIVERY}"]`).waitFor({ state: 'attached' });
    await cell(boss, 'delivery-lines', 'WU1', 'expected').waitFor();
    expect(await cell(boss, 'delivery-lines', 'WU1', 'good').textContent()).toBe('0');

    await boss.getByTestId('qty-input').fill('2');
    expect(await scanInto(boss, gtin(1))).toEqual({ outcome: 'ok', message: 'WU1: 2 of 2' });
    expect(await cell(boss, 'delivery-lines', 'WU1', 'good').textContent()).toBe('2');
    // the quantity is for one scan: the next is one unit again
    expect(await boss.getByTestId('qty-input').inputValue()).toBe('1');
    expect(await scanInto(boss, 'WU2')).toEqual({ outcome: 'ok', message: 'WU2: 1 of 2' });
    expect(await cell(boss, 'delivery-lines', 'WU2', 'good').textContent()).toBe('1');
    expect(await cell(boss, 'delivery-lines', 'WU2', 'expected').textContent()).toBe('2');

    await boss.getByTestId('close-delivery').click();
    const report = boss.locator('[data-testid="receiving-report"][data-status="closed"]');
    await report.waitFor();
    expect(await cell(boss, 'report-lines', 'WU2', 'short').textContent()).toBe('1');
    expect(await cell(boss, 'report-lines', 'WU1', 'over').textContent()).toBe('0');
    const [{ closed_at }] = await query<{ closed_at: Date }>(
      databaseUrl,
      'select closed_at from inbound_delivery where delivery_no = $1',
      [DELIVERY],
    );
    const local = new Date(new Date(closed_at).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(await boss.getByTestId('report-message').textContent()).toBe(`Closed ${local} Asia/Shanghai`);
    expect((await api('GET', `/api/floor/deliveries/${DELIVERY}`)).body.status).toBe('closed');
  });

  it('pick: the next bin is shown, advances after each pick, and a short is reported from the screen', async () => {
    // put away what arrived, declare two orders, let customs release them, build a wave
    for (const [code, qty] of [
      ['WU1', 2],
      ['S-01', undefined],
      ['WU2', 1],
      ['S-02', undefined],
    ] as const)
      expect(
        (
          await api('POST', '/api/floor/scans', {
            scanId: randomUUID(),
            operation: 'putaway',
            warehouseCode: WH,
            stationId: 'SETUP',
            code,
            ...(qty ? { qty } : {}),
          })
        ).body,
      ).toMatchObject({ outcome: 'ok' });
    const parcel = (n: number) => `YTU${suffix}${n}`;
    const docs = (
      [
        [1, 'WU1', 2],
        [2, 'WU2', 1],
      ] as const
    ).map(([n, sku, qty]) =>
      consumerOrderDocs({
        warehouseCode: WH,
        ebpCode: 'PLATWU0001',
        ebcCode: OWNER,
        payCode: 'PAYWU00001',
        logisticsCode: 'LOGIWU0001',
        orderNo: `SOU${suffix}${n}`,
        logisticsNo: parcel(n),
        sku,
        qty,
        buyer: 4000 + n,
      }),
    );
    expect((await api('POST', '/api/customs/documents?wait=true', documentsBody(docs))).body).toMatchObject({
      failed: 0,
    });
    expect((await api('POST', '/api/customs/declarations', { direction: 'import', all: true })).body).toMatchObject({
      declared: 2,
    });
    await authority.settle();
    await waitFor('the releases', async () => {
      const rows = await query<{ customs_status: number }>(
        databaseUrl,
        'select customs_status from inventory_list where logistics_no like $1',
        [`YTU${suffix}%`],
      );
      return rows.length === 2 && rows.every((r) => r.customs_status === 800);
    });
    const wave = await api('POST', '/api/floor/waves', { warehouseCode: WH });
    expect(wave.body).toMatchObject({ parcels: 2, tasks: 2 });

    await worker.getByTestId('nav-home').click();
    await worker.getByTestId('menu-pick').click();
    await worker.getByTestId('wave-picker').locator(`option[value="${wave.body.waveNo}"]`).waitFor({
      state: 'attached',
    });
    await worker.getByTestId('next-bin').waitFor();
    expect(await worker.getByTestId('next-bin').textContent()).toBe('S-01');
    expect(await worker.getByTestId('next-sku').textContent()).toBe('WU1');
    expect(await worker.getByTestId('next-left').textContent()).toBe('2 left');
    expect(await worker.locator('[data-testid="pick-task"][data-next]').textContent()).toBe('S-01 · WU1 · 2');
    expect(await worker.getByTestId('pick-task').count()).toBe(2);

    expect(await scanInto(worker, 'S-01')).toMatchObject({ outcome: 'ok', message: 'bin S-01: pick 2 × WU1' });
    expect(await scanInto(worker, 'WU1')).toMatchObject({ outcome: 'ok' });
    expect(await worker.getByTestId('next-left').textContent()).toBe('1 left');
    expect(await scanInto(worker, 'WU1')).toMatchObject({ outcome: 'ok' });
    // the answer carried the next task: the screen moved on to the next bin
    expect(await worker.getByTestId('next-bin').textContent()).toBe('S-02');
    expect(await worker.getByTestId('next-sku').textContent()).toBe('WU2');
    expect(await worker.getByTestId('pick-task').count()).toBe(1);

    await worker.getByTestId('short-button').click();
    await worker.getByTestId('short-reason').selectOption('other');
    await worker.getByTestId('short-other').fill('box crushed by forklift');
    await worker.getByTestId('short-confirm').click();
    await worker.locator('[data-testid="next-pick"].done').waitFor();
    expect(await worker.getByTestId('next-pick').textContent()).toBe('Wave picked: nothing left');
    expect(await worker.getByTestId('result-message').textContent()).toBe('Short reported: 1 × missing');
    const tasks = (await api('GET', `/api/floor/waves/${wave.body.waveNo}`)).body.tasks;
    expect(tasks.map((t: { sku: string; status: string }) => `${t.sku}:${t.status}`)).toEqual([
      'WU1:done',
      'WU2:short',
    ]);
    const [trace] = await query<{ detail: { reason: string } }>(
      databaseUrl,
      `select detail from trace_event where object_id = $1 and disposition = 'short'`,
      [parcel(2)],
    );
    expect(trace?.detail.reason).toBe('other: box crushed by forklift');
  });
});

import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gs1CheckDigit } from '@wms/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import type { ServerApp } from '../../server/src/app.factory.js';
import { launchChromium, signIn } from '../support/browser.js';
import { type PackingStation, packingStation } from '../support/packing-station.js';
import { query, waitFor } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../support/trade-docs.js';

/**
 * The handheld app in real Chromium, against the real server (real PostgreSQL, the built UI):
 * a receive, a pick and a pack, each with a refused scan, and what the screen says — in English,
 * then in Chinese.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-handheld-'));
chmodSync(dir, 0o755);
const WH = 'HH01';
const OWNER = 'OWNHH00001';
const gtin = (n: number) => {
  const body = `690000001${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
let app: TestServer;
let server: ServerApp;
let databaseUrl: string;
let browser: Browser;
let page: Page;
let authority: CustomsAuthority;
let station: PackingStation;

const api = (method: string, path: string, body?: unknown) => app.api(method, path, 'boss', body);

/** Types a code into the scan field the way a keyboard-wedge scanner does, then waits for the answer. */
async function scanInto(code: string): Promise<{ outcome: string; message: string; next: string }> {
  const before = await page.getByTestId('scan-history').locator('li').count();
  await page.getByTestId('scan-input').fill(code);
  await page.getByTestId('scan-input').press('Enter');
  await page.getByTestId('scan-history').locator('li').nth(before).waitFor();
  const result = page.getByTestId('scan-result');
  return {
    outcome: (await result.getAttribute('data-outcome')) ?? '',
    message: (await page.getByTestId('result-message').textContent()) ?? '',
    next: (await page.getByTestId('result-next').textContent()) ?? '',
  };
}

beforeAll(async () => {
  app = await startTestServer('handheld', {
    UI_DIST_DIR: resolve(import.meta.dirname, '../../scanner-ui/dist'),
    CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
    CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
    CUSTOMS_POLL_MS: '100',
  });
  server = app.server;
  databaseUrl = app.databaseUrl;
  await app.signIn('boss', ['supervisor', 'staff'], 'Boss');
  await app.signIn('worker', ['staff'], '王师傅');
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    delays: { acceptMs: 0, decisionMs: 0 },
    pollMs: 50,
  });
  authority.start();

  // a small bonded centre with two goods on the book, and one parcel's documents
  expect(
    (
      await api('POST', '/api/master-data', {
        enterprises: [
          { code: OWNER, name: 'Seller', roles: ['ebc', 'owner'] },
          { code: 'PLATHH0001', name: 'Platform', roles: ['ebp'] },
          { code: 'PAYHH00001', name: 'Pay', roles: ['pay'] },
          { code: 'LOGIHH0001', name: 'Express', roles: ['logistics'] },
        ],
        warehouses: [
          {
            code: WH,
            name: 'Handheld test centre',
            kind: 'bonded-centre',
            customsCode: '5165',
            loctNo: '5165W09',
            emsNo: 'T5165W000009',
            zones: [
              { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK-9', purpose: 'dock' }, 'B-01'] },
              { code: 'QT', kind: 'quarantine', locations: ['QT-09'] },
            ],
          },
        ],
        goods: [1, 2].map((n) => ({
          ownerCode: OWNER,
          sku: `HS${n}`,
          gtin: gtin(n),
          gcode: '3304990010',
          name: `Cream ${n}`,
          unit: '011',
          declaredPrice: '99.00',
          country: '116',
          grossGrams: 250,
        })),
        bookLines: [1, 2].map((n) => ({
          emsNo: 'T5165W000009',
          putrecSeqno: n,
          itemNo: `HS${n}`,
          gcode: '3304990010',
          gname: `面霜${n}`,
          unit: '011',
        })),
      })
    ).status,
  ).toBe(201);
  await api('POST', '/api/floor/deliveries', {
    warehouseCode: WH,
    deliveryNo: `HD${suffix}`,
    ownerCode: OWNER,
    entryDocNo: `QDH${suffix}`,
    dockLocation: 'DOCK-9',
    lines: [{ sku: 'HS1', qty: 2 }],
  });
  // the packing bench: its scale and label printer on the real broker (no scanner: codes are typed)
  station = await packingStation(server, databaseUrl, 'HHPK');
  browser = await launchChromium();
  page = await browser.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await station?.close();
  await authority?.stop();
  await app?.close();
});

describe('handheld app in Chromium (issue 5)', () => {
  it('receives: a good scan is green with the count, an unknown one is red with the reason', async () => {
    await signIn(page, server.url, app.username('worker'), 'pw', 'receive');
    await expect.poll(() => page.getByTestId('screen-title').textContent()).toMatch(/Receive|收货/);
    if ((await page.locator('html').getAttribute('lang')) !== 'en') await page.getByTestId('language-toggle').click();
    await page.getByTestId('delivery-picker').locator(`option[value="HD${suffix}"]`).waitFor({ state: 'attached' });

    const ok = await scanInto(gtin(1));
    expect(ok).toEqual({ outcome: 'ok', message: 'HS1: 1 of 2', next: 'scan the next item' });
    const refused = await scanInto('NOT-A-THING');
    expect(refused.outcome).toBe('refused');
    expect(refused.message).toBe('unknown barcode NOT-A-THING: not goods of OWNHH00001');
    expect(refused.next).toBe('set it aside for the supervisor and scan the next item');
    expect(await page.getByTestId('scan-result').evaluate((e) => getComputedStyle(e).borderColor)).toBe(
      'rgb(255, 77, 79)',
    );
    expect(await page.evaluate(() => document.body.dataset.lastSignal)).toBe('refused');

    // the same worker, in Chinese
    await page.getByTestId('language-toggle').click();
    const zh = await scanInto(`01${gtin(1).padStart(14, '0')}`);
    expect(zh).toEqual({ outcome: 'ok', message: 'HS1：2 / 2', next: '请扫描下一件' });
    const close = await api('POST', `/api/floor/deliveries/HD${suffix}/close`);
    expect(close.body).toMatchObject({ status: 'closed' });
  });

  it('picks: bin first is demanded, then the item goes into the parcel', async () => {
    // put away what arrived, declare one order for it, let customs release it, build a wave
    for (const code of ['HS1', 'B-01', 'HS1', 'B-01'])
      await api('POST', '/api/floor/scans', {
        scanId: randomUUID(),
        operation: 'putaway',
        warehouseCode: WH,
        stationId: 'SETUP',
        code,
      });
    const orderNo = `SOH${suffix}`;
    await api(
      'POST',
      '/api/customs/documents?wait=true',
      documentsBody([
        consumerOrderDocs({
          warehouseCode: WH,
          ebpCode: 'PLATHH0001',
          ebcCode: OWNER,
          payCode: 'PAYHH00001',
          logisticsCode: 'LOGIHH0001',
          orderNo,
          logisticsNo: `YTH${suffix}`,
          sku: 'HS1',
          qty: 2,
          buyer: 1,
        }),
      ]),
    );
    const declared = await api('POST', '/api/customs/declarations', { direction: 'import', all: true });
    expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 1 });
    await authority.settle();
    await waitFor('the release', async () => {
      const rows = await query<{ customs_status: number }>(
        databaseUrl,
        'select customs_status from inventory_list where order_no = $1',
        [orderNo],
      );
      return rows[0]?.customs_status === 800;
    });
    expect((await api('POST', '/api/floor/waves', { warehouseCode: WH })).body).toMatchObject({ parcels: 1 });

    await page.getByTestId('nav-home').click();
    await page.getByTestId('menu-pick').click();
    await page.getByTestId('language-toggle').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const early = await scanInto('HS1');
    expect(early).toMatchObject({
      outcome: 'refused',
      message: 'scan the bin first',
      next: 'scan the bin you are picking from',
    });
    expect(await scanInto('B-01')).toMatchObject({ outcome: 'ok', message: 'bin B-01: pick 2 × HS1' });
    expect(await scanInto('HS1')).toMatchObject({
      outcome: 'ok',
      message: `1 × HS1 into parcel YTH${suffix}`,
      next: '1 more for this parcel: scan the next item',
    });
    expect(await scanInto('HS1')).toMatchObject({
      outcome: 'ok',
      next: `parcel YTH${suffix} is complete: take it to packing`,
    });
    expect(await page.getByTestId('scan-history').locator('li[data-outcome="refused"]').count()).toBe(1);
  });

  it('the station screen only shows what the server decided: packed, weighed and labelled with no call of its own', async () => {
    const calls: string[] = [];
    page.on('request', (r) => calls.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.getByTestId('nav-home').click();
    await page.getByTestId('menu-station').click();
    await page.getByTestId('live-weight').waitFor();
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor();
    await page.getByTestId('station-picker').selectOption(station.stationId);
    await page.getByTestId('job-picker').selectOption('pack');
    await page.getByTestId('set-job').click();
    await page.locator('[data-testid="station-job"][data-job="pack"]').waitFor();
    expect(await page.getByTestId('station-job').textContent()).toContain(app.username('worker'));

    const input = page.getByTestId('scan-input');
    await input.fill('NO-SUCH-PARCEL');
    await input.press('Enter');
    await page.locator('[data-testid="station-result"][data-outcome="refused"]').waitFor();
    expect(await page.getByTestId('result-message').textContent()).toMatch(/NO-SUCH-PARCEL is not known/);
    await input.fill(`YTH${suffix}`);
    await input.press('Enter');
    await page.locator('[data-testid="station-result"][data-outcome="ok"]').waitFor();
    expect(await page.getByTestId('result-message').textContent()).toBe(`parcel YTH${suffix} packed (2 unit(s))`);
    expect(await page.getByTestId('result-next').textContent()).toBe('put it on the scale');
    await waitFor('the parcel on the bench', async () =>
      ((await page.getByTestId('current-parcel').textContent()) ?? '').includes(`YTH${suffix}`),
    );
    const [list] = await query<{ packed_at: Date | null }>(
      databaseUrl,
      'select packed_at from inventory_list where logistics_no = $1',
      [`YTH${suffix}`],
    );
    expect(list.packed_at).toBeInstanceOf(Date);

    // the stable weight comes from the station's scale over the broker: the server weighs and prints
    await station.weigh(500);
    await page.locator('[data-testid="station-answers"] li[data-kind="weight"][data-outcome="ok"]').waitFor();
    expect(await page.getByTestId('result-message').textContent()).toMatch(
      new RegExp(`parcel YTH${suffix}: 0.500 kg, label \\d{18} printed`),
    );
    expect(station.printed).toHaveLength(1);
    await waitFor('the bench to be free', async () =>
      ((await page.getByTestId('current-parcel').textContent()) ?? '').includes('—'),
    );
    // the screen asked the server to scan and to set the job; it never packed, weighed or printed
    expect(calls.filter((c) => /\/pack$|\/weighings|\/label$/.test(c))).toEqual([]);
    expect(calls).toContain(`POST /api/floor/stations/${station.stationId}/scans`);

    // opened again, the screen catches up on the server's answers
    await page.reload();
    await page.locator('[data-testid="station-answers"] li[data-kind="weight"]').waitFor();
    expect(await page.getByTestId('station-answers').locator('li').count()).toBe(3);
    expect(await page.locator('[data-testid="station-job"][data-job="pack"]').count()).toBe(1);
  });
});

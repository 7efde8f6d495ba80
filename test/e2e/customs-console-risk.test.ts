import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { signInConsole } from '../support/console.js';
import { type PackingStation, packingStation } from '../support/packing-station.js';
import { query } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../support/trade-docs.js';

/**
 * The console's risk warnings in real Chromium (issue 13): the officer has the page open when a
 * parcel is weighed far off its declaration at a packing station (the real broker carries the
 * scale's weight); the weight-deviation warning appears without a reload, with its evidence; one
 * action turns it into a hold of the parcel, signed by the officer.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-riskui-'));
chmodSync(dir, 0o755);
const WH = 'BCRUI';
const EMS = 'T5165W000062';
const OWNER = 'OWN0000062';
const EBP = 'PLATR00062';
const LOGI = 'LOGIR00062';
const PARCEL = `YTU${suffix}1`;
let app: TestServer;
let browser: Browser;
let station: PackingStation;

beforeAll(async () => {
  app = await startTestServer(
    'riskui',
    { CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'), CUSTOMS_INBOX_DIR: join(dir, 'inbox'), CUSTOMS_POLL_MS: '0' },
    { super: ['supervisor'], staff: ['staff'] },
  );
  await app.signIn('officer', ['customs'], 'Officer Li');
  station = await packingStation(app.server, app.databaseUrl, 'RU');
  const md = await app.api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: OWNER, name: 'Console Seller', roles: ['ebc', 'owner'] },
      { code: EBP, name: 'Platform', roles: ['ebp'] },
      { code: 'PAYR000062', name: 'Pay', roles: ['pay'] },
      { code: LOGI, name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Console centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W62',
        emsNo: EMS,
        zones: [{ code: 'BZ', kind: 'bonded', locations: ['U-01'] }],
      },
    ],
    goods: [
      {
        ownerCode: OWNER,
        sku: 'TONER',
        gcode: '3304990010',
        name: 'Toner',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 300,
      },
    ],
    bookLines: [{ emsNo: EMS, putrecSeqno: 1, itemNo: 'TONER', gcode: '3304990010', gname: '爽肤水', unit: '011' }],
  });
  expect(md.status, JSON.stringify(md.body)).toBe(201);
  expect(
    (
      await app.api('POST', '/api/bonded/entries', 'staff', {
        warehouseCode: WH,
        docNo: `QDU${suffix}`,
        ownerCode: OWNER,
        lines: [{ sku: 'TONER', batch: 'B1', qty: 10, location: 'U-01' }],
      })
    ).status,
  ).toBe(201);
  const docs = [
    consumerOrderDocs({
      warehouseCode: WH,
      ebpCode: EBP,
      ebcCode: OWNER,
      payCode: 'PAYR000062',
      logisticsCode: LOGI,
      orderNo: `SOU${suffix}1`,
      logisticsNo: PARCEL,
      sku: 'TONER',
      qty: 1,
      buyer: 62_001,
      declaredKg: '0.30',
    }),
  ];
  expect((await app.api('POST', '/api/customs/documents?wait=true', 'super', documentsBody(docs))).body).toMatchObject({
    failed: 0,
  });
  expect(
    (
      await app.api('POST', '/api/customs/declarations', 'super', {
        direction: 'import',
        orders: [{ ebpCode: EBP, orderNo: `SOU${suffix}1` }],
      })
    ).body,
  ).toMatchObject({ declared: 1 });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await station?.close();
  await app?.close();
});

describe('the console’s risk warnings', () => {
  it('shows a weight-deviation warning live, with its evidence, and turns it into a hold', async () => {
    const page: Page = await browser.newPage({ locale: 'en-GB' });
    await signInConsole(page, app, 'officer');
    await page.goto(`${app.server.url}/customs/#/risk`);
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor();
    const table = page.getByTestId('warnings');
    await table.waitFor();
    expect(await table.textContent()).toContain('No warnings');

    // the floor weighs the parcel at 0.95 kg against 0.30 declared: held, and a warning for customs
    await station.weigh(950);
    const weighed = await app.api('POST', '/api/floor/weighings', 'staff', {
      logisticsNo: PARCEL,
      stationId: station.stationId,
    });
    expect(weighed.body).toMatchObject({ within: false, held: true });

    const row = table.locator('tr', { hasText: PARCEL }).first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain('Weight vs declared');
    expect(await row.textContent()).toContain('+650 g');
    await row.locator('.el-table__expand-icon').click();
    const evidence = page.locator('[data-testid^="warning-evidence-"]').first();
    await evidence.waitFor();
    expect(await evidence.textContent()).toContain('deviationGrams');
    expect(await evidence.textContent()).toContain('650');

    await row.locator('[data-testid^="warning-hold-"]').click();
    const reason = page.locator('[data-testid="hold-reason"] textarea, textarea[data-testid="hold-reason"]').first();
    await reason.waitFor();
    expect(await reason.inputValue()).toContain('Weight vs declared');
    await reason.fill('Weight 0.95 kg against 0.30 kg declared: open and inspect');
    await page.getByTestId('hold-confirm').click();
    await page.getByText(`Parcel ${PARCEL} is held`).waitFor();

    // the open list no longer shows it; the held one does, signed by the officer
    await table.locator('tr', { hasText: PARCEL }).first().waitFor({ state: 'detached' });
    const [list] = await query<{ hold_reason: string; held_by: string }>(
      app.databaseUrl,
      'select hold_reason, held_by from inventory_list where logistics_no = $1',
      [PARCEL],
    );
    expect(list).toEqual({
      hold_reason: 'Weight 0.95 kg against 0.30 kg declared: open and inspect',
      held_by: app.username('officer'),
    });
    await page.getByTestId('warning-status').getByText('Held').click();
    const heldRow = table.locator('tr', { hasText: PARCEL }).first();
    await heldRow.waitFor();
    expect(await heldRow.textContent()).toContain('Held');
    await page.close();
  });
});

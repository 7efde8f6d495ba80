import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLabel } from '../../hardware-sim/src/devices/zpl-barcodes.js';
import { launchChromium, signIn } from '../support/browser.js';
import { type PackingStation, packingStation } from '../support/packing-station.js';
import { query } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The load screen in real Chromium (issue 11): "New bag" creates the unit at the chosen station,
 * whose printer prints its GS1 label; the screen shows what the server answered about the print,
 * and the SSCC in the ZPL the printer received is the unit's.
 */
const WH = 'UL01';
let app: TestServer;
let browser: Browser;
let page: Page;
let station: PackingStation;

beforeAll(async () => {
  app = await startTestServer('unitscreen', { UI_DIST_DIR: resolve(import.meta.dirname, '../../scanner-ui/dist') });
  await app.signIn('boss', ['supervisor', 'staff'], 'Boss');
  await app.signIn('worker', ['staff'], '王师傅');
  const md = await app.api('POST', '/api/master-data', 'boss', {
    warehouses: [
      {
        code: WH,
        name: 'Label screen centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W21',
        emsNo: 'T5165W000021',
        zones: [{ code: 'BZ', kind: 'bonded', locations: ['UL-01'] }],
      },
    ],
  });
  expect(md.status, JSON.stringify(md.body)).toBe(201);
  station = await packingStation(app.server, app.databaseUrl, 'LS');
  browser = await launchChromium();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await station?.close();
  await app?.close();
});

describe('load screen: new bag with its label (issue 11)', () => {
  it('creates a bag at the chosen station, prints its label there and says so', async () => {
    await signIn(page, app.server.url, app.username('worker'), 'pw', 'load');
    await page.getByTestId('warehouse-picker').selectOption(WH);
    await page.getByTestId('station-picker').selectOption(station.stationId);
    await page.getByTestId('new-bag').click();
    await page.locator('[data-testid="scan-result"][data-outcome="ok"]').waitFor();
    const message = (await page.getByTestId('result-message').textContent()) ?? '';
    const [unit] = await query<{ sscc: string; kind: string }>(
      app.databaseUrl,
      'select sscc, kind from handling_unit where warehouse_code = $1',
      [WH],
    );
    expect(unit.kind).toBe('bag');
    expect(message).toMatch(new RegExp(`^label of bag ${unit.sscc} printed on PRN-`));
    expect(await page.getByTestId('result-next').textContent()).toBe(
      'Stick the label on, scan it, then scan the parcels into it',
    );
    expect(station.printed.map((p) => p.jobId)).toEqual([`ULB-${unit.sscc}`]);
    expect(decodeLabel(station.printed[0].zpl).barcodes.map((b) => b.data)).toEqual([`00${unit.sscc}`]);
  });
});

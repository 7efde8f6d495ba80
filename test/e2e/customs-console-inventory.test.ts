import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageAgeAlertsSweep } from '../../server/src/modules/customs/inventory/storage-age-alerts.sweep.js';
import { launchChromium } from '../support/browser.js';
import { signInConsole } from '../support/console.js';
import { query } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The customs console's inventory area (issue 13) in real Chromium against the real server: the
 * officer opens "Book equals shelf", sees the unit in the centre on no book line and the line whose
 * shelf is short as differences in red, drills into the line (units by location, history of its
 * difference), watches the page follow a booking live, exports the book-line table to CSV (the
 * table's rows, all of them), sees a storage-age alert with whom it told, and switches to Chinese.
 */
let app: TestServer;
let browser: Browser;
const WH = 'BC01';
const EMS = 'T5165W000001';
const DANGER = 'rgb(245, 108, 108)'; // Element Plus --el-color-danger

beforeAll(async () => {
  app = await startTestServer('customsconsoleinv', { CUSTOMS_POLL_MS: '0', AGEING_SWEEP_MS: '0' });
  await query(
    app.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Owner A', '{owner,ebc}');
     insert into warehouse (code, name, kind, customs_code, loct_no, ems_no, country)
       values ('${WH}', 'Bonded centre', 'bonded-centre', '5165', 'L5165', '${EMS}', 'CN');
     insert into zone (warehouse_code, code, kind) values ('${WH}', 'ZB', 'bonded'), ('${WH}', 'ZQ', 'quarantine');
     insert into location (warehouse_code, code, zone_code) values ('${WH}', 'A-01', 'ZB'), ('${WH}', 'Q-1', 'ZQ');
     insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit)
       select '${EMS}', n, 'SKU-' || n, '3304990010', 'cream ' || n, '007' from generate_series(1, 4) n;
     insert into goods (owner_code, sku, gcode, name, unit, declared_price, country)
       values ('OWN-A', 'SKU-1', '3304990010', 'cream 1', '007', 10, '142');
     -- every line: 10 units on the book and on the shelf, but line 2's shelf holds 9
     insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no)
       select ledger, '${WH}', '${EMS}', n, 'OWN-A', 'SKU-' || n, 'B1', case when ledger = 'book' then '' else 'A-01' end,
         'bonded', case when ledger = 'shelf' and n = 2 then 9 else 10 end, 'entry-verification', 'INV-' || n
       from generate_series(1, 3) n, unnest('{book,shelf}'::text[]) ledger;
     -- line 4: 5 units in the centre for 400 days (the site's limit is 365)
     insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no, created_at)
       select ledger, '${WH}', '${EMS}', 4, 'OWN-A', 'SKU-4', 'OLD', case when ledger = 'book' then '' else 'A-01' end,
         'bonded', 5, 'entry-verification', 'INV-OLD', now() - interval '400 days'
       from unnest('{book,shelf}'::text[]) ledger;
     -- one unit in the centre on no book line: a delivery brought it unannounced
     insert into stock_movement (ledger, warehouse_code, owner_code, sku, batch, location, customs_state, qty, doc_type, doc_no)
       values ('shelf', '${WH}', 'OWN-A', 'SKU-STRAY', '', 'Q-1', 'non-bonded', 1, 'inbound', 'DLV-1')`,
  );
  await app.signIn('officer', ['customs'], 'Officer Li');
  await app.signIn('staff', ['staff'], 'Floor worker');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const colour = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .first()
    .evaluate((e) => getComputedStyle(e).color);

describe('the customs console: in the warehouse now and book equals shelf', () => {
  it('shows the unbooked unit as a difference in red, drills into a line, follows the floor, exports CSV, speaks Chinese', async () => {
    const page = await browser.newPage({ locale: 'en-GB', acceptDownloads: true });
    await signInConsole(page, app, 'officer');
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor();
    await page.getByTestId('menu-inventory-book-equals-shelf').click();

    // the verdict, the unbooked unit and the short line, in red
    await page.locator('[data-testid="verdict"][data-balanced="false"]').waitFor();
    const unbooked = page.getByTestId('unbooked');
    await unbooked.getByText('SKU-STRAY', { exact: true }).waitFor();
    expect(await page.getByTestId('unbooked-units').allTextContents()).toEqual(['+1']);
    expect(await page.getByTestId('unbooked-reason').allTextContents()).toEqual(['Unexpected']);
    expect(await colour(page, 'unbooked-units')).toBe(DANGER);
    expect(await unbooked.textContent()).toContain('DLV-1');
    expect(await page.getByTestId('difference-seqno').allTextContents()).toEqual(['2']);
    expect(await page.getByTestId('line-difference').allTextContents()).toEqual(['-1']);
    expect(await colour(page, 'line-difference')).toBe(DANGER);

    // drill into the line: where its units are, and when its difference opened
    await page.getByTestId('difference-seqno').first().click();
    const drawer = page.getByTestId('line-drawer');
    await page.getByTestId('line-units').getByText('A-01', { exact: true }).waitFor();
    expect(await page.getByTestId('line-summary-difference').textContent()).toBe('-1');
    expect(await page.getByTestId('history-difference').allTextContents()).toContain('-1');
    expect(await drawer.textContent()).toContain('INV-2');
    await page.keyboard.press('Escape');
    await page.getByTestId('line-units').waitFor({ state: 'hidden' });

    // live: a booking on the floor shows without a reload (customs.changed 'stock', after its commit)
    const bookUnits = () => page.getByTestId('shelf-totals').textContent();
    expect(await bookUnits()).toContain('35');
    const entry = await app.api('POST', '/api/bonded/entries', 'staff', {
      warehouseCode: WH,
      docNo: 'INV-LIVE-1',
      ownerCode: 'OWN-A',
      lines: [{ sku: 'SKU-1', qty: 5, location: 'A-01' }],
    });
    expect(entry.status).toBe(201);
    await page.getByTestId('shelf-totals').getByText('40', { exact: true }).first().waitFor();

    // in the warehouse now: the table and its CSV export, every row
    await page.getByTestId('menu-inventory').click();
    await page.getByTestId('total-book').getByText('40', { exact: true }).waitFor();
    expect(await page.getByTestId('total-unbooked').textContent()).toBe('1');
    const shown = await page.getByTestId('line-seqno').allTextContents();
    expect(shown).toEqual(['1', '2', '3', '4']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe(`book-lines-${WH}.csv`);
    const csv = (await readFile(await download.path()))
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toMatch(/^Account book,Book line,/);
    expect(csv).toHaveLength(shown.length + 1);
    expect(csv.slice(1).map((r) => r.split(',')[1])).toEqual(shown);
    expect(
      csv
        .find((r) => r.split(',')[1] === '2')
        ?.split(',')
        .at(-1),
    ).toBe('-1');

    // by location: the unbooked unit's quarantine location, in red
    await page.locator('#tab-locations').click();
    const locations = page.getByTestId('locations');
    await locations.getByText('Q-1', { exact: true }).waitFor();
    expect(await page.getByTestId('location-code').allTextContents()).toEqual(['A-01', 'Q-1']);

    // storage ageing: the batch over the site's limit; the sweep's alert arrives live, with whom it told
    await page.getByTestId('menu-inventory-ageing').click();
    await page.getByTestId('age-batches').getByText('SKU-4', { exact: true }).waitFor();
    const alerts = page.getByTestId('age-alerts');
    expect(await alerts.getByText('SKU-4', { exact: true }).count()).toBe(0);
    expect((await app.server.app.get(StorageAgeAlertsSweep).sweep()).map((a) => a.sku)).toEqual(['SKU-4']);
    await alerts.getByText('SKU-4', { exact: true }).waitFor();
    expect(await alerts.textContent()).toContain('Over limit');
    expect(await alerts.textContent()).toContain('Customs');
    expect(await alerts.textContent()).toContain('Supervisors');

    // 中文
    await page.getByTestId('lang-zh').click();
    await page.getByTestId('menu-inventory-book-equals-shelf').filter({ hasText: '账实相符' }).click();
    await page.getByRole('heading', { name: '账实相符' }).waitFor();
    await page.getByTestId('unbooked-reason').getByText('到货单外').waitFor();
    expect(await page.getByTestId('verdict').textContent()).toContain('账实不符');
    await page.close();
  });
});

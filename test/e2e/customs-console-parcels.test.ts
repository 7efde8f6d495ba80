import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { launchChromium } from '../support/browser.js';
import { elInput, signInConsole } from '../support/console.js';
import { query, waitFor } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../support/trade-docs.js';

/**
 * The customs console's parcels, trace and audit areas in real Chromium against the real server
 * (real PostgreSQL, the customs simulator on the real folders, the built console at /customs/):
 * an officer signs in, finds the parcel another officer held, reads its timeline, is refused a
 * lift without a reason, lifts it with one, and finds the lift — and the refusal — in the audit log.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-console-parcels-'));
chmodSync(dir, 0o755);
const WH = 'BC14';
const EMS = 'T5165W000014';
const OWNER = 'OWN0000014';
const HELD = `YTC${suffix}1`;
let app: TestServer;
let browser: Browser;
let page: Page;
let authority: CustomsAuthority;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);

beforeAll(async () => {
  app = await startTestServer(
    'consoleparcels',
    { CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'), CUSTOMS_INBOX_DIR: join(dir, 'inbox'), CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], staff: ['staff'] },
  );
  await app.signIn('officer', ['customs'], 'Officer Wang');
  await app.signIn('colleague', ['customs'], 'Officer Li');
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    seed: 14,
    mix: { release: 1 },
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  const md = await api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: OWNER, name: 'Console Seller', roles: ['ebc', 'owner'] },
      { code: 'PLATC00014', name: 'Platform', roles: ['ebp'] },
      { code: 'PAYC000014', name: 'Pay', roles: ['pay'] },
      { code: 'LOGIC00014', name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Console centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W14',
        emsNo: EMS,
        gateRequiresWeighing: false,
        gateRequiresLabel: false,
        zones: [{ code: 'BZ', kind: 'bonded', locations: ['C-01'] }],
      },
    ],
    goods: [
      {
        ownerCode: OWNER,
        sku: 'GC1',
        gcode: '3304990010',
        name: 'Toner',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 300,
      },
    ],
    bookLines: [{ emsNo: EMS, putrecSeqno: 1, itemNo: 'GC1', gcode: '3304990010', gname: '爽肤水', unit: '011' }],
  });
  expect(md.status, JSON.stringify(md.body)).toBe(201);
  const entry = await api('POST', '/api/bonded/entries', 'staff', {
    warehouseCode: WH,
    docNo: `QDC${suffix}`,
    ownerCode: OWNER,
    lines: [{ sku: 'GC1', batch: 'B1', qty: 5, location: 'C-01' }],
  });
  expect(entry.status, JSON.stringify(entry.body)).toBe(201);
  const docs = consumerOrderDocs({
    warehouseCode: WH,
    ebpCode: 'PLATC00014',
    ebcCode: OWNER,
    payCode: 'PAYC000014',
    logisticsCode: 'LOGIC00014',
    orderNo: `SOC${suffix}1`,
    logisticsNo: HELD,
    sku: 'GC1',
    qty: 1,
    buyer: 8001,
    declaredKg: '0.30',
  });
  expect((await api('POST', '/api/customs/documents?wait=true', 'super', documentsBody([docs]))).body).toMatchObject({
    failed: 0,
  });
  expect(
    (await api('POST', '/api/customs/declarations', 'super', { direction: 'import', all: true })).body,
  ).toMatchObject({ declared: 1 });
  await authority.settle();
  await waitFor('customs to release the parcel', async () => {
    const [row] = await query<{ customs_status: number | null }>(
      app.databaseUrl,
      'select customs_status from inventory_list where logistics_no = $1',
      [HELD],
    );
    return row?.customs_status === 800;
  });
  expect((await api('POST', `/api/parcels/${HELD}/pack`, 'staff', {})).status).toBe(201);
  const held = await api('POST', '/api/customs/holds', 'colleague', {
    logisticsNo: HELD,
    reason: 'x-ray shows liquids',
  });
  expect(held.status, JSON.stringify(held.body)).toBe(201);
  browser = await launchChromium();
  page = await browser.newPage({ locale: 'en-GB' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await authority?.stop();
  await app?.close();
});

describe('the customs console: parcels, trace and audit', () => {
  it('signs the officer in and finds the held parcel among the held ones', async () => {
    await signInConsole(page, app, 'officer');
    await page.getByTestId('menu-parcels').click();
    await page.getByTestId('situation-count-held').filter({ hasText: '1' }).waitFor();
    const table = page.getByTestId('parcels');
    await table.getByText(HELD, { exact: true }).waitFor();
    expect(await table.getByTestId('parcel-hold').textContent()).toContain('x-ray shows liquids');
    expect(await page.getByTestId('parcels-total').textContent()).toContain('1');
  });

  it("reads the parcel's timeline: the hold signed by the officer who placed it, the receipts, the documents", async () => {
    await page.getByTestId('parcel-timeline').click();
    const timeline = page.getByTestId('trace-timeline');
    await timeline.getByText('holding · held: x-ray shows liquids').waitFor();
    const text = (await timeline.textContent()) ?? '';
    expect(text).toContain(app.username('colleague'));
    expect(text).toMatch(/customs receipt 800/);
    const [list] = await query<{ invt_no: string }>(
      app.databaseUrl,
      'select invt_no from inventory_list where logistics_no = $1',
      [HELD],
    );
    const documents = (await page.getByTestId('trace-documents').textContent()) ?? '';
    expect(documents).toContain(HELD);
    expect(documents).toContain(list.invt_no);
    // the search box finds the same parcel by its order number
    await elInput(page, 'trace-code').fill(`SOC${suffix}1`);
    await page.getByTestId('trace-search').click();
    await page.getByTestId('trace-matches').getByText(`parcel ${HELD}`, { exact: false }).waitFor();
  });

  it('refuses a lift without a reason with what to do, then lifts it with one', async () => {
    await page.getByTestId('menu-parcels').click();
    await page.getByTestId('parcels').getByText(HELD, { exact: true }).waitFor();
    await page.getByTestId('parcel-lift').click();
    await page.getByTestId('lift-submit').click();
    const refusal = page.getByTestId('lift-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/say why the hold is lifted/);
    expect((await api('GET', `/api/customs/parcels/${HELD}`, 'super')).body.hold).not.toBeNull();

    await page
      .locator('textarea[data-testid="lift-reason"], [data-testid="lift-reason"] textarea')
      .first()
      .fill('opened: toner as declared');
    await page.getByTestId('lift-submit').click();
    await page.getByTestId('situation-count-held').filter({ hasText: '0' }).waitFor();
    await page.getByTestId('parcels').getByText(HELD, { exact: true }).waitFor({ state: 'detached' });
    const [hold] = await query<{ lift_reason: string; lifted_by_name: string; placed_by_name: string }>(
      app.databaseUrl,
      'select lift_reason, lifted_by_name, placed_by_name from customs_hold where logistics_no = $1',
      [HELD],
    );
    expect(hold).toEqual({
      lift_reason: 'opened: toner as declared',
      lifted_by_name: 'Officer Wang',
      placed_by_name: 'Officer Li',
    });
    expect((await api('POST', '/api/gate/passes', 'staff', { logisticsNo: HELD, readPoint: 'GATE-C' })).status).toBe(
      201,
    );
  });

  it('shows the lift, the refused attempt and the reads in the audit page', async () => {
    await page.getByTestId('menu-audit').click();
    const table = page.getByTestId('audit-table');
    await table.getByText(`DELETE /api/customs/holds/{logisticsNo}`).first().waitFor();
    const rows = await table.locator('tbody tr').allTextContents();
    const lifts = rows.filter((r) => r.includes('DELETE /api/customs/holds/{logisticsNo}'));
    expect(
      lifts.some((r) => r.includes('Officer Wang') && r.includes('opened: toner as declared') && r.includes('200')),
    ).toBe(true);
    expect(lifts.some((r) => r.includes('400') && r.includes('VALIDATION_FAILED'))).toBe(true);
    expect(rows.some((r) => r.includes('GET /api/customs/trace/timeline') && r.includes(HELD))).toBe(true);
    // filtered to refusals only
    await page.getByTestId('audit-filter-outcome').click();
    await page.getByRole('option', { name: 'refused' }).click();
    await page.getByTestId('audit-search').click();
    await waitFor('only refused entries', async () => {
      const outcomes = await table.getByTestId('audit-outcome').allTextContents();
      return outcomes.length > 0 && outcomes.every((o) => o.includes('refused'));
    });
  });
});

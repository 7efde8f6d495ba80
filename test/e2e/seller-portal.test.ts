import type { MikroORM } from '@mikro-orm/postgresql';
import type { BucketRow, SellerChange } from '@wms/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SellerRegistry } from '../../server/src/modules/sellers/seller-registry.js';
import {
  SellerStockRepository,
  type StockMove,
} from '../../server/src/modules/sellers/stock/seller-stock.repository.js';
import { ORM } from '../../server/src/platform/database/orm.js';
import { SqlRunner } from '../../server/src/platform/database/sql.js';
import { DomainEvents } from '../../server/src/platform/events/domain-events.js';
import { launchChromium } from '../support/browser.js';
import { elInput, signInDesktop } from '../support/console.js';
import { query } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The seller portal in real Chromium against the real server (real PostgreSQL with row-level
 * security, the built portal at /seller/): a seller signs in, reads its figures, switches
 * language, filters its stock, opens a SKU's ledger, and its admin makes and revokes an API key.
 * Two sellers hold the same SKU code; the second seller's rows never show.
 */
let app: TestServer;
let browser: Browser;
let page: Page;

/** Text only the second seller's rows hold. */
const TWO_MARKS = ['OWN-TWO', 'SKU-TWO-ONLY', 'Two secret cream', 'OW-TWO1', 'DOC-TWO'];

const ONE = { ownerCode: 'OWN-ONE' };
const TWO = { ownerCode: 'OWN-TWO' };
type Move = Omit<StockMove, 'docType'>;

/**
 * Moves stock in the seller ledger on the centre's connection and, after the commit, tells the
 * seller's room as the warehouse's services do (`seller.changed`, kind stock).
 */
async function moveStock(sellerCode: string, moves: Move[]) {
  await app.server.app.get(SqlRunner).transaction((sql) =>
    new SellerStockRepository().post(
      sql,
      moves.map((m) => ({ docType: 'test', ...m })),
      'test',
    ),
  );
  const change: SellerChange = {
    sellerCode,
    kind: 'stock',
    ref: moves[0].sku,
    warehouseCode: moves[0].warehouseCode,
    skus: [...new Set(moves.map((m) => m.sku))],
    at: new Date().toISOString(),
  };
  app.server.app.get(DomainEvents).emit('seller.changed', change);
}

async function seedSeller(code: string, owner: string, warehouses: string[]) {
  await new SellerRegistry(app.server.app.get<MikroORM>(ORM)).upsert({
    sellerCode: code,
    name: `${code} Ltd`,
    ownerCodes: [owner],
    warehouseCodes: warehouses,
  });
}

const signInPortal = (as: string) => signInDesktop(page, app, '/seller/', as);
const input = (testId: string) => elInput(page, testId);

/** The text of every cell with this test id, in order. */
const cells = (testId: string) => page.getByTestId(testId).allTextContents();

beforeAll(async () => {
  app = await startTestServer('sellerportal', { CUSTOMS_POLL_MS: '0' });
  await query(
    app.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-ONE', 'Seller One Ltd', '{owner,ebc}'),
       ('OWN-TWO', 'Seller Two secret Ltd', '{owner,ebc}');
     insert into warehouse (code, name, kind, country, time_zone, currency) values
       ('OW-DE9', 'Overseas DE9', 'overseas', 'DE', 'Europe/Berlin', 'EUR'),
       ('OW-FR9', 'Overseas FR9', 'overseas', 'FR', 'Europe/Paris', 'EUR'),
       ('OW-TWO1', 'Two secret warehouse', 'overseas', 'US', 'America/New_York', 'USD'),
       ('CW09', 'Consolidation warehouse 09', 'consolidation', 'CN', 'Asia/Shanghai', 'CNY');
     insert into goods (owner_code, sku, gtin, gcode, name, unit, declared_price, country) values
       ('OWN-ONE', 'SKU-1', '6901234000016', '3304990010', 'One cream', '011', 10, '142'),
       ('OWN-ONE', 'SKU-2', null, '3304990010', 'One soap', '011', 5, '142'),
       ('OWN-TWO', 'SKU-1', '6909876000011', '3304990010', 'Two secret cream', '011', 11, '142'),
       ('OWN-TWO', 'SKU-TWO-ONLY', null, '3304990010', 'Two secret soap', '011', 12, '142')`,
  );
  await seedSeller('SELLER-ONE', 'OWN-ONE', ['OW-DE9', 'OW-FR9']);
  // the second seller shares OW-DE9 and the SKU code SKU-1: a filter on either alone would leak
  await seedSeller('SELLER-TWO', 'OWN-TWO', ['OW-TWO1', 'OW-DE9']);
  await app.signIn('seller', ['seller'], 'Seller One user', 'SELLER-ONE');
  await app.signIn('sellerAdmin', ['seller_admin', 'seller'], 'Seller One admin', 'SELLER-ONE');
  await app.signIn('seller2', ['seller_admin', 'seller'], 'Seller Two admin', 'SELLER-TWO');
  await app.signIn('staff', ['staff'], 'Floor worker');
  const de = { warehouseCode: 'OW-DE9' };
  const fr = { warehouseCode: 'OW-FR9' };
  await moveStock('SELLER-ONE', [
    { ...ONE, ...de, sku: 'SKU-1', from: null, to: 'inbound', qty: 10, event: 'shipment.booked', docNo: 'ASN-DE-1' },
    { ...ONE, ...de, sku: 'SKU-1', from: 'inbound', to: 'available', qty: 6, event: 'putaway.done', docNo: 'ASN-DE-1' },
    { ...ONE, ...de, sku: 'SKU-2', from: null, to: 'available', qty: 4, event: 'putaway.done', docNo: 'ASN-DE-2' },
    { ...ONE, ...fr, sku: 'SKU-1', from: null, to: 'available', qty: 5, event: 'putaway.done', docNo: 'ASN-FR-1' },
    {
      ...ONE,
      ...fr,
      sku: 'SKU-1',
      from: 'available',
      to: 'reserved',
      qty: 2,
      event: 'order.reserved',
      docNo: 'SO-FR-1',
    },
  ]);
  await moveStock('SELLER-TWO', [
    { ...TWO, ...de, sku: 'SKU-1', from: null, to: 'available', qty: 99, event: 'putaway.done', docNo: 'DOC-TWO-1' },
    {
      ...TWO,
      warehouseCode: 'OW-TWO1',
      sku: 'SKU-TWO-ONLY',
      from: null,
      to: 'available',
      qty: 7,
      event: 'putaway.done',
      docNo: 'DOC-TWO-2',
    },
  ]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the seller portal', () => {
  it('is served at /seller/ and tells a staff login that it is for sellers', async () => {
    page = await browser.newPage({ locale: 'en-GB' });
    await signInPortal('staff');
    const refusal = page.getByTestId('login-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('This portal is for sellers');
    // no staff session is kept by the portal, and no seller page opened
    expect(await page.evaluate(() => sessionStorage.getItem('wms.seller.session'))).toBeNull();
    expect(await page.getByTestId('menu').count()).toBe(0);
    await page.close();
  });

  it('signs a seller in, lists its own SKUs only, and switches zh/en, remembered over a reload', async () => {
    page = await browser.newPage({ locale: 'en-GB' });
    await signInPortal('seller');
    await page.getByTestId('seller-name').waitFor();
    expect(await page.getByTestId('seller-name').textContent()).toContain('SELLER-ONE');
    expect(await page.getByTestId('menu-dashboard').textContent()).toContain('Dashboard');
    // a seller without the admin role has no API keys page
    expect(await page.getByTestId('menu-api-keys').count()).toBe(0);

    await page.getByTestId('menu-skus').click();
    await page.getByTestId('sku-cell').filter({ hasText: 'SKU-2' }).waitFor();
    expect((await cells('sku-cell')).sort()).toEqual(['SKU-1', 'SKU-2']);
    expect(await page.getByTestId('skus').textContent()).toContain('One cream');
    for (const mark of TWO_MARKS) expect(await page.getByTestId('skus').textContent()).not.toContain(mark);

    await page.getByTestId('lang-zh').click();
    await page.getByTestId('menu-skus').filter({ hasText: '商品' }).waitFor();
    expect(await page.getByTestId('menu-dashboard').textContent()).toContain('概览');
    await page.reload();
    await page.getByTestId('menu-dashboard').filter({ hasText: '概览' }).waitFor();
    await page.getByTestId('lang-en').click();
    await page.getByTestId('menu-dashboard').filter({ hasText: 'Dashboard' }).waitFor();
  });

  it('shows dashboard figures per warehouse and bucket that match the API, none of the other seller’s', async () => {
    await page.getByTestId('menu-dashboard').click();
    const summary = (await app.api('GET', '/api/seller/buckets/summary', 'seller')).body as {
      warehouses: Array<BucketRow & { warehouseCode: string }>;
    };
    expect(summary.warehouses.map((w) => w.warehouseCode).sort()).toEqual(['OW-DE9', 'OW-FR9']);
    await page.getByTestId('dashboard-warehouse').first().waitFor();
    expect(await cells('dashboard-warehouse')).toEqual(['OW-DE9', 'OW-FR9']);
    const shown = async (bucket: string) =>
      page
        .getByTestId(`dashboard-${bucket}`)
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    const byCode = [...summary.warehouses].sort((a, b) => a.warehouseCode.localeCompare(b.warehouseCode));
    expect(await shown('inbound')).toEqual(byCode.map((w) => w.inbound));
    expect(await shown('available')).toEqual(byCode.map((w) => w.available));
    expect(await shown('reserved')).toEqual(byCode.map((w) => w.reserved));
    expect(await shown('on_hold')).toEqual(byCode.map((w) => w.onHold));
    // the figures are this seller's alone: 4 + 6 available and 4 inbound in DE9 (not the other's 99)
    expect(await shown('available')).toEqual([10, 3]);
    expect(await shown('inbound')).toEqual([4, 0]);
    expect(await page.getByTestId('figure-total-units').textContent()).toBe('19');
    for (const mark of TWO_MARKS) expect(await page.locator('main').textContent()).not.toContain(mark);
  });

  it('filters stock by warehouse with all buckets per row, opens a SKU’s ledger, and follows a change live', async () => {
    await page.getByTestId('menu-stock').click();
    await page.getByTestId('stock-sku-cell').first().waitFor();
    expect((await cells('stock-warehouse-cell')).sort()).toEqual(['OW-DE9', 'OW-DE9', 'OW-FR9']);
    for (const mark of TWO_MARKS) expect(await page.getByTestId('stock-table').textContent()).not.toContain(mark);

    await page.getByTestId('stock-warehouse').click();
    await page.locator('.el-select-dropdown__item').filter({ hasText: 'OW-FR9' }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="stock-warehouse-cell"]')].every((e) => e.textContent === 'OW-FR9'),
    );
    expect(await cells('stock-sku-cell')).toEqual(['SKU-1']);
    expect(await cells('stock-available')).toEqual(['3']);
    expect(await cells('stock-reserved')).toEqual(['2']);
    expect(await cells('stock-inbound')).toEqual(['0']);
    expect(await cells('stock-total')).toEqual(['5']);

    await page.getByTestId('stock-ledger-SKU-1').click();
    await page.getByTestId('ledger-doc').first().waitFor();
    // newest first, this warehouse's entries only
    expect(await cells('ledger-doc')).toEqual(['test SO-FR-1', 'test ASN-FR-1']);
    expect(await cells('ledger-event')).toEqual(['order.reserved', 'putaway.done']);
    expect(await page.getByTestId('ledger-table').textContent()).toContain('Europe/Paris');
    await page.keyboard.press('Escape');

    // a change at the warehouse while the page is open: the row appears without a reload
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor();
    await moveStock('SELLER-ONE', [
      {
        ...ONE,
        warehouseCode: 'OW-FR9',
        sku: 'SKU-2',
        from: null,
        to: 'available',
        qty: 8,
        event: 'putaway.done',
        docNo: 'ASN-FR-2',
      },
    ]);
    await page.getByTestId('stock-sku-cell').filter({ hasText: 'SKU-2' }).waitFor();
    expect(await cells('stock-sku-cell')).toEqual(['SKU-1', 'SKU-2']);
    expect(await cells('stock-available')).toEqual(['3', '8']);
    // the other seller's change is not this seller's news, and does not show: after it, one more
    // change of this seller's arrives and the table holds that one only
    await moveStock('SELLER-TWO', [
      {
        ...TWO,
        warehouseCode: 'OW-DE9',
        sku: 'SKU-TWO-ONLY',
        from: null,
        to: 'available',
        qty: 1,
        event: 'putaway.done',
        docNo: 'DOC-TWO-3',
      },
    ]);
    await moveStock('SELLER-ONE', [
      {
        ...ONE,
        warehouseCode: 'OW-FR9',
        sku: 'SKU-2',
        from: 'available',
        to: 'on_hold',
        qty: 1,
        event: 'hold.placed',
        docNo: 'QC-1',
      },
    ]);
    await page.getByTestId('stock-on_hold').filter({ hasText: /^1$/ }).waitFor();
    expect(await cells('stock-available')).toEqual(['3', '7']);
    expect(await cells('stock-sku-cell')).toEqual(['SKU-1', 'SKU-2']);
    for (const mark of TWO_MARKS) expect(await page.getByTestId('stock-table').textContent()).not.toContain(mark);
  });

  it('shows an order placed through the API on the open stock page at once, and cancels it on the orders page', async () => {
    // still on the stock page of OW-FR9 (SKU-1: 3 available, 2 reserved; SKU-2: 7 available)
    const placed = await app.api('POST', '/api/seller/orders', 'seller', {
      orderNo: 'SO-LIVE-1',
      warehouseCode: 'OW-FR9',
      shipTo: { name: 'Camille Martin', line1: '1 rue de Rivoli', city: 'Paris', postcode: '75001', country: 'FR' },
      lines: [{ sku: 'SKU-2', qty: 2 }],
    });
    expect(placed.status).toBe(201);
    await page.getByTestId('stock-reserved').filter({ hasText: /^2$/ }).nth(1).waitFor();
    expect(await cells('stock-reserved')).toEqual(['2', '2']);
    expect(await cells('stock-available')).toEqual(['3', '5']);

    await page.getByTestId('menu-orders').click();
    await page.getByTestId('order-no').filter({ hasText: 'SO-LIVE-1' }).waitFor();
    expect(await cells('order-status')).toEqual(['Reserved']);
    await page.getByTestId('order-cancel-SO-LIVE-1').click();
    await page.getByRole('button', { name: 'Cancel order' }).last().click();
    await page.getByTestId('order-status').filter({ hasText: 'Cancelled' }).waitFor();
    const order = await app.api('GET', '/api/seller/orders/SO-LIVE-1', 'seller');
    expect(order.body.status).toBe('cancelled');
    const fr = await app.api('GET', '/api/seller/buckets?warehouseCode=OW-FR9&sku=SKU-2', 'seller');
    expect(fr.body.items[0]).toMatchObject({ available: 7, reserved: 0 });

    // an upload: one good order, one row naming a SKU the seller does not have
    const csv = [
      'orderNo,warehouseCode,name,line1,city,postcode,country,sku,qty',
      'SO-FILE-1,OW-FR9,Jean Dupont,2 rue Oberkampf,Paris,75011,FR,SKU-1,1',
      'SO-FILE-2,OW-FR9,Jean Dupont,2 rue Oberkampf,Paris,75011,FR,SKU-TWO-ONLY,1',
    ].join('\r\n');
    await page.locator('[data-testid="order-upload"] input[type=file]').setInputFiles({
      name: 'orders.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByTestId('order-import-progress').filter({ hasText: '2 of 2 rows' }).waitFor();
    // the refused row as the file numbers it (header = 1), with its order and the server's reason
    const refused = (
      await page.getByTestId('order-import-errors').locator('tbody tr').first().locator('td').allTextContents()
    ).map((c) => c.trim());
    expect(refused[0]).toBe('3');
    expect(refused[2]).toBe('SO-FILE-2');
    expect(refused[3]).toMatch(/SKU-TWO-ONLY/);
    await page.keyboard.press('Escape');
    await page.getByTestId('order-no').filter({ hasText: 'SO-FILE-1' }).waitFor();
    expect(await cells('order-no')).not.toContain('SO-FILE-2');
    // the other seller's orders page holds none of it
    expect((await app.api('GET', '/api/seller/orders', 'seller2')).body.items).toEqual([]);
  });

  it('books an inbound shipment (ASN) with a carton, shows its lines per SKU and its box labels', async () => {
    const two = await app.api('POST', '/api/seller/shipments', 'seller2', {
      shipmentNo: 'ASN-TWO-1',
      warehouseCode: 'OW-TWO1',
      originWarehouseCode: 'CW09',
      cartons: [{ lines: [{ sku: 'SKU-TWO-ONLY', qty: 5 }] }],
    });
    expect(two.status).toBe(201);
    await page.getByTestId('menu-shipments').click();
    await page.getByTestId('shipment-new').click();
    await input('shipment-field-no').fill('ASN-ONE-1');
    // the consolidation warehouse is not one the seller uses: its code is typed
    await page.getByTestId('shipment-origin').click();
    await page.keyboard.type('CW09');
    await page
      .locator('.el-select-dropdown__item:visible')
      .filter({ hasText: /^CW09$/ })
      .click();
    await input('carton-0-sku-0').fill('SKU-1');
    await input('carton-0-qty-0').fill('3');
    await input('carton-0-qty-0').blur();
    await page.getByTestId('shipment-create').click();
    const title = page.getByTestId('shipment-title').filter({ hasText: 'ASN-ONE-1' });
    const refusal = page.getByTestId('shipment-error');
    await title.or(refusal).first().waitFor();
    if (await refusal.isVisible()) throw new Error(`shipment refused: ${await refusal.textContent()}`);
    await page.getByTestId('line-sku').first().waitFor();
    expect(await cells('line-sku')).toEqual(['SKU-1']);
    expect(await cells('line-expected')).toEqual(['3']);
    expect(await cells('line-received')).toEqual(['0']);
    expect(await page.getByTestId('shipment-status').textContent()).toContain('Booked');
    const stored = await app.api('GET', '/api/seller/shipments/ASN-ONE-1', 'seller');
    expect(stored.body).toMatchObject({ warehouseCode: 'OW-DE9', originWarehouseCode: 'CW09', expected: 3 });

    await page.getByTestId('shipment-labels').click();
    await page.locator('[data-testid="labels-image"][src^="data:image/png"]').waitFor();
    await page.keyboard.press('Escape');

    await page.getByTestId('menu-shipments').click();
    await page.getByTestId('shipment-no').first().waitFor();
    expect(await cells('shipment-no')).toEqual(['ASN-ONE-1']);
    for (const mark of [...TWO_MARKS, 'ASN-TWO-1'])
      expect(await page.getByTestId('shipments').textContent()).not.toContain(mark);
  });

  it('edits a SKU through the dialog (PUT /api/seller/goods/:sku)', async () => {
    await page.getByTestId('menu-skus').click();
    await page.getByTestId('sku-edit-SKU-2').click();
    await input('sku-field-name').fill('One soap, lavender');
    await page.getByTestId('sku-save').click();
    await page.getByTestId('skus').getByText('One soap, lavender').waitFor();
    const stored = await app.api('GET', '/api/seller/goods/SKU-2', 'seller');
    expect(stored.body.name).toBe('One soap, lavender');
    // the other seller's SKU-1 is untouched and unseen
    const two = await app.api('GET', '/api/seller/goods/SKU-1', 'seller2');
    expect(two.body.name).toBe('Two secret cream');
  });

  it('imports SKUs from a CSV file, saving the good rows and naming each bad row with the server’s reason', async () => {
    const csv = [
      'sku,name,gcode,unit,declaredPrice,country,battery,dangerousGoods,unNumber',
      'SKU-3,One lamp,8513101000,011,25.5,142,contained,yes,UN3481',
      'SKU-4,One lotion,33049900,011,3,142,none,no,',
      'SKU-5,One balm,3304990010,011,4.25,142,none,yes,',
    ].join('\r\n');
    await page.locator('[data-testid="sku-import"] input[type=file]').setInputFiles({
      name: 'skus.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByTestId('sku-import-summary').filter({ hasText: '1 of 3 rows saved' }).waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: the cells as laid out for the seller, apart
    const errors = (await page.getByTestId('sku-import-errors').innerText()).replace(/\s+/g, ' ');
    expect(errors).toMatch(/3 SKU-4 .*10-digit HS code/);
    expect(errors).toMatch(/4 SKU-5 .*UN number/);
    const lamp = await app.api('GET', '/api/seller/goods/SKU-3', 'seller');
    expect(lamp.body).toMatchObject({
      name: 'One lamp',
      battery: 'contained',
      dangerousGoods: true,
      unNumber: 'UN3481',
    });
    expect((await app.api('GET', '/api/seller/goods/SKU-4', 'seller')).status).toBe(404);
    await page.keyboard.press('Escape');
    await page.getByTestId('sku-cell').filter({ hasText: 'SKU-3' }).waitFor();
  });

  it('creates an RMA and lists the seller’s own returns only', async () => {
    const two = await app.api('POST', '/api/seller/returns', 'seller2', {
      rmaNo: 'RMA-TWO-1',
      warehouseCode: 'OW-TWO1',
      reason: 'Two secret reason',
      lines: [{ sku: 'SKU-TWO-ONLY', qty: 1 }],
    });
    expect(two.status).toBe(201);
    await page.getByTestId('menu-returns').click();
    await page.getByTestId('return-new').click();
    await input('return-field-reason').fill('wrong colour');
    await input('return-line-sku-0').fill('SKU-1');
    await page.getByTestId('return-create').click();
    await page.getByTestId('return-no').first().waitFor();
    const listed = await cells('return-no');
    expect(listed).toHaveLength(1);
    const mine = await app.api('GET', '/api/seller/returns', 'seller');
    expect(mine.body.items.map((r: { rmaNo: string }) => r.rmaNo)).toEqual(listed);
    expect(mine.body.items[0]).toMatchObject({ warehouseCode: 'OW-DE9', reason: 'wrong colour', expected: 1 });
    for (const mark of [...TWO_MARKS, 'RMA-TWO-1', 'Two secret reason'])
      expect(await page.getByTestId('returns').textContent()).not.toContain(mark);
    await page.getByTestId('return-no').first().click();
    await page.getByTestId('return-lines').getByText('SKU-1').waitFor();
    await page.keyboard.press('Escape');
  });

  it('lets the seller admin create an API key, shows its secret once, and revoke it', async () => {
    await page.getByTestId('sign-out').click();
    await signInPortal('sellerAdmin');
    await page.getByTestId('menu-api-keys').click();
    await page.getByTestId('api-key-new').click();
    await input('api-key-name').fill('ERP sync');
    await page.getByTestId('api-key-create').click();
    const secretField = input('api-key-secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^wmsk_/);
    // the key works against the API as this seller
    const me = await fetch(`${app.server.url}/api/seller/me`, { headers: { 'x-api-key': secret } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { sellerCode: string }).sellerCode).toBe('SELLER-ONE');
    await page.getByTestId('api-key-secret-close').click();
    await secretField.waitFor({ state: 'hidden' });
    // shown once: the list never carries it again
    const status = page.getByTestId('api-key-status-ERP sync');
    await status.waitFor();
    expect(await status.getAttribute('data-revoked')).toBe('no');
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page.getByTestId('api-key-status-ERP sync').waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByTestId('api-key-revoke-ERP sync').click();
    await page.getByRole('button', { name: 'Revoke' }).last().click();
    await page.locator('[data-testid="api-key-status-ERP sync"][data-revoked="yes"]').waitFor();
    const after = await fetch(`${app.server.url}/api/seller/me`, { headers: { 'x-api-key': secret } });
    expect(after.status).toBe(401);
    // the other seller does not see this seller's key
    const twoKeys = await app.api('GET', '/api/seller/api-keys', 'seller2');
    expect(twoKeys.body.items.map((k: { name: string }) => k.name)).not.toContain('ERP sync');
  });
});

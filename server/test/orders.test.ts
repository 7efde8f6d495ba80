import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { ExchangeOrdersListener } from '../src/modules/orders/exchange-orders.listener.js';
import { OrderImportsService } from '../src/modules/orders/order-imports.service.js';
import { SellerRegistry } from '../src/modules/sellers/seller-registry.js';
import { SellerStockRepository } from '../src/modules/sellers/stock/seller-stock.repository.js';
import { ORM } from '../src/platform/database/orm.js';
import { SqlRunner } from '../src/platform/database/sql.js';
import { DomainEvents } from '../src/platform/events/domain-events.js';

/**
 * A seller's outbound orders (issue 12, "Outbound orders from the seller") on the real server and
 * PostgreSQL, the seller ledger included: created, repeated, short, in bulk, imported from CSV and
 * XLSX, cancelled; FEFO and FIFO allocation; tenants kept apart (seller B holds the same SKU code).
 */
let t: TestServer;
const WH = 'OW-DE1';
const ship = { name: 'Anna Schmidt', line1: 'Hauptstr. 5', city: 'Berlin', postcode: '10115', country: 'DE' };
const order = (orderNo: string, lines: Array<{ sku: string; qty: number }>, extra: Record<string, unknown> = {}) => ({
  orderNo,
  warehouseCode: WH,
  shipTo: ship,
  lines,
  ...extra,
});
const heard: Array<{ sellerCode: string; kind: string }> = [];

/** The seller's balance per bucket for one SKU, from the ledger's balance table. */
async function buckets(owner: string, sku: string): Promise<Record<string, number>> {
  const rows = await query<{ bucket: string; qty: string }>(
    t.databaseUrl,
    `select bucket, sum(qty)::text as qty from seller_stock_balance
      where owner_code = $1 and warehouse_code = $2 and sku = $3 group by bucket`,
    [owner, WH, sku],
  );
  return Object.fromEntries(rows.filter((r) => Number(r.qty) !== 0).map((r) => [r.bucket, Number(r.qty)]));
}

async function reservedByLot(owner: string, sku: string): Promise<Record<string, number>> {
  const rows = await query<{ lot_no: string; qty: string }>(
    t.databaseUrl,
    `select lot_no, qty::text from seller_stock_balance where owner_code = $1 and warehouse_code = $2 and sku = $3
       and bucket = 'reserved' and qty <> 0`,
    [owner, WH, sku],
  );
  return Object.fromEntries(rows.map((r) => [r.lot_no, Number(r.qty)]));
}

/** Stock that arrived: a lot (arrival, expiry) and units available in it, through the ledger's own API. */
async function arrive(
  owner: string,
  sku: string,
  lotNo: string,
  qty: number,
  arrivedAt: string,
  expiry: string | null,
) {
  const stock = t.server.app.get(SellerStockRepository);
  await t.server.app.get(SqlRunner).transaction(async (sql) => {
    await stock.ensureLot(sql, {
      ownerCode: owner,
      warehouseCode: WH,
      sku,
      lotNo,
      expiry,
      arrivedAt: new Date(arrivedAt),
    });
    await stock.post(
      sql,
      [
        {
          ownerCode: owner,
          warehouseCode: WH,
          sku,
          lotNo,
          from: null,
          to: 'receiving',
          qty,
          event: 'receipt.over',
          docType: 'test',
          docNo: lotNo,
        },
        {
          ownerCode: owner,
          warehouseCode: WH,
          sku,
          lotNo,
          from: 'receiving',
          to: 'available',
          qty,
          event: 'putaway.done',
          docType: 'test',
          docNo: lotNo,
        },
      ],
      'test',
    );
  });
}

async function upload(as: string, fileName: string, bytes: Buffer, type: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName);
  const res = await fetch(`${t.server.url}/api/seller/orders/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[as]}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as { importId: string; code?: string } };
}
const tokens: Record<string, string> = {};

async function finished(as: string, importId: string) {
  await t.server.app.get(OrderImportsService).idle();
  const res = await t.api('GET', `/api/seller/orders/imports/${importId}`, as);
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  t = await startTestServer('orders', { CUSTOMS_POLL_MS: '0' }, { staff: ['staff'] }, { checkAnswers: true });
  await query(
    t.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Seller A Ltd', '{owner,ebc}'), ('OWN-B', 'Seller B Ltd', '{owner,ebc}')
       on conflict do nothing;
     insert into warehouse (code, name, kind, country) values ('OW-DE1', 'Overseas DE1', 'overseas', 'DE') on conflict do nothing;
     insert into warehouse (code, name, kind, country) values ('CW-T1', 'Consolidation T1', 'consolidation', 'CN') on conflict do nothing;
     insert into goods (owner_code, sku, gtin, gcode, name, unit, declared_price, country) values
       ('OWN-A', 'SKU-1', '6901234000016', '3304990010', 'A cream', '011', 10, '142'),
       ('OWN-A', 'SKU-F', null, '3304990010', 'A yoghurt', '011', 5, '142'),
       ('OWN-A', 'SKU-A', null, '3304990010', 'A soap', '011', 5, '142'),
       ('OWN-B', 'SKU-1', '6909876000011', '3304990010', 'B cream', '011', 11, '142')`,
  );
  const registry = new SellerRegistry(t.server.app.get<MikroORM>(ORM));
  await registry.upsert({ sellerCode: 'SELLER-A', name: 'A', ownerCodes: ['OWN-A'], warehouseCodes: [WH, 'CW-T1'] });
  await registry.upsert({ sellerCode: 'SELLER-B', name: 'B', ownerCodes: ['OWN-B'], warehouseCodes: [WH] });
  tokens.a = await t.signIn('a', ['seller'], 'a', 'SELLER-A');
  tokens.b = await t.signIn('b', ['seller'], 'b', 'SELLER-B');
  // FIFO: two lots without expiry; FEFO: the later arrival expires first
  await arrive('OWN-A', 'SKU-1', 'L-OLD', 2, '2026-09-01T08:00:00Z', null);
  await arrive('OWN-A', 'SKU-1', 'L-NEW', 50, '2026-10-01T08:00:00Z', null);
  await arrive('OWN-A', 'SKU-F', 'F-LATE', 10, '2026-08-01T08:00:00Z', '2027-06-30');
  await arrive('OWN-A', 'SKU-F', 'F-SOON', 10, '2026-11-01T08:00:00Z', '2027-01-31');
  await arrive('OWN-A', 'SKU-A', 'A1', 5, '2026-11-01T08:00:00Z', null);
  t.server.app.get(DomainEvents).on('seller.changed', (c) => heard.push(c as { sellerCode: string; kind: string }));
});

afterAll(async () => {
  await t?.close();
});

describe('placing an order', () => {
  it('reserves the stock at order time, oldest arrival first, and answers the order', async () => {
    const res = await t.api(
      'POST',
      '/api/seller/orders',
      'a',
      order('A-100', [{ sku: 'SKU-1', qty: 3 }], { carrier: 'DHL' }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      orderNo: 'A-100',
      warehouseCode: WH,
      status: 'reserved',
      created: true,
      ownerCode: 'OWN-A',
      carrier: 'DHL',
      units: 3,
      lines: [{ sku: 'SKU-1', qty: 3, picked: 0 }],
    });
    expect(res.body.fulfilmentNo).toMatch(/^SO\d{8}$/);
    expect(res.body.allocations).toEqual([
      { sku: 'SKU-1', lotNo: 'L-OLD', expiry: null, qty: 2 },
      { sku: 'SKU-1', lotNo: 'L-NEW', expiry: null, qty: 1 },
    ]);
    expect(res.body.history).toEqual([expect.objectContaining({ status: 'reserved', note: null })]);
    expect(await buckets('OWN-A', 'SKU-1')).toEqual({ available: 49, reserved: 3 });
    expect(await reservedByLot('OWN-A', 'SKU-1')).toEqual({ 'L-OLD': 2, 'L-NEW': 1 });
    const moves = await query<{ event: string; doc_type: string; doc_no: string; lot_no: string; qty: number }>(
      t.databaseUrl,
      `select event, doc_type, doc_no, lot_no, qty from seller_stock_movement where doc_no = 'A-100' order by lot_no`,
    );
    expect(moves).toEqual([
      expect.objectContaining({ event: 'order.reserved', doc_type: 'order', doc_no: 'A-100', lot_no: 'L-NEW' }),
      expect.objectContaining({ event: 'order.reserved', doc_type: 'order', doc_no: 'A-100', lot_no: 'L-OLD' }),
    ]);
    expect(heard).toContainEqual(expect.objectContaining({ sellerCode: 'SELLER-A', kind: 'order' }));
  });

  it('takes the first-expiring lot where lots have an expiry, though it arrived last', async () => {
    const res = await t.api('POST', '/api/seller/orders', 'a', order('A-FEFO', [{ sku: 'SKU-F', qty: 12 }]));
    expect(res.status).toBe(201);
    expect(res.body.allocations).toEqual([
      { sku: 'SKU-F', lotNo: 'F-SOON', expiry: '2027-01-31', qty: 10 },
      { sku: 'SKU-F', lotNo: 'F-LATE', expiry: '2027-06-30', qty: 2 },
    ]);
  });

  it('answers a repeat with the same body with the existing order, and refuses another body under the number', async () => {
    const again = await t.api(
      'POST',
      '/api/seller/orders',
      'a',
      order('A-100', [{ sku: 'SKU-1', qty: 3 }], { carrier: 'DHL' }),
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ orderNo: 'A-100', created: false, status: 'reserved' });
    expect(await buckets('OWN-A', 'SKU-1')).toEqual({ available: 49, reserved: 3 });
    const other = await t.api('POST', '/api/seller/orders', 'a', order('A-100', [{ sku: 'SKU-1', qty: 4 }]));
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('CONFLICT');
    expect(other.body.message).toMatch(/A-100 exists already/);
    expect(await buckets('OWN-A', 'SKU-1')).toEqual({ available: 49, reserved: 3 });
  });

  it('answers short stock at once with each short line, and reserves nothing', async () => {
    const res = await t.api(
      'POST',
      '/api/seller/orders',
      'a',
      order('A-SHORT', [
        { sku: 'SKU-A', qty: 1 },
        { sku: 'SKU-1', qty: 1000 },
      ]),
    );
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INSUFFICIENT_STOCK');
    expect(res.body.details.shortfall).toEqual([{ sku: 'SKU-1', wanted: 1000, available: 49 }]);
    expect(await buckets('OWN-A', 'SKU-A')).toEqual({ available: 5 });
    expect((await t.api('GET', '/api/seller/orders/A-SHORT', 'a')).status).toBe(404);
  });

  it('refuses a warehouse that is not an overseas one of the seller, an unknown SKU and a bad address, by field', async () => {
    const bonded = await t.api('POST', '/api/seller/orders', 'a', {
      ...order('A-X1', [{ sku: 'SKU-1', qty: 1 }]),
      warehouseCode: 'CW-T1',
    });
    expect(bonded.status).toBe(404);
    const unknown = await t.api('POST', '/api/seller/orders', 'a', order('A-X2', [{ sku: 'NOPE', qty: 1 }]));
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/SKU NOPE is not one of your SKUs/);
    const country = await t.api('POST', '/api/seller/orders', 'a', {
      ...order('A-X3', [{ sku: 'SKU-1', qty: 1 }]),
      shipTo: { ...ship, country: 'Germany' },
    });
    expect(country.status).toBe(400);
    expect(country.body.message).toMatch(/shipTo\.country/);
    const extra = await t.api('POST', '/api/seller/orders', 'a', {
      ...order('A-X4', [{ sku: 'SKU-1', qty: 1 }]),
      priority: 'high',
    });
    expect(extra.status).toBe(400);
  });
});

describe('bulk', () => {
  it('creates the good orders and answers each bad one with its errors', async () => {
    const res = await t.api('POST', '/api/seller/orders/bulk', 'a', {
      orders: [
        order('A-B1', [{ sku: 'SKU-A', qty: 1 }]),
        order('A-B2', [{ sku: 'SKU-A', qty: 99 }]),
        { orderNo: 'A-B3', lines: [] },
        order('A-100', [{ sku: 'SKU-1', qty: 3 }], { carrier: 'DHL' }),
        order('A-B1', [{ sku: 'SKU-A', qty: 2 }]),
        order('A-B4', [{ sku: 'SKU-A', qty: 4 }]),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { orderNo: string; outcome: string }) => [r.orderNo, r.outcome])).toEqual([
      ['A-B1', 'created'],
      ['A-B2', 'refused'],
      ['A-B3', 'refused'],
      ['A-100', 'existing'],
      ['A-B1', 'refused'],
      ['A-B4', 'created'],
    ]);
    expect(res.body).toMatchObject({ created: 2, existing: 1, refused: 3 });
    expect(res.body.results[1].errors[0]).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      shortfall: [{ sku: 'SKU-A', wanted: 99, available: 4 }],
    });
    expect(res.body.results[2].errors[0].code).toBe('VALIDATION_FAILED');
    expect(res.body.results[4].errors[0].code).toBe('CONFLICT');
    expect(await buckets('OWN-A', 'SKU-A')).toEqual({ reserved: 5 });
  });
});

describe('cancelling', () => {
  it('gives the stock back before picking, and says when picking started after', async () => {
    const placed = await t.api('POST', '/api/seller/orders', 'a', order('A-C1', [{ sku: 'SKU-1', qty: 4 }]));
    expect(placed.status).toBe(201);
    expect(await buckets('OWN-A', 'SKU-1')).toEqual({ available: 45, reserved: 7 });
    const cancelled = await t.api('POST', '/api/seller/orders/A-C1/cancel', 'a');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.history.map((h: { status: string }) => h.status)).toEqual(['reserved', 'cancelled']);
    expect(await buckets('OWN-A', 'SKU-1')).toEqual({ available: 49, reserved: 3 });
    expect((await t.api('POST', '/api/seller/orders/A-C1/cancel', 'a')).status).toBe(409);

    // the overseas floor's work list shows it with its fulfilment number; cancelled ones are gone from it
    const work = await t.api('GET', `/api/floor/seller-orders?warehouseCode=${WH}`, 'staff');
    expect(work.status).toBe(200);
    const listed = work.body.items.map((o: { orderNo: string }) => o.orderNo);
    expect(listed).toContain('A-100');
    expect(listed).not.toContain('A-C1');
    expect(work.body.items.find((o: { orderNo: string }) => o.orderNo === 'A-100')).toMatchObject({
      sellerCode: 'SELLER-A',
      status: 'reserved',
      lines: [{ sku: 'SKU-1', qty: 3, picked: 0 }],
    });
    expect((await t.api('GET', `/api/floor/seller-orders?warehouseCode=${WH}`, 'a')).status).toBe(403);
    // the warehouse starts picking A-100 (its number scanned on the pick list)
    const scan = await t.api('POST', '/api/floor/scans', 'staff', {
      scanId: randomUUID(),
      operation: 'pick',
      warehouseCode: WH,
      stationId: 'OW-ST1',
      code: (await t.api('GET', '/api/seller/orders/A-100', 'a')).body.fulfilmentNo,
    });
    expect(scan.body.outcome, JSON.stringify(scan.body)).toBe('ok');
    const late = await t.api('POST', '/api/seller/orders/A-100/cancel', 'a');
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(
      /^This order cannot be cancelled: picking started at \d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
    );
    expect(await buckets('OWN-A', 'SKU-1')).toEqual({ available: 49, reserved: 3 });
    const detail = await t.api('GET', '/api/seller/orders/A-100', 'a');
    expect(detail.body.status).toBe('picking');
    expect(detail.body.pickingStartedAt).not.toBeNull();
  });
});

describe('imports', () => {
  it('imports a CSV in the background: orders grouped by number, each bad row named by row and column', async () => {
    const csv = [
      'orderNo,warehouseCode,name,line1,line2,city,postcode,country,phone,email,carrier,sku,qty',
      'CSV-1,OW-DE1,"Schmidt, Anna",Hauptstr. 5,,Berlin,10115,DE,,,DHL,SKU-1,1',
      'CSV-1,OW-DE1,"Schmidt, Anna",Hauptstr. 5,,Berlin,10115,DE,,,DHL,SKU-F,1',
      'CSV-2,OW-DE1,Bob,Ring 1,,Bonn,53111,DE,,,,SKU-1,zwei',
      'CSV-3,OW-DE1,Carl,Ring 2,,Bonn,53111,DE,,,,NOPE,1',
      'CSV-4,OW-DE1,Dora,Ring 3,,Bonn,53111,DE,,,,SKU-1,1',
    ].join('\r\n');
    const started = await upload('a', 'orders.csv', Buffer.from(csv), 'text/csv');
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const done = await finished('a', started.body.importId);
    expect(done).toMatchObject({
      status: 'done',
      format: 'csv',
      total: 5,
      processed: 5,
      ordersCreated: 2,
      ordersRefused: 2,
    });
    expect(
      done.errors.map((e: { row: number; column: string; orderNo: string }) => [e.row, e.column, e.orderNo]),
    ).toEqual([
      [4, 'qty', 'CSV-2'],
      [5, 'sku', 'CSV-3'],
    ]);
    const csv1 = await t.api('GET', '/api/seller/orders/CSV-1', 'a');
    expect(csv1.body).toMatchObject({ source: 'import', carrier: 'DHL', shipTo: { name: 'Schmidt, Anna' } });
    expect(csv1.body.lines).toEqual([
      { sku: 'SKU-1', qty: 1, picked: 0 },
      { sku: 'SKU-F', qty: 1, picked: 0 },
    ]);
    expect(heard).toContainEqual(expect.objectContaining({ sellerCode: 'SELLER-A', kind: 'import' }));
  });

  it('imports an XLSX: short stock is a row error on the qty column, nothing of that order reserved', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('orders');
    sheet.addRow(['orderNo', 'warehouseCode', 'name', 'line1', 'city', 'postcode', 'country', 'sku', 'qty']);
    sheet.addRow(['X-1', WH, 'Eva', 'Weg 1', 'Köln', '50667', 'DE', 'SKU-1', 2]);
    sheet.addRow(['X-2', WH, 'Finn', 'Weg 2', 'Köln', '50667', 'DE', 'SKU-1', 1]);
    sheet.addRow(['X-2', WH, 'Finn', 'Weg 2', 'Köln', '50667', 'DE', 'SKU-F', 500]);
    const before = await buckets('OWN-A', 'SKU-1');
    const started = await upload(
      'a',
      'orders.xlsx',
      Buffer.from(await book.xlsx.writeBuffer()),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(started.status).toBe(202);
    const done = await finished('a', started.body.importId);
    expect(done).toMatchObject({
      status: 'done',
      format: 'xlsx',
      total: 3,
      processed: 3,
      ordersCreated: 1,
      ordersRefused: 1,
    });
    expect(done.errors).toEqual([
      { row: 4, column: 'qty', orderNo: 'X-2', message: expect.stringMatching(/SKU-F: wanted 500, available 7/) },
    ]);
    expect(await buckets('OWN-A', 'SKU-1')).toEqual({
      available: before.available - 2,
      reserved: (before.reserved ?? 0) + 2,
    });
    expect((await t.api('GET', '/api/seller/orders/X-2', 'a')).status).toBe(404);
  });

  it('refuses a file that is neither CSV nor XLSX at upload, and serves the template in both', async () => {
    const bad = await upload(
      'a',
      'orders.xlsx',
      Buffer.from('not a zip'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(bad.status).toBe(400);
    const none = await t.api('POST', '/api/seller/orders/imports', 'a', {});
    expect(none.status).toBe(400);
    const csv = await t.api('GET', '/api/seller/orders/imports/template?format=csv', 'a');
    expect(csv.status).toBe(200);
    expect(csv.body.fileName).toBe('orders-template.csv');
    expect(Buffer.from(csv.body.content, 'base64').toString('utf8').split('\r\n')[0]).toBe(
      'orderNo,warehouseCode,name,line1,line2,city,postcode,country,phone,email,carrier,sku,qty',
    );
    const xlsx = await t.api('GET', '/api/seller/orders/imports/template?format=xlsx', 'a');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.body.content, 'base64') as unknown as ArrayBuffer);
    expect(book.worksheets[0].getRow(1).getCell(1).value).toBe('orderNo');
  });
});

describe('lists and tenants', () => {
  it('lists the seller’s orders by status and SKU, a page at a time', async () => {
    const all = await t.api('GET', '/api/seller/orders?limit=2', 'a');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThanOrEqual(7);
    const cancelled = await t.api('GET', '/api/seller/orders?status=cancelled', 'a');
    expect(cancelled.body.items.map((o: { orderNo: string }) => o.orderNo)).toEqual(['A-C1']);
    const fefo = await t.api('GET', '/api/seller/orders?sku=SKU-F', 'a');
    expect(fefo.body.items.map((o: { orderNo: string }) => o.orderNo).sort()).toEqual(['A-FEFO', 'CSV-1']);
  });

  it('shows seller B none of A’s orders, and B’s SKU-1 is not A’s stock', async () => {
    expect((await t.api('GET', '/api/seller/orders/A-100', 'b')).status).toBe(404);
    expect((await t.api('POST', '/api/seller/orders/A-100/cancel', 'b')).status).toBe(404);
    expect((await t.api('GET', '/api/seller/orders', 'b')).body.items).toEqual([]);
    const before = await buckets('OWN-A', 'SKU-1');
    const short = await t.api('POST', '/api/seller/orders', 'b', order('A-100', [{ sku: 'SKU-1', qty: 1 }]));
    expect(short.status).toBe(409);
    expect(short.body.details.shortfall).toEqual([{ sku: 'SKU-1', wanted: 1, available: 0 }]);
    const notHers = await t.api('POST', '/api/seller/orders', 'b', order('B-1', [{ sku: 'SKU-A', qty: 1 }]));
    expect(notHers.status).toBe(400);
    expect(await buckets('OWN-A', 'SKU-1')).toEqual(before);
    const imports = await query<{ id: string }>(t.databaseUrl, 'select id::text from seller_order_import limit 1');
    expect((await t.api('GET', `/api/seller/orders/imports/${imports[0].id}`, 'b')).status).toBe(404);
  });
});

describe('API keys and days', () => {
  it('takes orders with a write key (bulk bodies beyond 256 kB too), refuses a read key, filters by day', async () => {
    tokens.aAdmin = await t.signIn('aAdmin', ['seller_admin'], 'aAdmin', 'SELLER-A');
    const key = async (scopes: string[]) =>
      (await t.api('POST', '/api/seller/api-keys', 'aAdmin', { name: `orders ${scopes.join('+')}`, scopes })).body
        .key as string;
    const write = await key(['read', 'write']);
    const read = await key(['read']);
    const post = (path: string, apiKey: string, body: unknown) =>
      fetch(`${t.server.url}${path}`, {
        method: 'POST',
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const one = await post('/api/seller/orders', write, order('A-KEY-1', [{ sku: 'SKU-1', qty: 1 }]));
    expect(one.status).toBe(201);
    expect((await post('/api/seller/orders', read, order('A-KEY-2', [{ sku: 'SKU-1', qty: 1 }]))).status).toBe(403);
    // a thousand orders with long addresses: more than the default JSON limit, taken from a key on the bulk route
    const many = Array.from({ length: 1000 }, (_, i) =>
      order(`A-BULK-${i}`, [{ sku: 'SKU-A', qty: 1 }], {
        shipTo: { ...ship, line1: `Hauptstraße ${i} ${'x'.repeat(150)}` },
      }),
    );
    expect(JSON.stringify({ orders: many }).length).toBeGreaterThan(256 * 1024);
    const bulk = await post('/api/seller/orders/bulk', write, { orders: many });
    expect(bulk.status).toBe(200);
    const answer = (await bulk.json()) as { refused: number; results: Array<{ errors: Array<{ code: string }> }> };
    // SKU-A is all reserved: each order is answered with its shortfall, none half-made
    expect(answer.refused).toBe(1000);
    expect(answer.results[999].errors[0].code).toBe('INSUFFICIENT_STOCK');
    const today = new Date().toISOString().slice(0, 10);
    const todays = await t.api('GET', `/api/seller/orders?from=${today}&to=${today}&limit=500`, 'a');
    expect(todays.body.items.map((o: { orderNo: string }) => o.orderNo)).toContain('A-KEY-1');
    expect((await t.api('GET', '/api/seller/orders?to=2020-01-01', 'a')).body).toMatchObject({ items: [], total: 0 });
  });
});

describe('at the same time', () => {
  it('creates one order for five identical requests sent at once, and reserves once', async () => {
    const before = await buckets('OWN-A', 'SKU-1');
    const body = order('A-RACE', [{ sku: 'SKU-1', qty: 2 }]);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => t.api('POST', '/api/seller/orders', 'a', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.fulfilmentNo)).size).toBe(1);
    expect(await buckets('OWN-A', 'SKU-1')).toEqual({
      available: before.available - 2,
      reserved: (before.reserved ?? 0) + 2,
    });
  });

  it('gives the last units to one of two orders placed at once, and the other its shortfall', async () => {
    const { available } = await buckets('OWN-A', 'SKU-F');
    const want = Math.floor(available / 2) + 1;
    const [one, two] = await Promise.all(
      ['A-RACE-1', 'A-RACE-2'].map((no) =>
        t.api('POST', '/api/seller/orders', 'a', order(no, [{ sku: 'SKU-F', qty: want }])),
      ),
    );
    expect([one.status, two.status].sort()).toEqual([201, 409]);
    const short = one.status === 409 ? one : two;
    expect(short.body.details.shortfall).toEqual([{ sku: 'SKU-F', wanted: want, available: available - want }]);
  });
});

describe('exchanges', () => {
  it('places the replacement order EX-<rmaNo> when an exchange is due, once', async () => {
    const due = {
      sellerCode: 'SELLER-A',
      rmaNo: 'RMA-7',
      warehouseCode: WH,
      shipTo: ship,
      lines: [{ sku: 'SKU-1', qty: 1 }],
    };
    const events = t.server.app.get(DomainEvents);
    events.emit('return.exchangeDue', due);
    events.emit('return.exchangeDue', due);
    await t.server.app.get(ExchangeOrdersListener).idle();
    const ex = await t.api('GET', '/api/seller/orders/EX-RMA-7', 'a');
    expect(ex.status).toBe(200);
    expect(ex.body).toMatchObject({ source: 'exchange', status: 'reserved', units: 1 });
    const [{ n }] = await query<{ n: string }>(
      t.databaseUrl,
      `select count(*)::text as n from seller_order where order_no = 'EX-RMA-7'`,
    );
    expect(n).toBe('1');
  });

  it('keeps the ledger and the balances equal', async () => {
    const differences = await query(
      t.databaseUrl,
      `with m as (select owner_code, warehouse_code, sku, lot_no, bucket, sum(qty) as qty from (
           select owner_code, warehouse_code, sku, lot_no, to_bucket as bucket, qty from seller_stock_movement where to_bucket is not null
           union all
           select owner_code, warehouse_code, sku, lot_no, from_bucket, -qty from seller_stock_movement where from_bucket is not null) x
         group by 1, 2, 3, 4, 5)
       select * from m full join seller_stock_balance b using (owner_code, warehouse_code, sku, lot_no, bucket)
        where coalesce(m.qty, 0) <> coalesce(b.qty, 0)`,
    );
    expect(differences).toEqual([]);
  });
});

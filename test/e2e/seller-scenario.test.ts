import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { type SellerChange, ServerToClient, type ShipmentDetail } from '@wms/contracts';
import ExcelJS from 'exceljs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { BondedEntryService } from '../../server/src/modules/receiving/bonded-entry.service.js';
import { SellerRegistry } from '../../server/src/modules/sellers/seller-registry.js';
import { SellerStockRepository } from '../../server/src/modules/sellers/stock/seller-stock.repository.js';
import { ORM } from '../../server/src/platform/database/orm.js';
import { SqlRunner } from '../../server/src/platform/database/sql.js';
import { query, waitFor } from '../support/services.js';
import { connectLive, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The sellers' day of issue 12, end to end on the real stack (PostgreSQL as the application role
 * under row-level security, the broker, the customs simulator on its watched folders): seller A
 * creates three SKUs and an inbound shipment for OW-DE1; the goods leave the bonded centre under
 * 9810 once customs releases them; they are received abroad with one line short and one carton
 * damaged, and A sees the shortfall and its buckets at once; A places 100 orders by API and 100 by
 * XLSX; they are picked, packed and shipped by scans; two come back, one sellable into stock. Seller
 * B, holding the same SKU codes, sees none of it by any route; the ledger equals every bucket
 * throughout, both as the database sums it and as the seller reads it through its own API.
 */
const dir = mkdtempSync(join(tmpdir(), 'wms-seller-day-'));
chmodSync(dir, 0o755);
const outbox = join(dir, 'outbox');
const inbox = join(dir, 'inbox');
const OW = 'OW-DE1';
const BC = 'BC01';
const SKUS = ['DAY-CREAM', 'DAY-SOAP', 'DAY-LAMP'] as const;
/** Each SKU's HS code, as on its line of the centre's account book (a 9810 export list checks them). */
const HS: Record<(typeof SKUS)[number], string> = {
  'DAY-CREAM': '3304990010',
  'DAY-SOAP': '3401110000',
  'DAY-LAMP': '9405110000',
};
const GTIN: Record<string, string> = {
  'DAY-CREAM': '6901234100014',
  'DAY-SOAP': '6901234100021',
  'DAY-LAMP': '6901234100038',
};
const B_GTIN: Record<string, string> = {
  'DAY-CREAM': '6909876100019',
  'DAY-SOAP': '6909876100026',
  'DAY-LAMP': '6909876100033',
};
const BIN: Record<string, string> = { 'DAY-CREAM': 'OW-A-01', 'DAY-SOAP': 'OW-A-02', 'DAY-LAMP': 'OW-A-03' };

let t: TestServer;
let authority: CustomsAuthority;
let liveA: Socket;
let liveB: Socket;
const heardA: SellerChange[] = [];
const heardB: SellerChange[] = [];
const stock = new SellerStockRepository();
let shipmentNo = '';
let cartons: ShipmentDetail['cartonsDetail'] = [];
const orders: string[] = [];

type Buckets = Record<string, number>;
/** A's buckets at a warehouse, as A reads them (non-zero ones only). */
async function sellerBuckets(warehouseCode: string): Promise<Record<string, Buckets>> {
  const res = await t.api('GET', `/api/seller/buckets?warehouseCode=${warehouseCode}&limit=1000`, 'a');
  expect(res.status).toBe(200);
  const out: Record<string, Buckets> = {};
  for (const row of res.body.items as Array<Record<string, number | string>>) {
    const b: Buckets = {};
    for (const k of ['inbound', 'receiving', 'available', 'reserved', 'unfulfillable', 'onHold', 'bonded'])
      if (row[k]) b[k] = row[k] as number;
    out[row.sku as string] = b;
  }
  return out;
}

/**
 * The ledger equals every bucket: the database's sums (balances and warehouse totals against the
 * ledger rows), and what A reads — its whole ledger through the API, summed, against its buckets.
 */
async function ledgerEqualsBuckets() {
  expect(await t.server.app.get(SqlRunner).transaction((sql) => stock.disagreements(sql))).toEqual([]);
  const summed: Record<string, Buckets> = {};
  let before: string | null = null;
  do {
    const page = await t.api(
      'GET',
      `/api/seller/ledger?warehouseCode=${OW}&limit=1000${before ? `&before=${before}` : ''}`,
      'a',
    );
    for (const e of page.body.items as Array<{
      sku: string;
      fromBucket: string | null;
      toBucket: string | null;
      qty: number;
    }>) {
      summed[e.sku] ??= {};
      const b = summed[e.sku];
      const key = (x: string) => (x === 'on_hold' ? 'onHold' : x);
      if (e.fromBucket) b[key(e.fromBucket)] = (b[key(e.fromBucket)] ?? 0) - e.qty;
      if (e.toBucket) b[key(e.toBucket)] = (b[key(e.toBucket)] ?? 0) + e.qty;
    }
    before = page.body.nextBefore;
  } while (before);
  for (const b of Object.values(summed)) for (const [k, v] of Object.entries(b)) if (v === 0) delete b[k];
  for (const [sku, b] of Object.entries(summed)) if (!Object.keys(b).length) delete summed[sku];
  const shown = await sellerBuckets(OW);
  for (const b of Object.values(shown)) delete b.bonded;
  for (const [sku, b] of Object.entries(shown)) if (!Object.keys(b).length) delete shown[sku];
  expect(shown).toEqual(summed);
}

const scan = (operation: string, stationId: string, code: string, extra: Record<string, unknown> = {}) =>
  t.api('POST', '/api/floor/scans', 'staff', {
    scanId: randomUUID(),
    operation,
    warehouseCode: OW,
    stationId,
    code,
    ...extra,
  });
async function ok(operation: string, stationId: string, code: string, extra: Record<string, unknown> = {}) {
  const res = await scan(operation, stationId, code, extra);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.outcome, `${operation} ${code}: ${JSON.stringify(res.body)}`).toBe('ok');
  return res.body;
}

const shipTo = (n: number) => ({
  name: `Kunde ${n}`,
  line1: `Hauptstraße ${n}`,
  city: 'Duisburg',
  postcode: '47051',
  country: 'DE',
});

beforeAll(async () => {
  t = await startTestServer(
    'sellerday',
    { CUSTOMS_OUTBOX_DIR: outbox, CUSTOMS_INBOX_DIR: inbox, CUSTOMS_POLL_MS: '100' },
    { staff: ['staff'], super: ['supervisor'] },
    { checkAnswers: true },
  );
  authority = new CustomsAuthority({
    outbox,
    inbox,
    seed: 11,
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  // the centre's master data: the bonded centre with its book, the overseas warehouse and its places
  await query(
    t.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Seller A Ltd', '{owner,ebc}'),
       ('OWN-B', 'Seller B secret Ltd', '{owner,ebc}'), ('3105960001', 'Centre Operator', '{iac,agent}');
     insert into warehouse (code, name, kind, customs_code, port_code, loct_no, ems_no, operator_code, country) values
       ('BC01', 'Bonded centre', 'bonded-centre', '5165', '5165', '5165W01', 'T5165W000001', '3105960001', 'CN');
     insert into zone (warehouse_code, code, kind) values ('BC01', 'BZ', 'bonded');
     insert into location (warehouse_code, code, zone_code, purpose) values
       ('BC01', 'DOCK-IN', 'BZ', 'dock'), ('BC01', 'A-01-01', 'BZ', 'storage'), ('BC01', 'A-01-02', 'BZ', 'storage'),
       ('BC01', 'A-01-03', 'BZ', 'storage');
     insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit) values
       ('T5165W000001', 1, 'DAY-CREAM', '3304990010', '面霜', '011'),
       ('T5165W000001', 2, 'DAY-SOAP', '3401110000', '香皂', '011'),
       ('T5165W000001', 3, 'DAY-LAMP', '9405110000', '台灯', '011');
     insert into warehouse (code, name, kind, country, time_zone, currency) values
       ('OW-DE1', 'Overseas DE1', 'overseas', 'DE', 'Europe/Berlin', 'EUR'),
       ('OW-B1', 'B secret warehouse', 'overseas', 'US', 'America/New_York', 'USD');
     insert into zone (warehouse_code, code, kind) values ('OW-DE1', 'OW', 'non-bonded'), ('OW-DE1', 'OW-RET', 'returns');
     insert into location (warehouse_code, code, zone_code, purpose) values
       ('OW-DE1', 'OW-DOCK-IN', 'OW', 'dock'), ('OW-DE1', 'OW-A-01', 'OW', 'storage'),
       ('OW-DE1', 'OW-A-02', 'OW', 'storage'), ('OW-DE1', 'OW-A-03', 'OW', 'storage'),
       ('OW-DE1', 'OW-PACK-01', 'OW', 'pack'), ('OW-DE1', 'OW-DOCK-OUT', 'OW', 'staging'),
       ('OW-DE1', 'OW-RET-01', 'OW-RET', 'storage')`,
  );
  const registry = new SellerRegistry(t.server.app.get<MikroORM>(ORM));
  await registry.upsert({ sellerCode: 'SELLER-A', name: 'A', ownerCodes: ['OWN-A'], warehouseCodes: [BC, OW] });
  await registry.upsert({ sellerCode: 'SELLER-B', name: 'B', ownerCodes: ['OWN-B'], warehouseCodes: ['OW-B1'] });
  const tokenA = await t.signIn('a', ['seller'], 'a', 'SELLER-A');
  const tokenB = await t.signIn('b', ['seller'], 'b', 'SELLER-B');
  liveA = await connectLive(t.server.url, tokenA);
  liveB = await connectLive(t.server.url, tokenB);
  liveA.on(ServerToClient.sellerChanged, (c: SellerChange) => heardA.push(c));
  liveB.on(ServerToClient.sellerChanged, (c: SellerChange) => heardB.push(c));
}, 180_000);

afterAll(async () => {
  liveA?.close();
  liveB?.close();
  await authority?.stop();
  await t?.close();
});

describe('a seller’s day: 9810 into the overseas warehouse, orders, returns', () => {
  it('A creates three SKUs; B holds the same codes; A’s goods are bonded in the centre', async () => {
    for (const sku of SKUS) {
      const body = {
        gcode: HS[sku],
        name: `A ${sku}`,
        unit: '011',
        declaredPrice: '8.50',
        country: '142',
        grossGrams: 200,
      };
      expect((await t.api('PUT', `/api/seller/goods/${sku}`, 'a', { ...body, gtin: GTIN[sku] })).status).toBe(200);
      expect(
        (await t.api('PUT', `/api/seller/goods/${sku}`, 'b', { ...body, name: `B secret ${sku}`, gtin: B_GTIN[sku] }))
          .status,
      ).toBe(200);
    }
    // A's goods in the bonded centre, booked against its book lines (the centre's bonded entry)
    await t.server.app.get(BondedEntryService).receive(
      {
        warehouseCode: BC,
        docNo: 'QD5165DAY0001',
        ownerCode: 'OWN-A',
        lines: SKUS.map((sku, i) => ({ sku, batch: 'B1', qty: 400, location: `A-01-0${i + 1}` })),
      },
      'centre',
    );
    const bonded = await sellerBuckets(BC);
    expect(Object.fromEntries(SKUS.map((s) => [s, bonded[s]?.bonded]))).toEqual({
      'DAY-CREAM': 400,
      'DAY-SOAP': 400,
      'DAY-LAMP': 400,
    });
  });

  it('A books the ASN; it leaves the bonded centre under 9810 once customs releases it, and arrives', async () => {
    const res = await t.api<ShipmentDetail>('POST', '/api/seller/shipments', 'a', {
      warehouseCode: OW,
      originWarehouseCode: BC,
      carrier: 'COSCO',
      cartons: [
        {
          lines: [
            { sku: 'DAY-CREAM', qty: 250 },
            { sku: 'DAY-SOAP', qty: 60 },
          ],
        },
        { lines: [{ sku: 'DAY-LAMP', qty: 80 }] },
        { lines: [{ sku: 'DAY-CREAM', qty: 20 }] },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    shipmentNo = res.body.shipmentNo;
    cartons = res.body.cartonsDetail;
    expect(await sellerBuckets(OW)).toEqual({
      'DAY-CREAM': { inbound: 270 },
      'DAY-SOAP': { inbound: 60 },
      'DAY-LAMP': { inbound: 80 },
    });
    await ledgerEqualsBuckets();

    const declared = await t.api('POST', `/api/shipments/${shipmentNo}/declare`, 'super', {
      trafMode: '2',
      pod: 'DEHAM',
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    expect(declared.body.declaration).toMatchObject({ tradeMode: '9810', messageType: 'CEB603' });
    await authority.settle();
    await waitFor('customs releases the 9810 list', async () => {
      await t.api('POST', '/api/customs/inbox/process', 'super');
      const d = await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${shipmentNo}`, 'a');
      return d.body.customs?.released === true;
    });
    for (const status of ['departed', 'in_transit', 'arrived'])
      expect((await t.api('POST', `/api/shipments/${shipmentNo}/status`, 'staff', { status })).status, status).toBe(
        200,
      );
    // the goods left the bonded centre: its book shows what stays
    const bonded = await sellerBuckets(BC);
    expect(Object.fromEntries(SKUS.map((s) => [s, bonded[s]?.bonded]))).toEqual({
      'DAY-CREAM': 130,
      'DAY-SOAP': 340,
      'DAY-LAMP': 320,
    });
    const recon = await t.api('GET', `/api/customs/reconciliation?warehouseCode=${BC}`, 'super');
    expect(recon.status).toBe(200);
    expect(JSON.stringify(recon.body)).not.toMatch(/"difference":[1-9-]/);
  });

  it('is received abroad with one line short and one carton damaged: A sees the shortfall and buckets at once', async () => {
    const [c1, c2, c3] = cartons;
    const receive = (code: string, extra: Record<string, unknown> = {}) =>
      ok('receive', 'OW-HH1', code, { deliveryNo: shipmentNo, ...extra });
    const heardBefore = heardA.length;
    await receive(`00${c1.sscc}`);
    await receive(GTIN['DAY-CREAM'], { qty: 250 });
    const soap = await receive(GTIN['DAY-SOAP'], { qty: 58 });
    expect(soap.detail.asnLine).toMatchObject({ received: 58 });
    // A hears the new received quantity on its own socket
    await waitFor('A hears the line', () =>
      heardA
        .slice(heardBefore)
        .some((c) => c.ref === shipmentNo && (c.detail?.line as { received?: number })?.received === 58),
    );
    await receive(`00${c2.sscc}`);
    await receive(GTIN['DAY-LAMP'], { qty: 80 });
    await receive(`00${c3.sscc}`);
    await receive('DAMAGED');
    const damaged = await receive(GTIN['DAY-CREAM'], { qty: 20 });
    expect(damaged.detail).toMatchObject({ condition: 'damaged' });
    await ledgerEqualsBuckets();
    const closed = await t.api('POST', `/api/shipments/${shipmentNo}/status`, 'staff', { status: 'received' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);

    const seen = await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${shipmentNo}`, 'a');
    expect(
      seen.body.lines.map(({ sku, expected, received, short, damaged }) => ({
        sku,
        expected,
        received,
        short,
        damaged,
      })),
    ).toEqual([
      { sku: 'DAY-CREAM', expected: 250, received: 250, short: 0, damaged: 0 },
      { sku: 'DAY-SOAP', expected: 60, received: 58, short: 2, damaged: 0 },
      { sku: 'DAY-LAMP', expected: 80, received: 80, short: 0, damaged: 0 },
      { sku: 'DAY-CREAM', expected: 20, received: 0, short: 0, damaged: 20 },
    ]);
    expect(await sellerBuckets(OW)).toEqual({
      'DAY-CREAM': { receiving: 250, unfulfillable: 20 },
      'DAY-SOAP': { receiving: 58 },
      'DAY-LAMP': { receiving: 80 },
    });
    await ledgerEqualsBuckets();

    // put away: available
    for (const [sku, qty] of [
      ['DAY-CREAM', 250],
      ['DAY-SOAP', 58],
      ['DAY-LAMP', 80],
    ] as const) {
      await ok('putaway', 'OW-HH1', GTIN[sku], { qty });
      await ok('putaway', 'OW-HH1', BIN[sku]);
    }
    expect(await sellerBuckets(OW)).toEqual({
      'DAY-CREAM': { available: 250, unfulfillable: 20 },
      'DAY-SOAP': { available: 58 },
      'DAY-LAMP': { available: 80 },
    });
    await ledgerEqualsBuckets();
  });

  it('A places 100 orders by API and 100 by XLSX, reserved at once', async () => {
    for (let n = 1; n <= 100; n++) {
      const orderNo = `DAY-API-${String(n).padStart(3, '0')}`;
      const lines = [{ sku: 'DAY-CREAM', qty: 1 }, ...(n % 4 === 0 ? [{ sku: 'DAY-SOAP', qty: 1 }] : [])];
      const res = await t.api('POST', '/api/seller/orders', 'a', {
        orderNo,
        warehouseCode: OW,
        shipTo: shipTo(n),
        lines,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      orders.push(orderNo);
    }
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('orders');
    sheet.addRow(['orderNo', 'warehouseCode', 'name', 'line1', 'city', 'postcode', 'country', 'sku', 'qty']);
    for (let n = 1; n <= 100; n++) {
      const orderNo = `DAY-XL-${String(n).padStart(3, '0')}`;
      const to = shipTo(100 + n);
      sheet.addRow([
        orderNo,
        OW,
        to.name,
        to.line1,
        to.city,
        to.postcode,
        to.country,
        n <= 60 ? 'DAY-LAMP' : 'DAY-CREAM',
        1,
      ]);
      orders.push(orderNo);
    }
    // one row of a SKU A does not have: its own error, the rest imported
    sheet.addRow(['DAY-XL-BAD', OW, 'X', 'Y 1', 'Duisburg', '47051', 'DE', 'NOT-A-SKU', 1]);
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(Buffer.from(await book.xlsx.writeBuffer()))], {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
      'orders.xlsx',
    );
    const upload = await fetch(`${t.server.url}/api/seller/orders/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.signIn('a', ['seller'], 'a', 'SELLER-A')}` },
      body: form,
    });
    expect(upload.status).toBe(202);
    const { importId } = (await upload.json()) as { importId: string };
    const done = await waitFor(
      'the import is done',
      async () => {
        const res = await t.api('GET', `/api/seller/orders/imports/${importId}`, 'a');
        return res.body.status === 'done' ? res.body : undefined;
      },
      60_000,
    );
    expect(done).toMatchObject({ total: 101, processed: 101, ordersCreated: 100, ordersRefused: 1 });
    expect(done.errors).toEqual([expect.objectContaining({ row: 102, column: 'sku', orderNo: 'DAY-XL-BAD' })]);
    expect(heardA.some((c) => c.kind === 'import' && c.ref === importId)).toBe(true);

    expect(await sellerBuckets(OW)).toEqual({
      'DAY-CREAM': { available: 110, reserved: 140, unfulfillable: 20 },
      'DAY-SOAP': { available: 33, reserved: 25 },
      'DAY-LAMP': { available: 20, reserved: 60 },
    });
    await ledgerEqualsBuckets();
  });

  it('picks, packs and ships all 200 by scans; A follows each with its tracking number', async () => {
    const list = await t.api('GET', `/api/floor/seller-orders?warehouseCode=${OW}`, 'staff');
    expect(list.status).toBe(200);
    const work = list.body.items as Array<{
      orderNo: string;
      fulfilmentNo: string;
      lines: Array<{ sku: string; qty: number }>;
    }>;
    expect(work.map((w) => w.orderNo).sort()).toEqual([...orders].sort());
    for (const [i, w] of work.entries()) {
      await ok('pick', 'OW-PICK', w.fulfilmentNo);
      for (const line of w.lines)
        for (let u = 0; u < line.qty; u++) {
          await ok('pick', 'OW-PICK', BIN[line.sku]);
          await ok('pick', 'OW-PICK', GTIN[line.sku]);
        }
      const tracking = `JJD${String(900_000_000 + i)}`;
      await ok('pack', 'OW-PACK', w.fulfilmentNo);
      await ok('pack', 'OW-PACK', tracking);
      await ok('gate', 'OW-GATE', tracking);
    }
    const shipped = await t.api('GET', '/api/seller/orders?status=shipped&limit=500', 'a');
    expect(shipped.body.items).toHaveLength(200);
    const one = await t.api('GET', '/api/seller/orders/DAY-API-004', 'a');
    expect(one.body).toMatchObject({ status: 'shipped', trackingNo: expect.stringMatching(/^JJD/) });
    expect(await sellerBuckets(OW)).toEqual({
      'DAY-CREAM': { available: 110, unfulfillable: 20 },
      'DAY-SOAP': { available: 33 },
      'DAY-LAMP': { available: 20 },
    });
    await ledgerEqualsBuckets();
  });

  it('takes two returns: one sellable back into stock, one unsellable', async () => {
    for (const [rmaNo, orderNo, sku] of [
      ['RMA-DAY-1', 'DAY-API-001', 'DAY-CREAM'],
      ['RMA-DAY-2', 'DAY-XL-001', 'DAY-LAMP'],
    ] as const) {
      const made = await t.api('POST', '/api/seller/returns', 'a', {
        rmaNo,
        warehouseCode: OW,
        orderNo,
        reason: 'customer return',
        lines: [{ sku, qty: 1 }],
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    await ok('returns', 'OW-RET', 'RMA-DAY-1');
    await ok('returns', 'OW-RET', GTIN['DAY-CREAM']);
    await ok('returns', 'OW-RET', 'RMA-DAY-2');
    await ok('returns', 'OW-RET', 'UNSELLABLE:broken glass');
    await ok('returns', 'OW-RET', GTIN['DAY-LAMP']);
    const r1 = await t.api('GET', '/api/seller/returns/RMA-DAY-1', 'a');
    expect(r1.body.lines).toEqual([expect.objectContaining({ sku: 'DAY-CREAM', received: 1 })]);
    expect(await sellerBuckets(OW)).toEqual({
      'DAY-CREAM': { available: 111, unfulfillable: 20 },
      'DAY-SOAP': { available: 33 },
      'DAY-LAMP': { available: 20, unfulfillable: 1 },
    });
    await ledgerEqualsBuckets();
  });

  it('shows seller B none of it, by any route or socket', async () => {
    const empty = async (path: string) => {
      const res = await t.api('GET', path, 'b');
      expect(res.status, path).toBe(200);
      expect(JSON.stringify(res.body), path).not.toMatch(/DAY-API|DAY-XL|RMA-DAY|ASN|Seller A/);
      return res.body;
    };
    expect((await empty('/api/seller/buckets?limit=1000')).items).toEqual([]);
    expect((await empty('/api/seller/ledger')).items).toEqual([]);
    expect((await empty('/api/seller/orders')).items).toEqual([]);
    expect((await empty('/api/seller/shipments')).items).toEqual([]);
    expect((await empty('/api/seller/returns')).items).toEqual([]);
    for (const sku of SKUS)
      expect((await t.api('GET', `/api/seller/goods/${sku}`, 'b')).body.name).toBe(`B secret ${sku}`);
    for (const path of [
      `/api/seller/shipments/${shipmentNo}`,
      `/api/seller/shipments/${shipmentNo}/labels`,
      '/api/seller/orders/DAY-API-001',
      '/api/seller/orders/DAY-XL-001',
      '/api/seller/returns/RMA-DAY-1',
    ])
      expect((await t.api('GET', path, 'b')).status, path).toBe(404);
    expect((await t.api('POST', '/api/seller/orders/DAY-API-002/cancel', 'b')).status).toBe(404);
    // B ordering its own DAY-CREAM: it has none anywhere
    const short = await t.api('POST', '/api/seller/orders', 'b', {
      orderNo: 'B-1',
      warehouseCode: 'OW-B1',
      shipTo: shipTo(1),
      lines: [{ sku: 'DAY-CREAM', qty: 1 }],
    });
    expect(short.status).toBe(409);
    expect(heardB).toEqual([]);
    expect(heardA.filter((c) => c.sellerCode !== 'SELLER-A')).toEqual([]);
  });
});

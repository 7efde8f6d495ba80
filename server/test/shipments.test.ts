import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { isValidSscc, type SellerChange, ServerToClient, type ShipmentDetail } from '@wms/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { query, waitFor } from '../../test/support/services.js';
import { connectLive, startTestServer, type TestServer } from '../../test/support/test-server.js';
import { SellerRegistry } from '../src/modules/sellers/seller-registry.js';
import { SellerStockRepository } from '../src/modules/sellers/stock/seller-stock.repository.js';
import { cartonSscc } from '../src/modules/shipments/shipment.rules.js';
import { ORM } from '../src/platform/database/orm.js';
import { SqlRunner } from '../src/platform/database/sql.js';

/**
 * A seller's inbound shipment (ASN) to its overseas warehouse under 9810 (issue 12) on the real
 * PostgreSQL, the real broker and the customs simulator on the watched folders: booked by the
 * seller's API, declared (CEB603, 9810) and released, departed and arrived, received by scanning at
 * the overseas warehouse (one line short, one unit damaged with a photo, one over), closed, put
 * away; the seller's buckets and per-line result through its own API, the ledger equal to every
 * bucket after each step, and seller B seeing none of it.
 */
const dir = mkdtempSync(join(tmpdir(), 'wms-asn-'));
chmodSync(dir, 0o755);
const outbox = join(dir, 'outbox');
const inbox = join(dir, 'inbox');
let t: TestServer;
let authority: CustomsAuthority;
let liveA: Socket;
let liveB: Socket;
let tokenA = '';
const heardA: SellerChange[] = [];
const heardB: SellerChange[] = [];
const stock = new SellerStockRepository();

const OW = 'OW-DE1';
const OW2 = 'OW-DE2';
const BC = 'BC01';
const givenSscc = cartonSscc('0690123', 777_000n);
let shipmentNo = '';
let cartons: ShipmentDetail['cartonsDetail'] = [];

const scan = (code: string, extra: Record<string, unknown> = {}) =>
  t.api('POST', '/api/floor/scans', 'staff', {
    scanId: randomUUID(),
    operation: 'receive',
    warehouseCode: OW,
    stationId: 'OW-HH1',
    code,
    deliveryNo: shipmentNo,
    ...extra,
  });

async function buckets(sku: string) {
  const rows = await query<{ bucket: string; qty: number }>(
    t.databaseUrl,
    `select bucket, sum(qty)::int as qty from seller_stock_balance
     where owner_code = 'OWN-A' and warehouse_code = $1 and sku = $2 group by bucket`,
    [OW, sku],
  );
  return Object.fromEntries(rows.filter((r) => r.qty !== 0).map((r) => [r.bucket, r.qty]));
}

async function ledgerEqualsBuckets() {
  const wrong = await t.server.app.get(SqlRunner).transaction((sql) => stock.disagreements(sql));
  expect(wrong).toEqual([]);
}

/** The seller's own `bonded` bucket per SKU at the bonded centre (its buckets API). */
async function bondedAt(as = 'a'): Promise<Record<string, number>> {
  const res = await t.api<{ items: Array<{ sku: string; bonded: number }> }>(
    'GET',
    `/api/seller/buckets?warehouseCode=${BC}`,
    as,
  );
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.items.filter((r) => r.bonded).map((r) => [r.sku, r.bonded]));
}

/** BC01's shelves of OWN-A, by SKU, batch and location. */
const bcShelf = () =>
  query<{ sku: string; batch: string; location: string; qty: number }>(
    t.databaseUrl,
    `select sku, batch, location, sum(qty)::int as qty from stock_movement
     where ledger = 'shelf' and warehouse_code = 'BC01' and owner_code = 'OWN-A'
     group by 1, 2, 3 having sum(qty) <> 0 order by 1, 2, 3`,
  );

/** Book equals shelf at BC01 (the customs reconciliation). */
async function bcBalanced() {
  const rec = await t.api<{ balanced: boolean; lines: Array<{ itemNo: string; difference: number }> }>(
    'GET',
    `/api/customs/reconciliation?warehouseCode=${BC}`,
    'super',
  );
  expect(rec.status).toBe(200);
  expect(rec.body.lines).toEqual([]);
  expect(rec.body.balanced).toBe(true);
}

/** Books an ASN of seller A to the second overseas warehouse (its buckets there are not asserted). */
async function bookOther(lines: Array<{ sku: string; qty: number }>, origin = BC): Promise<string> {
  const res = await t.api<ShipmentDetail>('POST', '/api/seller/shipments', 'a', {
    warehouseCode: OW2,
    originWarehouseCode: origin,
    cartons: [{ lines }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.shipmentNo;
}

beforeAll(async () => {
  t = await startTestServer(
    'asn',
    { CUSTOMS_OUTBOX_DIR: outbox, CUSTOMS_INBOX_DIR: inbox, CUSTOMS_POLL_MS: '100' },
    { staff: ['staff'], super: ['supervisor'] },
    { checkAnswers: true },
  );
  authority = new CustomsAuthority({
    outbox,
    inbox,
    seed: 7,
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  await query(
    t.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Seller A Ltd', '{owner,ebc}'),
       ('OWN-B', 'Seller B secret Ltd', '{owner,ebc}'), ('3105960001', 'Centre Operator', '{iac,agent}');
     insert into warehouse (code, name, kind, customs_code, port_code, loct_no, ems_no, operator_code, country) values
       ('BC01', 'Bonded centre', 'bonded-centre', '5165', '5165', '5165W01', 'T5165W000001', '3105960001', 'CN');
     insert into warehouse (code, name, kind, country, time_zone, currency) values
       ('OW-DE1', 'Overseas DE1', 'overseas', 'DE', 'Europe/Berlin', 'EUR'),
       ('OW-B1', 'B secret warehouse', 'overseas', 'US', 'America/New_York', 'USD');
     insert into warehouse (code, name, kind, country, time_zone, currency) values
       ('OW-DE2', 'Overseas DE2 (other ASNs)', 'overseas', 'DE', 'Europe/Berlin', 'EUR');
     insert into warehouse (code, name, kind, customs_code, port_code, country) values
       ('CW01', 'Consolidation Yiwu', 'consolidation', '5165', '5165', 'CN');
     insert into zone (warehouse_code, code, kind) values ('CW01', 'CZ', 'non-bonded');
     insert into location (warehouse_code, code, zone_code, purpose) values ('CW01', 'CW-A-01', 'CZ', 'storage');
     insert into zone (warehouse_code, code, kind) values ('OW-DE1', 'OW', 'non-bonded'), ('OW-DE1', 'OW-QT', 'quarantine'),
       ('BC01', 'BZ', 'bonded'), ('BC01', 'BQ', 'quarantine');
     insert into location (warehouse_code, code, zone_code, purpose) values
       ('BC01', 'BC-A-01', 'BZ', 'storage'), ('BC01', 'BC-A-02', 'BZ', 'storage'), ('BC01', 'BC-Q-01', 'BQ', 'storage');
     insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit) values
       ('T5165W000001', 1, 'SKU-1', '3304990010', 'Cream', '011'),
       ('T5165W000001', 2, 'SKU-2', '3304990010', 'Soap', '011');
     insert into location (warehouse_code, code, zone_code, purpose) values
       ('OW-DE1', 'OW-DOCK-IN', 'OW', 'dock'), ('OW-DE1', 'OW-A-01', 'OW', 'storage'),
       ('OW-DE1', 'OW-QT-01', 'OW-QT', 'storage');
     insert into goods (owner_code, sku, gtin, gcode, name, unit, declared_price, country, gross_grams) values
       ('OWN-A', 'SKU-1', '6901234000016', '3304990010', 'A cream', '011', 10, '142', 300),
       ('OWN-A', 'SKU-2', '6901234000023', '3304990010', 'A soap', '011', 5, '142', 150),
       ('OWN-A', 'SKU-BIG', null, '3304990010', 'A lamp', '011', 1000, '142', 2000),
       ('OWN-B', 'SKU-1', '6909876000011', '3304990010', 'B secret cream', '011', 11, '142', 300)`,
  );
  const registry = new SellerRegistry(t.server.app.get<MikroORM>(ORM));
  await registry.upsert({
    sellerCode: 'SELLER-A',
    name: 'A',
    ownerCodes: ['OWN-A'],
    warehouseCodes: [BC, OW, OW2],
  });
  await registry.upsert({ sellerCode: 'SELLER-B', name: 'B', ownerCodes: ['OWN-B'], warehouseCodes: ['OW-B1'] });
  tokenA = await t.signIn('a', ['seller'], 'a', 'SELLER-A');
  liveA = await connectLive(t.server.url, tokenA);
  liveB = await connectLive(t.server.url, await t.signIn('b', ['seller'], 'b', 'SELLER-B'));
  // OWN-A's bonded stock at BC01, through the entry route: SKU-1 in two batches (12 then 8), SKU-2 3
  for (const [docNo, lines] of [
    ['QD-ASN-1', [{ sku: 'SKU-1', batch: 'B1', qty: 12, location: 'BC-A-01' }]],
    [
      'QD-ASN-2',
      [
        { sku: 'SKU-1', batch: 'B2', qty: 8, location: 'BC-A-02' },
        { sku: 'SKU-2', batch: 'L7', qty: 3, location: 'BC-A-02' },
      ],
    ],
    ['QD-CW-1', [{ sku: 'SKU-2', batch: 'C1', qty: 5, location: 'CW-A-01' }]],
  ] as const) {
    const entry = await t.api('POST', '/api/bonded/entries', 'staff', {
      warehouseCode: docNo === 'QD-CW-1' ? 'CW01' : BC,
      docNo,
      ownerCode: 'OWN-A',
      lines,
    });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
  }
  liveA.on(ServerToClient.sellerChanged, (c: SellerChange) => heardA.push(c));
  liveB.on(ServerToClient.sellerChanged, (c: SellerChange) => heardB.push(c));
}, 120_000);

afterAll(async () => {
  liveA?.close();
  liveB?.close();
  await authority?.stop();
  await t?.close();
});

describe('booking an ASN (seller API)', () => {
  it('books cartons with a generated and a given SSCC and shows the units inbound', async () => {
    const res = await t.api<ShipmentDetail>('POST', '/api/seller/shipments', 'a', {
      warehouseCode: OW,
      originWarehouseCode: BC,
      carrier: 'COSCO',
      eta: '2026-12-20',
      cartons: [
        {
          lines: [
            { sku: 'SKU-1', qty: 5 },
            { sku: 'SKU-2', qty: 3, batch: 'L7' },
          ],
        },
        { sscc: givenSscc, lines: [{ sku: 'SKU-1', qty: 4, expiry: '2028-01-31' }] },
      ],
    });
    expect(res.status).toBe(201);
    shipmentNo = res.body.shipmentNo;
    cartons = res.body.cartonsDetail;
    expect(res.body).toMatchObject({ status: 'booked', cartons: 2, expected: 12, generalDeclaration: false });
    expect(isValidSscc(cartons[0].sscc)).toBe(true);
    expect(cartons[1].sscc).toBe(givenSscc);
    expect(res.body.history.map((h) => h.status)).toEqual(['booked']);
    expect(res.body.history[0].atLocal).toMatch(/Europe\/Berlin$/);
    expect(await buckets('SKU-1')).toEqual({ inbound: 9 });
    expect(await buckets('SKU-2')).toEqual({ inbound: 3 });
    await ledgerEqualsBuckets();
    await waitFor('the seller hears the booking', () =>
      heardA.some((c) => c.kind === 'shipment' && c.ref === shipmentNo),
    );
  });

  it('refuses unknown SKUs, another seller’s warehouse, a repeated or used SSCC, a non-overseas target', async () => {
    const book = (as: string, body: Record<string, unknown>) =>
      t.api('POST', '/api/seller/shipments', as, {
        warehouseCode: OW,
        originWarehouseCode: BC,
        cartons: [{ lines: [{ sku: 'SKU-1', qty: 1 }] }],
        ...body,
      });
    const unknown = await book('a', { cartons: [{ lines: [{ sku: 'SKU-NOPE', qty: 1 }] }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/SKU-NOPE is not one of your SKUs/);
    const otherWarehouse = await book('a', { warehouseCode: 'OW-B1' });
    expect(otherWarehouse.status).toBe(404);
    expect(JSON.stringify(otherWarehouse.body)).not.toMatch(/secret/);
    // B books into A's warehouse: not among B's
    expect((await book('b', {})).status).toBe(404);
    const twice = await book('a', {
      cartons: [
        { sscc: givenSscc, lines: [{ sku: 'SKU-1', qty: 1 }] },
        { sscc: givenSscc, lines: [{ sku: 'SKU-1', qty: 1 }] },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.message).toMatch(/more than one carton/);
    const used = await book('a', { cartons: [{ sscc: givenSscc, lines: [{ sku: 'SKU-1', qty: 1 }] }] });
    expect(used.status).toBe(409);
    const badCheck = await book('a', {
      cartons: [
        { sscc: `${givenSscc.slice(0, 17)}${(Number(givenSscc[17]) + 1) % 10}`, lines: [{ sku: 'SKU-1', qty: 1 }] },
      ],
    });
    expect(badCheck.status).toBe(400);
    expect((await book('a', { warehouseCode: BC })).status).toBe(400);
    expect((await book('a', { shipmentNo })).status).toBe(409);
    expect((await book('a', { extra: 1 })).status).toBe(400);
    // nothing of the refused ones was booked
    expect(await buckets('SKU-1')).toEqual({ inbound: 9 });
  });

  it('flags a shipment over CNY 5,000 for the general declaration', async () => {
    const res = await t.api<ShipmentDetail>('POST', '/api/seller/shipments', 'a', {
      warehouseCode: OW,
      originWarehouseCode: BC,
      cartons: [{ lines: [{ sku: 'SKU-BIG', qty: 6 }] }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ declaredValueCny: '6000.00', generalDeclaration: true });
  });

  it('lists the seller’s shipments with filters, and gives B a 404 on A’s shipment on every route', async () => {
    const list = await t.api('GET', `/api/seller/shipments?status=booked&sku=SKU-2`, 'a');
    expect(list.body.items.map((s: { shipmentNo: string }) => s.shipmentNo)).toEqual([shipmentNo]);
    expect((await t.api('GET', '/api/seller/shipments', 'b')).body.items).toEqual([]);
    for (const path of [
      `/api/seller/shipments/${shipmentNo}`,
      `/api/seller/shipments/${shipmentNo}/labels`,
      `/api/seller/shipments/${shipmentNo}/damages/${randomUUID()}/photo`,
    ])
      expect((await t.api('GET', path, 'b')).status, path).toBe(404);
  });

  it('prints one GS1-128 SSCC label per carton, as ZPL and as a PNG', async () => {
    const res = await fetch(`${t.server.url}/api/seller/shipments/${shipmentNo}/labels?format=zpl`, {
      headers: { authorization: `Bearer ${tokenA}` },
    });
    const zpl = await res.text();
    expect(res.status).toBe(200);
    expect(zpl.match(/\^XA/g)).toHaveLength(2);
    for (const c of cartons) expect(zpl).toContain(`^FD>;>800${c.sscc}^FS`);
    const png = await fetch(
      `${t.server.url}/api/seller/shipments/${shipmentNo}/labels?format=png&sscc=${cartons[1].sscc}`,
      { headers: { authorization: `Bearer ${tokenA}` } },
    );
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });
});

describe('9810 export, tracking and receiving abroad', () => {
  it('refuses to declare an ASN the seller’s bonded stock at BC01 does not cover, with each SKU short', async () => {
    expect(await bondedAt()).toEqual({ 'SKU-1': 20, 'SKU-2': 3 });
    const over = await bookOther([
      { sku: 'SKU-1', qty: 2 },
      { sku: 'SKU-2', qty: 5 },
      { sku: 'SKU-BIG', qty: 1 },
    ]);
    const refused = await t.api('POST', `/api/shipments/${over}/declare`, 'super', { trafMode: '2', pod: 'DEHAM' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('SKU-2: wanted 5, available 3');
    expect(refused.body.message).toContain('SKU-BIG: wanted 1, available 0 (no line in the account book of BC01)');
    expect(refused.body.message).not.toContain('SKU-1:');
    expect(refused.body.details.shortfalls).toEqual([
      { sku: 'SKU-2', wanted: 5, available: 3, putrecSeqno: 2 },
      { sku: 'SKU-BIG', wanted: 1, available: 0, putrecSeqno: null },
    ]);
    // nothing declared: no list, no order, the ASN still booked and undeclared
    expect(await query(t.databaseUrl, 'select 1 from inventory_list where order_no = $1', [over])).toEqual([]);
    const after = await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${over}`, 'a');
    expect(after.body).toMatchObject({ status: 'booked', copNo: null, customs: null });
  });

  it('departs only once the 9810 export list is released, then travels and arrives', async () => {
    const early = await t.api('POST', `/api/shipments/${shipmentNo}/status`, 'staff', { status: 'departed' });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/not declared for export/);
    const declared = await t.api('POST', `/api/shipments/${shipmentNo}/declare`, 'super', {
      trafMode: '2',
      pod: 'DEHAM',
    });
    expect(declared.status).toBe(201);
    expect(declared.body.declaration).toMatchObject({ tradeMode: '9810', messageType: 'CEB603', outcome: 'declared' });
    const copNo = declared.body.declaration.copNo;
    const [list] = await query<{ trade_mode: string; direction: string; order_no: string }>(
      t.databaseUrl,
      'select trade_mode, direction, order_no from inventory_list where cop_no = $1',
      [copNo],
    );
    expect(list).toEqual({ trade_mode: '9810', direction: 'export', order_no: shipmentNo });
    // declaring it again (all of SKU-2 is now promised to its own list) answers the same list
    const again = await t.api('POST', `/api/shipments/${shipmentNo}/declare`, 'super', { trafMode: '2', pod: 'DEHAM' });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.declaration).toMatchObject({ copNo, outcome: 'already-declared' });
    await authority.settle();
    await waitFor('customs releases the 9810 list', async () => {
      await t.api('POST', '/api/customs/inbox/process', 'super');
      const d = await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${shipmentNo}`, 'a');
      return d.body.customs?.released === true;
    });
    const seen = await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${shipmentNo}`, 'a');
    expect(seen.body.customs).toMatchObject({ copNo, tradeMode: '9810', customsStatus: 800, released: true });
    const invtNo = seen.body.customs?.invtNo;
    expect(invtNo).toBeTruthy();
    // the list names the book lines its goods are on (as 1210 lists do)
    const [listed] = await query<{ ems_no: string; lines: Array<{ sku: string; units: number; putrecSeqno: number }> }>(
      t.databaseUrl,
      'select ems_no, lines from inventory_list where cop_no = $1',
      [copNo],
    );
    expect(listed.ems_no).toBe('T5165W000001');
    expect(listed.lines.map((l) => [l.sku, l.units, l.putrecSeqno]).sort()).toEqual([
      ['SKU-1', 9, 1],
      ['SKU-2', 3, 2],
    ]);
    // released, not gone yet: still the seller's bonded stock, and promised to this list
    expect(await bondedAt()).toEqual({ 'SKU-1': 20, 'SKU-2': 3 });
    const promised = await bookOther([{ sku: 'SKU-1', qty: 12 }]);
    const short = await t.api('POST', `/api/shipments/${promised}/declare`, 'super', { trafMode: '2', pod: 'DEHAM' });
    expect(short.status).toBe(409);
    expect(short.body.details.shortfalls).toEqual([{ sku: 'SKU-1', wanted: 12, available: 11, putrecSeqno: 1 }]);
    const heardBefore = heardA.length;
    const departed = await t.api('POST', `/api/shipments/${shipmentNo}/status`, 'staff', { status: 'departed' });
    expect(departed.status, JSON.stringify(departed.body)).toBe(200);
    // the goods left BC01: out of the oldest batch first, off the book under the export list
    expect(await bcShelf()).toEqual([
      { sku: 'SKU-1', batch: 'B1', location: 'BC-A-01', qty: 3 },
      { sku: 'SKU-1', batch: 'B2', location: 'BC-A-02', qty: 8 },
    ]);
    const book = await query<{ sku: string; customs_state: string; qty: number; doc_type: string; doc_no: string }>(
      t.databaseUrl,
      `select sku, customs_state, sum(qty)::int as qty, doc_type, doc_no from stock_movement
       where ledger = 'book' and logistics_no = $1 group by 1, 2, 4, 5 order by 1, 2`,
      [shipmentNo],
    );
    expect(book).toEqual([
      { sku: 'SKU-1', customs_state: 'bonded', qty: -9, doc_type: 'gate-release', doc_no: invtNo },
      { sku: 'SKU-1', customs_state: 'written-off', qty: 9, doc_type: 'gate-release', doc_no: invtNo },
      { sku: 'SKU-2', customs_state: 'bonded', qty: -3, doc_type: 'gate-release', doc_no: invtNo },
      { sku: 'SKU-2', customs_state: 'written-off', qty: 3, doc_type: 'gate-release', doc_no: invtNo },
    ]);
    await bcBalanced();
    const traced = await query<{ object_id: string; units: number }>(
      t.databaseUrl,
      `select object_id, (detail->>'units')::int as units from trace_event
       where object_kind = 'book-line' and biz_step = 'departing' and documents->>'logisticsNo' = $1 order by 1`,
      [shipmentNo],
    );
    expect(traced).toEqual([
      { object_id: 'T5165W000001/1', units: 9 },
      { object_id: 'T5165W000001/2', units: 3 },
    ]);
    // the seller: bonded at BC01 fell by what left, the overseas warehouse has it inbound
    expect(await bondedAt()).toEqual({ 'SKU-1': 11 });
    expect(await buckets('SKU-1')).toEqual({ inbound: 9 });
    expect(await buckets('SKU-2')).toEqual({ inbound: 3 });
    await ledgerEqualsBuckets();
    await waitFor('the seller hears its stock at BC01 changed', () =>
      heardA.slice(heardBefore).some((c) => c.kind === 'stock' && c.warehouseCode === BC && c.skus?.includes('SKU-2')),
    );
    for (const status of ['in_transit', 'arrived'])
      expect((await t.api('POST', `/api/shipments/${shipmentNo}/status`, 'staff', { status })).status, status).toBe(
        200,
      );
    const wrong = await t.api('POST', `/api/shipments/${shipmentNo}/status`, 'staff', { status: 'in_transit' });
    expect(wrong.status).toBe(409);
  });

  let damageId = '';
  it('counts units per carton by scanning: carton arrival, damaged, over, and the seller hears each', async () => {
    const [c1, c2] = cartons;
    const carton = await scan(`00${c1.sscc}`);
    expect(carton.body).toMatchObject({ outcome: 'ok' });
    expect(carton.body.message).toContain('5 × SKU-1, 3 × SKU-2');
    expect((await scan('SKU-1', { qty: 5 })).body.detail.asnLine).toMatchObject({ lineNo: 1, received: 5 });
    expect((await scan('6901234000023', { qty: 2 })).body.detail.asnLine).toMatchObject({ lineNo: 2, received: 2 });
    await waitFor('the seller hears the received quantity', () =>
      heardA.some((c) => c.ref === shipmentNo && (c.detail?.line as { received?: number })?.received === 2),
    );
    expect(await buckets('SKU-2')).toEqual({ inbound: 1, receiving: 2 });
    await ledgerEqualsBuckets();
    // carton 2: one damaged (DAMAGED command first), then four good of four expected -> one over
    expect((await scan(`00${c2.sscc}`)).body.outcome).toBe('ok');
    expect((await scan('DAMAGED')).body.detail).toEqual({ damagedNext: true });
    const damaged = await scan('SKU-1');
    expect(damaged.body.detail).toMatchObject({ condition: 'damaged', asnLine: { lineNo: 3, damaged: 1 } });
    damageId = damaged.body.detail.damageId;
    const over = await scan('SKU-1', { qty: 4 });
    expect(over.body.detail.asnLine).toMatchObject({ lineNo: 3, received: 3, over: 1, damaged: 1 });
    expect(await buckets('SKU-1')).toEqual({ receiving: 9, unfulfillable: 1 });
    await ledgerEqualsBuckets();
    // a refused scan (another seller's goods code) changes nothing
    expect((await scan('6909876000011')).body.outcome).toBe('refused');
    expect(await buckets('SKU-1')).toEqual({ receiving: 9, unfulfillable: 1 });
    const d = await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${shipmentNo}`, 'a');
    expect(d.body.status).toBe('receiving');
    expect(d.body.cartonsDetail.every((c) => c.arrivedAt && c.arrivedAtLocal?.endsWith('Europe/Berlin'))).toBe(true);
    expect(heardB.filter((c) => c.ref === shipmentNo)).toEqual([]);
  });

  it('stores a photo of the damage (JPEG or PNG, size-limited) that only the seller gets back', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    const upload = (bytes: Buffer, type: string) => {
      const form = new FormData();
      form.append('photo', new Blob([new Uint8Array(bytes)], { type }), 'damage.jpg');
      return fetch(`${t.server.url}/api/shipments/${shipmentNo}/damages/${damageId}/photo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staffToken}` },
        body: form,
      });
    };
    const staffToken = await t.signIn('staff', ['staff']);
    expect((await upload(Buffer.from('GIF89a...'), 'image/gif')).status).toBe(415);
    expect((await upload(Buffer.from('not a picture'), 'image/jpeg')).status).toBe(400);
    expect((await upload(Buffer.alloc(6 * 1024 * 1024, 0xff), 'image/jpeg')).status).toBe(413);
    const ok = await upload(jpeg, 'image/jpeg');
    expect(ok.status).toBe(201);
    const got = await fetch(`${t.server.url}/api/seller/shipments/${shipmentNo}/damages/${damageId}/photo`, {
      headers: { authorization: `Bearer ${tokenA}` },
    });
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await got.arrayBuffer()).equals(jpeg)).toBe(true);
    expect((await t.api('GET', `/api/seller/shipments/${shipmentNo}/damages/${damageId}/photo`, 'b')).status).toBe(404);
    const d = await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${shipmentNo}`, 'a');
    expect(d.body.damages).toEqual([expect.objectContaining({ id: damageId, sku: 'SKU-1', qty: 1, hasPhoto: true })]);
  });

  it('closes the receipt: the shortfall leaves inbound, the seller sees each line’s result', async () => {
    const closed = await t.api<ShipmentDetail>('POST', `/api/shipments/${shipmentNo}/status`, 'staff', {
      status: 'received',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('received');
    expect(await buckets('SKU-2')).toEqual({ receiving: 2 });
    expect(await buckets('SKU-1')).toEqual({ receiving: 9, unfulfillable: 1 });
    await ledgerEqualsBuckets();
    const d = await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${shipmentNo}`, 'a');
    expect(
      d.body.lines.map(({ lineNo, expected, received, short, over, damaged }) => ({
        lineNo,
        expected,
        received,
        short,
        over,
        damaged,
      })),
    ).toEqual([
      { lineNo: 1, expected: 5, received: 5, short: 0, over: 0, damaged: 0 },
      { lineNo: 2, expected: 3, received: 2, short: 1, over: 0, damaged: 0 },
      { lineNo: 3, expected: 4, received: 3, short: 0, over: 1, damaged: 1 },
    ]);
    expect(d.body.history.map((h) => h.status)).toEqual([
      'booked',
      'departed',
      'in_transit',
      'arrived',
      'receiving',
      'received',
    ]);
    const ledger = await query<{ event: string; qty: number }>(
      t.databaseUrl,
      `select event, sum(qty)::int as qty from seller_stock_movement where doc_no = $1 group by event order by event`,
      [shipmentNo],
    );
    expect(ledger).toEqual([
      { event: 'receipt.counted', qty: 10 },
      { event: 'receipt.damaged', qty: 1 },
      { event: 'receipt.over', qty: 1 },
      { event: 'receipt.short', qty: 1 },
      { event: 'shipment.booked', qty: 12 },
    ]);
    // the damaged unit waits in quarantine, the rest at the dock; no bonded book, no entry list
    const shelf = await query<{ location: string; qty: number }>(
      t.databaseUrl,
      `select location, sum(qty)::int as qty from stock_movement where ledger = 'shelf' and warehouse_code = $1
       group by location order by location`,
      [OW],
    );
    expect(shelf).toEqual([
      { location: 'OW-DOCK-IN', qty: 11 },
      { location: 'OW-QT-01', qty: 1 },
    ]);
    expect(
      await query(t.databaseUrl, `select 1 from stock_movement where ledger = 'book' and warehouse_code = $1`, [OW]),
    ).toEqual([]);
  });

  it('puts away at the overseas warehouse: available as a lot that arrived with the shipment', async () => {
    const put = (code: string, qty?: number) =>
      t.api('POST', '/api/floor/scans', 'staff', {
        scanId: randomUUID(),
        operation: 'putaway',
        warehouseCode: OW,
        stationId: 'OW-HH1',
        code,
        ...(qty ? { qty } : {}),
      });
    expect((await put('SKU-1', 9)).body.outcome).toBe('ok');
    const done = await put('OW-A-01');
    expect(done.body).toMatchObject({ outcome: 'ok', detail: { sellerAvailable: 9 } });
    expect(await buckets('SKU-1')).toEqual({ available: 9, unfulfillable: 1 });
    const [lot] = await query<{ lot_no: string; expiry: string | null; arrived: boolean }>(
      t.databaseUrl,
      `select lot_no, expiry::text as expiry, arrived_at <= now() as arrived from stock_lot
       where owner_code = 'OWN-A' and warehouse_code = $1 and sku = 'SKU-1'`,
      [OW],
    );
    expect(lot).toEqual({ lot_no: shipmentNo, expiry: '2028-01-31', arrived: true });
    await ledgerEqualsBuckets();
    const closed = await t.api('POST', `/api/shipments/${shipmentNo}/status`, 'staff', { status: 'closed' });
    expect(closed.status).toBe(200);
    expect(heardB).toEqual([]);
  });
});

describe('what leaves the origin when a shipment departs', () => {
  /** Declares a booked ASN and waits for customs to release it. */
  async function declareAndRelease(no: string) {
    const declared = await t.api('POST', `/api/shipments/${no}/declare`, 'super', { trafMode: '2', pod: 'DEHAM' });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    await authority.settle();
    await waitFor(`customs releases ${no}`, async () => {
      await t.api('POST', '/api/customs/inbox/process', 'super');
      return (await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${no}`, 'a')).body.customs?.released === true;
    });
  }

  it('refuses the departure, moving nothing, when BC01’s shelves no longer hold the units', async () => {
    const no = await bookOther([{ sku: 'SKU-1', qty: 2 }]);
    await declareAndRelease(no);
    // all of SKU-1 was taken to quarantine meanwhile (still on the book and in the centre)
    await query(
      t.databaseUrl,
      `insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no)
       values ('shelf', 'BC01', 'T5165W000001', 1, 'OWN-A', 'SKU-1', 'B1', 'BC-A-01', 'bonded', -3, 'putaway', 'MOVE-Q'),
              ('shelf', 'BC01', 'T5165W000001', 1, 'OWN-A', 'SKU-1', 'B1', 'BC-Q-01', 'bonded', 3, 'putaway', 'MOVE-Q'),
              ('shelf', 'BC01', 'T5165W000001', 1, 'OWN-A', 'SKU-1', 'B2', 'BC-A-02', 'bonded', -8, 'putaway', 'MOVE-Q'),
              ('shelf', 'BC01', 'T5165W000001', 1, 'OWN-A', 'SKU-1', 'B2', 'BC-Q-01', 'bonded', 8, 'putaway', 'MOVE-Q')`,
    );
    const before = await bcShelf();
    const refused = await t.api('POST', `/api/shipments/${no}/status`, 'staff', { status: 'departed' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('SKU-1: the shelves of BC01 hold 0 of the 2 shipped');
    expect(await bcShelf()).toEqual(before);
    expect(await query(t.databaseUrl, `select 1 from stock_movement where logistics_no = $1`, [no])).toEqual([]);
    expect((await t.api<ShipmentDetail>('GET', `/api/seller/shipments/${no}`, 'a')).body.status).toBe('booked');
    expect(await bondedAt()).toEqual({ 'SKU-1': 11 });
    await bcBalanced();
  });

  it('from a consolidation warehouse: the units leave its shelves, no book is touched', async () => {
    const no = await bookOther([{ sku: 'SKU-2', qty: 3 }], 'CW01');
    await declareAndRelease(no);
    const [list] = await query<{ ems_no: string | null }>(
      t.databaseUrl,
      'select ems_no from inventory_list where order_no = $1',
      [no],
    );
    expect(list.ems_no).toBeNull();
    const departed = await t.api('POST', `/api/shipments/${no}/status`, 'staff', { status: 'departed' });
    expect(departed.status, JSON.stringify(departed.body)).toBe(200);
    const moved = await query<{ ledger: string; location: string; qty: number; doc_type: string }>(
      t.databaseUrl,
      `select ledger, location, sum(qty)::int as qty, doc_type from stock_movement where logistics_no = $1
       group by 1, 2, 4`,
      [no],
    );
    expect(moved).toEqual([{ ledger: 'shelf', location: 'CW-A-01', qty: -3, doc_type: 'gate-release' }]);
    const [left] = await query<{ qty: number }>(
      t.databaseUrl,
      `select sum(qty)::int as qty from stock_movement where warehouse_code = 'CW01' and sku = 'SKU-2'`,
    );
    expect(left.qty).toBe(2);
    await ledgerEqualsBuckets();
  });
});

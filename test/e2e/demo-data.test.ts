import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidGtin } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_DELIVERY,
  DEMO_GOODS,
  DEMO_PARCELS,
  DEMO_SELLER_TWO_GOODS,
  demoGoodsCode,
  kgText,
} from '../../server/src/dev/demo-data.js';
import { RISK_DEMO_GOODS } from '../../server/src/dev/risk-demo.js';
import { type DevStackSummary, loginAs, startDevStack } from '../support/dev-stack.js';
import { type Proc, runNode } from '../support/processes.js';
import { query, waitFor } from '../support/services.js';

/** The demo seller's goods: the floor demo's and the risk demo's, in SKU order. */
const DEMO_SELLER_SKUS = [...DEMO_GOODS.map((g) => g.sku), ...RISK_DEMO_GOODS.map((g) => g.sku)].sort();
/**
 * The demo of `npm start` as a new user meets it (issue 11 "a demo that works"): the goods carry
 * valid GTINs, each waybill declares what its units weigh, the centre has its dock and places, the
 * customs simulator sends the named parcels to inspection, and the README's five-minute walk
 * (receive, put away, pick, pack and weigh at ST01 with the simulator's CLI) goes through.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'wms-demo-'));
chmodSync(dataDir, 0o755);
let stack: Proc | undefined;
let s: DevStackSummary;
let staff = '';
let supervisor = '';

beforeAll(async () => {
  const started = await startDevStack(dataDir);
  stack = started.proc;
  s = started.summary;
  staff = await loginAs(s, 'staff');
  supervisor = await loginAs(s, 'supervisor');
});

afterAll(async () => {
  await stack?.stop('SIGINT');
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, s.uiUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A scan as the station screen or a handheld sends it, with the code the README prints. */
const scan = async (operation: string, code: string, extra: Record<string, unknown> = {}) =>
  (
    await api(staff, 'POST', '/api/floor/scans', {
      scanId: randomUUID(),
      operation,
      warehouseCode: 'BC01',
      stationId: 'ST01',
      code,
      ...extra,
    })
  ).body;

/** The simulator's CLI exactly as the README shows it. */
async function sim(...args: string[]) {
  const cli = runNode('hardware-sim/dist/cli.js', [...args, '--url', s.simControlUrl], process.env);
  expect(await cli.exited, cli.output()).toBe(0);
  return cli.output();
}

describe('the demo of npm start', () => {
  it('seeds goods with valid GTINs, waybills that declare their units, and a centre with a dock', async () => {
    const goods = await query<{ sku: string; gtin: string; gross_grams: number }>(
      s.databaseUrl,
      `select sku, gtin, gross_grams from goods where owner_code = 'SELLER-DEMO' order by sku`,
    );
    expect(goods.map((g) => g.sku)).toEqual(DEMO_SELLER_SKUS);
    // every good the floor scans carries a valid GTIN (the risk demo's are declared, never scanned)
    for (const g of goods.filter((g) => DEMO_GOODS.some((d) => d.sku === g.sku)))
      expect(isValidGtin(g.gtin), `${g.sku} ${g.gtin}`).toBe(true);

    const lists = await query<{ logistics_no: string; gross: string; lines: Array<{ sku: string; units: number }> }>(
      s.databaseUrl,
      `select logistics_no, head->>'grossWeight' as gross, lines from inventory_list where logistics_no like 'DEMOYT%'`,
    );
    expect(lists).toHaveLength(DEMO_PARCELS.length);
    for (const list of lists) {
      const units = list.lines.reduce((n, l) => n + l.units, 0);
      const unitGrams = goods.find((g) => g.sku === list.lines[0].sku)!.gross_grams;
      const declared = Math.round(Number(list.gross) * 1000);
      // within the floor's default tolerance (50 g, 5 %) of what the units weigh
      expect(Math.abs(declared - units * unitGrams), list.logistics_no).toBeLessThanOrEqual(
        Math.max(50, Math.round(declared * 0.05)),
      );
    }

    const places = await query<{ code: string; kind: string; purpose: string }>(
      s.databaseUrl,
      `select l.code, z.kind, l.purpose from location l join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
       where l.warehouse_code = 'BC01'`,
    );
    expect(places).toContainEqual({ code: DEMO_DELIVERY.dockLocation, kind: 'bonded', purpose: 'dock' });
    for (const [kind, purpose] of [
      ['bonded', 'storage'],
      ['bonded', 'pack'],
      ['bonded', 'staging'],
      ['inspection', 'storage'],
      ['quarantine', 'storage'],
      ['returns', 'storage'],
    ])
      expect(
        places.some((p) => p.kind === kind && p.purpose === purpose),
        `${kind}/${purpose}`,
      ).toBe(true);
  });

  it('seeds two sellers with their users and goods, each seeing only its own (issue 12)', async () => {
    expect(s.logins.map((l) => l.username)).toEqual(expect.arrayContaining(['seller', 'seller-admin', 'seller2']));
    const one = await loginAs(s, 'seller');
    const two = await loginAs(s, 'seller2');
    const me = await api(one, 'GET', '/api/seller/me');
    expect(me.body).toMatchObject({
      sellerCode: 'SELLER-DEMO',
      owners: [{ code: 'SELLER-DEMO' }],
      warehouses: [{ code: 'BC01' }, { code: 'OW-DE1' }],
    });
    const goodsOne = await api(one, 'GET', '/api/seller/goods');
    expect(goodsOne.body.items.map((g: { sku: string }) => g.sku)).toEqual(DEMO_SELLER_SKUS);
    const goodsTwo = await api(two, 'GET', '/api/seller/goods');
    expect(goodsTwo.body.items.map((g: { sku: string }) => g.sku)).toEqual(DEMO_SELLER_TWO_GOODS.map((g) => g.sku));
    // the first seller's bonded stock in the centre, per warehouse; none of it is the second's
    const stockOne = await api(one, 'GET', '/api/seller/stock?warehouseCode=BC01');
    expect(stockOne.body.items.length).toBeGreaterThan(0);
    expect((await api(two, 'GET', '/api/seller/stock')).body.items).toEqual([]);
    expect((await api(two, 'GET', `/api/seller/goods/${DEMO_GOODS[0].sku}`)).status).toBe(404);
    // and neither gets the centre's floor or master data
    expect((await api(one, 'GET', '/api/master-data/goods')).status).toBe(403);
    expect((await api(two, 'GET', '/api/stations')).status).toBe(403);
    // the seller's admin keeps its API keys
    const admin = await loginAs(s, 'seller-admin');
    const key = await api(admin, 'POST', '/api/seller/api-keys', { name: 'demo ERP', scopes: ['read'] });
    expect(key.status).toBe(201);
    const viaKey = await fetch(new URL('/api/seller/me', s.uiUrl), { headers: { 'x-api-key': key.body.key } });
    expect(((await viaKey.json()) as { sellerCode: string }).sellerCode).toBe('SELLER-DEMO');
  });

  it('shows SELLER-DEMO one ASN in transit and one being received at OW-DE1 (issue 12)', async () => {
    const one = await loginAs(s, 'seller');
    type Row = { shipmentNo: string; status: string; warehouseCode: string; received: number; expected: number };
    const seen = await waitFor(
      'the demo ASNs released, one in transit, one being received',
      async () => {
        const list = await api(one, 'GET', '/api/seller/shipments');
        const by = Object.fromEntries((list.body.items as Row[]).map((r) => [r.shipmentNo, r]));
        return by['ASN-DEMO-0001']?.status === 'in_transit' && by['ASN-DEMO-0002']?.received === 10 ? by : undefined;
      },
      60_000,
      500,
    );
    expect(seen['ASN-DEMO-0001']).toMatchObject({ warehouseCode: 'OW-DE1', received: 0, expected: 54 });
    expect(seen['ASN-DEMO-0002']).toMatchObject({ warehouseCode: 'OW-DE1', status: 'receiving', expected: 18 });
    const detail = await api(one, 'GET', '/api/seller/shipments/ASN-DEMO-0002');
    expect(detail.body.customs).toMatchObject({ tradeMode: '9810', released: true });
    expect(detail.body.cartonsDetail[0].arrivedAtLocal).toMatch(/Europe\/Berlin$/);
    const two = await loginAs(s, 'seller2');
    expect((await api(two, 'GET', '/api/seller/shipments/ASN-DEMO-0001')).status).toBe(404);
    // the goods left BC01 when the ASNs departed: off the shelf and the book of DEMO-SKU1's line
    const line = await api(supervisor, 'GET', '/api/customs/history/book-lines/T5165W000001/1');
    const left = (
      line.body.movements as Array<{ ledger: string; customsState: string; qty: number; logisticsNo: string }>
    )
      .filter((m) => m.logisticsNo === 'ASN-DEMO-0001')
      .map((m) => [m.ledger, m.customsState, Number(m.qty)])
      .sort();
    expect(left).toEqual([
      ['book', 'bonded', -24],
      ['book', 'written-off', 24],
      ['shelf', 'bonded', -24],
    ]);
  });

  it('shows SELLER-DEMO its orders at OW-DE1 in several states, shipped by scans at the overseas station', async () => {
    const seller = await loginAs(s, 'seller');
    const page = await api(seller, 'GET', '/api/seller/orders?warehouseCode=OW-DE1&limit=50');
    const states = Object.fromEntries(
      (page.body.items as Array<{ orderNo: string; status: string }>).map((o) => [o.orderNo, o.status]),
    );
    expect(states).toMatchObject({
      'DEMO-ORD-1001': 'shipped',
      'DEMO-ORD-1002': 'packed',
      'DEMO-ORD-1003': 'picking',
      'DEMO-ORD-1004': 'cancelled',
      'DEMO-ORD-1005': 'reserved',
    });
    const shipped = await api(seller, 'GET', '/api/seller/orders/DEMO-ORD-1001');
    expect(shipped.body).toMatchObject({
      trackingNo: 'JJD000390007001001',
      lines: [{ sku: 'DEMO-SKU1', qty: 2, picked: 2 }],
    });
    // the other seller sees none of them
    const two = await loginAs(s, 'seller2');
    expect((await api(two, 'GET', '/api/seller/orders/DEMO-ORD-1001')).status).toBe(404);
  });

  it('has customs inspect DEMOYT00000003 and 08 and reject 10, and an officer can end an inspection', async () => {
    const customs = await loginAs(s, 'customs');
    const statuses = await waitFor(
      'the customs simulator to decide the demo lists',
      async () => {
        const { items } = (await api(customs, 'GET', '/api/customs/parcels?filter=all')).body as {
          items: Array<{ logisticsNo: string; customsStatus: number | null }>;
        };
        // the demo parcels (the demo's ASNs to OW-DE1 are export lists of their own)
        const parcels = items.filter((i) => DEMO_PARCELS.some((p) => p.logisticsNo === i.logisticsNo));
        const decided = Object.fromEntries(parcels.map((i) => [i.logisticsNo, i.customsStatus]));
        return parcels.length === 12 && parcels.every((i) => i.customsStatus !== null && i.customsStatus !== 120)
          ? decided
          : null;
      },
      60_000,
      500,
    );
    for (const p of DEMO_PARCELS)
      expect(statuses[p.logisticsNo], p.logisticsNo).toBe(
        p.customs === 'inspect' ? 500 : p.customs === 'reject' ? 100 : 800,
      );
    const inspection = (await api(customs, 'GET', '/api/customs/parcels?filter=inspection')).body.items;
    expect(inspection.map((i: { logisticsNo: string }) => i.logisticsNo).sort()).toEqual([
      'DEMOYT00000003',
      'DEMOYT00000008',
    ]);
    expect(await scan('inspection', 'DEMOYT00000008')).toMatchObject({ outcome: 'ok' });
    expect(await sim('customs-conclude', 'DEMOYT00000008', 'release')).toContain('"status":800');
    await waitFor(
      'the release after inspection',
      async () => (await api(customs, 'GET', '/api/customs/parcels/DEMOYT00000008')).body.customsStatus === 800 || null,
      20_000,
      250,
    );
  });

  it('walks the README at station ST01 with no screen open: receive, put away, pick, pack · weigh · label', async () => {
    const [cream, serum] = DEMO_GOODS;
    type Said = {
      eventId: string;
      kind: string;
      code: string | null;
      outcome: string;
      message: string;
      detail?: Record<string, unknown>;
    };
    const station = async () =>
      (await api(staff, 'GET', '/api/floor/stations/ST01')).body as {
        job: string | null;
        deliveryNo: string | null;
        lastAnswers: Said[];
      };
    const job = async (kind: string, extra: Record<string, unknown> = {}) =>
      expect(
        (await api(supervisor, 'PUT', '/api/floor/stations/ST01/mode', { warehouseCode: 'BC01', job: kind, ...extra }))
          .status,
      ).toBe(200);
    /** As the README does it: bytes from ST01's scanner or scale (the simulator's CLI), the server's answer at the station. */
    const atStation = async (kind: 'scan' | 'weight', ...args: string[]) => {
      const seen = new Set((await station()).lastAnswers.map((a) => a.eventId));
      await sim(kind === 'scan' ? 'scan' : 'weigh', 'ST01', ...args);
      return waitFor(
        `ST01's answer to ${kind} ${args[0]}`,
        async () => (await station()).lastAnswers.find((a) => a.kind === kind && !seen.has(a.eventId)),
        20_000,
        100,
      );
    };

    // the demo starts ST01 on the delivery's receive job
    expect(await station()).toMatchObject({ job: 'receive', deliveryNo: DEMO_DELIVERY.deliveryNo });
    for (const g of DEMO_GOODS)
      expect(
        await atStation('scan', demoGoodsCode(g, 'delivery', DEMO_DELIVERY.cartonUnits), '--aim', ']C1'),
      ).toMatchObject({
        outcome: 'ok',
        message: `${g.sku}: 12 of 12`,
      });
    const counted = await query<{ sku: string; batch: string; expiry: Date }>(
      s.databaseUrl,
      `select c.sku, c.batch, c.expiry from inbound_count c join inbound_delivery d on d.id = c.delivery_id
       where d.delivery_no = $1 order by c.sku`,
      [DEMO_DELIVERY.deliveryNo],
    );
    expect(counted.map((c) => [c.sku, c.batch])).toEqual(DEMO_GOODS.map((g) => [g.sku, g.deliveryBatch]));
    expect(counted.every((c) => c.expiry !== null)).toBe(true);
    const closed = await api(supervisor, 'POST', `/api/floor/deliveries/${DEMO_DELIVERY.deliveryNo}/close`);
    expect(closed.body).toMatchObject({ status: 'closed' });

    await job('putaway');
    expect(await atStation('scan', demoGoodsCode(cream, 'delivery', 12), '--aim', ']C1')).toMatchObject({
      outcome: 'ok',
      detail: { suggestion: cream.shelf },
    });
    expect(await atStation('scan', cream.shelf)).toMatchObject({
      outcome: 'ok',
      message: `12 × ${cream.sku} put in A-01-01`,
    });

    await job('pick');
    const wave = await api(supervisor, 'POST', '/api/floor/waves', { warehouseCode: 'BC01', maxParcels: 2 });
    expect(wave.body).toMatchObject({ parcels: 2 });
    const tasks = (await api(staff, 'GET', `/api/floor/waves/${wave.body.waveNo}`)).body.tasks;
    expect(
      tasks.map((t: { logisticsNo: string; location: string; qty: number }) => [t.logisticsNo, t.location, t.qty]),
    ).toEqual([
      ['DEMOYT00000001', cream.shelf, 1],
      ['DEMOYT00000002', serum.shelf, 2],
    ]);
    expect(await atStation('scan', cream.shelf)).toMatchObject({ outcome: 'ok' });
    expect(await atStation('scan', demoGoodsCode(cream, 'stock'), '--aim', ']C1')).toMatchObject({ outcome: 'ok' });
    expect(await atStation('scan', serum.shelf)).toMatchObject({ outcome: 'ok' });
    expect(await atStation('scan', serum.gtin)).toMatchObject({ outcome: 'ok' });
    expect(await atStation('scan', serum.gtin)).toMatchObject({
      outcome: 'ok',
      message: expect.stringContaining('into parcel DEMOYT00000002'),
    });

    // pack · weigh · label, all on the server: the right weight passes and prints, a wrong one is held
    await job('pack');
    const first = DEMO_PARCELS[0];
    expect(kgText(first.declaredGrams)).toBe('0.330');
    expect(await atStation('scan', first.logisticsNo)).toMatchObject({ outcome: 'ok' });
    expect(await atStation('weight', String(first.declaredGrams))).toMatchObject({ outcome: 'ok' });
    await waitFor('the label of the first parcel at ST01', async () => {
      const printed = await query<{ status: string }>(
        s.databaseUrl,
        `select p.status from label_print p join parcel_label l on l.list_id = p.list_id where l.logistics_no = $1`,
        [first.logisticsNo],
      );
      return printed.some((p) => p.status === 'done');
    });
    await sim('unweigh', 'ST01');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await atStation('scan', 'DEMOYT00000002')).toMatchObject({ outcome: 'ok' });
    expect(await atStation('weight', '480')).toMatchObject({ outcome: 'held' });
    await sim('unweigh', 'ST01');
    // what the customs officer sees of it, as the README says
    const customs = await loginAs(s, 'customs');
    const held = (await api(customs, 'GET', '/api/customs/parcels?filter=held')).body.items;
    expect(held.map((i: { logisticsNo: string }) => i.logisticsNo)).toContain('DEMOYT00000002');
    const rejected = (await api(customs, 'GET', '/api/customs/parcels?filter=rejected')).body.items;
    expect(rejected.map((i: { logisticsNo: string }) => i.logisticsNo)).toEqual(['DEMOYT00000010']);
  });
});

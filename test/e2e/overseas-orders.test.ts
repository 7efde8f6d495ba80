import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gs1CheckDigit, type StationAnswer } from '@wms/contracts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EdgeAgent } from '../../edge-agent/src/agent.js';
import { agentConfigSchema } from '../../edge-agent/src/config/agent-config.js';
import { decodeLabel } from '../../hardware-sim/src/devices/zpl-barcodes.js';
import { type Simulator, startSimulator } from '../../hardware-sim/src/simulator.js';
import { provision } from '../../server/src/modules/devices/provisioning.js';
import { createOrm } from '../../server/src/platform/database/orm.js';
import { isolatedEnv, type Proc, runNode } from '../support/processes.js';
import { createTestDatabase, freePort, query, waitFor } from '../support/services.js';
import { connectLive } from '../support/test-server.js';

/**
 * A seller's orders at the overseas warehouse on the real stack (issue 12, "Outbound orders from
 * the seller"): the server in its own process, the real broker, an edge agent and the simulator's
 * scanner on a pty at the overseas station. Stock is available at OW-DE1 in the seller's ledger
 * and on the bins; the seller orders by API and by XLSX upload; a worker picks (order, bin, goods),
 * packs (order, carrier label) and hands over (carrier label) by scanning bytes at the station,
 * with no customs document anywhere; the seller sees the statuses, the tracking number, its
 * buckets and its ledger, and the ledger's sums equal the balances throughout.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-ow-orders-'));
chmodSync(dir, 0o755);
const WH = 'OW-DE1';
const OWNER = 'OWNOW00001';
const ST = `OW-${suffix}`;
const AGENT = `agent-ow-${suffix}`;
const gtin = (n: number) => {
  const body = `690000077${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};

let databaseUrl: string;
let port: number;
let server: Proc | undefined;
let sim: Simulator;
let agent: EdgeAgent;
const tokens: Record<string, string> = {};
const answers: StationAnswer[] = [];
let socket: Awaited<ReturnType<typeof connectLive>> | undefined;
let sellerSocket: Awaited<ReturnType<typeof connectLive>> | undefined;
const sellerHeard: Array<{ kind: string; ref: string }> = [];
const url = () => `http://127.0.0.1:${port}`;

// biome-ignore lint/suspicious/noExplicitAny: answers of many routes, read field by field as the test needs
async function api(as: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function login(as: string, username: string, password: string) {
  const res = await fetch(`${url()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  tokens[as] = ((await res.json()) as { accessToken: string }).accessToken;
}

/** Bytes on the station scanner's pty; resolves with the server's answer to that code. */
async function scanAt(code: string) {
  const before = answers.length;
  await sim.scanners.get(ST)!.scan(code);
  return waitFor(
    `the station's answer to ${code}`,
    () => answers.find((a) => answers.indexOf(a) >= before && a.kind === 'scan' && a.code === code),
    30_000,
    20,
  );
}

async function job(name: 'pick' | 'pack' | 'gate') {
  const set = await api('lead', 'PUT', `/api/floor/stations/${ST}/mode`, { job: name, warehouseCode: WH });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
}

const ledgerDisagreements = () =>
  query(
    databaseUrl,
    `with m as (select owner_code, warehouse_code, sku, lot_no, bucket, sum(qty) as qty from (
         select owner_code, warehouse_code, sku, lot_no, to_bucket as bucket, qty from seller_stock_movement where to_bucket is not null
         union all
         select owner_code, warehouse_code, sku, lot_no, from_bucket, -qty from seller_stock_movement where from_bucket is not null) x
       group by 1, 2, 3, 4, 5)
     select * from m full join seller_stock_balance b using (owner_code, warehouse_code, sku, lot_no, bucket)
      where coalesce(m.qty, 0) <> coalesce(b.qty, 0)`,
  );

const buckets = async (sku: string) =>
  Object.fromEntries(
    (
      await query<{ bucket: string; qty: string }>(
        databaseUrl,
        `select bucket, sum(qty)::text as qty from seller_stock_balance where owner_code = $1 and warehouse_code = $2 and sku = $3
          group by bucket having sum(qty) <> 0`,
        [OWNER, WH, sku],
      )
    ).map((r) => [r.bucket, Number(r.qty)]),
  );

const ship = { name: 'Anna Schmidt', line1: 'Hauptstr. 5', city: 'Berlin', postcode: '10115', country: 'DE' };

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('pgAdminUrl'), 'wms_ow_orders');
  port = await freePort();
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  await orm.migrator.up();
  await provision(orm, {
    users: [
      { username: `lead-${suffix}`, displayName: 'Lead', roles: ['supervisor', 'staff'], password: 'lead-password' },
    ],
    stations: [{ stationId: ST, name: 'Overseas bench' }],
    agents: [
      {
        agentId: AGENT,
        name: 'overseas agent',
        secret: 'ow-agent-secret-01',
        devices: [
          { deviceId: `${ST}-SCN`, stationId: ST, kind: 'scanner', name: 'scanner' },
          { deviceId: `${ST}-PRN`, stationId: ST, kind: 'printer', name: 'printer' },
        ],
      },
    ],
  });
  const proc = runNode(
    'server/dist/main.js',
    [],
    isolatedEnv({
      DATABASE_URL: databaseUrl,
      MQTT_URL: inject('mqttUrl'),
      MQTT_PROTOCOL_VERSION: String(inject('mqttProtocolVersion')),
      MQTT_SHARE_GROUP: `ow-${suffix}`,
      INSTANCE_ID: `ow-${suffix}`,
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      JWT_SECRET: 'overseas-orders-secret-0123456789abc',
      LOG_FORMAT: 'json',
      CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
      CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
    }),
  );
  server = proc;
  await waitFor(
    'the server to listen',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
      return proc.output().includes('server listening');
    },
    120_000,
    50,
  ).catch((error) => {
    throw new Error(`${error}\n${proc.output().slice(-3000)}`);
  });
  await login('lead', `lead-${suffix}`, 'lead-password');

  // the overseas warehouse, the seller's goods, the seller and its user
  const md = await api('lead', 'POST', '/api/master-data', {
    enterprises: [{ code: OWNER, name: 'Overseas Seller Ltd', roles: ['ebc', 'owner'] }],
    warehouses: [
      {
        code: WH,
        name: 'Overseas DE1',
        kind: 'overseas',
        country: 'DE',
        timeZone: 'Europe/Berlin',
        zones: [
          { code: 'OW', kind: 'non-bonded', locations: [{ code: 'OW-DOCK', purpose: 'dock' }, 'OW-A-01', 'OW-A-02'] },
        ],
      },
    ],
    goods: [1, 2].map((n) => ({
      ownerCode: OWNER,
      sku: `OWS${n}`,
      gtin: gtin(n),
      gcode: '3304990010',
      name: `Cream ${n}`,
      unit: '011',
      declaredPrice: '9.00',
      country: '142',
      grossGrams: 200,
    })),
  });
  expect(md.status, JSON.stringify(md.body)).toBe(201);
  await provision(orm, {
    sellers: [{ sellerCode: 'SELLER-OW', name: 'Overseas Seller', ownerCodes: [OWNER], warehouseCodes: [WH] }],
    users: [
      {
        username: `seller-${suffix}`,
        displayName: 'Seller',
        roles: ['seller'],
        sellerCode: 'SELLER-OW',
        password: 'seller-password',
      },
    ],
    stations: [],
    agents: [],
  });
  await orm.close();
  await login('seller', `seller-${suffix}`, 'seller-password');
  // stock that arrived and was put away: a lot per SKU in the seller's ledger, the units on their bins
  await query(
    databaseUrl,
    `insert into stock_lot (owner_code, warehouse_code, sku, lot_no, arrived_at) values
       ($1, $2, 'OWS1', 'LOT-1', now() - interval '10 days'), ($1, $2, 'OWS2', 'LOT-2', now() - interval '5 days');
     insert into seller_stock_movement (owner_code, warehouse_code, sku, lot_no, from_bucket, to_bucket, qty, event, doc_type, doc_no, actor)
     values ($1, $2, 'OWS1', 'LOT-1', null, 'available', 20, 'stocktake.adjusted', 'opening', 'OPEN-1', 'test'),
            ($1, $2, 'OWS2', 'LOT-2', null, 'available', 10, 'stocktake.adjusted', 'opening', 'OPEN-1', 'test');
     insert into stock_movement (ledger, warehouse_code, owner_code, sku, batch, location, customs_state, qty, doc_type, doc_no)
     values ('shelf', $2, $1, 'OWS1', 'LOT-1', 'OW-A-01', 'non-bonded', 20, 'putaway', 'OPEN-1'),
            ('shelf', $2, $1, 'OWS2', 'LOT-2', 'OW-A-02', 'non-bonded', 10, 'putaway', 'OPEN-1')`
      .replace(/\$1/g, `'${OWNER}'`)
      .replace(/\$2/g, `'${WH}'`),
  );

  socket = await connectLive(url(), tokens.lead);
  socket.on('station.answered', (answer: StationAnswer) => answers.push(answer));
  expect(await socket.emitWithAck('station.watch', { stationId: ST })).toMatchObject({ ok: true });
  sellerSocket = await connectLive(url(), tokens.seller);
  sellerSocket.on('seller.changed', (change: { kind: string; ref: string }) => sellerHeard.push(change));

  sim = await startSimulator({
    controlPort: 0,
    stations: [
      {
        stationId: ST,
        devices: [
          { kind: 'scanner', deviceId: `${ST}-SCN` },
          { kind: 'printer', deviceId: `${ST}-PRN`, tcpPort: 0, tcpHost: '127.0.0.1' },
        ],
      },
    ],
  });
  agent = new EdgeAgent(
    agentConfigSchema.parse({
      agentId: AGENT,
      secret: 'ow-agent-secret-01',
      mqttUrl: inject('mqttUrl'),
      mqttProtocolVersion: inject('mqttProtocolVersion'),
      outboxPath: join(dir, 'agent-outbox.db'),
      ackTimeoutMs: 2000,
      reconnectMaxMs: 500,
      devices: [
        { kind: 'scanner', deviceId: `${ST}-SCN`, stationId: ST, serial: { path: sim.scanners.get(ST)!.agentPath } },
        {
          kind: 'printer',
          deviceId: `${ST}-PRN`,
          stationId: ST,
          serial: { path: `tcp://127.0.0.1:${sim.printers.get(ST)!.tcpPort}` },
        },
      ],
    }),
    () => undefined,
  );
  agent.start();
  await waitFor('the agent on the broker', () => agent.transport.connected, 20_000);
}, 180_000);

afterAll(async () => {
  socket?.close();
  sellerSocket?.close();
  await agent?.stop();
  await sim?.stop();
  await server?.stop();
});

describe('a seller’s orders at the overseas warehouse, on the real stack', () => {
  it('takes orders by API and by XLSX, reserving the stock at once', async () => {
    for (const n of [1, 2]) {
      const res = await api('seller', 'POST', '/api/seller/orders', {
        orderNo: `API-${n}`,
        warehouseCode: WH,
        shipTo: ship,
        carrier: 'DHL',
        lines: [{ sku: 'OWS1', qty: 2 }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('orders');
    sheet.addRow(['orderNo', 'warehouseCode', 'name', 'line1', 'city', 'postcode', 'country', 'carrier', 'sku', 'qty']);
    sheet.addRow(['XL-1', WH, 'Bob', 'Ring 1', 'Bonn', '53111', 'DE', 'DHL', 'OWS1', 1]);
    sheet.addRow(['XL-1', WH, 'Bob', 'Ring 1', 'Bonn', '53111', 'DE', 'DHL', 'OWS2', 3]);
    sheet.addRow(['XL-2', WH, 'Carl', 'Ring 2', 'Bonn', '53111', 'DE', 'DHL', 'OWS2', 99]);
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(await book.xlsx.writeBuffer())], {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
      'orders.xlsx',
    );
    const started = await fetch(`${url()}/api/seller/orders/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.seller}` },
      body: form,
    });
    expect(started.status).toBe(202);
    const { importId } = (await started.json()) as { importId: string };
    const done = await waitFor(
      'the import to finish',
      async () => {
        const res = await api('seller', 'GET', `/api/seller/orders/imports/${importId}`);
        return res.body.status === 'running' ? undefined : res.body;
      },
      30_000,
      100,
    );
    expect(done).toMatchObject({ status: 'done', total: 3, processed: 3, ordersCreated: 1, ordersRefused: 1 });
    expect(done.errors).toEqual([expect.objectContaining({ row: 4, column: 'qty', orderNo: 'XL-2' })]);
    expect(await buckets('OWS1')).toEqual({ available: 15, reserved: 5 });
    expect(await buckets('OWS2')).toEqual({ available: 7, reserved: 3 });
    expect(await ledgerDisagreements()).toEqual([]);
    await waitFor(
      'the seller to hear of the import',
      () => sellerHeard.find((c) => c.kind === 'import' && c.ref === importId),
      10_000,
    );
  });

  it('is picked, packed and handed over by scans at the overseas station, and the seller follows it', async () => {
    const order = (await api('seller', 'GET', '/api/seller/orders/XL-1')).body;
    expect(order.status).toBe('reserved');
    await job('pick');
    // goods before the order: refused with what to do
    expect(await scanAt(gtin(1))).toMatchObject({ outcome: 'refused', message: 'scan the order first' });
    const started = await scanAt(order.fulfilmentNo);
    expect(started).toMatchObject({ outcome: 'ok', detail: { orderNo: 'XL-1' } });
    expect((await api('seller', 'GET', '/api/seller/orders/XL-1')).body.status).toBe('picking');
    expect(await scanAt('OW-A-02')).toMatchObject({ outcome: 'ok' });
    // the bin holds OWS2, not OWS1
    expect(await scanAt(gtin(1))).toMatchObject({
      outcome: 'refused',
      message: expect.stringMatching(/OW-A-02 holds 0 × OWS1/),
    });
    for (let i = 0; i < 3; i++) expect(await scanAt(gtin(2))).toMatchObject({ outcome: 'ok', detail: { sku: 'OWS2' } });
    expect(await scanAt(gtin(2))).toMatchObject({ outcome: 'refused' });
    expect(await scanAt('OW-A-01')).toMatchObject({ outcome: 'ok' });
    const last = await scanAt(gtin(1));
    expect(last).toMatchObject({ outcome: 'ok', detail: { orderLeft: 0 }, next: 'order picked: take it to packing' });
    expect((await api('seller', 'GET', '/api/seller/orders/XL-1')).body.status).toBe('picked');

    await job('pack');
    expect(await scanAt(order.fulfilmentNo)).toMatchObject({ outcome: 'ok', next: "scan the carrier's label" });
    const packed = await scanAt('JJD0001234567');
    expect(packed).toMatchObject({ outcome: 'ok', detail: { logisticsNo: 'JJD0001234567' } });
    // the warehouse's parcel label (the centre's parcel label, reused) comes out of the station printer
    const printed = await waitFor('the parcel label', () => sim.printers.get(ST)!.emulator.labels()[0], 20_000, 50);
    const barcodes = decodeLabel(printed.zpl).barcodes.map((b) => b.data);
    expect(barcodes).toEqual(expect.arrayContaining([`00${packed.detail?.sscc}`, 'JJD0001234567']));
    // the cancellation comes too late
    const late = await api('seller', 'POST', '/api/seller/orders/XL-1/cancel');
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/picking started at .* Europe\/Berlin/);

    await job('gate');
    const shipped = await scanAt('JJD0001234567');
    expect(shipped, JSON.stringify(shipped)).toMatchObject({ outcome: 'ok', detail: { orderNo: 'XL-1' } });
    expect(await scanAt('JJD0001234567')).toMatchObject({
      outcome: 'refused',
      message: expect.stringMatching(/already shipped at/),
    });

    const seen = (await api('seller', 'GET', '/api/seller/orders/XL-1')).body;
    expect(seen).toMatchObject({
      status: 'shipped',
      trackingNo: 'JJD0001234567',
      lines: [{ picked: 1 }, { picked: 3 }],
    });
    expect(seen.shippedAt).not.toBeNull();
    expect(seen.history.map((h: { status: string }) => h.status)).toEqual([
      'reserved',
      'picking',
      'picked',
      'packed',
      'shipped',
    ]);
    expect(seen.history[4].atLocal).toMatch(/Europe\/Berlin/);
    // reserved left the seller's stock; the other orders still hold theirs; the shelves gave up the units
    expect(await buckets('OWS1')).toEqual({ available: 15, reserved: 4 });
    expect(await buckets('OWS2')).toEqual({ available: 7 });
    const shelf = await query<{ sku: string; qty: string }>(
      databaseUrl,
      `select sku, sum(qty)::text as qty from stock_movement where ledger = 'shelf' and warehouse_code = $1 group by sku order by sku`,
      [WH],
    );
    expect(shelf).toEqual([
      { sku: 'OWS1', qty: '19' },
      { sku: 'OWS2', qty: '7' },
    ]);
    const ledger = await api('seller', 'GET', `/api/seller/ledger?warehouseCode=${WH}&sku=OWS2`);
    expect(ledger.status, JSON.stringify(ledger.body)).toBe(200);
    expect(ledger.body.items.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(['order.reserved', 'order.shipped']),
    );
    expect(await ledgerDisagreements()).toEqual([]);
    await waitFor(
      'the seller to hear of the shipment',
      () => sellerHeard.filter((c) => c.kind === 'order' && c.ref === 'XL-1').length >= 4,
      10_000,
    ).catch((e) => {
      throw new Error(`${e}: ${JSON.stringify(sellerHeard)}`);
    });
    // no customs document was needed anywhere abroad
    expect(await query(databaseUrl, 'select 1 from inventory_list')).toEqual([]);
  });
});

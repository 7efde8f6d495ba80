import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  gs1CheckDigit,
  type SellerChange,
  ServerToClient,
  type ShipmentDetail,
  type StationAnswer,
} from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EdgeAgent } from '../../edge-agent/src/agent.js';
import { agentConfigSchema } from '../../edge-agent/src/config/agent-config.js';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { type Simulator, startSimulator } from '../../hardware-sim/src/simulator.js';
import { provision } from '../../server/src/modules/devices/provisioning.js';
import { createOrm } from '../../server/src/platform/database/orm.js';
import { isolatedEnv, type Proc, runNode } from '../support/processes.js';
import { createTestDatabase, freePort, query, waitFor } from '../support/services.js';
import { connectLive } from '../support/test-server.js';

/**
 * Receiving abroad on the real stack (issue 12, "How it will be checked"): the server as its own
 * process, the customs simulator on the watched folders, a real edge agent reading the simulator's
 * scanner pty at an overseas-warehouse station. Seller A books an ASN by API; it is declared under
 * 9810 and released by the simulator, departs and arrives; the station receives it from bytes on
 * its scanner alone (carton SSCCs as GS1-128, units by GTIN, one line short, one unit damaged with
 * a photo); seller A sees the per-line result and its buckets through its own API and socket, B
 * hears nothing; the ledger sums equal the buckets after every step; put-away makes them available.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-ow-'));
chmodSync(dir, 0o755);
const OW = 'OW-DE1';
const ST = `OWST-${suffix}`;
const AGENT = `agent-ow-${suffix}`;
const gtin = (n: number) => {
  const body = `690000009${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};

let databaseUrl: string;
let port: number;
let server: Proc | undefined;
let sim: Simulator;
let agent: EdgeAgent;
let authority: CustomsAuthority;
const tokens: Record<string, string> = {};
const answers: StationAnswer[] = [];
const heardA: SellerChange[] = [];
const heardB: SellerChange[] = [];
const sockets: Array<Awaited<ReturnType<typeof connectLive>>> = [];
let shipmentNo = '';
let detail: ShipmentDetail;

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

async function signIn(as: string, username: string, password: string) {
  const res = await fetch(`${url()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  tokens[as] = ((await res.json()) as { accessToken: string }).accessToken;
}

/** Bytes on the station scanner's pty; resolves with the server's answer to that read. */
async function scanAt(code: string, aimPrefix?: string) {
  const before = answers.length;
  await sim.scanners.get(ST)!.scan(code, aimPrefix ? { aimPrefix } : undefined);
  const expected = code.replace(/<GS>/g, '\u001d');
  return waitFor(
    `the station's answer to ${code}`,
    () => answers.find((a, i) => i >= before && a.kind === 'scan' && a.code?.endsWith(expected)),
    30_000,
    20,
  );
}

/** Seller A's buckets of a SKU at OW-DE1, through its own API. */
async function bucketsOf(sku: string) {
  const res = await api('a', 'GET', `/api/seller/buckets?warehouseCode=${OW}&sku=${sku}`);
  expect(res.status).toBe(200);
  const row = res.body.items[0] ?? {};
  const { inbound = 0, receiving = 0, available = 0, unfulfillable = 0 } = row;
  return { inbound, receiving, available, unfulfillable };
}

/** Every bucket equals the sum of the seller's ledger (seller_stock_movement) for it. */
async function ledgerEqualsBuckets() {
  const wrong = await query(
    databaseUrl,
    `with l as (
       select owner_code, warehouse_code, sku, bucket, lot_no, sum(delta) as qty from (
         select owner_code, warehouse_code, sku, to_bucket as bucket, lot_no, qty as delta
           from seller_stock_movement where to_bucket is not null
         union all
         select owner_code, warehouse_code, sku, from_bucket, lot_no, -qty
           from seller_stock_movement where from_bucket is not null) d
       group by 1, 2, 3, 4, 5)
     select * from l full join seller_stock_balance b using (owner_code, warehouse_code, sku, bucket, lot_no)
     where coalesce(l.qty, 0) <> coalesce(b.qty, 0)`,
  );
  expect(wrong).toEqual([]);
}

async function shipment(): Promise<ShipmentDetail> {
  const res = await api('a', 'GET', `/api/seller/shipments/${shipmentNo}`);
  expect(res.status).toBe(200);
  detail = res.body;
  return detail;
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('pgAdminUrl'), 'wms_overseas');
  port = await freePort();
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  await orm.migrator.up();
  await query(
    databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWNA${suffix}', 'Seller A GmbH', '{owner,ebc}'),
       ('OWNB${suffix}', 'Seller B Ltd', '{owner,ebc}'), ('3105960001', 'Centre Operator', '{iac,agent}');
     insert into warehouse (code, name, kind, customs_code, port_code, loct_no, ems_no, operator_code, country) values
       ('BC01', 'Bonded centre', 'bonded-centre', '5165', '5165', '5165W01', 'T5165W000001', '3105960001', 'CN');
     insert into warehouse (code, name, kind, country, time_zone, currency) values
       ('${OW}', 'Overseas warehouse Duisburg', 'overseas', 'DE', 'Europe/Berlin', 'EUR'),
       ('OW-US1', 'Overseas US', 'overseas', 'US', 'America/New_York', 'USD');
     insert into zone (warehouse_code, code, kind) values ('${OW}', 'OW', 'non-bonded'), ('${OW}', 'OW-RET', 'returns'),
       ('BC01', 'BZ', 'bonded');
     insert into location (warehouse_code, code, zone_code, purpose) values ('BC01', 'BC-A-01', 'BZ', 'storage');
     insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit) values
       ('T5165W000001', 1, 'CREAM', '3304990010', 'Face cream', '011'),
       ('T5165W000001', 2, 'SERUM', '3304990010', 'Serum', '011'),
       ('T5165W000001', 3, 'LOTION', '3304990010', 'Body lotion', '011');
     insert into location (warehouse_code, code, zone_code, purpose) values
       ('${OW}', 'OW-DOCK-IN', 'OW', 'dock'), ('${OW}', 'OW-A-01', 'OW', 'storage'),
       ('${OW}', 'OW-RET-01', 'OW-RET', 'storage');
     insert into goods (owner_code, sku, gtin, gcode, name, unit, declared_price, country, gross_grams) values
       ('OWNA${suffix}', 'CREAM', '${gtin(1)}', '3304990010', 'Face cream', '011', 30, '142', 300),
       ('OWNA${suffix}', 'SERUM', '${gtin(2)}', '3304990010', 'Serum', '011', 45, '142', 150),
       ('OWNA${suffix}', 'LOTION', '${gtin(3)}', '3304990010', 'Body lotion', '011', 25, '142', 420),
       ('OWNB${suffix}', 'CREAM', '${gtin(9)}', '3304990010', 'B cream', '011', 30, '142', 300)`,
  );
  await provision(orm, {
    sellers: [
      { sellerCode: `SA-${suffix}`, name: 'Seller A', ownerCodes: [`OWNA${suffix}`], warehouseCodes: ['BC01', OW] },
      { sellerCode: `SB-${suffix}`, name: 'Seller B', ownerCodes: [`OWNB${suffix}`], warehouseCodes: ['OW-US1'] },
    ],
    users: [
      { username: `lead-${suffix}`, displayName: 'Lead', roles: ['supervisor', 'staff'], password: 'lead-password' },
      {
        username: `sa-${suffix}`,
        displayName: 'A',
        roles: ['seller'],
        sellerCode: `SA-${suffix}`,
        password: 'seller-pass-a',
      },
      {
        username: `sb-${suffix}`,
        displayName: 'B',
        roles: ['seller'],
        sellerCode: `SB-${suffix}`,
        password: 'seller-pass-b',
      },
    ],
    stations: [{ stationId: ST, name: 'OW receiving bench' }],
    agents: [
      {
        agentId: AGENT,
        name: 'overseas agent',
        secret: 'overseas-agent-secret',
        devices: [{ deviceId: `${ST}-SCN`, stationId: ST, kind: 'scanner', name: 'scanner' }],
      },
    ],
  });
  await orm.close();
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
      JWT_SECRET: 'overseas-test-secret-overseas-0000000',
      LOG_FORMAT: 'json',
      CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
      CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
      CUSTOMS_POLL_MS: '100',
    }),
  );
  server = proc;
  await waitFor(
    'the server to listen',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
      return proc.output().includes('server listening');
    },
    60_000,
    50,
  );
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    seed: 3,
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  await signIn('lead', `lead-${suffix}`, 'lead-password');
  await signIn('a', `sa-${suffix}`, 'seller-pass-a');
  await signIn('b', `sb-${suffix}`, 'seller-pass-b');
  // seller A's goods are bonded stock in BC01 before they are exported under 9810
  const entry = await api('lead', 'POST', '/api/bonded/entries', {
    warehouseCode: 'BC01',
    docNo: `QD-OW-${suffix}`,
    ownerCode: `OWNA${suffix}`,
    lines: ['CREAM', 'SERUM', 'LOTION'].map((sku) => ({ sku, batch: 'E1', qty: 10, location: 'BC-A-01' })),
  });
  expect(entry.status, JSON.stringify(entry.body)).toBe(201);
  const staff = await connectLive(url(), tokens.lead);
  staff.on('station.answered', (a: StationAnswer) => answers.push(a));
  expect(await staff.emitWithAck('station.watch', { stationId: ST })).toMatchObject({ ok: true });
  const a = await connectLive(url(), tokens.a);
  a.on(ServerToClient.sellerChanged, (c: SellerChange) => heardA.push(c));
  const b = await connectLive(url(), tokens.b);
  b.on(ServerToClient.sellerChanged, (c: SellerChange) => heardB.push(c));
  sockets.push(staff, a, b);

  sim = await startSimulator({
    controlPort: 0,
    stations: [{ stationId: ST, devices: [{ kind: 'scanner', deviceId: `${ST}-SCN` }] }],
  });
  agent = new EdgeAgent(
    agentConfigSchema.parse({
      agentId: AGENT,
      secret: 'overseas-agent-secret',
      mqttUrl: inject('mqttUrl'),
      mqttProtocolVersion: inject('mqttProtocolVersion'),
      outboxPath: join(dir, 'agent-outbox.db'),
      ackTimeoutMs: 2000,
      reconnectMaxMs: 500,
      devices: [
        { kind: 'scanner', deviceId: `${ST}-SCN`, stationId: ST, serial: { path: sim.scanners.get(ST)!.agentPath } },
      ],
    }),
    () => undefined,
  );
  agent.start();
  await waitFor('the agent on the broker', () => agent.transport.connected, 20_000);
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await agent?.stop();
  await sim?.stop();
  await authority?.stop();
  await server?.stop('SIGTERM');
});

describe('an ASN exported under 9810 and received at the overseas warehouse', () => {
  it('is booked by seller A through its API: the units show inbound', async () => {
    const res = await api('a', 'POST', '/api/seller/shipments', {
      warehouseCode: OW,
      originWarehouseCode: 'BC01',
      carrier: 'DB Schenker',
      cartons: [
        {
          lines: [
            { sku: 'CREAM', qty: 3 },
            { sku: 'SERUM', qty: 2 },
          ],
        },
        { lines: [{ sku: 'LOTION', qty: 2 }] },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    shipmentNo = res.body.shipmentNo;
    detail = res.body;
    expect(await bucketsOf('CREAM')).toEqual({ inbound: 3, receiving: 0, available: 0, unfulfillable: 0 });
    await ledgerEqualsBuckets();
  });

  it('is declared under 9810, released by the customs simulator, departs and arrives', async () => {
    const declared = await api('lead', 'POST', `/api/shipments/${shipmentNo}/declare`, { trafMode: '2', pod: 'DEHAM' });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    expect((await api('lead', 'POST', `/api/shipments/${shipmentNo}/status`, { status: 'departed' })).status).toBe(409);
    await authority.settle();
    await waitFor('the release (800) on the shipment', async () => (await shipment()).customs?.released, 30_000);
    expect(detail.customs).toMatchObject({ tradeMode: '9810', customsStatus: 800 });
    for (const status of ['departed', 'in_transit', 'arrived'])
      expect((await api('lead', 'POST', `/api/shipments/${shipmentNo}/status`, { status })).status, status).toBe(200);
    // the goods left the bonded centre: seller A's bonded stock there fell by what was shipped
    const bonded = await api('a', 'GET', '/api/seller/buckets?warehouseCode=BC01');
    expect(
      Object.fromEntries(bonded.body.items.map((r: { sku: string; bonded: number }) => [r.sku, r.bonded])),
    ).toEqual({ CREAM: 7, SERUM: 8, LOTION: 8 });
    const rec = await api('lead', 'GET', '/api/customs/reconciliation?warehouseCode=BC01');
    expect(rec.body).toMatchObject({ balanced: true, lines: [] });
    await waitFor('seller A hears the arrival', () =>
      heardA.some((c) => c.ref === shipmentNo && c.detail?.status === 'arrived'),
    );
  });

  it('is received from the station scanner alone: one line short, one unit damaged with a photo', async () => {
    const job = await api('lead', 'PUT', `/api/floor/stations/${ST}/mode`, {
      job: 'receive',
      warehouseCode: OW,
      deliveryNo: shipmentNo,
    });
    expect(job.status, JSON.stringify(job.body)).toBe(200);
    const [c1, c2] = detail.cartonsDetail;
    // carton 1 (GS1-128 SSCC): 3 creams, 1 serum of 2 -> serum one short
    const carton = await scanAt(`00${c1.sscc}`, ']C1');
    expect(carton.outcome, carton.message).toBe('ok');
    expect(carton.message).toContain('3 × CREAM, 2 × SERUM');
    for (let i = 0; i < 3; i++) expect((await scanAt(gtin(1))).outcome).toBe('ok');
    const serum = await scanAt(gtin(2));
    expect(serum.detail).toMatchObject({ asnLine: { sku: 'SERUM', received: 1, outstanding: 1 } });
    // seller A's screen fills in from the socket: the serum line's received quantity
    await waitFor('seller A hears the serum counted', () =>
      heardA.some(
        (c) => c.ref === shipmentNo && (c.detail?.line as { sku?: string; received?: number })?.sku === 'SERUM',
      ),
    );
    expect(await bucketsOf('CREAM')).toEqual({ inbound: 0, receiving: 3, available: 0, unfulfillable: 0 });
    await ledgerEqualsBuckets();
    // carton 2: one lotion good, one damaged (the DAMAGED command barcode first)
    expect((await scanAt(`00${c2.sscc}`, ']C1')).outcome).toBe('ok');
    expect((await scanAt(gtin(3))).outcome).toBe('ok');
    expect((await scanAt('DAMAGED')).outcome).toBe('ok');
    const damaged = await scanAt(gtin(3));
    expect(damaged.detail).toMatchObject({ condition: 'damaged', asnLine: { sku: 'LOTION', damaged: 1 } });
    const damageId = String(damaged.detail?.damageId);
    const form = new FormData();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.alloc(5000, 3)]);
    form.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'lotion.jpg');
    const up = await fetch(`${url()}/api/shipments/${shipmentNo}/damages/${damageId}/photo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.lead}` },
      body: form,
    });
    expect(up.status).toBe(201);
    const photo = await fetch(`${url()}/api/seller/shipments/${shipmentNo}/damages/${damageId}/photo`, {
      headers: { authorization: `Bearer ${tokens.a}` },
    });
    expect(Buffer.from(await photo.arrayBuffer()).equals(jpeg)).toBe(true);
    expect(await bucketsOf('LOTION')).toEqual({ inbound: 0, receiving: 1, available: 0, unfulfillable: 1 });
    await ledgerEqualsBuckets();
  });

  it('is closed: seller A sees each line expected / received / short / damaged and its buckets', async () => {
    const closed = await api('lead', 'POST', `/api/shipments/${shipmentNo}/status`, { status: 'received' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const d = await shipment();
    expect(d.status).toBe('received');
    expect(
      d.lines.map(({ sku, expected, received, short, over, damaged }) => ({
        sku,
        expected,
        received,
        short,
        over,
        damaged,
      })),
    ).toEqual([
      { sku: 'CREAM', expected: 3, received: 3, short: 0, over: 0, damaged: 0 },
      { sku: 'SERUM', expected: 2, received: 1, short: 1, over: 0, damaged: 0 },
      { sku: 'LOTION', expected: 2, received: 1, short: 0, over: 0, damaged: 1 },
    ]);
    expect(d.damages).toEqual([expect.objectContaining({ sku: 'LOTION', qty: 1, hasPhoto: true })]);
    expect(await bucketsOf('SERUM')).toEqual({ inbound: 0, receiving: 1, available: 0, unfulfillable: 0 });
    await ledgerEqualsBuckets();
    // B, with the same SKU code, sees and hears none of it
    expect((await api('b', 'GET', `/api/seller/shipments/${shipmentNo}`)).status).toBe(404);
    expect((await api('b', 'GET', '/api/seller/shipments')).body.items).toEqual([]);
    expect(heardB).toEqual([]);
  });

  it('is put away at the station: the units become available as the shipment’s lot, with the scanned expiry', async () => {
    const job = await api('lead', 'PUT', `/api/floor/stations/${ST}/mode`, { job: 'putaway', warehouseCode: OW });
    expect(job.status, JSON.stringify(job.body)).toBe(200);
    const taken = await scanAt(`01${gtin(1).padStart(14, '0')}17281130303`, ']C1');
    expect(taken.outcome, taken.message).toBe('ok');
    const put = await scanAt('OW-A-01');
    expect(put.outcome, put.message).toBe('ok');
    expect(await bucketsOf('CREAM')).toEqual({ inbound: 0, receiving: 0, available: 3, unfulfillable: 0 });
    const [lot] = await query<{ lot_no: string; expiry: string; arrived: boolean }>(
      databaseUrl,
      // (to the millisecond: the time went through a Date)
      `select l.lot_no, l.expiry::text as expiry,
         abs(extract(epoch from l.arrived_at - (select min(c.arrived_at) from seller_shipment_carton c
           join seller_shipment s on s.id = c.shipment_id where s.shipment_no = l.lot_no))) < 0.001 as arrived
       from stock_lot l where l.warehouse_code = $1 and l.sku = 'CREAM'`,
      [OW],
    );
    // the lot is the shipment's: it arrived when its first carton was scanned, expiry from the label's AI 17
    expect(lot).toEqual({ lot_no: shipmentNo, expiry: '2028-11-30', arrived: true });
    await ledgerEqualsBuckets();
    expect(heardB).toEqual([]);
  });
});

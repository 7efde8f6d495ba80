import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerIdentity, gs1CheckDigit, type StationAnswer, topics } from '@wms/contracts';
import mqtt from 'mqtt';
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
import { consumerOrderDocs, documentsBody } from '../support/trade-docs.js';

/**
 * Stations live on the server (issue 11), with no browser and no socket glue: the simulator's
 * scanner writes bytes into a real pty, its scale answers MT-SICS on another, its printer takes
 * ZPL over TCP; a real edge agent feeds the server (its own process, so it can be killed) over the
 * real broker. The test sets the station's job through the API, then only writes bytes and reads
 * what the server decided: the parcel packed, weighed, labelled (the ZPL's barcodes decoded) or
 * held with the reason; the answers on a socket.io client watching the station room. A kill of
 * the server between the scan and the weight loses nothing and doubles nothing, and an event the
 * server committed but never acted on is applied when it starts again.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-station-'));
chmodSync(dir, 0o755);
const WH = 'NB01';
const EMS = 'T5165W000088';
const OWNER = 'OWNNB00001';
const ST = `NB-${suffix}`;
const ST2 = `NB2-${suffix}`;
const ST3 = `NB3-${suffix}`;
const HANDHELD = `NB-HH-${suffix}`;
const AGENT = `agent-nb-${suffix}`;
const gtin = (n: number) => {
  const body = `690000008${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
const parcelNo = (n: number) => `YTN${suffix}${n}`;
/** Each parcel holds one 300 g unit in a 20 g box: the declared gross weight is 0.320 kg. */
const RIGHT_GRAMS = 320;

let databaseUrl: string;
let port: number;
let server: Proc | undefined;
let sim: Simulator;
let agent: EdgeAgent;
let token = '';
let answers: StationAnswer[] = [];
let socket: Awaited<ReturnType<typeof connectLive>> | undefined;

const url = () => `http://127.0.0.1:${port}`;

// biome-ignore lint/suspicious/noExplicitAny: answers of many routes, read field by field as the test needs
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function startWms(): Promise<void> {
  const proc = runNode(
    'server/dist/main.js',
    [],
    isolatedEnv({
      DATABASE_URL: databaseUrl,
      MQTT_URL: inject('mqttUrl'),
      MQTT_PROTOCOL_VERSION: String(inject('mqttProtocolVersion')),
      MQTT_SHARE_GROUP: `nb-${suffix}`,
      INSTANCE_ID: `nb-${suffix}`,
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      JWT_SECRET: 'station-test-secret-station-test-0000',
      LOG_FORMAT: 'json',
      CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
      CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
    }),
  );
  await waitFor(
    'the server to listen',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
      return proc.output().includes('server listening');
    },
    60_000,
    50,
  );
  server = proc;
  const login = await fetch(`${url()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: `lead-${suffix}`, password: 'lead-password' }),
  });
  token = ((await login.json()) as { accessToken: string }).accessToken;
  socket = await connectLive(url(), token);
  socket.on('station.answered', (answer: StationAnswer) => answers.push(answer));
  expect(await socket.emitWithAck('station.watch', { stationId: '*' })).toMatchObject({ ok: true });
}

/** The server dies at once (no shutdown hooks run), as on a power cut. */
async function killWms(): Promise<void> {
  socket?.close();
  await server?.stop('SIGKILL');
}

const answerTo = (what: string, pick: (a: StationAnswer) => boolean) =>
  waitFor(`the station's answer to ${what}`, () => answers.find(pick), 30_000, 20);

/** Bytes on the station scanner's pty; resolves with the server's answer that names the code. */
async function scanAt(stationId: string, code: string) {
  const before = answers.length;
  await sim.scanners.get(stationId)!.scan(code);
  return answerTo(code, (a) => answers.indexOf(a) >= before && a.kind === 'scan' && a.code === code);
}

/** A parcel on the scale; resolves with the answer to that weight. */
async function weighAt(grams: number) {
  const before = answers.length;
  sim.scales.get(ST)!.place(grams, 100);
  const answer = await answerTo(`${grams} g`, (a) => answers.indexOf(a) >= before && a.kind === 'weight');
  sim.scales.get(ST)!.remove();
  // the parcel is carried off: the platform is empty for a few of the agent's polls before the
  // next one goes on, which is what makes the next placement a new weighing
  await new Promise((r) => setTimeout(r, 800));
  return answer;
}

const count = async (sql: string, params: unknown[]) =>
  Number((await query<{ n: string }>(databaseUrl, `select count(*) as n from (${sql}) x`, params))[0].n);

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('pgAdminUrl'), 'wms_station');
  port = await freePort();
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  await orm.migrator.up();
  await provision(orm, {
    users: [
      { username: `lead-${suffix}`, displayName: 'Lead', roles: ['supervisor', 'staff'], password: 'lead-password' },
    ],
    stations: [
      { stationId: ST, name: 'Packing bench' },
      { stationId: ST2, name: 'Gate' },
      { stationId: ST3, name: 'Handheld' },
    ],
    agents: [
      {
        agentId: AGENT,
        name: 'bench agent',
        secret: 'bench-agent-secret',
        devices: [
          { deviceId: `${ST}-SCN`, stationId: ST, kind: 'scanner', name: 'scanner' },
          { deviceId: `${ST}-SCL`, stationId: ST, kind: 'scale', name: 'scale' },
          { deviceId: `${ST}-PRN`, stationId: ST, kind: 'printer', name: 'printer' },
          { deviceId: `${ST2}-SCN`, stationId: ST2, kind: 'scanner', name: 'gate scanner' },
          { deviceId: HANDHELD, stationId: ST3, kind: 'scanner', name: 'handheld', mqttSecret: 'handheld-secret-01' },
        ],
      },
    ],
  });
  await orm.close();
  await startWms();

  sim = await startSimulator({
    controlPort: 0,
    stations: [
      {
        stationId: ST,
        devices: [
          { kind: 'scanner', deviceId: `${ST}-SCN` },
          { kind: 'scale', deviceId: `${ST}-SCL`, protocol: 'mt-sics' },
          { kind: 'printer', deviceId: `${ST}-PRN`, tcpPort: 0, tcpHost: '127.0.0.1' },
        ],
      },
      { stationId: ST2, devices: [{ kind: 'scanner', deviceId: `${ST2}-SCN` }] },
    ],
  });
  agent = new EdgeAgent(
    agentConfigSchema.parse({
      agentId: AGENT,
      secret: 'bench-agent-secret',
      mqttUrl: inject('mqttUrl'),
      mqttProtocolVersion: inject('mqttProtocolVersion'),
      outboxPath: join(dir, 'agent-outbox.db'),
      ackTimeoutMs: 2000,
      reconnectMaxMs: 500,
      devices: [
        { kind: 'scanner', deviceId: `${ST}-SCN`, stationId: ST, serial: { path: sim.scanners.get(ST)!.agentPath } },
        {
          kind: 'scale',
          deviceId: `${ST}-SCL`,
          stationId: ST,
          protocol: 'mt-sics',
          serial: { path: sim.scales.get(ST)!.agentPath },
        },
        {
          kind: 'printer',
          deviceId: `${ST}-PRN`,
          stationId: ST,
          serial: { path: `tcp://127.0.0.1:${sim.printers.get(ST)!.tcpPort}` },
        },
        { kind: 'scanner', deviceId: `${ST2}-SCN`, stationId: ST2, serial: { path: sim.scanners.get(ST2)!.agentPath } },
        { kind: 'handheld', deviceId: HANDHELD, stationId: ST3 },
      ],
    }),
    () => undefined,
  );
  agent.start();
  await waitFor('the agent on the broker', () => agent.transport.connected, 20_000);

  // a bonded centre with one good on the shelf and five declared parcels of one unit each
  const md = await api('POST', '/api/master-data', {
    enterprises: [
      { code: OWNER, name: 'Bench Seller', roles: ['ebc', 'owner'] },
      { code: 'PLATNB0001', name: 'Platform', roles: ['ebp'] },
      { code: 'PAYNB00001', name: 'Pay', roles: ['pay'] },
      { code: 'LOGINB0001', name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: '工位测试保税中心',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W88',
        emsNo: EMS,
        zones: [{ code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK', purpose: 'dock' }, 'R-01'] }],
      },
    ],
    goods: [
      {
        ownerCode: OWNER,
        sku: 'NB1',
        gtin: gtin(1),
        gcode: '3304990010',
        name: 'Lotion',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 300,
      },
    ],
    bookLines: [{ emsNo: EMS, putrecSeqno: 1, itemNo: 'NB1', gcode: '3304990010', gname: '乳液', unit: '011' }],
  });
  expect(md.status, JSON.stringify(md.body)).toBe(201);
  const entry = await api('POST', '/api/bonded/entries', {
    warehouseCode: WH,
    docNo: `QNB${suffix}`,
    ownerCode: OWNER,
    lines: [{ sku: 'NB1', batch: 'B1', qty: 10, location: 'R-01' }],
  });
  expect(entry.status, JSON.stringify(entry.body)).toBe(201);
  const orders = [1, 2, 3, 4, 5].map((n) =>
    consumerOrderDocs({
      warehouseCode: WH,
      ebpCode: 'PLATNB0001',
      ebcCode: OWNER,
      payCode: 'PAYNB00001',
      logisticsCode: 'LOGINB0001',
      orderNo: `SON${suffix}${n}`,
      logisticsNo: parcelNo(n),
      sku: 'NB1',
      qty: 1,
      buyer: 4000 + n,
      declaredKg: (RIGHT_GRAMS / 1000).toFixed(3),
      address: `宁波市${n}号`,
    }),
  );
  expect((await api('POST', '/api/customs/documents?wait=true', documentsBody(orders))).status).toBeLessThan(300);
  expect((await api('POST', '/api/customs/declarations', { direction: 'import', all: true })).body).toMatchObject({
    declared: 5,
  });
}, 180_000);

afterAll(async () => {
  socket?.close();
  await agent?.stop();
  await sim?.stop();
  await server?.stop();
});

describe('stations live on the server: no browser (issue 11)', () => {
  it('a scan at a station with no job is answered, not ignored', async () => {
    const answer = await scanAt(ST2, parcelNo(1));
    expect(answer).toMatchObject({
      stationId: ST2,
      job: null,
      outcome: 'refused',
      message: 'no job set on this station: choose one on the station screen',
      zh: { message: expect.stringContaining('未设置作业') },
    });
    expect((await api('GET', `/api/floor/stations/${ST2}`)).body.lastAnswers[0]).toMatchObject({
      eventId: answer.eventId,
      outcome: 'refused',
    });
  });

  it('packs the scanned parcel, weighs it on the scale and prints its label: bytes in, ZPL out', async () => {
    const set = await api('PUT', `/api/floor/stations/${ST}/mode`, { job: 'pack', warehouseCode: WH });
    expect(set.body, JSON.stringify(set.body)).toMatchObject({
      stationId: ST,
      job: 'pack',
      operator: `lead-${suffix}`,
    });

    const packed = await scanAt(ST, parcelNo(1));
    expect(packed).toMatchObject({ job: 'pack', outcome: 'ok', message: `parcel ${parcelNo(1)} packed (1 unit(s))` });
    expect((await api('GET', `/api/floor/stations/${ST}`)).body).toMatchObject({ currentParcel: parcelNo(1) });

    const labelled = await weighAt(RIGHT_GRAMS);
    expect(labelled, JSON.stringify(labelled)).toMatchObject({
      kind: 'weight',
      outcome: 'ok',
      grossGrams: RIGHT_GRAMS,
      detail: { logisticsNo: parcelNo(1), within: true, label: 'done' },
    });
    const printed = sim.printers.get(ST)!.emulator.labels();
    expect(printed).toHaveLength(1);
    const decoded = decodeLabel(printed[0].zpl);
    const gs1 = decoded.barcodes.find((b) => b.symbology === 'gs1-128')!;
    expect(gs1.errors).toEqual([]);
    expect(gs1.data).toBe(`00${labelled.detail?.sscc}`);
    expect(decoded.barcodes.map((b) => b.data)).toContain(parcelNo(1));
    expect(decoded.texts.join(' ')).toContain('宁波市');
    expect((await api('GET', `/api/floor/stations/${ST}`)).body).toMatchObject({ currentParcel: null });
  });

  it('holds a parcel whose weight is wrong, with the reason, and prints nothing', async () => {
    expect(await scanAt(ST, parcelNo(2))).toMatchObject({ outcome: 'ok' });
    const held = await weighAt(RIGHT_GRAMS + 200);
    expect(held).toMatchObject({
      outcome: 'held',
      message: expect.stringMatching(new RegExp(`parcel ${parcelNo(2)} is held: weighed 0.520 kg, declared 0.320 kg`)),
      detail: { held: true, within: false },
    });
    const [list] = await query<{ hold_reason: string }>(
      databaseUrl,
      'select hold_reason from inventory_list where logistics_no = $1',
      [parcelNo(2)],
    );
    expect(list.hold_reason).toMatch(/^weight check: weighed 0.520 kg/);
    expect(sim.printers.get(ST)!.emulator.labels()).toHaveLength(1);
  });

  it('the gate job answers with the gate rule: refused, with every reason', async () => {
    expect((await api('PUT', `/api/floor/stations/${ST2}/mode`, { job: 'gate', warehouseCode: WH })).status).toBe(200);
    const refused = await scanAt(ST2, parcelNo(1));
    expect(refused).toMatchObject({ job: 'gate', outcome: 'refused', message: expect.stringMatching(/customs/) });
    expect(await count('select 1 from inventory_list where gate_passed_at is not null', [])).toBe(0);
  });

  it('a kill between the scan and the weight loses nothing and doubles nothing', async () => {
    expect(await scanAt(ST, parcelNo(3))).toMatchObject({ outcome: 'ok', message: expect.stringMatching(/packed/) });
    await killWms();
    answers = [];
    await startWms();
    const labelled = await weighAt(RIGHT_GRAMS);
    expect(labelled).toMatchObject({ outcome: 'ok', detail: { logisticsNo: parcelNo(3), label: 'done' } });
    expect(sim.printers.get(ST)!.emulator.labels()).toHaveLength(2);
  });

  it('a scan made while the server is down, and one it committed but never acted on, are applied when it starts', async () => {
    await killWms();
    answers = [];
    // the server committed this scan of parcel 4 and died before the floor heard of it
    const eventId = randomUUID();
    await query(
      databaseUrl,
      `with i as (insert into ingested_event (event_id, event_type, agent_id, device_id, seq) values ($1, 'scan', $2, $3, 1000000))
       insert into scan_event (event_id, agent_id, device_id, station_id, seq, raw, code, occurred_at)
       values ($1, $2, $3, $4, 1000000, '\\x00', $5, now())`,
      [eventId, AGENT, `${ST}-SCN`, ST, parcelNo(4)],
    );
    await startWms();
    await waitFor('the sweep to pack parcel 4', async () => {
      const station = (await api('GET', `/api/floor/stations/${ST}`)).body;
      return station.lastAnswers.find((a: StationAnswer) => a.eventId === eventId && a.outcome === 'ok');
    });
    expect(await weighAt(RIGHT_GRAMS)).toMatchObject({ outcome: 'ok', detail: { logisticsNo: parcelNo(4) } });

    // parcel 5 is scanned with no server at all: the agent keeps it until the server is back
    await killWms();
    answers = [];
    await sim.scanners.get(ST)!.scan(parcelNo(5));
    await new Promise((r) => setTimeout(r, 300));
    await startWms();
    let station: { currentParcel: string | null; lastAnswers: StationAnswer[] } | undefined;
    await waitFor('parcel 5 packed', async () => {
      station = (await api('GET', `/api/floor/stations/${ST}`)).body;
      return station?.currentParcel === parcelNo(5);
    }).catch((error: Error) => {
      const said = station?.lastAnswers.slice(0, 3).map((a) => `${a.code ?? a.grossGrams}: ${a.message}`);
      const warnings = server
        ?.output()
        .split('\n')
        .filter((l) => /"warn"|"error"/.test(l))
        .slice(-5);
      throw new Error(`${error.message}; last answers ${JSON.stringify(said)}; server: ${warnings?.join('\n')}`);
    });
    expect(await weighAt(RIGHT_GRAMS)).toMatchObject({ outcome: 'ok', detail: { logisticsNo: parcelNo(5) } });
  });

  it('an MQTT handheld gets the answer to its scan on its own topic', async () => {
    expect((await api('PUT', `/api/floor/stations/${ST3}/mode`, { job: 'gate', warehouseCode: WH })).status).toBe(200);
    const handheld = await mqtt.connectAsync(inject('mqttUrl'), {
      clientId: brokerIdentity.handheldClientId(HANDHELD),
      username: brokerIdentity.handheldUsername(HANDHELD),
      password: 'handheld-secret-01',
      protocolVersion: inject('mqttProtocolVersion'),
    });
    const heard: StationAnswer[] = [];
    handheld.on('message', (topic, payload) => {
      if (topic === topics.handheldAnswers(AGENT, HANDHELD)) heard.push(JSON.parse(payload.toString('utf8')));
    });
    await handheld.subscribeAsync(topics.handheldAnswers(AGENT, HANDHELD), { qos: 1 });
    await handheld.publishAsync(
      topics.handheldScans(AGENT, HANDHELD),
      JSON.stringify({ scanId: randomUUID(), code: parcelNo(2), scannedAt: new Date().toISOString() }),
      { qos: 1 },
    );
    const answer = await waitFor('the answer on the handheld topic', () => heard[0], 20_000, 20);
    expect(answer).toMatchObject({
      stationId: ST3,
      deviceId: HANDHELD,
      job: 'gate',
      code: parcelNo(2),
      outcome: 'refused',
      message: expect.stringMatching(/cannot ship/),
    });
    await handheld.endAsync();
  });

  it('every step happened exactly once per parcel, and every station event has one answer', async () => {
    for (const n of [1, 3, 4, 5]) {
      const history = await query<{ step: string }>(
        databaseUrl,
        `select biz_step || ':' || disposition as step from trace_event where object_id = $1`,
        [parcelNo(n)],
      );
      const steps = history.map((h) => h.step);
      for (const step of ['packing:in_progress', 'packing:weighed', 'packing:label_printed'])
        expect(
          steps.filter((s) => s === step),
          `${parcelNo(n)} ${step}`,
        ).toHaveLength(1);
      expect(await count('select 1 from weight_check where logistics_no = $1', [parcelNo(n)])).toBe(1);
      expect(
        await count('select 1 from label_print p join inventory_list l on l.id = p.list_id where l.logistics_no = $1', [
          parcelNo(n),
        ]),
      ).toBe(1);
    }
    expect(sim.printers.get(ST)!.emulator.labels()).toHaveLength(4);
    const unanswered = await count(
      `select event_id from scan_event where station_id = any($1) union all select event_id from weight_event where station_id = any($1)
       except select event_id from station_event_outcome`,
      [[ST, ST2, ST3]],
    );
    expect(unanswered).toBe(0);
    const floorScans = await count('select 1 from floor_scan where station_id = $1', [ST]);
    expect(floorScans).toBe(await count('select 1 from scan_event where station_id = $1', [ST]));
  });
});

import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gs1CheckDigit, type StationAnswer, type StationModeInput } from '@wms/contracts';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EdgeAgent } from '../../edge-agent/src/agent.js';
import { agentConfigSchema } from '../../edge-agent/src/config/agent-config.js';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { decodeLabel } from '../../hardware-sim/src/devices/zpl-barcodes.js';
import { type Simulator, startSimulator } from '../../hardware-sim/src/simulator.js';
import type { ServerApp } from '../../server/src/app.factory.js';
import { DevicesService } from '../../server/src/modules/devices/devices.service.js';
import { query, waitFor } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../support/trade-docs.js';

/**
 * A day on the floor, end to end on the real stack (issue 5): the simulator's scanner writes
 * bytes into a real pseudo-terminal, its scale answers MT-SICS on another, its printer takes ZPL
 * over TCP; a real edge agent reads them and feeds the server over the real broker; the station's
 * job is set through the API and the server acts on every scan and weight itself (issue 11): the
 * test only writes bytes and reads the answers the station room hears. The customs simulator
 * answers on the real folders. At the end the ledger, the parcels' states and the event history
 * agree.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-day-'));
chmodSync(dir, 0o755);
const WH = 'DAY1';
const EMS = 'T5165W000077';
const OWNER = 'OWNDAY0001';
const ST = `DAY-${suffix}`;
const AGENT = `agent-day-${suffix}`;
const gtin = (n: number) => {
  const body = `690000002${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
const parcelNo = (n: number) => `YTD${suffix}${n}`;

let app: TestServer;
let server: ServerApp;
let databaseUrl: string;
let sim: Simulator;
let agent: EdgeAgent;
let authority: CustomsAuthority;
let socket: Socket;
let token = '';
/** What the station room heard: the server's answers to the station's scans and weights. */
const answers: StationAnswer[] = [];
const scanAnswers = () => answers.filter((a) => a.kind === 'scan');

const api = (method: string, path: string, body?: unknown) => app.api(method, path, 'lead', body);

/** The station's job, set on the server as the station screen does. */
async function setJob(job: StationModeInput['job'], context: Partial<StationModeInput> = {}) {
  const res = await api('PUT', `/api/floor/stations/${ST}/mode`, { job, warehouseCode: WH, ...context });
  expect(res.body, JSON.stringify(res.body)).toMatchObject({ stationId: ST, job });
}

/** Bytes into the scanner's pty; resolves with the server's answer to that scan. */
async function scanAtStation(code: string, aimPrefix?: string) {
  const before = scanAnswers().length;
  await sim.scanners.get(ST)!.scan(code, aimPrefix ? { aimPrefix } : {});
  return waitFor(`the answer to ${code}`, () => scanAnswers()[before], 20_000, 20);
}

/** A parcel on the station scale; resolves with the server's answer to that weight. */
async function weighAtStation(grams: number) {
  const before = answers.filter((a) => a.kind === 'weight').length;
  sim.scales.get(ST)!.place(grams, 100);
  const answer = await waitFor(
    `the answer to ${grams} g`,
    () => answers.filter((a) => a.kind === 'weight')[before],
    20_000,
    20,
  );
  sim.scales.get(ST)!.remove();
  // the parcel is carried off: the platform is empty for a moment (several of the agent's polls)
  // before the next one goes on, which is what makes the next placement a new weighing
  await new Promise((r) => setTimeout(r, 800));
  return answer;
}

beforeAll(async () => {
  app = await startTestServer('day', {
    CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
    CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
    CUSTOMS_POLL_MS: '100',
  });
  server = app.server;
  databaseUrl = app.databaseUrl;
  token = await app.signIn('lead', ['supervisor', 'staff'], 'Lead');

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
    ],
  });
  await server.app.get(DevicesService).registerAgent({
    agentId: AGENT,
    name: 'day agent',
    secret: 'day-secret',
    stations: [{ stationId: ST, name: 'Day station' }],
    devices: [
      { deviceId: `${ST}-SCN`, stationId: ST, kind: 'scanner', name: 'scanner' },
      { deviceId: `${ST}-SCL`, stationId: ST, kind: 'scale', name: 'scale' },
      { deviceId: `${ST}-PRN`, stationId: ST, kind: 'printer', name: 'printer' },
    ],
  });
  agent = new EdgeAgent(
    agentConfigSchema.parse({
      agentId: AGENT,
      secret: 'day-secret',
      mqttUrl: inject('mqttUrl'),
      mqttProtocolVersion: inject('mqttProtocolVersion'),
      outboxPath: join(dir, 'agent-outbox.db'),
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
      ],
    }),
    () => undefined,
  );
  agent.start();
  await waitFor('the agent on the broker', () => agent.transport.connected, 20_000);

  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    seed: 11,
    overrides: { [parcelNo(3)]: 'inspect', [parcelNo(4)]: 'reject' },
    delays: { acceptMs: 0, decisionMs: 0 },
    pollMs: 50,
  });
  authority.start();

  // Only a watcher: the server decides every scan at the station and says so in the station room.
  socket = io(`${server.url}/live`, { auth: { token }, transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  expect(await socket.emitWithAck('station.watch', { stationId: ST })).toEqual({ ok: true, stationId: ST });
  socket.on('station.answered', (answer: StationAnswer) => answers.push(answer));
}, 180_000);

afterAll(async () => {
  socket?.close();
  await authority?.stop();
  await agent?.stop();
  await sim?.stop();
  await app?.close();
});

describe('a day on the floor, end to end (issue 5)', () => {
  it('receives a delivery from the station scanner: bytes on the serial line to booked bonded stock', async () => {
    const md = await api('POST', '/api/master-data', {
      enterprises: [
        { code: OWNER, name: 'Day Seller', roles: ['ebc', 'owner'] },
        { code: 'PLATDAY001', name: 'Platform', roles: ['ebp'] },
        { code: 'PAYDAY0001', name: 'Pay', roles: ['pay'] },
        { code: 'LOGIDAY001', name: 'Express', roles: ['logistics'] },
      ],
      warehouses: [
        {
          code: WH,
          name: '日间测试保税中心',
          kind: 'bonded-centre',
          customsCode: '5165',
          loctNo: '5165W77',
          emsNo: EMS,
          zones: [
            { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK', purpose: 'dock' }, 'R-01', 'R-02'] },
            { code: 'INS', kind: 'inspection', locations: ['INS-1'] },
            { code: 'QT', kind: 'quarantine', locations: ['QT-1'] },
          ],
        },
      ],
      goods: [1, 2].map((n) => ({
        ownerCode: OWNER,
        sku: `DS${n}`,
        gtin: gtin(n),
        gcode: '3304990010',
        name: `Lotion ${n}`,
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 300,
      })),
      bookLines: [1, 2].map((n) => ({
        emsNo: EMS,
        putrecSeqno: n,
        itemNo: `DS${n}`,
        gcode: '3304990010',
        gname: `乳液${n}`,
        unit: '011',
      })),
    });
    expect(md.status).toBe(201);
    await api('POST', '/api/floor/deliveries', {
      warehouseCode: WH,
      deliveryNo: `DD${suffix}`,
      ownerCode: OWNER,
      entryDocNo: `QDD${suffix}`,
      dockLocation: 'DOCK',
      lines: [
        { sku: 'DS1', qty: 12 },
        { sku: 'DS2', qty: 6 },
      ],
    });
    await setJob('receive', { deliveryNo: `DD${suffix}` });
    // a GS1-128 carton label read with its AIM prefix: 12 × DS1 of batch B7
    expect(await scanAtStation(`01${gtin(1).padStart(14, '0')}10B7\u001d3012`, ']C1')).toMatchObject({
      outcome: 'ok',
      message: 'DS1: 12 of 12',
    });
    for (let i = 1; i <= 6; i++)
      expect(await scanAtStation(gtin(2))).toMatchObject({ outcome: 'ok', message: `DS2: ${i} of 6` });
    expect(await scanAtStation('GARBAGE-LABEL')).toMatchObject({ outcome: 'refused' });
    expect((await api('POST', `/api/floor/deliveries/DD${suffix}/close`)).body).toMatchObject({ status: 'closed' });
    const rec = (await api('GET', `/api/customs/reconciliation?warehouseCode=${WH}`)).body;
    expect(rec.totals).toMatchObject({ bookUnits: 18, shelfUnits: 18, linesWithDifference: 0 });
  });

  it('puts it away and picks six parcels by scanning at the station', async () => {
    await setJob('putaway');
    expect(await scanAtStation('R-01')).toMatchObject({ outcome: 'ok' });
    expect(await scanAtStation(`01${gtin(1).padStart(14, '0')}10B7\u001d3012`, ']C1')).toMatchObject({
      outcome: 'ok',
      message: '12 × DS1 put in R-01',
    });
    expect(await scanAtStation('R-02')).toMatchObject({ outcome: 'ok' });
    expect(await scanAtStation('DS2')).toMatchObject({ outcome: 'ok', message: '1 × DS2 put in R-02' });
    // the other five with a count, from a handheld
    const handheld = (code: string, qty?: number) =>
      api('POST', '/api/floor/scans', {
        scanId: randomUUID(),
        operation: 'putaway',
        warehouseCode: WH,
        stationId: 'HH',
        code,
        ...(qty ? { qty } : {}),
      });
    expect((await handheld('DS2', 5)).body).toMatchObject({ outcome: 'ok', detail: { qty: 5, suggestion: 'R-02' } });
    expect((await handheld('R-02')).body).toMatchObject({ outcome: 'ok', message: '5 × DS2 put in R-02' });

    const orders = [1, 2, 3, 4, 5, 6].map((n) => {
      const qty = n <= 2 ? 2 : 1;
      return consumerOrderDocs({
        warehouseCode: WH,
        ebpCode: 'PLATDAY001',
        ebcCode: OWNER,
        payCode: 'PAYDAY0001',
        logisticsCode: 'LOGIDAY001',
        orderNo: `SOD${suffix}${n}`,
        logisticsNo: parcelNo(n),
        sku: n % 2 ? 'DS1' : 'DS2',
        qty,
        buyer: 3000 + n,
        declaredKg: ((qty * 300 + 20) / 1000).toFixed(3),
        address: `杭州市${n}号`,
      });
    });
    await api('POST', '/api/customs/documents?wait=true', documentsBody(orders));
    expect((await api('POST', '/api/customs/declarations', { direction: 'import', all: true })).body).toMatchObject({
      declared: 6,
    });
    await authority.settle();
    await waitFor('the six receipts', async () => {
      const rows = await query<{ customs_status: number | null }>(
        databaseUrl,
        `select customs_status from inventory_list where logistics_no like $1`,
        [`YTD${suffix}%`],
      );
      return rows.length === 6 && rows.every((r) => r.customs_status !== null && r.customs_status !== 120);
    });
    const wave = await api('POST', '/api/floor/waves', { warehouseCode: WH });
    // parcel 3 is under inspection (500) and 4 was rejected (100): neither is picked
    expect(wave.body).toMatchObject({ parcels: 4, skipped: [] });
    await setJob('pick');
    const tasks = (await api('GET', `/api/floor/waves/${wave.body.waveNo}`)).body.tasks as Array<{
      location: string;
      sku: string;
      qty: number;
    }>;
    for (const bin of [...new Set(tasks.map((t) => t.location))]) {
      expect(await scanAtStation(bin)).toMatchObject({ outcome: 'ok' });
      for (const t of tasks.filter((x) => x.location === bin))
        for (let i = 0; i < t.qty; i++)
          expect(await scanAtStation(t.sku === 'DS1' ? gtin(1) : gtin(2))).toMatchObject({ outcome: 'ok' });
    }
    expect(scanAnswers().at(-1)?.message).toMatch(/into parcel/);
    const open = await query(databaseUrl, `select 1 from pick_task where wave_no = $1 and status <> 'done'`, [
      wave.body.waveNo,
    ]);
    expect(open).toEqual([]);
  });

  it('packs, weighs on the real scale protocol and prints one label per parcel, its barcodes readable', async () => {
    await setJob('pack');
    for (const n of [1, 2, 5, 6]) {
      const qty = n <= 2 ? 2 : 1;
      expect(await scanAtStation(parcelNo(n))).toMatchObject({
        outcome: 'ok',
        message: `parcel ${parcelNo(n)} packed (${qty} unit(s))`,
      });
      // parcel 6 is 200 g too heavy: held, with the reason, and no label
      const weighed = await weighAtStation(qty * 300 + 20 + (n === 6 ? 200 : 0));
      if (n === 6) {
        expect(weighed).toMatchObject({ outcome: 'held', detail: { held: true, within: false } });
        expect(weighed.message).toMatch(/is held: weighed 0.520 kg, declared 0.320 kg/);
        continue;
      }
      expect(weighed, JSON.stringify(weighed)).toMatchObject({
        outcome: 'ok',
        detail: { logisticsNo: parcelNo(n), within: true, label: 'done' },
      });
      // printing again is refused: once only
      expect((await api('POST', `/api/floor/parcels/${parcelNo(n)}/label`, { stationId: ST })).status).toBe(409);
    }
    const reprint = await api('POST', `/api/floor/parcels/${parcelNo(1)}/label`, {
      stationId: ST,
      reprint: { reason: 'label torn while taping' },
    });
    expect(reprint.body).toMatchObject({ status: 'done', reprint: 1 });

    const printed = sim.printers.get(ST)!.emulator.labels();
    expect(printed).toHaveLength(4);
    const ssccs = await query<{ logistics_no: string; sscc: string }>(
      databaseUrl,
      'select logistics_no, sscc from parcel_label order by logistics_no',
    );
    for (const label of printed) {
      const decoded = decodeLabel(label.zpl);
      const gs1 = decoded.barcodes.find((b) => b.symbology === 'gs1-128')!;
      expect(gs1.errors).toEqual([]);
      const sscc = gs1.data.slice(2);
      expect(gs1.data).toMatch(/^00\d{18}$/);
      const owner = ssccs.find((s) => s.sscc === sscc)!;
      expect(owner).toBeDefined();
      expect(decoded.barcodes.map((b) => b.data)).toContain(owner.logistics_no);
      expect(decoded.texts.join(' ')).toContain('杭州市');
    }
    expect(printed.filter((l) => decodeLabel(l.zpl).texts.some((t) => /REPRINT 1/.test(t)))).toHaveLength(1);
  });

  it('loads bags and a pallet onto a vehicle: nothing unreleased or held gets in, and it leaves only when its weight agrees', async () => {
    const bag = (await api('POST', '/api/floor/units', { warehouseCode: WH, kind: 'bag' })).body.sscc as string;
    const pallet = (await api('POST', '/api/floor/units', { warehouseCode: WH, kind: 'pallet' })).body.sscc as string;
    expect(bag).toMatch(/^1\d{17}$/);
    await setJob('load');
    expect(await scanAtStation(parcelNo(1))).toMatchObject({
      outcome: 'refused',
      message: 'scan the bag or pallet first',
    });
    expect(await scanAtStation(`00${bag}`, ']C1')).toMatchObject({ outcome: 'ok', message: `bag ${bag}: 0 parcel(s)` });
    expect(await scanAtStation(parcelNo(1))).toMatchObject({
      outcome: 'ok',
      message: `parcel ${parcelNo(1)} into ${bag} (1 in it)`,
    });
    expect(await scanAtStation(parcelNo(2))).toMatchObject({ outcome: 'ok' });
    // the warehouse's own weight hold, not customs
    expect(await scanAtStation(parcelNo(6))).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('is on a warehouse weight-check hold (weight check'),
    });
    expect(await scanAtStation(parcelNo(4))).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('rejected by customs (100)'),
    });
    expect(await scanAtStation(parcelNo(3))).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('under customs inspection (500)'),
    });
    expect(await scanAtStation(`00${pallet}`, ']C1')).toMatchObject({ outcome: 'ok' });
    expect(await scanAtStation(parcelNo(1))).toMatchObject({
      outcome: 'refused',
      message: `parcel ${parcelNo(1)} is already in ${bag}`,
    });
    expect(await scanAtStation(parcelNo(5))).toMatchObject({ outcome: 'ok' });

    const trip = (await api('POST', '/api/floor/trips', { warehouseCode: WH, plate: '浙A12345' })).body
      .tripNo as string;
    await setJob('load', { tripNo: trip });
    expect(await scanAtStation(`00${bag}`, ']C1')).toMatchObject({
      outcome: 'ok',
      message: `${bag} loaded on vehicle trip ${trip}`,
    });
    expect(await scanAtStation(`00${pallet}`, ']C1')).toMatchObject({ outcome: 'ok' });

    // the weighbridge: 3,000 kg empty; the release note says 0.62 + 0.62 + 0.32 kg of parcels + a bag + a pallet
    const short = await api('POST', `/api/floor/trips/${trip}/depart`, {
      vehicleTareKg: 3000,
      weighedGrossKg: 3001,
      readPoint: 'GATE',
    });
    expect(short.status).toBe(409);
    expect(short.body.message).toMatch(/weighbridge says 1 kg of load, the release note 21.76 kg/);
    expect((await query(databaseUrl, 'select 1 from inventory_list where gate_passed_at is not null')).length).toBe(0);
    const left = await api('POST', `/api/floor/trips/${trip}/depart`, {
      vehicleTareKg: 3000,
      weighedGrossKg: 3021.5,
      readPoint: 'GATE',
    });
    expect(left.body, JSON.stringify(left.body)).toMatchObject({
      releaseNoteNo: expect.stringMatching(/^HF/),
      expectedKg: 21.76,
      netKg: 21.5,
    });
    expect(left.body.parcels.map((p: { logisticsNo: string }) => p.logisticsNo).sort()).toEqual([
      parcelNo(1),
      parcelNo(2),
      parcelNo(5),
    ]);
    expect(
      (await api('POST', `/api/floor/trips/${trip}/depart`, { vehicleTareKg: 3000, weighedGrossKg: 3021.5 })).status,
    ).toBe(409);
    expect(await scanAtStation(`00${bag}`, ']C1')).toMatchObject({
      outcome: 'refused',
      message: `${bag} has already left`,
    });
    const gate = async (n: number) => api('POST', '/api/gate/passes', { logisticsNo: parcelNo(n), readPoint: 'GATE' });
    const held = (await gate(6)).body;
    expect(held.message).toMatch(/is on a warehouse weight-check hold \(weight check/);
    expect(held.message).not.toMatch(/held by customs/);
    expect(held.details.reasonZh).toMatch(/因仓库称重复核暂扣（weight check/);
    const rejected = (await gate(4)).body;
    expect(rejected.message).toMatch(/rejected by customs \(100\)/);
    expect(rejected.details.reasonZh).toMatch(/海关退单（100）/);
  });

  it('routes the inspected parcel through the inspection area, then out; takes a return back onto the book; the day adds up', async () => {
    await setJob('inspection');
    expect(await scanAtStation(parcelNo(3))).toMatchObject({
      outcome: 'ok',
      message: `parcel ${parcelNo(3)} is in the inspection area: customs is told`,
    });
    // parcel 4 is inside but customs did not select it; parcel 2 has left: closed to every operation
    expect(await scanAtStation(parcelNo(4))).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('not selected for inspection'),
    });
    expect(await scanAtStation(parcelNo(2))).toMatchObject({
      outcome: 'refused',
      message: expect.stringMatching(/already shipped at \d{4}-\d\d-\d\d \d\d:\d\d Asia\/Shanghai, trip TR/),
    });
    expect(authority.conclude(parcelNo(3), 'release')).toBe(true);
    await authority.settle();
    await waitFor('the release after inspection', async () => {
      const [r] = await query<{ customs_status: number }>(
        databaseUrl,
        'select customs_status from inventory_list where logistics_no = $1',
        [parcelNo(3)],
      );
      return r.customs_status === 800;
    });
    await setJob('pack');
    expect(await scanAtStation(parcelNo(3))).toMatchObject({ outcome: 'ok', message: expect.stringMatching(/packed/) });
    // packed is not enough: the gate asks for the weighing and the label too, done at the station
    const unweighed = await api('POST', '/api/gate/passes', { logisticsNo: parcelNo(3), readPoint: 'GATE' });
    expect(unweighed.body.message).toMatch(/was never weighed/);
    expect(await weighAtStation(320)).toMatchObject({
      outcome: 'ok',
      detail: { logisticsNo: parcelNo(3), within: true, label: 'done' },
    });
    // the station at the gate: the gate rule's answer to the scan
    await setJob('gate');
    expect(await scanAtStation(parcelNo(3))).toMatchObject({
      outcome: 'ok',
      message: expect.stringMatching(new RegExp(`parcel ${parcelNo(3)} passed the gate`)),
    });

    // the buyer of parcel 1 sends it back: CEB625, customs approves, the returns desk restocks it.
    // Customs holds its answer until the desk has tried once (with no delay it could answer first).
    await authority.stop();
    const ret = await api('POST', '/api/customs/returns', {
      logisticsNo: parcelNo(1),
      reason: '尺寸不合适 wrong size',
    });
    expect(ret.status, JSON.stringify(ret.body)).toBe(201);
    await setJob('returns');
    expect(await scanAtStation(parcelNo(1))).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('not approved by customs yet'),
    });
    authority.start();
    await authority.settle();
    await waitFor('customs to approve the return', async () => {
      const [r] = await query<{ status: number | null }>(
        databaseUrl,
        'select status from customs_return where cop_no = $1',
        [ret.body.returnNo],
      );
      // CEB626 approves with 399 (or 800)
      return r.status === 399 || r.status === 800;
    });
    expect(await scanAtStation('R-01')).toMatchObject({
      outcome: 'refused',
      message: 'scan the returned parcel first',
    });
    expect(await scanAtStation(parcelNo(1))).toMatchObject({
      outcome: 'ok',
      detail: { returnNo: ret.body.returnNo, units: 2 },
    });
    expect(await scanAtStation('R-01')).toMatchObject({
      outcome: 'ok',
      message: `2 unit(s) back in R-01 under return ${ret.body.returnNo}`,
    });
    expect(await scanAtStation(parcelNo(1))).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('already received'),
    });

    // the ledger: 18 received, 2+2+1+1 shipped, 2 returned; the held parcel 6 and the rest inside
    const rec = (await api('GET', `/api/customs/reconciliation?warehouseCode=${WH}`)).body;
    expect(rec.totals).toMatchObject({ bookUnits: 14, shelfUnits: 14, linesWithDifference: 0 });
    const states = await query<{ logistics_no: string; customs_status: number; gate: boolean; hold: string | null }>(
      databaseUrl,
      `select logistics_no, customs_status, gate_passed_at is not null as gate, hold_reason as hold from inventory_list
       where logistics_no like $1 order by logistics_no`,
      [`YTD${suffix}%`],
    );
    expect(states.map((s) => [s.logistics_no.slice(-1), s.customs_status, s.gate, Boolean(s.hold)])).toEqual([
      ['1', 800, true, false],
      ['2', 800, true, false],
      ['3', 800, true, false],
      ['4', 100, false, false],
      ['5', 800, true, false],
      ['6', 800, false, true],
    ]);
    // the history of parcel 1 tells the whole day
    const history = (await api('GET', `/api/customs/history/parcels/${parcelNo(1)}`)).body;
    const steps = history.events.map((e: { bizStep: string; disposition: string }) => `${e.bizStep}:${e.disposition}`);
    for (const step of [
      'customs_receipt:customs_800',
      'picking:in_progress',
      'packing:in_progress',
      'packing:weighed',
      'packing:label_printed',
      'packing:label_reprinted',
      'loading:in_progress',
      'departing:in_transit',
      'returning:return_declared',
      'returning:returned_inspecting',
      'receiving:returned',
    ])
      expect(steps).toContain(step);
    const departed = history.events.find(
      (e: { bizStep: string; disposition: string }) => e.bizStep === 'departing' && e.disposition === 'in_transit',
    );
    expect(departed.documents).toMatchObject({ releaseNoteNo: expect.stringMatching(/^HF/) });
    // nothing was lost on the way: every scan the scanner sent got exactly one answer, from the floor
    const scans = await query<{ n: string }>(
      databaseUrl,
      'select count(*) as n from scan_event where station_id = $1',
      [ST],
    );
    expect(Number(scans[0].n)).toBe(scanAnswers().length);
    expect(new Set(scanAnswers().map((a) => a.eventId)).size).toBe(scanAnswers().length);
    const floorScans = await query<{ n: string }>(
      databaseUrl,
      'select count(*) as n from floor_scan where station_id = $1',
      [ST],
    );
    expect(Number(floorScans[0].n)).toBe(scanAnswers().length);
  });
});

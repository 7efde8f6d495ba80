import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSscc, gs1CheckDigit, topics } from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { query, waitFor } from '../../test/support/services.js';
import { connectLive, startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../../test/support/trade-docs.js';
import type { ServerApp } from '../src/app.factory.js';
import { DevicesService } from '../src/modules/devices/devices.service.js';

/**
 * Floor operations by scanning (issue 5) on the real stack: real PostgreSQL, the real broker for
 * the station's scale readings, the customs simulator on the real folders. Receive -> put away ->
 * pick -> pack -> weigh -> gate, and a blind stock-take; every refusal with its reason, every
 * repeated scan answered once, and the ledger equal to the floor throughout.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-floor-'));
chmodSync(dir, 0o755);
const WH = 'BC02';
const EMS = 'T5165W000002';
const OWNER = 'OWN0000002';
const STATION = `PK-${suffix}`;
const AGENT = `agent-${suffix}`;
const SCALE = `SCL-${suffix}`;
const PRINTER = `PRN-${suffix}`;
const gtin = (n: number) => {
  const body = `690000000${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
let app: TestServer;
let server: ServerApp;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
let databaseUrl: string;
let authority: CustomsAuthority;
let agent: MqttClient;

/** One scan as a handheld sends it; returns the answer. */
async function scan(operation: string, code: string, extra: Record<string, unknown> = {}, scanId = randomUUID()) {
  const res = await api('POST', '/api/floor/scans', 'staff', {
    scanId,
    operation,
    warehouseCode: WH,
    stationId: STATION,
    code,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { outcome: 'ok' | 'refused'; message: string; next: string; detail?: any; scanId: string };
}

const reconciliation = async () =>
  (await api('GET', `/api/customs/reconciliation?warehouseCode=${WH}`, 'officer')).body;
const shelf = async (location: string) =>
  (
    await query<{ sku: string; qty: string }>(
      databaseUrl,
      `select sku, sum(qty) as qty from stock_movement where ledger = 'shelf' and warehouse_code = $1 and location = $2
       group by sku having sum(qty) <> 0 order by sku`,
      [WH, location],
    )
  ).map((r) => `${r.sku}:${r.qty}`);

beforeAll(async () => {
  app = await startTestServer(
    'floor',
    { CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'), CUSTOMS_INBOX_DIR: join(dir, 'inbox'), CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], staff: ['staff'], officer: ['customs'] },
    { checkAnswers: true },
  );
  server = app.server;
  databaseUrl = app.databaseUrl;
  await server.app.get(DevicesService).registerAgent({
    agentId: AGENT,
    name: 'packing station agent',
    secret: 'agent-secret',
    stations: [{ stationId: STATION, name: 'Packing station' }],
    devices: [
      { deviceId: SCALE, stationId: STATION, kind: 'scale', name: 'station scale' },
      { deviceId: PRINTER, stationId: STATION, kind: 'printer', name: 'label printer' },
    ],
  });
  agent = await mqtt.connectAsync(inject('mqttUrl'), {
    clientId: AGENT,
    protocolVersion: inject('mqttProtocolVersion'),
    clean: true,
  });
  // the station's label printer prints what it is sent (the gate asks for a printed label)
  agent.on('message', (_topic, payload) => {
    const command = JSON.parse(payload.toString('utf8'));
    void agent.publishAsync(
      topics.agentCommandReplies(AGENT),
      JSON.stringify({
        commandId: command.commandId,
        deviceId: command.deviceId,
        status: 'done',
        at: new Date().toISOString(),
      }),
      { qos: 1 },
    );
  });
  await agent.subscribeAsync(topics.agentCommands(AGENT), { qos: 1 });
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    seed: 3,
    overrides: { [`YTF${suffix}3`]: 'inspect' },
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
}, 120_000);

afterAll(async () => {
  await authority?.stop();
  await agent?.endAsync();
  await app?.close();
});

describe('floor operations by scanning (issue 5)', () => {
  const pallet = buildSscc({ extensionDigit: 3, companyPrefix: '6900000', serial: 42 });

  it('receives a delivery by scanning: over, short, damaged and unexpected recorded, then booked', async () => {
    const md = await api('POST', '/api/master-data', 'super', {
      enterprises: [{ code: OWNER, name: 'Floor Seller', roles: ['ebc', 'owner'] }],
      warehouses: [
        {
          code: WH,
          name: 'Floor test centre',
          kind: 'bonded-centre',
          customsCode: '5165',
          loctNo: '5165W02',
          emsNo: EMS,
          zones: [
            { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK-1', purpose: 'dock' }, 'S-01', 'S-02', 'S-03'] },
            { code: 'NB', kind: 'non-bonded', locations: ['N-01'] },
            { code: 'INS', kind: 'inspection', locations: ['INS-01'] },
            { code: 'QT', kind: 'quarantine', locations: ['QT-01'] },
          ],
        },
      ],
      goods: [1, 2, 3].map((n) => ({
        ownerCode: OWNER,
        sku: `FS${n}`,
        gtin: gtin(n),
        gcode: '3304990010',
        name: `Serum ${n}`,
        model: '30ml',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 200,
      })),
      bookLines: [1, 2].map((n) => ({
        emsNo: EMS,
        putrecSeqno: n,
        itemNo: `FS${n}`,
        gcode: '3304990010',
        gname: `精华 ${n}`,
        unit: '011',
      })),
    });
    expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
    const delivery = await api('POST', '/api/floor/deliveries', 'super', {
      warehouseCode: WH,
      deliveryNo: `IN${suffix}`,
      ownerCode: OWNER,
      entryDocNo: `QD${suffix}`,
      dockLocation: 'DOCK-1',
      lines: [
        { sku: 'FS1', qty: 10 },
        { sku: 'FS2', qty: 5 },
      ],
    });
    expect(delivery, JSON.stringify(delivery.body)).toMatchObject({ status: 201 });
    const receive = (code: string, extra: Record<string, unknown> = {}, id?: string) =>
      scan('receive', code, { deliveryNo: `IN${suffix}`, ...extra }, id);

    expect(await receive(`00${pallet}`)).toMatchObject({ outcome: 'ok', message: `pallet ${pallet}` });
    const first = await receive(`]C101${gtin(1).padStart(14, '0')}10LOT-A\u001d306`);
    expect(first).toMatchObject({ outcome: 'ok', message: 'FS1: 6 of 10', detail: { batch: 'LOT-A', pallet } });
    // the same scan again (a retry after a lost answer) is answered the same and counts nothing
    expect(await receive(`]C101${gtin(1).padStart(14, '0')}10LOT-A\u001d306`, {}, first.scanId)).toEqual(first);
    expect(await receive('FS1', { qty: 4 })).toMatchObject({ outcome: 'ok', message: 'FS1: 10 of 10' });
    expect(await receive(gtin(1))).toMatchObject({ outcome: 'ok', detail: { over: 1 } });
    expect(await receive(gtin(2), { condition: 'damaged' })).toMatchObject({
      outcome: 'ok',
      message: '1 × FS2 damaged: recorded',
    });
    expect(await receive('FS2', { qty: 3 })).toMatchObject({ outcome: 'ok', message: 'FS2: 3 of 5' });
    expect(await receive('FS3')).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('not on delivery'),
    });
    expect(await receive('NO-SUCH-THING')).toMatchObject({
      outcome: 'refused',
      message: expect.stringMatching(/unknown barcode NO-SUCH-THING/),
    });
    expect(await receive('00306900000000000421')).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('check digit'),
    });
    const wrongDelivery = await scan('receive', 'FS1', { deliveryNo: 'NOPE' });
    expect(wrongDelivery).toMatchObject({ outcome: 'refused', message: 'delivery NOPE is not expected' });
    // a malformed request is a 400, not a scan
    const bad = await api('POST', '/api/floor/scans', 'staff', { scanId: 'x', operation: 'receive', code: 'A' });
    expect(bad.status).toBe(400);

    const closed = await api('POST', `/api/floor/deliveries/IN${suffix}/close`, 'super');
    expect(closed, JSON.stringify(closed.body)).toMatchObject({ status: 200, body: { status: 'closed' } });
    expect(closed.body.report).toEqual([
      { sku: 'FS1', expected: 10, good: 11, damaged: 0, unexpected: 0, batchMismatch: 0, over: 1, short: 0 },
      { sku: 'FS2', expected: 5, good: 3, damaged: 1, unexpected: 0, batchMismatch: 0, over: 0, short: 1 },
      { sku: 'FS3', expected: 0, good: 0, damaged: 0, unexpected: 1, batchMismatch: 0, over: 0, short: 0 },
    ]);
    expect(await shelf('DOCK-1')).toEqual(['FS1:10', 'FS2:3']);
    expect(await shelf('QT-01')).toEqual(['FS1:1', 'FS2:1', 'FS3:1']);
    const rec = await reconciliation();
    expect(rec.totals).toMatchObject({ bookUnits: 14, shelfUnits: 14, linesWithDifference: 0 });
    expect((await api('POST', `/api/floor/deliveries/IN${suffix}/close`, 'super')).status).toBe(409);
    expect(await receive('FS1')).toMatchObject({ outcome: 'refused', message: expect.stringContaining('closed') });
  });

  it('holds a delivery without its entry document, and books it when the document comes', async () => {
    await api('POST', '/api/floor/deliveries', 'super', {
      warehouseCode: WH,
      deliveryNo: `IH${suffix}`,
      ownerCode: OWNER,
      dockLocation: 'DOCK-1',
      lines: [{ sku: 'FS2', qty: 2 }],
    });
    await scan('receive', 'FS2', { deliveryNo: `IH${suffix}`, qty: 2 });
    const held = await api('POST', `/api/floor/deliveries/IH${suffix}/close`, 'super');
    expect(held.body).toMatchObject({ status: 'held', message: expect.stringContaining('stay on hold') });
    expect((await reconciliation()).totals.bookUnits).toBe(14);
    const booked = await api('POST', `/api/floor/deliveries/IH${suffix}/entry-document`, 'super', {
      entryDocNo: `QD2${suffix}`,
    });
    expect(booked.body).toMatchObject({ status: 'closed', entryDocNo: `QD2${suffix}` });
    expect((await reconciliation()).totals).toMatchObject({ bookUnits: 16, shelfUnits: 16, linesWithDifference: 0 });
  });

  it('puts away by scanning, refusing wrong zones with the reason', async () => {
    const item = await scan('putaway', `01${gtin(1).padStart(14, '0')}10LOT-A`);
    expect(item).toMatchObject({
      outcome: 'ok',
      message: '1 × FS1 batch LOT-A from DOCK-1',
      detail: { suggestion: 'S-01' },
    });
    expect(await scan('putaway', 'N-01')).toMatchObject({
      outcome: 'refused',
      message: 'bonded goods (FS1) cannot go into the non-bonded zone (N-01): choose a bonded location',
      next: 'scan a location of the right zone',
      zh: { message: '保税货物（FS1）不能放入非保税区（N-01）：请选择保税库位', next: '请扫描正确库区的库位' },
    });
    expect(await scan('putaway', 'INS-01')).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('inspection area'),
    });
    expect(await scan('putaway', 'S-01')).toMatchObject({ outcome: 'ok', message: '1 × FS1 put in S-01' });
    // the rest of FS1 with a count, location first
    expect(await scan('putaway', 'S-01')).toMatchObject({ outcome: 'ok', next: 'scan the goods to put here' });
    // a count above what waits is refused (nothing moves), the right count goes in
    expect(await scan('putaway', `01${gtin(1).padStart(14, '0')}10LOT-A\u001d305`)).toMatchObject({
      outcome: 'refused',
      message: '5 × FS1 batch LOT-A asked, only 4 waiting at DOCK-1',
    });
    expect(await scan('putaway', `01${gtin(1).padStart(14, '0')}10LOT-A\u001d304`)).toMatchObject({
      outcome: 'ok',
      message: '4 × FS1 put in S-01',
    });
    // (the delivery's over unit of LOT-A went to quarantine: 5 of that batch were booked at the dock)
    expect(await scan('putaway', 'FS1', { qty: 5 })).toMatchObject({ outcome: 'ok', detail: { suggestion: 'S-01' } });
    expect(await scan('putaway', 'S-02')).toMatchObject({ outcome: 'ok', message: '5 × FS1 put in S-02' });
    expect(await scan('putaway', 'FS1')).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('no FS1 is waiting at a dock'),
    });
    expect(await scan('putaway', 'FS2', { qty: 5 })).toMatchObject({ outcome: 'ok' });
    expect(await scan('putaway', 'S-03')).toMatchObject({ outcome: 'ok', message: '5 × FS2 put in S-03' });
    expect(await shelf('DOCK-1')).toEqual([]);
    expect(await shelf('S-01')).toEqual(['FS1:5']);
    expect(await shelf('S-02')).toEqual(['FS1:5']);
    expect((await reconciliation()).totals).toMatchObject({ bookUnits: 16, shelfUnits: 16, linesWithDifference: 0 });
  });

  const EBP = 'PLATF00002';
  const PAY = 'PAYF000002';
  const LOGI = 'LOGIF00002';
  const parcel = (n: number) => `YTF${suffix}${n}`;
  /** A consumer order with payment and waybill that pass the three-document match. */
  const order = (n: number, sku: string, qty: number, declaredKg: string) =>
    consumerOrderDocs({
      warehouseCode: WH,
      ebpCode: EBP,
      ebcCode: OWNER,
      payCode: PAY,
      logisticsCode: LOGI,
      orderNo: `SOF${suffix}${n}`,
      logisticsNo: parcel(n),
      sku,
      qty,
      buyer: 2000 + n,
      declaredKg,
    });
  let waveNo = '';

  it('builds a pick wave from parcels customs accepted and picks them by scanning bin then item', async () => {
    await api('POST', '/api/master-data', 'super', {
      enterprises: [
        { code: EBP, name: 'Platform', roles: ['ebp'] },
        { code: PAY, name: 'Pay', roles: ['pay'] },
        { code: LOGI, name: 'Express', roles: ['logistics'] },
      ],
    });
    const docs = [
      order(1, 'FS1', 5, '1.05'),
      order(2, 'FS2', 2, '0.40'),
      order(3, 'FS1', 1, '0.20'),
      order(4, 'FS2', 2, '0.40'),
    ];
    const imported = await api('POST', '/api/customs/documents?wait=true', 'super', documentsBody(docs));
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
    const declared = await api('POST', '/api/customs/declarations', 'super', { direction: 'import', all: true });
    expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 4, refused: 0 });
    await authority.settle();
    await waitFor('customs to answer the four lists', async () => {
      const rows = await query<{ customs_status: number | null }>(
        databaseUrl,
        `select customs_status from inventory_list where logistics_no like $1`,
        [`YTF${suffix}%`],
      );
      return rows.length === 4 && rows.every((r) => r.customs_status === 800 || r.customs_status === 500);
    });

    const wave = await api('POST', '/api/floor/waves', 'super', { warehouseCode: WH });
    expect(wave, JSON.stringify(wave.body)).toMatchObject({ status: 201, body: { parcels: 3, tasks: 3, skipped: [] } });
    waveNo = wave.body.waveNo;
    const tasks = (await api('GET', `/api/floor/waves/${waveNo}`, 'staff')).body.tasks;
    expect(tasks.map((t: any) => [t.logisticsNo, t.sku, t.location, t.qty])).toEqual([
      [parcel(1), 'FS1', 'S-01', 5],
      [parcel(2), 'FS2', 'S-03', 2],
      [parcel(4), 'FS2', 'S-03', 2],
    ]);
    // a second wave finds nothing new; the parcel under inspection is not in any wave
    expect((await api('POST', '/api/floor/waves', 'super', { warehouseCode: WH })).body).toMatchObject({ parcels: 0 });

    expect(await scan('pick', 'FS1')).toMatchObject({ outcome: 'refused', message: 'scan the bin first' });
    expect(await scan('pick', 'S-02')).toMatchObject({ outcome: 'refused', message: 'nothing to pick at S-02' });
    expect(await scan('pick', 'S-01')).toMatchObject({ outcome: 'ok', message: 'bin S-01: pick 5 × FS1' });
    expect(await scan('pick', 'FS2')).toMatchObject({
      outcome: 'refused',
      message: 'FS2 is not to be picked from S-01',
    });
    const picked = await scan('pick', `01${gtin(1).padStart(14, '0')}10LOT-A\u001d305`);
    expect(picked).toMatchObject({ outcome: 'ok', detail: { logisticsNo: parcel(1), qty: 5, parcelLeft: 0 } });
    expect(picked.next).toContain('complete');
    // the same scan again changes nothing; the emptied bin has nothing more to give
    expect(await scan('pick', 'x', {}, picked.scanId)).toEqual(picked);
    expect(await scan('pick', 'S-01')).toMatchObject({ outcome: 'refused', message: 'nothing to pick at S-01' });
    expect(await shelf('S-01')).toEqual([]);
    expect(await shelf(`PARCEL:${parcel(1)}`)).toEqual(['FS1:5']);

    expect(await scan('pick', 'S-03')).toMatchObject({ outcome: 'ok', message: 'bin S-03: pick 4 × FS2' });
    expect(await scan('pick', 'FS2', { qty: 2 })).toMatchObject({
      outcome: 'ok',
      detail: { logisticsNo: parcel(2), parcelLeft: 0 },
    });
    // parcel 4: the picker reports the bin short
    const short = await api('POST', `/api/floor/picks/${tasks[2].id}/short`, 'staff', {
      reason: 'two units crushed in the bin',
    });
    expect(short.body).toMatchObject({ logisticsNo: parcel(4), missing: 2 });
    expect((await api('POST', `/api/floor/picks/${tasks[2].id}/short`, 'staff', { reason: 'again' })).status).toBe(409);
    expect((await api('POST', '/api/floor/picks/abc/short', 'staff', { reason: 'nope' })).status).toBe(404);

    expect((await api('POST', `/api/parcels/${parcel(1)}/pack`, 'staff', {})).status).toBe(201);
    expect((await api('POST', `/api/parcels/${parcel(2)}/pack`, 'staff', {})).status).toBe(201);
    const notPicked = await api('POST', `/api/parcels/${parcel(4)}/pack`, 'staff', {});
    expect(notPicked.status).toBe(409);
    expect(notPicked.body.message).toMatch(/2 unit\(s\) reported short/);
    // the parcel customs inspected and then released is packed the quick way, from free stock only
    expect(authority.conclude(parcel(3), 'release')).toBe(true);
    await authority.settle();
    await waitFor('the release after inspection', async () => {
      const [r] = await query<{ customs_status: number }>(
        databaseUrl,
        'select customs_status from inventory_list where logistics_no = $1',
        [parcel(3)],
      );
      return r.customs_status === 800;
    });
    expect((await api('POST', `/api/parcels/${parcel(3)}/pack`, 'staff', {})).status).toBe(201);
    expect(await shelf('S-02')).toEqual(['FS1:4']);
    expect((await reconciliation()).totals).toMatchObject({ bookUnits: 16, shelfUnits: 16, linesWithDifference: 0 });
  });

  const printLabel = async (n: number) =>
    (await api('POST', `/api/floor/parcels/${parcel(n)}/label`, 'staff', { stationId: STATION })).body;

  async function weight(grossGrams: number) {
    const eventId = randomUUID();
    await agent.publishAsync(
      topics.agentEvents(AGENT),
      JSON.stringify({
        agentId: AGENT,
        sentAt: new Date().toISOString(),
        events: [
          {
            type: 'weight',
            eventId,
            agentId: AGENT,
            deviceId: SCALE,
            stationId: STATION,
            seq: Date.now(),
            occurredAt: new Date().toISOString(),
            grossGrams,
            tareGrams: 0,
            netGrams: grossGrams,
            raw: Buffer.from(`S S ${grossGrams} g`).toString('base64'),
            protocol: 'mt-sics',
          },
        ],
      }),
      { qos: 1 },
    );
    await waitFor(
      'the weight to be recorded',
      async () => (await query(databaseUrl, 'select 1 from weight_event where event_id = $1', [eventId])).length === 1,
    );
  }

  it('weighs parcels on the station scale: within tolerance passes, outside is held and refused at the gate', async () => {
    await weight(1040);
    const ok = await api('POST', '/api/floor/weighings', 'staff', { logisticsNo: parcel(1), stationId: STATION });
    expect(ok.body, JSON.stringify(ok.body)).toMatchObject({
      within: true,
      grossGrams: 1040,
      declaredGrams: 1050,
      expectedGrams: 1000,
      held: false,
    });
    // the first parcel's weight is not the second's
    const stale = await api('POST', '/api/floor/weighings', 'staff', { logisticsNo: parcel(2), stationId: STATION });
    expect(stale.status).toBe(400);
    expect(stale.body.message).toMatch(/no stable weight for parcel/);
    // a weight hold is news like a customs hold: the centre's screens hear it, a seller's do not
    const floorScreen = await connectLive(server.url, await app.signIn('floorScreen', ['staff']));
    const sellerScreen = await connectLive(server.url, await app.signIn('sellerScreen', ['seller']));
    const heard: { floor: unknown[]; seller: unknown[] } = { floor: [], seller: [] };
    floorScreen.on('parcel.hold', (m) => heard.floor.push(m));
    sellerScreen.on('parcel.hold', (m) => heard.seller.push(m));
    await weight(520);
    const off = await api('POST', '/api/floor/weighings', 'staff', { logisticsNo: parcel(2), stationId: STATION });
    expect(off.body).toMatchObject({
      within: false,
      held: true,
      message: expect.stringContaining('declared 0.400 kg'),
    });
    await waitFor('the hold to reach the floor screen', () => heard.floor.length > 0);
    expect(heard.floor).toEqual([
      { logisticsNo: parcel(2), held: true, reason: expect.stringContaining('weight check'), by: 'weight-check' },
    ]);
    // the event went out before the weighing answered; a round trip on the seller's socket comes after it
    await sellerScreen.emitWithAck('station.watch', { stationId: '*' });
    expect(heard.seller).toEqual([]);
    floorScreen.close();
    sellerScreen.close();
    const gate = await api('POST', '/api/gate/passes', 'staff', { logisticsNo: parcel(2) });
    expect(gate.body).toMatchObject({ code: 'GATE_REFUSED', message: expect.stringContaining('weight check') });
    // weighed within tolerance is not enough: the gate asks for the label too
    expect((await api('POST', '/api/gate/passes', 'staff', { logisticsNo: parcel(1) })).body.message).toMatch(
      /has no label/,
    );
    expect(await printLabel(1)).toMatchObject({ status: 'done', reprint: 0 });
    expect((await api('POST', '/api/gate/passes', 'staff', { logisticsNo: parcel(1) })).status).toBe(201);
    // (parcel 1 has left, so nothing weighs it any more: parcel 3, still inside, at a station without a scale)
    const noScale = await api('POST', '/api/floor/weighings', 'staff', {
      logisticsNo: parcel(3),
      stationId: 'NO-STATION',
    });
    expect(noScale.status).toBe(400);
    expect(noScale.body.message).toMatch(/no stable weight/);
    expect((await reconciliation()).totals).toMatchObject({ bookUnits: 11, shelfUnits: 11, linesWithDifference: 0 });
  });

  it('counts blind by scanning and reports differences for customs without adjusting anything', async () => {
    const started = await api('POST', '/api/floor/stocktakes', 'super', {
      warehouseCode: WH,
      locations: ['S-02', 'S-03'],
    });
    expect(started.status).toBe(201);
    const no = started.body.stocktakeNo;
    const count = (code: string, extra: Record<string, unknown> = {}) =>
      scan('stocktake', code, { stocktakeNo: no, ...extra });
    expect(await count('FS1')).toMatchObject({ outcome: 'refused', message: 'scan the location first' });
    expect(await count('S-01')).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('not part of stock-take'),
    });
    expect(await count('S-02')).toMatchObject({ outcome: 'ok' });
    const counted = await count('FS1', { qty: 4 });
    expect(counted).toMatchObject({ outcome: 'ok', message: '4 × FS1 counted in S-02' });
    expect(JSON.stringify(counted)).not.toMatch(/expected/);
    expect(await count('S-03')).toMatchObject({ outcome: 'ok' });
    expect(await count('FS2')).toMatchObject({ outcome: 'ok' });
    const before = await query<{ n: string }>(databaseUrl, 'select count(*) as n from stock_movement');
    const closed = await api('POST', `/api/floor/stocktakes/${no}/close`, 'super');
    expect(closed.body).toMatchObject({
      status: 'closed',
      countedUnits: 5,
      differences: [{ location: 'S-03', sku: 'FS2', expected: 3, counted: 1, difference: -2 }],
    });
    const after = await query<{ n: string }>(databaseUrl, 'select count(*) as n from stock_movement');
    expect(after[0].n).toBe(before[0].n);
    const forCustoms = await api('GET', `/api/floor/discrepancies?warehouseCode=${WH}`, 'officer');
    expect(forCustoms.body[0]).toMatchObject({ stocktakeNo: no, differences: [{ sku: 'FS2', difference: -2 }] });
    expect(await count('S-02')).toMatchObject({ outcome: 'refused', message: expect.stringContaining('closed') });
  });

  it('shows the supervisor what is in progress, what is held and which scans were refused', async () => {
    const board = await api('GET', `/api/floor/board?warehouseCode=${WH}`, 'super');
    expect(board.body.counts).toMatchObject({ shortPicks: 1, held: 1, packedWaiting: 2, deliveriesOpen: 0 });
    expect(board.body.holds[0]).toMatchObject({ logisticsNo: parcel(2), by: 'weight-check' });
    expect(board.body.refusedScans.length).toBeGreaterThan(5);
    expect((await api('GET', `/api/floor/board?warehouseCode=${WH}`, 'staff')).status).toBe(403);
  });

  it('answers one scan id sent twice at the same moment exactly once', async () => {
    await api('POST', '/api/floor/deliveries', 'super', {
      warehouseCode: WH,
      deliveryNo: `IC${suffix}`,
      ownerCode: OWNER,
      entryDocNo: `QD3${suffix}`,
      dockLocation: 'DOCK-1',
      lines: [{ sku: 'FS1', qty: 3 }],
    });
    const id = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => scan('receive', 'FS1', { deliveryNo: `IC${suffix}` }, id)),
    );
    for (const a of answers) expect(a).toEqual(answers[0]);
    const delivery = await api('GET', `/api/floor/deliveries/IC${suffix}`, 'staff');
    expect(delivery.body.counted).toEqual([{ sku: 'FS1', batch: '', condition: 'good', qty: 1 }]);
  });

  it('lets a supervisor lift the weight-check hold after re-weighing, but not a customs hold', async () => {
    const unexplained = await api('DELETE', `/api/customs/holds/${parcel(2)}`, 'super');
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.message).toMatch(/say why/);
    // a reason without a re-weigh is not enough either
    const unweighed = await api('DELETE', `/api/customs/holds/${parcel(2)}`, 'super', { reason: 'looks fine' });
    expect(unweighed.status).toBe(409);
    expect(unweighed.body.message).toMatch(/not re-weighed since its weight-check hold/);
    await weight(410);
    const reweighed = await api('POST', '/api/floor/weighings', 'staff', {
      logisticsNo: parcel(2),
      stationId: STATION,
    });
    expect(reweighed.body).toMatchObject({ within: true, grossGrams: 410 });
    expect(await printLabel(2)).toMatchObject({ status: 'done' });
    const lifted = await api('DELETE', `/api/customs/holds/${parcel(2)}`, 'super', {
      reason: 're-weighed: within tolerance',
    });
    expect(lifted, JSON.stringify(lifted.body)).toMatchObject({ status: 200, body: { held: false } });
    expect((await api('POST', '/api/gate/passes', 'staff', { logisticsNo: parcel(2) })).status).toBe(201);
    expect(
      (await api('POST', '/api/customs/holds', 'officer', { logisticsNo: parcel(3), reason: 'x-ray check' })).status,
    ).toBe(201);
    const refused = await api('DELETE', `/api/customs/holds/${parcel(3)}`, 'super');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/only a customs officer can lift that hold/);
    expect((await api('DELETE', `/api/customs/holds/${parcel(3)}`, 'officer', { reason: 'x-ray clear' })).status).toBe(
      200,
    );
  });
});

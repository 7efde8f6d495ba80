import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gs1CheckDigit, isValidSscc } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EdgeAgent } from '../../edge-agent/src/agent.js';
import { agentConfigSchema } from '../../edge-agent/src/config/agent-config.js';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { decodeLabel } from '../../hardware-sim/src/devices/zpl-barcodes.js';
import { type PrintedLabel, ZplPrinterEmulator } from '../../hardware-sim/src/devices/zpl-printer.emulator.js';
import { type PackingStation, packingStation } from '../../test/support/packing-station.js';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../../test/support/trade-docs.js';
import { DevicesService } from '../src/modules/devices/devices.service.js';

/**
 * Bags and pallets get their GS1 logistic label (issue 11), on the real stack: the loading
 * station's label printer is a ZPL printer on raw TCP (the simulator's printer state machine behind
 * a real socket), driven by a real edge agent over the real broker. A unit created at the station
 * prints at once and the SSCC is read back from the ZPL the printer received; a reprint needs a
 * reason and, once the bag is filled and loaded, carries the count, the weight and the trip.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-unit-labels-'));
chmodSync(dir, 0o755);
const WH = 'BC13';
const OTHER_WH = 'BC14';
const EMS = 'T5165W000013';
const OWNER = 'OWN0000013';
const EBP = 'PLATU00013';
const PAY = 'PAYU000013';
const LOGI = 'LOGIU00013';
const LOAD_STATION = `LD-${suffix}`;
const BARE_STATION = `NP-${suffix}`;
const AGENT = `agent-load-${suffix}`;
const PRINTER = `PRN-LD-${suffix}`;
const parcel = (n: number) => `YTU${suffix}${n}`;
const gtin = (n: number) => {
  const body = `690000013${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};

let app: TestServer;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
let databaseUrl: string;
let authority: CustomsAuthority;
let packing: PackingStation;
let agent: EdgeAgent;
let printerPort: Server;
const printer = new ZplPrinterEmulator();
/** Every label that came out of the TCP printer, in order. */
const received: PrintedLabel[] = [];
const sockets = new Set<Socket>();

const texts = (zpl: string) => decodeLabel(zpl).texts.map((t) => t.replace(/\\&/g, ' '));
const lastLabel = () => received.at(-1)!;

beforeAll(async () => {
  app = await startTestServer(
    'unitlabels',
    { CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'), CUSTOMS_INBOX_DIR: join(dir, 'inbox'), CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], staff: ['staff'] },
    { checkAnswers: true },
  );
  databaseUrl = app.databaseUrl;
  packing = await packingStation(app.server, databaseUrl, 'PKU');

  // the loading station's network printer: raw TCP, each connection its own link into the printer
  printerPort = createServer((socket) => {
    sockets.add(socket);
    const link = printer.openConnection();
    socket.on('data', (bytes) => {
      const result = link.receive(bytes);
      received.push(...result.printed);
      if (result.reply.length) socket.write(result.reply);
    });
    socket.on('close', () => {
      link.close();
      sockets.delete(socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => printerPort.listen(0, '127.0.0.1', resolve));
  const port = (printerPort.address() as { port: number }).port;
  await app.server.app.get(DevicesService).registerAgent({
    agentId: AGENT,
    name: 'loading station agent',
    secret: 'load-secret',
    stations: [
      { stationId: LOAD_STATION, name: 'Loading station' },
      { stationId: BARE_STATION, name: 'Station without a printer' },
    ],
    devices: [{ deviceId: PRINTER, stationId: LOAD_STATION, kind: 'printer', name: 'loading label printer' }],
  });
  agent = new EdgeAgent(
    agentConfigSchema.parse({
      agentId: AGENT,
      secret: 'load-secret',
      mqttUrl: inject('mqttUrl'),
      mqttProtocolVersion: inject('mqttProtocolVersion'),
      outboxPath: join(dir, 'agent-outbox.db'),
      devices: [
        { kind: 'printer', deviceId: PRINTER, stationId: LOAD_STATION, serial: { path: `tcp://127.0.0.1:${port}` } },
      ],
    }),
    () => undefined,
  );
  agent.start();
  await waitFor('the loading agent on the broker', () => agent.transport.connected, 20_000);

  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    seed: 13,
    mix: { release: 1 },
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  const zones = [
    { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK-U', purpose: 'dock' }, 'U-01'] },
    { code: 'QT', kind: 'quarantine', locations: ['QT-U'] },
  ];
  const md = await api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: OWNER, name: 'Label Seller', roles: ['ebc', 'owner'] },
      { code: EBP, name: 'Platform', roles: ['ebp'] },
      { code: PAY, name: 'Pay', roles: ['pay'] },
      { code: LOGI, name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: '宁波保税物流中心',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W13',
        emsNo: EMS,
        zones,
      },
      {
        code: OTHER_WH,
        name: 'Other centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W14',
        emsNo: `${EMS}X`,
        zones,
      },
    ],
    goods: [1].map((n) => ({
      ownerCode: OWNER,
      sku: `GU${n}`,
      gtin: gtin(n),
      gcode: '3304990010',
      name: `Toner ${n}`,
      unit: '011',
      declaredPrice: '99.00',
      country: '116',
      grossGrams: 300,
    })),
    bookLines: [{ emsNo: EMS, putrecSeqno: 1, itemNo: 'GU1', gcode: '3304990010', gname: '爽肤水 1', unit: '011' }],
  });
  expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
  const entry = await api('POST', '/api/bonded/entries', 'staff', {
    warehouseCode: WH,
    docNo: `QDU${suffix}`,
    ownerCode: OWNER,
    lines: [{ sku: 'GU1', batch: 'B1', qty: 10, location: 'U-01' }],
  });
  expect(entry, JSON.stringify(entry.body)).toMatchObject({ status: 201 });
  const docs = [1, 2].map((n) =>
    consumerOrderDocs({
      warehouseCode: WH,
      ebpCode: EBP,
      ebcCode: OWNER,
      payCode: PAY,
      logisticsCode: LOGI,
      orderNo: `SOU${suffix}${n}`,
      logisticsNo: parcel(n),
      sku: 'GU1',
      qty: 1,
      buyer: 6000 + n,
      declaredKg: '0.30',
    }),
  );
  const imported = await api('POST', '/api/customs/documents?wait=true', 'super', documentsBody(docs));
  expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
  const declared = await api('POST', '/api/customs/declarations', 'super', { direction: 'import', all: true });
  expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 2, refused: 0 });
  await authority.settle();
  await waitFor('customs to release both lists', async () => {
    const rows = await query<{ customs_status: number | null }>(
      databaseUrl,
      'select customs_status from inventory_list where logistics_no like $1',
      [`YTU${suffix}%`],
    );
    return rows.length === 2 && rows.every((r) => r.customs_status === 800);
  });
  // each parcel packed, weighed (310 g) and labelled at the packing station
  for (const n of [1, 2]) {
    expect((await api('POST', `/api/parcels/${parcel(n)}/pack`, 'staff', {})).status).toBe(201);
    await packing.weigh(310);
    const weighed = await api('POST', '/api/floor/weighings', 'staff', {
      logisticsNo: parcel(n),
      stationId: packing.stationId,
    });
    expect(weighed.body, JSON.stringify(weighed.body)).toMatchObject({ within: true, held: false });
    const labelled = await api('POST', `/api/floor/parcels/${parcel(n)}/label`, 'staff', {
      stationId: packing.stationId,
    });
    expect(labelled.body, JSON.stringify(labelled.body)).toMatchObject({ status: 'done' });
  }
}, 180_000);

afterAll(async () => {
  await authority?.stop();
  await agent?.stop();
  await packing?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => printerPort?.close(resolve));
  await app?.close();
});

async function loadScan(code: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/api/floor/scans', 'staff', {
    scanId: randomUUID(),
    operation: 'load',
    warehouseCode: WH,
    stationId: LOAD_STATION,
    code,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { outcome: string; message: string };
}

describe('bag and pallet labels (issue 11)', () => {
  let bag: string;

  it('prints a new bag’s label at the station it was created at; the SSCC is read back off the printed ZPL', async () => {
    const before = received.length;
    const created = await api('POST', '/api/floor/units', 'staff', {
      warehouseCode: WH,
      kind: 'bag',
      stationId: LOAD_STATION,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    bag = created.body.sscc;
    expect(isValidSscc(bag)).toBe(true);
    expect(created.body).toMatchObject({
      kind: 'bag',
      warehouseCode: WH,
      label: {
        sscc: bag,
        jobId: `ULB-${bag}`,
        reprint: 0,
        deviceId: PRINTER,
        status: 'done',
        reason: null,
        parcels: null,
        grossGrams: null,
        message: `label of bag ${bag} printed on ${PRINTER}: stick it on`,
        zh: { message: `袋 ${bag} 的标签已在 ${PRINTER} 打印：请贴上` },
      },
    });
    expect(received.length).toBe(before + 1);
    const label = lastLabel();
    expect(label.jobId).toBe(`ULB-${bag}`);
    const decoded = decodeLabel(label.zpl);
    expect(decoded.barcodes).toEqual([{ symbology: 'gs1-128', data: `00${bag}`, errors: [] }]);
    expect(texts(label.zpl)).toEqual(
      expect.arrayContaining(['BAG 袋', '宁波保税物流中心', 'Gate of 宁波保税物流中心 (5165W13)', `(00) ${bag}`]),
    );
    const rows = await query<{ status: string; station_id: string; reprint: number }>(
      databaseUrl,
      'select status, station_id, reprint from unit_label_print where sscc = $1',
      [bag],
    );
    expect(rows).toEqual([{ status: 'done', station_id: LOAD_STATION, reprint: 0 }]);
  });

  it('creates nothing at a station without a printer, and prints nothing without a station', async () => {
    const count = async () =>
      Number(
        (
          await query<{ n: string }>(databaseUrl, 'select count(*) as n from handling_unit where warehouse_code = $1', [
            WH,
          ])
        )[0].n,
      );
    const units = await count();
    const refused = await api('POST', '/api/floor/units', 'staff', {
      warehouseCode: WH,
      kind: 'pallet',
      stationId: BARE_STATION,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      `station ${BARE_STATION} has no label printer: choose a station with one, or register its printer`,
    );
    expect(await count()).toBe(units);

    const printedBefore = received.length;
    const silent = await api('POST', '/api/floor/units', 'staff', { warehouseCode: WH, kind: 'pallet' });
    expect(silent.status).toBe(201);
    expect(silent.body.label).toBeUndefined();
    expect(received.length).toBe(printedBefore);
    // printed later from the route: the first print needs no reason; the next one does
    const pallet = silent.body.sscc;
    const first = await api('POST', `/api/floor/units/${pallet}/label`, 'staff', {
      warehouseCode: WH,
      stationId: LOAD_STATION,
    });
    expect(first.body).toMatchObject({ jobId: `ULB-${pallet}`, reprint: 0, status: 'done' });
    expect(texts(lastLabel().zpl)).toContain('PALLET 托盘');
    const again = await api('POST', `/api/floor/units/${pallet}/label`, 'staff', {
      warehouseCode: WH,
      stationId: LOAD_STATION,
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(
      `the label of pallet ${pallet} was already printed (done, job ULB-${pallet}): a reprint must be asked for, with its reason`,
    );
  });

  it('refuses an unknown SSCC (404) and a unit of another warehouse (409), saying which', async () => {
    const unknown = '169000000000099998';
    const notFound = await api('POST', `/api/floor/units/${unknown}/label`, 'staff', {
      warehouseCode: WH,
      stationId: LOAD_STATION,
      reprint: { reason: 'torn' },
    });
    expect(notFound.status).toBe(404);
    expect(notFound.body.message).toBe(
      `no bag or pallet has SSCC ${unknown}: check the number, or create the unit first`,
    );
    const other = await api('POST', `/api/floor/units/${bag}/label`, 'staff', {
      warehouseCode: OTHER_WH,
      stationId: LOAD_STATION,
      reprint: { reason: 'torn' },
    });
    expect(other.status).toBe(409);
    expect(other.body.message).toBe(`bag ${bag} belongs to warehouse ${WH}, not ${OTHER_WH}: print its label there`);
  });

  it('reprints a filled and loaded bag with its reason: count, gross weight (AI 3303) and the trip on the label', async () => {
    expect(await loadScan(`00${bag}`)).toMatchObject({ outcome: 'ok' });
    for (const n of [1, 2]) expect(await loadScan(parcel(n))).toMatchObject({ outcome: 'ok' });
    const trip = (await api('POST', '/api/floor/trips', 'staff', { warehouseCode: WH, plate: '浙B12345' })).body.tripNo;
    expect(await loadScan(`00${bag}`, { tripNo: trip })).toMatchObject({ outcome: 'ok' });

    const reprint = await api('POST', `/api/floor/units/${bag}/label`, 'staff', {
      warehouseCode: WH,
      stationId: LOAD_STATION,
      reprint: { reason: 'final count and weight after loading' },
    });
    // two parcels of 310 g and the bag's 200 g (FLOOR_BAG_TARE_KG)
    expect(reprint.body, JSON.stringify(reprint.body)).toMatchObject({
      jobId: `ULB-${bag}-R1`,
      reprint: 1,
      status: 'done',
      parcels: 2,
      grossGrams: 820,
    });
    const label = lastLabel();
    expect(label.jobId).toBe(`ULB-${bag}-R1`);
    expect(decodeLabel(label.zpl).barcodes.map((b) => b.data)).toEqual(['3303000820', `00${bag}`]);
    expect(texts(label.zpl)).toEqual(
      expect.arrayContaining([
        'REPRINT 1',
        'Contents 件数: 2 parcels',
        'Gross weight 毛重: 0.820 kg',
        `Trip ${trip}, vehicle 浙B12345`,
      ]),
    );
    const rows = await query<{ reprint: number; reason: string | null; parcels: number; gross_grams: string }>(
      databaseUrl,
      'select reprint, reason, parcels, gross_grams from unit_label_print where sscc = $1 order by reprint',
      [bag],
    );
    expect(
      rows.map((r) => [r.reprint, r.reason, r.parcels, r.gross_grams === null ? null : Number(r.gross_grams)]),
    ).toEqual([
      [0, null, null, null],
      [1, 'final count and weight after loading', 2, 820],
    ]);
    const history = await query<{ disposition: string }>(
      databaseUrl,
      `select disposition from trace_event where object_kind = 'stock' and object_id = $1 and disposition like 'label%' order by id`,
      [bag],
    );
    expect(history.map((h) => h.disposition)).toEqual(['label_printed', 'label_reprinted']);
  });
});

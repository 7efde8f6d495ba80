import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { children, leafFields, parseXml } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { type PackingStation, packingStation } from '../../test/support/packing-station.js';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';

/**
 * The 9610 export chain at a consolidation warehouse (issue 14 point 8) on the real stack: real
 * PostgreSQL, the server in this process, the customs simulator on the real watched folders with
 * duplicated and reordered receipts. Export lists released; the parcels scanned in and reported as
 * arrived (CEB507 -> CEB508); bagged and loaded onto a trip; grouped under the flight's master
 * waybill (CEB607 -> CEB608); the vehicle leaves; the departure reported (CEB509 -> CEB510); each
 * step refused, with the parcel and the reason, while the one before it is missing; and every
 * parcel's trace shows arriving, loading and departing with the documents.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-export-chain-'));
chmodSync(dir, 0o755);
const outbox = join(dir, 'outbox');
const inbox = join(dir, 'inbox');
const WH = 'CW61';
const EBP = 'PLATX00061';
const EBC = 'EBCX000061';
const LOGI = 'LOGIX00061';
const OPERATOR = 'OPX0000061';
const parcel = (n: number) => `EXC${suffix}${n}`;
let app: TestServer;
let databaseUrl: string;
let authority: CustomsAuthority;
let station: PackingStation;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);

async function scan(code: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/api/floor/scans', 'staff', {
    scanId: randomUUID(),
    operation: 'load',
    warehouseCode: WH,
    stationId: station.stationId,
    code,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { outcome: 'ok' | 'refused'; message: string };
}
const reports = async (q: string) => (await api('GET', `/api/export-chain/reports?${q}`, 'officer')).body.items;
const sentFile = (fileName: string) =>
  readFileSync([join(outbox, fileName), join(outbox, 'taken', fileName)].find((f) => existsSync(f))!, 'utf8');
/** Waits until the report has the status its receipts lead to. */
const settled = async (copNo: string, q: string) => {
  await authority.settle();
  return waitFor(`the receipts of ${copNo}`, async () => {
    const r = (await reports(q)).find((x: { copNo: string }) => x.copNo === copNo);
    return r && r.status !== null && r.status !== 120 ? r : null;
  });
};

beforeAll(async () => {
  app = await startTestServer(
    'exportchain',
    { CUSTOMS_OUTBOX_DIR: outbox, CUSTOMS_INBOX_DIR: inbox, CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], staff: ['staff'], officer: ['customs'] },
    { checkAnswers: true },
  );
  databaseUrl = app.databaseUrl;
  station = await packingStation(app.server, databaseUrl, 'EXC');
  authority = new CustomsAuthority({
    outbox,
    inbox,
    seed: 61,
    mix: { release: 1 },
    duplicateRate: 0.5,
    reorder: true,
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  const md = await api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: EBP, name: 'Export Platform', roles: ['ebp'] },
      { code: EBC, name: 'Export Seller', roles: ['ebc', 'owner'] },
      { code: LOGI, name: 'Export Express', roles: ['logistics'] },
      { code: OPERATOR, name: 'Yiwu Consolidation Operator', roles: ['iac'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Yiwu consolidation warehouse',
        kind: 'consolidation',
        customsCode: '2921',
        loctNo: '2921C061',
        operatorCode: OPERATOR,
        gateRequiresWeighing: false,
        gateRequiresLabel: false,
      },
    ],
    goods: [
      {
        ownerCode: EBC,
        sku: 'EXS1',
        gtin: '06900000610018',
        gcode: '6109100021',
        name: 'Cotton T-shirt',
        unit: '011',
        declaredPrice: '50.00',
        country: '142',
        grossGrams: 250,
      },
    ],
  });
  expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
  const orders = [1, 2, 3, 4].map((n) => ({
    tradeMode: '9610',
    warehouseCode: WH,
    orderNo: `EXO${suffix}${n}`,
    ebpCode: EBP,
    ebpName: 'Export Platform',
    ebcCode: EBC,
    ebcName: 'Export Seller',
    goodsValue: '100.00',
    freight: '0',
    country: '502',
    lines: [
      { gnum: 1, itemNo: 'EXS1', itemName: 'T-shirt', unit: '011', qty: '2', price: '50.00', totalPrice: '100.00' },
    ],
  }));
  const waybills = orders.map((o, i) => ({
    logisticsCode: LOGI,
    logisticsName: 'Export Express',
    logisticsNo: parcel(i + 1),
    orderNo: o.orderNo,
    grossWeight: '0.6',
    ebcCode: EBC,
    ebcName: 'Export Seller',
    // an export list names how and where the parcel leaves (issue 14.5)
    trafMode: '5',
    pod: 'USLAX',
  }));
  const imported = await api('POST', '/api/customs/documents?wait=true', 'super', {
    direction: 'export',
    orders,
    waybills,
  });
  expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
  const declared = await api('POST', '/api/customs/declarations', 'super', {
    direction: 'export',
    orders: orders.map((o) => ({ ebpCode: EBP, orderNo: o.orderNo })),
  });
  expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 4, refused: 0 });
  await authority.settle();
  await waitFor('the four export lists released', async () => {
    const rows = await query<{ customs_status: number | null }>(
      databaseUrl,
      `select customs_status from inventory_list where logistics_no like $1`,
      [`EXC${suffix}%`],
    );
    return rows.length === 4 && rows.every((r) => r.customs_status === 800) ? rows : null;
  });
}, 120_000);

afterAll(async () => {
  await authority?.stop();
  await station?.close();
  await app?.close();
});

describe('the 9610 export chain at a consolidation warehouse (issue 14 point 8)', () => {
  let tripNo: string;
  let bag: string;

  it('reports the parcels scanned in at the site (CEB507), refusing what may not be reported and why', async () => {
    const refused = await api('POST', '/api/export-chain/arrivals', 'staff', {
      warehouseCode: WH,
      logisticsNos: [parcel(1), 'NO-SUCH-PARCEL', parcel(1)],
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CUSTOMS_STATE' });
    expect(refused.body.details.problems).toEqual([
      'NO-SUCH-PARCEL: no export list names this waybill; declare its CEB603 list first',
      `${parcel(1)}: scanned twice in this arrival; report it once`,
    ]);
    const wrongSite = await api('POST', '/api/export-chain/arrivals', 'staff', {
      warehouseCode: 'NOPE61',
      logisticsNos: [parcel(1)],
    });
    expect(wrongSite.status).toBe(404);

    const arrival = await api('POST', '/api/export-chain/arrivals', 'staff', {
      warehouseCode: WH,
      logisticsNos: [parcel(1), parcel(2), parcel(3)],
      domesticTrafNo: '浙G61061',
      readPoint: 'DOCK-IN-1',
    });
    expect(arrival, JSON.stringify(arrival.body)).toMatchObject({
      status: 201,
      body: { messageType: 'CEB507', parcels: 3 },
    });
    const xml = parseXml(sentFile(arrival.body.fileName));
    const head = leafFields(children(children(xml, 'Arrival')[0], 'ArrivalHead')[0]);
    expect(head).toMatchObject({
      customsCode: '2921',
      copNo: arrival.body.copNo,
      operatorCode: OPERATOR,
      operatorName: 'Yiwu Consolidation Operator',
      loctNo: '2921C061',
      ieFlag: 'E',
      trafMode: '4',
      domesticTrafNo: '浙G61061',
      logisticsCode: LOGI,
      logisticsName: 'Export Express',
    });
    expect(children(children(xml, 'Arrival')[0], 'ArrivalList').map((l) => leafFields(l).logisticsNo)).toEqual([
      parcel(1),
      parcel(2),
      parcel(3),
    ]);
    // duplicated and reordered receipts (399 before 120) end recorded
    const report = await settled(arrival.body.copNo, `logisticsNo=${parcel(2)}`);
    expect(report).toMatchObject({ kind: 'arrival', messageType: 'CEB507', status: 399 });
    const again = await api('POST', '/api/export-chain/arrivals', 'staff', {
      warehouseCode: WH,
      logisticsNos: [parcel(2)],
    });
    expect(again.status).toBe(409);
    expect(again.body.details.problems).toEqual([`${parcel(2)}: already reported as arrived on ${arrival.body.copNo}`]);
  });

  it('bags and loads them; a parcel never scanned in keeps the trip off a master waybill (CEB607)', async () => {
    bag = (await api('POST', '/api/floor/units', 'staff', { warehouseCode: WH, kind: 'bag' })).body.sscc;
    expect(await scan(`00${bag}`)).toMatchObject({ outcome: 'ok' });
    for (const n of [1, 2, 3, 4]) expect(await scan(parcel(n))).toMatchObject({ outcome: 'ok' });
    tripNo = (await api('POST', '/api/floor/trips', 'staff', { warehouseCode: WH, plate: '浙G61061' })).body.tripNo;
    expect(await scan(`00${bag}`, { tripNo })).toMatchObject({ outcome: 'ok' });

    const voyage = { billNo: `784-${suffix.slice(0, 8)}`, trafMode: '5', trafName: 'CA1051', voyageNo: '20261201' };
    const early = await api('POST', `/api/export-chain/trips/${tripNo}/master-waybill`, 'staff', voyage);
    expect(early.status).toBe(409);
    expect(early.body.details.problems).toEqual([
      `${parcel(4)} (in ${bag}): never reported as arrived (CEB507); scan it in first`,
    ]);
    const noDeparture = await api('POST', `/api/export-chain/trips/${tripNo}/departure`, 'staff', {});
    expect(noDeparture.status).toBe(409);
    expect(noDeparture.body.details.problems).toEqual([
      'the vehicle has not left yet: depart the trip first',
      'no master waybill (CEB607) was declared for this trip: declare it first',
    ]);

    const late = await api('POST', '/api/export-chain/arrivals', 'staff', {
      warehouseCode: WH,
      logisticsNos: [parcel(4)],
    });
    expect(late.status).toBe(201);
    await settled(late.body.copNo, `logisticsNo=${parcel(4)}`);
    const waybill = await api('POST', `/api/export-chain/trips/${tripNo}/master-waybill`, 'staff', voyage);
    expect(waybill, JSON.stringify(waybill.body)).toMatchObject({
      status: 201,
      body: { messageType: 'CEB607', parcels: 4, tripNo, billNo: voyage.billNo },
    });
    const xml = parseXml(sentFile(waybill.body.fileName));
    const document = children(xml, 'WayBill')[0];
    expect(leafFields(children(document, 'WayBillHead')[0])).toMatchObject({
      billNo: voyage.billNo,
      trafName: 'CA1051',
      voyageNo: '20261201',
      domesticTrafNo: '浙G61061',
      loctNo: '2921C061',
      grossWeight: '2.4',
    });
    const lines = children(document, 'WayBillList').map(leafFields);
    expect(lines.map((l) => [l.logisticsNo, l.totalPackageNo])).toEqual([1, 2, 3, 4].map((n) => [parcel(n), bag]));
    for (const l of lines) expect(l.invtNo).toMatch(/^2921\d{4}E\d{9}$/);
    expect(await settled(waybill.body.copNo, `tripNo=${tripNo}`)).toMatchObject({ kind: 'waybill', status: 399 });
    const twice = await api('POST', `/api/export-chain/trips/${tripNo}/master-waybill`, 'staff', voyage);
    expect(twice.status).toBe(409);
  });

  it('reports the departure with the flight once the vehicle left (CEB509), and customs records it', async () => {
    const probe = await api('POST', `/api/floor/trips/${tripNo}/depart`, 'staff', {
      vehicleTareKg: 3000,
      weighedGrossKg: 3100,
    });
    expect(probe.status).toBe(409);
    const departed = await api('POST', `/api/floor/trips/${tripNo}/depart`, 'staff', {
      vehicleTareKg: 3000,
      weighedGrossKg: 3000 + probe.body.details.expectedKg,
    });
    expect(departed, JSON.stringify(departed.body)).toMatchObject({ status: 200 });
    const departure = await api('POST', `/api/export-chain/trips/${tripNo}/departure`, 'staff', {
      leaveTime: '20261201223000',
    });
    expect(departure, JSON.stringify(departure.body)).toMatchObject({
      status: 201,
      body: { messageType: 'CEB509', parcels: 4, tripNo },
    });
    const xml = parseXml(sentFile(departure.body.fileName));
    const document = children(xml, 'Departure')[0];
    expect(leafFields(children(document, 'DepartureHead')[0])).toMatchObject({
      customsCode: '2921',
      trafMode: '5',
      trafName: 'CA1051',
      voyageNo: '20261201',
      billNo: departure.body.billNo,
      leaveTime: '20261201223000',
      logisticsCode: LOGI,
    });
    expect(children(document, 'DepartureList')).toHaveLength(4);
    expect(await settled(departure.body.copNo, `tripNo=${tripNo}`)).toMatchObject({ kind: 'departure', status: 399 });
    const again = await api('POST', `/api/export-chain/trips/${tripNo}/departure`, 'staff', {});
    expect(again.status).toBe(409);
    // every receipt is on the record once, duplicates and all
    const receipts = await query<{ message_type: string; n: number }>(
      databaseUrl,
      `select message_type, count(*)::int as n from customs_receipt where guid = any($1) group by message_type order by 1`,
      [(await reports(`tripNo=${tripNo}`)).map((r: { guid: string }) => r.guid)],
    );
    expect(receipts).toEqual([
      { message_type: 'CEB510', n: 2 },
      { message_type: 'CEB608', n: 2 },
    ]);
  });

  it("shows each step in the parcel's trace: arriving, loading under the master waybill, departing, with the documents", async () => {
    const trace = await waitFor('the departure receipt in the trace', async () => {
      const t = await api('GET', `/api/customs/history/parcels/${parcel(1)}`, 'officer');
      expect(t.status, JSON.stringify(t.body)).toBe(200);
      const events = t.body.events;
      return events.some(
        (e: { bizStep: string; disposition: string }) => e.bizStep === 'departing' && e.disposition === 'customs_399',
      )
        ? events
        : null;
    });
    const steps = trace.map((e: { bizStep: string; disposition: string }) => `${e.bizStep}/${e.disposition}`);
    for (const step of [
      'arriving/arrived_at_site',
      'arriving/customs_399',
      'loading/in_progress',
      'loading/master_waybill',
      'loading/customs_399',
      'departing/in_transit',
      'departing/customs_399',
    ])
      expect(steps).toContain(step);
    const arriving = trace.find((e: { bizStep: string }) => e.bizStep === 'arriving');
    expect(arriving).toMatchObject({ readPoint: 'DOCK-IN-1', documents: { messageType: 'CEB507' } });
    expect(arriving.documents.invtNo).toMatch(/^2921/);
    const departing = trace.find(
      (e: { bizStep: string; disposition: string }) =>
        e.disposition === 'in_transit' && e.bizStep === 'departing' && e.documents?.messageType,
    );
    expect(departing.documents).toMatchObject({ messageType: 'CEB509', trafName: 'CA1051', tripNo, sscc: bag });
    expect(steps.indexOf('arriving/arrived_at_site')).toBeLessThan(steps.indexOf('loading/master_waybill'));
    expect(steps.indexOf('loading/master_waybill')).toBeLessThan(steps.indexOf('departing/in_transit'));
  });
});

import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gs1CheckDigit } from '@wms/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { type PackingStation, packingStation } from '../../test/support/packing-station.js';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../../test/support/trade-docs.js';

/**
 * What must hold before a parcel leaves (issue 11), on the real stack: real PostgreSQL, the real
 * broker carrying the station's scale weights and print commands, the customs simulator on the
 * real folders. A parcel packed through the API but never weighed nor labelled does not pass the
 * gate nor go into a bag; a weight hold ends only with a re-weigh and a reason; a parcel that left
 * is closed to every floor operation; a site can switch weighing and labelling off; and
 * reconciliation shows unbooked units as a difference of their own.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-leaves-'));
chmodSync(dir, 0o755);
const WH = 'BC11';
const EMS = 'T5165W000011';
const OWNER = 'OWN0000011';
const EBP = 'PLATL00011';
const PAY = 'PAYL000011';
const LOGI = 'LOGIL00011';
const gtin = (n: number) => {
  const body = `690000011${String(n).padStart(3, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
const parcel = (n: number) => `YTL${suffix}${n}`;
let app: TestServer;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
let databaseUrl: string;
let authority: CustomsAuthority;
let station: PackingStation;

const warehouse = (settings: { gateRequiresWeighing?: boolean; gateRequiresLabel?: boolean } = {}) => ({
  code: WH,
  name: 'Gate rules centre',
  kind: 'bonded-centre',
  customsCode: '5165',
  loctNo: '5165W11',
  emsNo: EMS,
  ...settings,
  zones: [
    { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK-L', purpose: 'dock' }, 'L-01', 'L-02'] },
    { code: 'QT', kind: 'quarantine', locations: ['QT-L'] },
  ],
});

async function scan(operation: string, code: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/api/floor/scans', 'staff', {
    scanId: randomUUID(),
    operation,
    warehouseCode: WH,
    stationId: station.stationId,
    code,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    outcome: 'ok' | 'refused';
    message: string;
    zh: { message: string };
    detail?: Record<string, unknown>;
  };
}
const view = async (n: number) => (await api('GET', `/api/customs/parcels/${parcel(n)}`, 'staff')).body;
const gate = (n: number) => api('POST', '/api/gate/passes', 'staff', { logisticsNo: parcel(n), readPoint: 'GATE-L' });
const weigh = (n: number) =>
  api('POST', '/api/floor/weighings', 'staff', { logisticsNo: parcel(n), stationId: station.stationId });
const label = (n: number, reprint?: { reason: string }) =>
  api('POST', `/api/floor/parcels/${parcel(n)}/label`, 'staff', {
    stationId: station.stationId,
    ...(reprint ? { reprint } : {}),
  });
interface GateCheck {
  check: string;
  ok: boolean;
  reason: string;
}
const failedChecks = (gateAnswer: { checks: GateCheck[] }) =>
  gateAnswer.checks.filter((c) => !c.ok).map((c) => c.check);
const reconciliation = async () =>
  (await api('GET', `/api/customs/reconciliation?warehouseCode=${WH}`, 'officer')).body;

beforeAll(async () => {
  app = await startTestServer(
    'leaves',
    { CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'), CUSTOMS_INBOX_DIR: join(dir, 'inbox'), CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], staff: ['staff'], officer: ['customs'] },
    { checkAnswers: true },
  );
  databaseUrl = app.databaseUrl;
  station = await packingStation(app.server, databaseUrl, 'PK');
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    seed: 11,
    mix: { release: 1 },
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  const md = await api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: OWNER, name: 'Gate Seller', roles: ['ebc', 'owner'] },
      { code: EBP, name: 'Platform', roles: ['ebp'] },
      { code: PAY, name: 'Pay', roles: ['pay'] },
      { code: LOGI, name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [warehouse()],
    goods: [1, 2].map((n) => ({
      ownerCode: OWNER,
      sku: `GL${n}`,
      gtin: gtin(n),
      gcode: '3304990010',
      name: `Toner ${n}`,
      unit: '011',
      declaredPrice: '99.00',
      country: '116',
      grossGrams: 300,
    })),
    bookLines: [
      { emsNo: EMS, putrecSeqno: 1, itemNo: 'GL1', gcode: '3304990010', gname: '爽肤水 1', unit: '011' },
      { emsNo: EMS, putrecSeqno: 2, itemNo: 'GL2', gcode: '3304990010', gname: '爽肤水 2', unit: '011' },
    ],
  });
  expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
  const entry = await api('POST', '/api/bonded/entries', 'staff', {
    warehouseCode: WH,
    docNo: `QDL${suffix}`,
    ownerCode: OWNER,
    lines: [{ sku: 'GL1', batch: 'B1', qty: 20, location: 'L-01' }],
  });
  expect(entry, JSON.stringify(entry.body)).toMatchObject({ status: 201 });
  const docs = [1, 2, 3, 4, 5, 6, 7].map((n) =>
    consumerOrderDocs({
      warehouseCode: WH,
      ebpCode: EBP,
      ebcCode: OWNER,
      payCode: PAY,
      logisticsCode: LOGI,
      orderNo: `SOL${suffix}${n}`,
      logisticsNo: parcel(n),
      sku: 'GL1',
      qty: 1,
      buyer: 5000 + n,
      declaredKg: '0.30',
    }),
  );
  const imported = await api('POST', '/api/customs/documents?wait=true', 'super', documentsBody(docs));
  expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
  const declared = await api('POST', '/api/customs/declarations', 'super', { direction: 'import', all: true });
  expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 7, refused: 0 });
  await authority.settle();
  await waitFor('customs to release the seven lists', async () => {
    const rows = await query<{ customs_status: number | null }>(
      databaseUrl,
      'select customs_status from inventory_list where logistics_no like $1',
      [`YTL${suffix}%`],
    );
    return rows.length === 7 && rows.every((r) => r.customs_status === 800);
  });
  for (const n of [1, 2, 3, 4, 5, 6])
    expect((await api('POST', `/api/parcels/${parcel(n)}/pack`, 'staff', {})).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await authority?.stop();
  await station?.close();
  await app?.close();
});

describe('what must hold before a parcel leaves (issue 11)', () => {
  it('refuses a released parcel packed through the API but never weighed nor labelled, at the gate and at loading', async () => {
    const before = await view(1);
    expect(before.gate).toMatchObject({ allowed: false, reason: expect.stringContaining('never weighed') });
    expect(failedChecks(before.gate)).toEqual(['weighed', 'labelled']);
    expect(before.gate.checks.find((c: GateCheck) => c.check === 'released')).toMatchObject({ ok: true });

    const refused = await gate(1);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'GATE_REFUSED',
      message: `parcel ${parcel(1)} was never weighed: put it on the scale at a packing station`,
      details: { reasonZh: `包裹 ${parcel(1)} 尚未称重：请在打包台过秤` },
    });
    expect(refused.body.details.checks.filter((c: GateCheck) => !c.ok).map((c: GateCheck) => c.check)).toEqual([
      'weighed',
      'labelled',
    ]);

    // loading asks the same: an unweighed parcel does not go into a bag
    const bag = (await api('POST', '/api/floor/units', 'staff', { warehouseCode: WH, kind: 'bag' })).body.sscc;
    expect(await scan('load', `00${bag}`)).toMatchObject({ outcome: 'ok' });
    expect(await scan('load', parcel(1))).toMatchObject({
      outcome: 'refused',
      message: `cannot be loaded: parcel ${parcel(1)} was never weighed: put it on the scale at a packing station`,
    });

    // weighed within tolerance, still no label: the gate and the bag say so
    await station.weigh(310);
    expect((await weigh(1)).body).toMatchObject({ within: true, held: false });
    expect(failedChecks((await view(1)).gate)).toEqual(['labelled']);
    expect((await gate(1)).body.message).toBe(
      `parcel ${parcel(1)} has no label: print its label at the packing station`,
    );
    expect(await scan('load', parcel(1))).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('has no label'),
    });
    const inBag = await query(databaseUrl, 'select 1 from handling_unit_parcel where sscc = $1', [bag]);
    expect(inBag).toEqual([]);

    // labelled: the parcel view, the bag and the gate agree it may go
    expect((await label(1)).body).toMatchObject({ status: 'done', reprint: 0 });
    expect((await view(1)).gate).toMatchObject({ allowed: true, reason: 'released by customs (800)' });
    expect((await gate(1)).status).toBe(201);
  });

  it('refuses a label that did not print until it is reprinted', async () => {
    await station.weigh(300);
    expect((await weigh(4)).body).toMatchObject({ within: true });
    station.failNextPrint('printer head open: close the head and reprint');
    expect((await label(4)).body).toMatchObject({ status: 'failed' });
    expect((await gate(4)).body.message).toMatch(/its label did not print \(failed\): check the printer and reprint/);
    expect((await label(4, { reason: 'head was open' })).body).toMatchObject({ status: 'done', reprint: 1 });
    expect((await view(4)).gate.allowed).toBe(true);
  });

  it('passes a parcel scanned at the gate by several readers at once exactly once: one write-off, the others "already shipped"', async () => {
    // the pass reads without locks and writes guarded by what it read. Held here until all four
    // have read the parcel as still inside and wait at their write: the guard lets one through.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query('begin');
    await holder.query('select 1 from inventory_list where logistics_no = $1 for update', [parcel(4)]);
    const pending = Promise.all([1, 2, 3, 4].map(() => gate(4)));
    await waitFor('the four passes to wait at their write', async () => {
      const [{ n }] = await query<{ n: number }>(
        databaseUrl,
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%inventory_list%for update%'`,
      );
      return n === 4;
    });
    await holder.query('commit');
    await holder.end();
    const answers = await pending;
    const passed = answers.filter((a) => a.status === 201);
    expect(passed, JSON.stringify(answers.map((a) => a.body))).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(409);
      expect(a.body.message).toContain(`parcel ${parcel(4)} already shipped at`);
      expect(a.body.message).toContain(passed[0].body.gatePassNo);
    }
    const written = await query<{ doc_no: string; n: number }>(
      databaseUrl,
      `select doc_no, count(*)::int as n from stock_movement where logistics_no = $1 and doc_type = 'gate-release'
       group by doc_no`,
      [parcel(4)],
    );
    expect(written).toEqual([{ doc_no: passed[0].body.gatePassNo, n: expect.any(Number) }]);
    const left = await query<{ n: number }>(
      databaseUrl,
      `select count(*)::int as n from trace_event where object_id = $1 and biz_step = 'departing' and disposition = 'in_transit'`,
      [parcel(4)],
    );
    expect(left).toEqual([{ n: 1 }]);
    const [{ inParcel }] = await query<{ inParcel: string }>(
      databaseUrl,
      `select coalesce(sum(qty), 0)::text as "inParcel" from stock_movement where ledger = 'shelf' and location = $1`,
      [`PARCEL:${parcel(4)}`],
    );
    expect(inParcel).toBe('0');
  });

  it('shows a weight hold as the warehouse weight check, and lifts it only after a re-weigh, with the reason', async () => {
    await station.weigh(500);
    expect((await weigh(2)).body).toMatchObject({ within: false, held: true });
    expect((await label(2)).body).toMatchObject({ status: 'done' });
    const held = await view(2);
    expect(held.hold).toMatchObject({ kind: 'warehouse-weight-check', by: 'weight-check' });
    expect(held.gate.allowed).toBe(false);
    expect(held.gate.reason).toMatch(/is on a warehouse weight-check hold \(weight check: weighed 0.500 kg/);
    expect(held.gate.reason).not.toMatch(/customs/);
    expect(failedChecks(held.gate)).toEqual(['not-held', 'weighed']);
    expect((await gate(2)).body.message).toMatch(/warehouse weight-check hold/);

    // no lift of the weight hold without a reason, whoever lifts it
    const silent = await api('DELETE', `/api/customs/holds/${parcel(2)}`, 'officer');
    expect(silent.status).toBe(400);
    expect(silent.body.message).toMatch(/say why the weight-check hold/);
    // nor without a re-weigh, even with a reason
    const early = await api('DELETE', `/api/customs/holds/${parcel(2)}`, 'super', { reason: 'looks fine' });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/was not re-weighed since its weight-check hold/);
    expect((await view(2)).hold).not.toBeNull();

    // re-weighed, still off the declaration (the waybill's weight is wrong): the supervisor accepts it
    await station.weigh(505);
    expect((await weigh(2)).body).toMatchObject({ within: false });
    const lifted = await api('DELETE', `/api/customs/holds/${parcel(2)}`, 'super', {
      reason: 'declared weight is wrong: re-weighed 505 g, goods checked',
    });
    expect(lifted, JSON.stringify(lifted.body)).toMatchObject({ status: 200, body: { held: false } });
    const after = await view(2);
    expect(after.gate.allowed).toBe(true);
    expect(after.gate.checks.find((c: GateCheck) => c.check === 'weighed')?.reason).toMatch(
      /^re-weighed 0.505 kg, accepted by .+: declared weight is wrong: re-weighed 505 g, goods checked$/,
    );
    expect((await gate(2)).status).toBe(201);
  });

  it('shows a customs hold as customs', async () => {
    await station.weigh(300);
    await weigh(3);
    await label(3);
    expect(
      (await api('POST', '/api/customs/holds', 'officer', { logisticsNo: parcel(3), reason: 'x-ray' })).status,
    ).toBe(201);
    const v = await view(3);
    expect(v.hold).toMatchObject({ kind: 'customs', reason: 'x-ray' });
    expect(v.gate).toMatchObject({
      allowed: false,
      reason: `parcel ${parcel(3)} is held by customs (x-ray): keep it in the held area`,
    });
    expect(failedChecks(v.gate)).toEqual(['not-held']);
    const listed = await api('GET', `/api/customs/parcels?filter=held&warehouseCode=${WH}`, 'officer');
    expect(listed.body.items.find((i: { logisticsNo: string }) => i.logisticsNo === parcel(3)).gate.allowed).toBe(
      false,
    );
  });

  it('shows an unpacked parcel as not allowed, and lets a site switch weighing and labelling off', async () => {
    const unpacked = await view(7);
    expect(unpacked.gate).toMatchObject({
      allowed: false,
      reason: `parcel ${parcel(7)} is not packed yet: pack it first`,
    });
    expect(failedChecks((await view(6)).gate)).toEqual(['weighed', 'labelled']);
    const off = await api('POST', '/api/master-data', 'super', {
      warehouses: [warehouse({ gateRequiresWeighing: false, gateRequiresLabel: false })],
    });
    expect(off.status).toBe(201);
    const listed = (await api('GET', '/api/master-data/warehouses', 'super')).body.items.find(
      (w: { code: string }) => w.code === WH,
    );
    expect(listed).toMatchObject({ gateRequiresWeighing: false, gateRequiresLabel: false });
    const v = await view(6);
    expect(v.gate.allowed).toBe(true);
    expect(v.gate.checks.find((c: GateCheck) => c.check === 'weighed')?.reason).toBe(
      'this warehouse does not weigh at the gate',
    );
    // never for an unpacked one
    expect((await view(7)).gate.allowed).toBe(false);
    // and back on: the default
    expect((await api('POST', '/api/master-data', 'super', { warehouses: [warehouse()] })).status).toBe(201);
    expect(failedChecks((await view(6)).gate)).toEqual(['weighed', 'labelled']);
  });

  it('closes a parcel that left to every floor operation: "already shipped at <local time>, trip <no>"', async () => {
    // parcel 5 leaves on a vehicle trip
    await station.weigh(300);
    expect((await weigh(5)).body).toMatchObject({ within: true });
    expect((await label(5)).body).toMatchObject({ status: 'done' });
    const bag = (await api('POST', '/api/floor/units', 'staff', { warehouseCode: WH, kind: 'bag' })).body.sscc;
    expect(await scan('load', `00${bag}`)).toMatchObject({ outcome: 'ok' });
    expect(await scan('load', parcel(5))).toMatchObject({ outcome: 'ok' });
    const trip = (await api('POST', '/api/floor/trips', 'staff', { warehouseCode: WH, plate: '沪A00011' })).body.tripNo;
    expect(await scan('load', `00${bag}`, { tripNo: trip })).toMatchObject({ outcome: 'ok' });
    const probe = await api('POST', `/api/floor/trips/${trip}/depart`, 'staff', {
      vehicleTareKg: 3000,
      weighedGrossKg: 3100,
    });
    expect(probe.status).toBe(409);
    const expectedKg = probe.body.details.expectedKg as number;
    const departed = await api('POST', `/api/floor/trips/${trip}/depart`, 'staff', {
      vehicleTareKg: 3000,
      weighedGrossKg: 3000 + expectedKg,
    });
    expect(departed, JSON.stringify(departed.body)).toMatchObject({ status: 200, body: { tripNo: trip } });
    const [{ gate_passed_at }] = await query<{ gate_passed_at: Date }>(
      databaseUrl,
      'select gate_passed_at from inventory_list where logistics_no = $1',
      [parcel(5)],
    );
    const local = new Date(new Date(gate_passed_at).getTime() + 8 * 3600_000)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    const shipped = `parcel ${parcel(5)} already shipped at ${local} Asia/Shanghai, trip ${trip}`;

    const before = await query<{ n: number }>(
      databaseUrl,
      `select (select count(*) from weight_check where logistics_no = $1)::int + (select count(*) from label_print p
         join inventory_list l on l.id = p.list_id where l.logistics_no = $1)::int as n`,
      [parcel(5)],
    );
    const printedBefore = station.printed.length;

    // station scans
    const other = (await api('POST', '/api/floor/units', 'staff', { warehouseCode: WH, kind: 'bag' })).body.sscc;
    expect(await scan('load', `00${other}`)).toMatchObject({ outcome: 'ok' });
    const loadScan = await scan('load', parcel(5));
    expect(loadScan).toMatchObject({ outcome: 'refused', message: expect.stringContaining(shipped) });
    expect(loadScan.zh.message).toContain(`已于 ${local} Asia/Shanghai 出区，车次 ${trip}`);
    expect(await scan('inspection', parcel(5))).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining(shipped),
    });
    // weigh, label, reprint, pack
    await station.weigh(900);
    for (const res of [
      await weigh(5),
      await label(5),
      await label(5, { reason: 'scanned again at the station' }),
      await api('POST', `/api/parcels/${parcel(5)}/pack`, 'staff', {}),
    ]) {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body).toMatchObject({ code: 'PARCEL_SHIPPED', message: expect.stringContaining(shipped) });
    }
    // parcel 1 left on its own through the gate
    const own = await weigh(1);
    expect(own.body).toMatchObject({
      code: 'PARCEL_SHIPPED',
      message: expect.stringMatching(/already shipped at .* on its own, gate pass GP/),
    });
    expect((await gate(5)).body.message).toContain(shipped);

    // nothing was recorded, held or printed
    const after = await query<{ n: number }>(
      databaseUrl,
      `select (select count(*) from weight_check where logistics_no = $1)::int + (select count(*) from label_print p
         join inventory_list l on l.id = p.list_id where l.logistics_no = $1)::int as n`,
      [parcel(5)],
    );
    expect(after).toEqual(before);
    expect(station.printed.length).toBe(printedBefore);
    expect((await view(5)).hold).toBeNull();
    const inOther = await query(databaseUrl, 'select 1 from handling_unit_parcel where sscc = $1', [other]);
    expect(inOther).toEqual([]);
  });
});

describe('reconciliation counts everything physical (issue 11)', () => {
  it('shows unexpected and over-delivered units in quarantine as a difference, with balanced false, and the totals add up', async () => {
    const start = await reconciliation();
    expect(start).toMatchObject({ balanced: true, unbooked: { units: 0, items: [] } });
    await api('POST', '/api/floor/deliveries', 'super', {
      warehouseCode: WH,
      deliveryNo: `ILU${suffix}`,
      ownerCode: OWNER,
      entryDocNo: `QDU${suffix}`,
      dockLocation: 'DOCK-L',
      lines: [{ sku: 'GL1', qty: 2 }],
    });
    const receive = (code: string, extra: Record<string, unknown> = {}) =>
      scan('receive', code, { deliveryNo: `ILU${suffix}`, ...extra });
    expect(await receive('GL1', { qty: 3 })).toMatchObject({ outcome: 'ok', detail: { over: 1 } });
    expect(await receive('GL2')).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('not on delivery'),
    });
    const closed = await api('POST', `/api/floor/deliveries/ILU${suffix}/close`, 'super');
    expect(closed.body).toMatchObject({ status: 'closed' });

    const rec = await reconciliation();
    expect(rec.balanced).toBe(false);
    expect(rec.totals).toMatchObject({ linesWithDifference: 0, unbookedUnits: 2 });
    expect(rec.totals.bookUnits).toBe(rec.totals.shelfUnits);
    expect(rec.totals.physicalUnits).toBe(rec.totals.shelfUnits + 2);
    expect(rec.unbooked.byReason).toEqual({
      unexpected: 1,
      'over-delivered': 1,
      'off-the-book': 0,
      'awaiting-entry-document': 0,
    });
    expect(rec.unbooked.items).toEqual([
      expect.objectContaining({
        reason: 'over-delivered',
        sku: 'GL1',
        location: 'QT-L',
        units: 1,
        deliveryNo: `ILU${suffix}`,
      }),
      expect.objectContaining({
        reason: 'unexpected',
        sku: 'GL2',
        location: 'QT-L',
        units: 1,
        deliveryNo: `ILU${suffix}`,
      }),
    ]);
    expect(rec.unbooked.items[1].message).toMatch(/not on the delivery, not on the book/);
    // the same units the location view shows off the book
    const byLocation = (
      await api('GET', `/api/customs/bonded-inventory?warehouseCode=${WH}&groupBy=location`, 'officer')
    ).body.items.filter((i: { emsNo: string | null }) => i.emsNo === null);
    expect(byLocation.reduce((s: number, i: { units: string }) => s + Number(i.units), 0)).toBe(rec.unbooked.units);
  });

  it('shows units of a delivery held for its entry document until the document books them', async () => {
    const before = (await reconciliation()).unbooked.units;
    await api('POST', '/api/floor/deliveries', 'super', {
      warehouseCode: WH,
      deliveryNo: `ILH${suffix}`,
      ownerCode: OWNER,
      dockLocation: 'DOCK-L',
      lines: [{ sku: 'GL2', qty: 4 }],
    });
    expect(await scan('receive', 'GL2', { deliveryNo: `ILH${suffix}`, qty: 4 })).toMatchObject({ outcome: 'ok' });
    expect((await api('POST', `/api/floor/deliveries/ILH${suffix}/close`, 'super')).body).toMatchObject({
      status: 'held',
    });
    const held = await reconciliation();
    expect(held.balanced).toBe(false);
    expect(held.unbooked.units).toBe(before + 4);
    expect(held.unbooked.byReason['awaiting-entry-document']).toBe(4);
    expect(held.unbooked.items).toContainEqual(
      expect.objectContaining({
        reason: 'awaiting-entry-document',
        deliveryNo: `ILH${suffix}`,
        sku: 'GL2',
        location: 'DOCK-L',
        units: 4,
      }),
    );
    const booked = await api('POST', `/api/floor/deliveries/ILH${suffix}/entry-document`, 'super', {
      entryDocNo: `QDH${suffix}`,
    });
    expect(booked.body).toMatchObject({ status: 'closed' });
    const after = await reconciliation();
    expect(after.unbooked.byReason['awaiting-entry-document']).toBe(0);
    expect(after.unbooked.units).toBe(before);
    expect(after.totals.physicalUnits).toBe(held.totals.physicalUnits);
  });
});

import { randomUUID } from 'node:crypto';
import type { StationAnswer, StationJobChanged } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackingStation, packingStation } from '../../test/support/packing-station.js';
import { waitFor } from '../../test/support/services.js';
import { connectLive, startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../../test/support/trade-docs.js';
import { StationJobsRepository } from '../src/modules/stations/station-jobs.repository.js';

/**
 * The station routes (issue 11) on the real stack: the job is validated against the station,
 * the warehouse and the job's open document there; staff keep their hands off a station someone
 * else runs while a supervisor changes any; the station room hears the change; a code typed on
 * the station screen is a scan for the station's job, answered once per scan id.
 */
const suffix = randomUUID().slice(0, 8);
const WH = 'SJ01';
const OTHER = 'SJ02';
const OWNER = 'OWNSJ00001';
let app: TestServer;
let station: PackingStation;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
const mode = (stationId: string, as: string, body: unknown) =>
  api('PUT', `/api/floor/stations/${stationId}/mode`, as, body);

beforeAll(async () => {
  app = await startTestServer(
    'stations',
    { CUSTOMS_POLL_MS: '0' },
    { super: ['supervisor'], staff: ['staff'], staff2: ['staff'], officer: ['customs'] },
    { checkAnswers: true },
  );
  station = await packingStation(app.server, app.databaseUrl, 'SJ');
  const zones = [{ code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK', purpose: 'dock' }, 'R-01'] }];
  const md = await api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: OWNER, name: 'Seller', roles: ['ebc', 'owner'] },
      { code: 'PLATSJ0001', name: 'Platform', roles: ['ebp'] },
      { code: 'PAYSJ00001', name: 'Pay', roles: ['pay'] },
      { code: 'LOGISJ0001', name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Station centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W91',
        emsNo: 'T5165W000091',
        zones,
      },
      {
        code: OTHER,
        name: 'Other centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W92',
        emsNo: 'T5165W000092',
        zones,
      },
    ],
    goods: [
      {
        ownerCode: OWNER,
        sku: 'SJ1',
        gcode: '3304990010',
        name: 'Lotion',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 300,
      },
    ],
  });
  expect(md.status, JSON.stringify(md.body)).toBe(201);
  for (const [warehouseCode, deliveryNo] of [
    [WH, `DSJ${suffix}`],
    [OTHER, `DSO${suffix}`],
  ])
    expect(
      (
        await api('POST', '/api/floor/deliveries', 'super', {
          warehouseCode,
          deliveryNo,
          ownerCode: OWNER,
          dockLocation: 'DOCK',
          lines: [{ sku: 'SJ1', qty: 5 }],
        })
      ).status,
    ).toBe(201);
}, 120_000);

afterAll(async () => {
  await station?.close();
  await app?.close();
});

describe('station routes (issue 11)', () => {
  it('refuses a bad body with the field named, and an unknown station or warehouse with 404', async () => {
    const unknownJob = await mode(station.stationId, 'staff', { job: 'dance', warehouseCode: WH });
    expect(unknownJob.status).toBe(400);
    expect(JSON.stringify(unknownJob.body)).toMatch(/job/);
    const extra = await mode(station.stationId, 'staff', { job: 'pick', warehouseCode: WH, colour: 'red' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toMatch(/colour/);
    expect((await mode(station.stationId, 'staff', { job: 'pick' })).status).toBe(400);

    const nowhere = await mode(`NOPE-${suffix}`, 'staff', { job: 'pick', warehouseCode: WH });
    expect(nowhere).toMatchObject({ status: 404, body: { code: 'UNKNOWN_STATION' } });
    expect((await api('GET', `/api/floor/stations/NOPE-${suffix}`, 'staff')).status).toBe(404);
    const noWarehouse = await mode(station.stationId, 'staff', { job: 'pick', warehouseCode: 'NOWH' });
    expect(noWarehouse).toMatchObject({ status: 404, body: { message: expect.stringMatching(/warehouse NOWH/) } });
    expect((await api('GET', `/api/floor/stations/${station.stationId}`, 'staff')).body).toMatchObject({
      job: null,
      operator: null,
      lastAnswers: [],
    });
  });

  it('a receive needs an open delivery of that warehouse; context fields belong to their job', async () => {
    expect(await mode(station.stationId, 'staff', { job: 'receive', warehouseCode: WH })).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/deliveryNo/) },
    });
    const foreign = await mode(station.stationId, 'staff', {
      job: 'receive',
      warehouseCode: WH,
      deliveryNo: `DSO${suffix}`,
    });
    expect(foreign).toMatchObject({
      status: 409,
      body: {
        message: `delivery DSO${suffix} is expected at warehouse ${OTHER}, not ${WH}: choose a delivery of this warehouse`,
      },
    });
    expect(
      (await mode(station.stationId, 'staff', { job: 'receive', warehouseCode: WH, deliveryNo: 'NOSUCH' })).status,
    ).toBe(404);
    expect(
      (await mode(station.stationId, 'staff', { job: 'pack', warehouseCode: WH, deliveryNo: `DSJ${suffix}` })).status,
    ).toBe(400);
    expect((await mode(station.stationId, 'staff', { job: 'stocktake', warehouseCode: WH })).status).toBe(400);
    expect(
      (await mode(station.stationId, 'staff', { job: 'load', warehouseCode: WH, tripNo: 'TRNOSUCH' })).status,
    ).toBe(404);
  });

  it('sets the job, tells the station room, and keeps other staff off it; a supervisor changes any', async () => {
    const live = await connectLive(app.server.url, await app.signIn('watcher', ['staff']));
    const heard: StationJobChanged[] = [];
    live.on('station.jobChanged', (e: StationJobChanged) => heard.push(e));
    expect(await live.emitWithAck('station.watch', { stationId: station.stationId })).toMatchObject({ ok: true });

    const set = await mode(station.stationId, 'staff', {
      job: 'receive',
      warehouseCode: WH,
      deliveryNo: `DSJ${suffix}`,
    });
    expect(set).toMatchObject({
      status: 200,
      body: {
        stationId: station.stationId,
        job: 'receive',
        deliveryNo: `DSJ${suffix}`,
        operator: app.username('staff'),
      },
    });
    await waitFor('the station room to hear the job', () => heard.length === 1);
    expect(heard[0]).toMatchObject({ job: 'receive', changedBy: app.username('staff') });

    const taken = await mode(station.stationId, 'staff2', { job: 'pick', warehouseCode: WH });
    expect(taken).toMatchObject({ status: 403, body: { message: expect.stringMatching(/is run by/) } });
    expect((await mode(station.stationId, 'staff', { job: 'pick', warehouseCode: WH })).status).toBe(200);
    const moved = await mode(station.stationId, 'super', { job: 'pack', warehouseCode: WH });
    expect(moved.body).toMatchObject({ job: 'pack', operator: app.username('super'), deliveryNo: null });
    const list = (await api('GET', '/api/floor/stations', 'staff')).body.items;
    expect(list.find((s: { stationId: string }) => s.stationId === station.stationId)).toMatchObject({ job: 'pack' });
    expect((await api('GET', '/api/floor/stations', 'officer')).status).toBe(403);
    live.close();
  });

  it('a code typed on the station screen is a scan for its job, answered once per scan id', async () => {
    const docs = consumerOrderDocs({
      warehouseCode: WH,
      ebpCode: 'PLATSJ0001',
      ebcCode: OWNER,
      payCode: 'PAYSJ00001',
      logisticsCode: 'LOGISJ0001',
      orderNo: `SOJ${suffix}`,
      logisticsNo: `YTJ${suffix}`,
      sku: 'SJ1',
      qty: 1,
      buyer: 7001,
      declaredKg: '0.320',
    });
    await api('POST', '/api/customs/documents?wait=true', 'super', documentsBody([docs]));
    const scanId = randomUUID();
    const typed = (code: string, id = scanId) =>
      api('POST', `/api/floor/stations/${station.stationId}/scans`, 'staff', { scanId: id, code });
    // not on the shelf: the pack is refused with the reason, and kept
    const refused = await typed(`YTJ${suffix}`);
    expect(refused).toMatchObject({
      status: 200,
      body: { eventId: scanId, job: 'pack', deviceId: 'screen', outcome: 'refused' },
    });
    expect((await typed('ANYTHING-ELSE')).body).toEqual(refused.body);
    expect((await typed('')).status).toBe(400);
    expect((await api('POST', `/api/floor/stations/${station.stationId}/scans`, 'staff', { code: 'X' })).status).toBe(
      400,
    );
    expect((await typed('X', 'not-a-uuid')).status).toBe(400);
    const station_ = (await api('GET', `/api/floor/stations/${station.stationId}`, 'staff')).body;
    expect(station_.lastAnswers.map((a: { eventId: string }) => a.eventId)).toEqual([scanId]);
  });

  it('one server instance at a time works a station: a claim holds off another until released or run out', async () => {
    const jobs = app.server.app.get(StationJobsRepository);
    const id = station.stationId; // has a job from the tests above
    expect(await jobs.claim(id, 'instance-a', 60_000)).toMatchObject({ station_id: id, job: 'pack' });
    expect(await jobs.claim(id, 'instance-b', 60_000)).toBeNull();
    expect(await jobs.claim(id, 'instance-a', 60_000)).not.toBeNull(); // renewed by its holder
    await jobs.release(id, 'instance-a');
    expect(await jobs.claim(id, 'instance-b', 1)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20)); // a crashed holder: its claim runs out
    expect(await jobs.claim(id, 'instance-a', 60_000)).not.toBeNull();
    await jobs.release(id, 'instance-a');
  });

  it('keeps the answers of registered stations and skips, without failing, those of a station it does not know', async () => {
    const jobs = app.server.app.get(StationJobsRepository);
    const answer = (stationId: string): StationAnswer => ({
      eventId: randomUUID(),
      stationId,
      deviceId: `${stationId}-SCANNER`,
      kind: 'scan',
      job: null,
      code: 'LP0001',
      grossGrams: null,
      outcome: 'refused',
      message: 'no job is set at this station',
      next: 'set the station job',
      zh: { message: '本工位未设置作业', next: '请设置工位作业' },
      at: new Date().toISOString(),
    });
    const known = answer(station.stationId);
    const unknown = answer(`NOSUCH-${suffix}`);
    // a burst with both: the unknown station's outcome is not kept, the known one's is
    const kept = await jobs.recordOutcomes([known, unknown]);
    expect([...kept]).toEqual([known.eventId]);
    expect(await jobs.answersOf([known.eventId, unknown.eventId])).toHaveLength(1);
  });
});

import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DevicesService } from '../../server/src/modules/devices/devices.service.js';
import { type PackingStation, packingStation } from '../../test/support/packing-station.js';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../../test/support/trade-docs.js';

/**
 * Risk warnings (issue 13) on the real stack: real PostgreSQL, the real broker carrying the
 * station's weights and a cold room's temperature readings. Each fact arrives the way the floor
 * or the platform sends it; the evaluator turns it into a warning with its evidence, once per
 * subject; an officer turns one into a hold; the rules are the site's own, set by a supervisor.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-risk-'));
chmodSync(dir, 0o755);
const WH = 'BCRISK';
const EMS = 'T5165W000061';
const OWNER = 'OWN0000061';
const EBP = 'PLATR00061';
const PAY = 'PAYR000061';
const LOGI = 'LOGIR00061';
const parcel = (n: number) => `YTR${suffix}${n}`;
let app: TestServer;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
let station: PackingStation;
let agent: MqttClient;
const sensorAgent = `agent-cold-${suffix}`;
const sensorId = `TMP-${suffix}`;

type Warning = {
  id: string;
  rule: string;
  subjectKind: string;
  subjectId: string;
  logisticsNo: string | null;
  reason: string;
  evidence: Record<string, unknown>;
  status: string;
  occurrences: number;
};
const warnings = async (filter: string) =>
  (await api('GET', `/api/customs/warnings?warehouseCode=${WH}&${filter}`, 'officer')).body.items as Warning[];
const warningFor = async (rule: string, predicate: (w: Warning) => boolean = () => true) => {
  let found: Warning | undefined;
  await waitFor(`a ${rule} warning`, async () => {
    found = (await warnings(`rule=${rule}`)).find(predicate);
    return Boolean(found);
  });
  return found!;
};

const order = (n: number, extra: Partial<Parameters<typeof consumerOrderDocs>[0]> = {}) =>
  consumerOrderDocs({
    warehouseCode: WH,
    ebpCode: EBP,
    ebcCode: OWNER,
    payCode: PAY,
    logisticsCode: LOGI,
    orderNo: `SOR${suffix}${n}`,
    logisticsNo: parcel(n),
    sku: 'MILK',
    qty: 1,
    buyer: 61_000 + n,
    declaredKg: '0.30',
    ...extra,
  });

async function declare(docs: Array<ReturnType<typeof consumerOrderDocs>>) {
  const imported = await api('POST', '/api/customs/documents?wait=true', 'super', documentsBody(docs));
  expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
  const declared = await api('POST', '/api/customs/declarations', 'super', {
    direction: 'import',
    orders: docs.map((d) => ({ ebpCode: EBP, orderNo: d.order.orderNo })),
  });
  expect(declared.status, JSON.stringify(declared.body)).toBeLessThan(300);
}

beforeAll(async () => {
  app = await startTestServer(
    'risk',
    { CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'), CUSTOMS_INBOX_DIR: join(dir, 'inbox'), RISK_SWEEP_MS: '500' },
    { super: ['supervisor'], staff: ['staff'], officer: ['customs'], admin: ['admin'] },
    { checkAnswers: true },
  );
  station = await packingStation(app.server, app.databaseUrl, 'RK');
  const md = await api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: OWNER, name: 'Risk Seller', roles: ['ebc', 'owner'] },
      { code: EBP, name: 'Platform', roles: ['ebp'] },
      { code: PAY, name: 'Pay', roles: ['pay'] },
      { code: LOGI, name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Risk centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W61',
        emsNo: EMS,
        zones: [
          { code: 'BZ', kind: 'bonded', locations: ['R-01'] },
          { code: 'COLD', kind: 'bonded', locations: ['C-01'] },
        ],
      },
    ],
    goods: [
      // milk powder is declared in kg, its legal unit (issue 14.2)
      { sku: 'MILK', gcode: '0402210000', name: 'Milk powder', legalUnit: '035', legalQtyPerUnit: '0.9' },
      { sku: 'KNIFE', gcode: '8211910000', name: 'Kitchen knife' },
    ].map((g) => ({
      ownerCode: OWNER,
      ...g,
      unit: '011',
      declaredPrice: '99.00',
      country: '116',
      grossGrams: 300,
    })),
    bookLines: [
      { emsNo: EMS, putrecSeqno: 1, itemNo: 'MILK', gcode: '0402210000', gname: '奶粉', unit: '011' },
      { emsNo: EMS, putrecSeqno: 2, itemNo: 'KNIFE', gcode: '8211910000', gname: '厨刀', unit: '011' },
    ],
  });
  expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
  const entry = await api('POST', '/api/bonded/entries', 'staff', {
    warehouseCode: WH,
    docNo: `QDR${suffix}`,
    ownerCode: OWNER,
    lines: [
      { sku: 'MILK', batch: 'B1', qty: 100, location: 'R-01' },
      { sku: 'KNIFE', batch: 'K1', qty: 10, location: 'R-01' },
    ],
  });
  expect(entry, JSON.stringify(entry.body)).toMatchObject({ status: 201 });
  // the site's buyer limit, set low enough for two ordinary orders to come near it
  const limit = await api('PUT', `/api/warehouses/${WH}/risk-rules/buyer-limit`, 'super', {
    params: { yearLimitCny: '250', approachPct: 80 },
  });
  expect(limit, JSON.stringify(limit.body)).toMatchObject({
    status: 200,
    body: { enabled: true, configured: true, params: { yearLimitCny: '250', orderLimitCny: '5000' } },
  });

  await app.server.app.get(DevicesService).registerAgent({
    agentId: sensorAgent,
    name: 'cold room agent',
    secret: 'agent-secret',
    stations: [{ stationId: `COLD-${suffix}`, name: 'cold room' }],
    devices: [{ deviceId: sensorId, stationId: `COLD-${suffix}`, kind: 'sensor', name: 'cold room probe' }],
  });
  agent = await mqtt.connectAsync(inject('mqttUrl'), {
    clientId: sensorAgent,
    protocolVersion: inject('mqttProtocolVersion'),
    clean: true,
  });
}, 180_000);

afterAll(async () => {
  await agent?.endAsync();
  await station?.close();
  await app?.close();
});

describe('risk warnings (issue 13)', () => {
  it('shows a weight hold as a warning with its evidence, once, and an officer turns it into a hold', async () => {
    await declare([order(1)]);
    await station.weigh(900);
    const weighed = await api('POST', '/api/floor/weighings', 'staff', {
      logisticsNo: parcel(1),
      stationId: station.stationId,
    });
    expect(weighed.body).toMatchObject({ within: false, held: true });
    const w = await warningFor('weight-deviation', (x) => x.logisticsNo === parcel(1));
    expect(w).toMatchObject({ subjectKind: 'parcel', status: 'open', occurrences: 1 });
    expect(w.evidence).toMatchObject({
      grossGrams: 900,
      declaredGrams: 300,
      deviationGrams: 600,
      stationId: station.stationId,
    });
    expect(w.reason).toContain('+600 g');

    // evaluated again (the timer, another event): still one warning
    await new Promise((r) => setTimeout(r, 1200));
    expect((await warnings('rule=weight-deviation')).filter((x) => x.logisticsNo === parcel(1))).toHaveLength(1);

    // staff cannot; the officer can, with the warning's reason by default
    expect((await api('POST', `/api/customs/warnings/${w.id}/hold`, 'staff', {})).status).toBe(403);
    const held = await api('POST', `/api/customs/warnings/${w.id}/hold`, 'officer', {});
    expect(held, JSON.stringify(held.body)).toMatchObject({
      status: 201,
      body: { held: true, logisticsNo: parcel(1), warning: { status: 'held', decidedBy: app.username('officer') } },
    });
    expect(held.body.reason).toContain('weight-deviation');
    const [row] = await query<{ hold_reason: string; held_by: string }>(
      app.databaseUrl,
      'select hold_reason, held_by from inventory_list where logistics_no = $1',
      [parcel(1)],
    );
    expect(row).toEqual({ hold_reason: held.body.reason, held_by: app.username('officer') });
    const again = await api('POST', `/api/customs/warnings/${w.id}/hold`, 'officer', {});
    expect(again).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect((await api('POST', `/api/customs/warnings/${randomUUID()}/hold`, 'officer', {})).status).toBe(404);
    expect((await api('POST', '/api/customs/warnings/not-a-uuid/hold', 'officer', {})).status).toBe(400);
  });

  it('warns on a declared unit value far below the site’s median for the HS code', async () => {
    await declare([2, 3, 4, 5, 6, 7].map((n) => order(n)));
    await declare([order(8, { priceCents: 1000 })]);
    const w = await warningFor('low-value', (x) => x.logisticsNo === parcel(8));
    expect(w.evidence).toMatchObject({
      bandPct: 50,
      lines: [{ gcode: '0402210000', price: '10.00', referenceMedian: '99.00', sharePct: 10.1 }],
    });
    // the ordinary ones are not low
    expect((await warnings('rule=low-value')).map((x) => x.logisticsNo)).toEqual([parcel(8)]);
  });

  it('warns on a buyer near the site’s yearly limit, and on many buyers behind one address', async () => {
    // buyer 61090 twice: 2 × 118.01 = 236.02 CNY, 94 % of the site's 250
    await declare([order(9, { buyer: 61_090 }), order(10, { buyer: 61_090 })]);
    const limit = await warningFor('buyer-limit', (x) => x.subjectId.endsWith('110101199000061090'));
    expect(limit.evidence).toMatchObject({ total: '236.02', yearLimitCny: '250', lists: 2 });
    expect(limit.logisticsNo).toBe(parcel(10));

    const address = `上海市浦东新区拆单路 ${suffix} 号`;
    await declare([11, 12, 13].map((n) => order(n, { address })));
    const shared = await warningFor('shared-consignee', (x) => x.subjectId === `address:${address}`);
    expect((shared.evidence.buyers as unknown[]).length).toBe(3);
    expect(shared.logisticsNo).toBe(parcel(13));
  });

  it('warns on one payer paying for many buyers, and on a buyer returning often', async () => {
    const docs = [16, 17, 18].map((n) => order(n));
    for (const d of docs) {
      d.payment.payerIdNumber = '110101198800001234';
      d.payment.payerName = '代付人';
    }
    // the three-document match refuses them (payer is not the buyer), the lists are there all the same
    await declare(docs);
    const payer = await warningFor('shared-payer', (x) => x.subjectId === 'payer:110101198800001234');
    expect((payer.evidence.buyers as unknown[]).length).toBe(3);
    expect(payer.reason).toContain('paid for 3 different buyers');

    // three returns (CEB625) of the parcels of one buyer: 61090 has 9 and 10, and one more
    await declare([order(19, { buyer: 61_090 })]);
    const lists = await query<{ id: string }>(
      app.databaseUrl,
      'select id from inventory_list where logistics_no = any($1) order by id',
      [[parcel(9), parcel(10), parcel(19)]],
    );
    for (const [i, l] of lists.entries())
      await query(
        app.databaseUrl,
        `insert into customs_return (cop_no, list_id, guid, reason, lines) values ($1, $2, $3, 'does not fit', '[]')`,
        [`RT${suffix}${i}`, l.id, `GUID-${suffix}-${i}`],
      );
    const returns = await warningFor('frequent-returns', (x) => x.subjectKind === 'buyer');
    expect(returns.reason).toContain('returned 3 parcels');
    expect((returns.evidence.returns as unknown[]).length).toBe(3);
  });

  it('warns on special goods packed without a pick', async () => {
    await declare([order(14, { sku: 'KNIFE' })]);
    const packed = await api('POST', `/api/parcels/${parcel(14)}/pack`, 'staff', {});
    expect(packed.status, JSON.stringify(packed.body)).toBe(201);
    const w = await warningFor('special-goods', (x) => x.logisticsNo === parcel(14));
    expect(w.evidence.gaps).toEqual([{ step: 'packing', missing: ['picking'], at: expect.any(String) }]);
    expect(w.reason).toContain('HS 8211910000');
    // ordinary goods packed the same way are no special goods
    await declare([order(15)]);
    const plain = await api('POST', `/api/parcels/${parcel(15)}/pack`, 'staff', {});
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await warnings('rule=special-goods')).map((x) => x.logisticsNo)).toEqual([parcel(14)]);
  });

  it('records a cold-room excursion longer than allowed as a trace event and a warning; a short one is neither', async () => {
    const cold = await api('PUT', `/api/warehouses/${WH}/risk-rules/cold-chain`, 'admin', {
      params: { minDeciC: 20, maxDeciC: 80, maxExcursionS: 120 },
    });
    expect(cold.status, JSON.stringify(cold.body)).toBe(200);
    expect(
      (await api('PUT', `/api/risk/temperature-sensors/${sensorId}`, 'super', { warehouseCode: WH, zoneCode: 'COLD' }))
        .status,
    ).toBe(200);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    // 40 → 95 (1 min, short) → 40 → 130 for 5 min → back to 45
    const series: Array<[number, number]> = [
      [20, 40],
      [19, 95],
      [18, 40],
      [10, 120],
      [8, 130],
      [5, 125],
      [4, 45],
    ];
    await agent.publishAsync(
      topics.agentEvents(sensorAgent),
      JSON.stringify({
        agentId: sensorAgent,
        sentAt: new Date().toISOString(),
        events: series.map(([ago, deci], i) => ({
          type: 'temperature',
          eventId: randomUUID(),
          agentId: sensorAgent,
          deviceId: sensorId,
          stationId: `COLD-${suffix}`,
          seq: i + 1,
          occurredAt: minutesAgo(ago),
          deciCelsius: deci,
          humidityDeciPct: 650,
          raw: Buffer.from([1, 4, 4, 0, deci, 2, 0x8a, 0, 0]).toString('base64'),
          protocol: 'modbus-rtu',
        })),
      }),
      { qos: 1 },
    );
    const w = await warningFor('cold-chain');
    expect(w).toMatchObject({ subjectKind: 'sensor', logisticsNo: null });
    expect(w.evidence).toMatchObject({ peakDeciC: 130, readings: 3, durationS: 360, breach: true, deviceId: sensorId });
    expect(w.reason).toContain('13.0 °C');
    expect(await warnings('rule=cold-chain')).toHaveLength(1);
    const traced = await query<{ disposition: string; read_point: string }>(
      app.databaseUrl,
      `select disposition, read_point from trace_event where object_kind = 'stock' and object_id = $1`,
      [`${WH}/COLD`],
    );
    expect(traced).toEqual([{ disposition: 'temperature_excursion', read_point: sensorId }]);
    const excursions = await query(app.databaseUrl, 'select * from temperature_excursion where device_id = $1', [
      sensorId,
    ]);
    expect(excursions).toHaveLength(2);
    // nothing to hold: the answer says what to do instead
    const hold = await api('POST', `/api/customs/warnings/${w.id}/hold`, 'officer', {});
    expect(hold).toMatchObject({ status: 409, body: { code: 'CUSTOMS_STATE' } });
    expect(hold.body.message).toContain('not one parcel');
  });

  it('keeps the rules an admin/supervisor matter with clear refusals', async () => {
    expect((await api('GET', `/api/warehouses/${WH}/risk-rules`, 'officer')).status).toBe(403);
    expect((await api('PUT', `/api/warehouses/${WH}/risk-rules/low-value`, 'officer', { params: {} })).status).toBe(
      403,
    );
    const bad = await api('PUT', `/api/warehouses/${WH}/risk-rules/low-value`, 'super', { params: { bandPct: 500 } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(bad.body.message).toContain('params.bandPct');
    expect((await api('PUT', '/api/warehouses/NOPE/risk-rules/low-value', 'super', { params: {} })).status).toBe(404);
    expect((await api('PUT', `/api/warehouses/${WH}/risk-rules/nope`, 'super', { params: {} })).status).toBe(400);
    const rules = await api('GET', `/api/warehouses/${WH}/risk-rules`, 'super');
    expect(rules.body.rules).toHaveLength(8);
    // a supervisor dismisses an open warning, saying why
    const open = (await warnings('status=open'))[0];
    const dismissed = await api('POST', `/api/risk/warnings/${open.id}/dismiss`, 'super', {
      note: 'checked: a known importer',
    });
    expect(dismissed).toMatchObject({
      status: 201,
      body: { status: 'dismissed', decisionNote: 'checked: a known importer' },
    });
    expect((await api('POST', `/api/risk/warnings/${open.id}/dismiss`, 'officer', { note: 'x y z' })).status).toBe(403);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCustomsDemo } from '../../../server/src/dev/customs-demo.js';
import { DevicesService } from '../../../server/src/modules/devices/devices.service.js';
import { SellerRegistry } from '../../../server/src/modules/sellers/seller-registry.js';
import type { Role } from '../../../server/src/platform/auth/roles.js';
import { ORM } from '../../../server/src/platform/database/orm.js';
import { type AnswerCheck, answerCheck } from '../../../test/support/openapi-answers.js';
import { query as sql, waitFor } from '../../../test/support/services.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { seedExportChain } from './fuzz-export-chain.js';
import {
  badUrlValues,
  bodyMutations,
  type FuzzRequest,
  fieldMutations,
  fill,
  type JsonSchema,
  leavesOf,
  type OpenApiDocument,
  query,
  type Route,
  routesOf,
  sample,
} from './openapi-fuzz.js';

/**
 * Every route of the OpenAPI document, with a token of a role that may call it, gets at least 30
 * bad requests built from its own schemas (NUL and lone surrogates in each string, numbers past
 * int4/int8, 30-digit decimals, wrong types, nulls, missing fields, unknown keys, duplicated
 * items, deep nesting, long strings; path and query values with NUL, 40 digits, traversal, bad
 * UTF-8). None may answer 5xx, and the server must be healthy afterwards. Routes come from the
 * document, so a new route is fuzzed without anyone remembering to add it. Every success answer
 * on the way is validated (ajv) against the answer schema the document shows for its route and
 * status: a mismatch fails with the route and the path inside the answer.
 */
const ROLES: Role[] = ['supervisor', 'staff', 'customs', 'admin', 'seller', 'seller_admin'];
const MIN_MUTATIONS_PER_ROUTE = 30;

let app: TestServer;
let doc: OpenApiDocument;
const tokens: Record<string, string> = {};
/**
 * Request bodies that name real rows or real credentials, for the routes whose schema example
 * cannot (a password, a refresh token, a seeded parcel): their first request then succeeds, so
 * their answer is checked against the document too. Body mutations still start from the schema.
 */
const realBodies: Record<string, unknown> = {};
/** Routes that end the caller's own session: they get a session of their own. */
const OWN_SESSION = new Set(['POST /api/auth/logout']);
/** Path parameter values that name real rows (by path prefix), so mutations reach past "not found". */
const known: Array<{ prefix: string; values: Record<string, string> }> = [];

/** Success answers checked against the route's documented schema, by route; and what did not match. */
let answers: AnswerCheck;
const checked = new Map<string, number>();
const drift: string[] = [];

/** Whether the route documents this media type as a file answer (a picture, a label) for this status. */
function documentedFile(route: Route, status: number, contentType: string): boolean {
  const responses = (
    route.operation as { responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> }
  ).responses;
  return Object.entries(responses?.[String(status)]?.content ?? {}).some(
    ([type, c]) => type !== 'application/json' && c.schema?.format === 'binary' && contentType.startsWith(type),
  );
}

function checkAnswer(
  route: Route,
  request: FuzzRequest,
  status: number,
  text: string,
  json: boolean,
  contentType = '',
): void {
  if (status < 200 || status >= 300) return;
  // a path URL resolution turns into another route's ('imports/%2e%2e' is the list above it) is that route's request
  if (answers.templateOf(new URL(request.url, 'http://wms.invalid').pathname) !== route.path) return;
  const name = `${route.method} ${route.path}`;
  const problems = json
    ? answers.errors(route.method, route.path, status, JSON.parse(text))
    : documentedFile(route, status, contentType)
      ? []
      : [`answered ${status} without JSON`];
  checked.set(name, (checked.get(name) ?? 0) + 1);
  for (const problem of problems.slice(0, 5)) drift.push(`${status} ${name} [${request.mutation}]: ${problem}`);
}

/** Sends one request; a success answer of `route` is checked against its documented schema. */
async function send(
  request: FuzzRequest,
  token: string | undefined,
  route?: Route,
): Promise<{ status: number; text: string; json: boolean }> {
  try {
    const res = await fetch(`${app.server.url}${request.url}`, {
      method: request.method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(request.body !== undefined ? { 'content-type': request.contentType ?? 'application/json' } : {}),
      },
      body: request.body,
    });
    const contentType = res.headers.get('content-type') ?? '';
    const json = contentType.startsWith('application/json');
    const text = await res.text();
    if (route) checkAnswer(route, request, res.status, text, json, contentType);
    return { status: res.status, text, json };
  } catch (error) {
    // the server closing a connection on purpose (a refused oversized body) is not a 5xx
    return { status: 0, text: String((error as Error).cause ?? error), json: false };
  }
}

/** The requests of one route: the body, each query value and each path parameter broken in turn. */
function requestsFor(route: Route): FuzzRequest[] {
  const parameters = route.operation.parameters ?? [];
  const real = Object.assign({}, ...known.filter((k) => route.path.startsWith(k.prefix)).map((k) => k.values));
  const pathValues = Object.fromEntries(
    parameters
      .filter((p) => p.in === 'path')
      .map((p) => [p.name, encodeURIComponent(real[p.name] ?? String(sample(doc, p.schema)))]),
  );
  const queryValues = Object.fromEntries(
    parameters
      .filter((p) => p.in === 'query' && p.required)
      .map((p) => [p.name, encodeURIComponent(String(sample(doc, p.schema)))]),
  );
  const bodySchema = route.operation.requestBody?.content?.['application/json']?.schema;
  const sampled = bodySchema ? JSON.stringify(sample(doc, bodySchema)) : undefined;
  // a body naming real rows, where there is one, rides along with the path and query mutations too
  const realBody = realBodies[`${route.method} ${route.path}`];
  const body = realBody === undefined ? sampled : JSON.stringify(realBody);
  const base = { method: route.method, body };
  const url = (paths = pathValues, queries = queryValues) => fill(route.path, paths) + query(queries);
  const out: FuzzRequest[] = [
    { ...base, url: url(), mutation: realBody === undefined ? 'valid-looking request' : 'request naming real rows' },
  ];
  if (bodySchema) {
    const required = JSON.parse(sampled as string);
    // the optional fields too: filled in from their schemas, then broken one at a time
    const full = sample(doc, bodySchema, 0, true);
    const covered = new Set(leavesOf(required));
    for (const m of [...bodyMutations(required), ...fieldMutations(full, covered, 40)])
      out.push({ ...base, url: url(), body: m.body, contentType: m.contentType, mutation: `body ${m.mutation}` });
  }
  for (const p of parameters.filter((x) => x.in === 'path'))
    for (const [what, value] of badUrlValues)
      out.push({ ...base, url: url({ ...pathValues, [p.name]: value }), mutation: `path ${p.name}: ${what}` });
  for (const p of parameters.filter((x) => x.in === 'query')) {
    for (const [what, value] of badUrlValues)
      out.push({
        ...base,
        url: url(pathValues, { ...queryValues, [p.name]: value }),
        mutation: `query ${p.name}: ${what}`,
      });
    out.push({
      ...base,
      url: `${url()}${url().includes('?') ? '&' : '?'}${p.name}=a&${p.name}=b`,
      mutation: `query ${p.name}: given twice`,
    });
    out.push({
      ...base,
      url: `${url()}${url().includes('?') ? '&' : '?'}${p.name}[a]=b`,
      mutation: `query ${p.name}: nested`,
    });
  }
  // what every route gets, whatever its inputs: stray query values and bodies it does not take
  for (const [what, value] of badUrlValues)
    out.push({
      ...base,
      url: `${url()}${url().includes('?') ? '&' : '?'}unknownParam=${value}`,
      mutation: `query unknown: ${what}`,
    });
  for (const [what, value] of badUrlValues)
    out.push({ ...base, url: `${url()}${url().includes('?') ? '&' : '?'}${value}=1`, mutation: `query key: ${what}` });
  if (route.method !== 'GET' && route.method !== 'HEAD') {
    out.push({ ...base, url: url(), body: '{"a":"\\u0000"}', mutation: 'stray body with NUL' });
    out.push({ ...base, url: url(), body: '{"a":', mutation: 'stray malformed body' });
    out.push({ ...base, url: url(), body: 'x'.repeat(300 * 1024), mutation: 'stray body over the default limit' });
  }
  return out;
}

/** The first role the route lets through with a valid-looking request (401/403 otherwise). */
async function roleFor(route: Route): Promise<string | undefined> {
  if (route.path === '/api/auth/login' || route.path === '/api/auth/refresh' || route.path === '/health')
    return undefined;
  if (OWN_SESSION.has(`${route.method} ${route.path}`)) return 'leaver';
  const [first] = requestsFor(route);
  for (const role of ROLES) {
    const { status } = await send(first, tokens[role], route);
    if (status !== 401 && status !== 403) return role;
  }
  return 'admin';
}

async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wms-fuzz-'));
  app = await startTestServer('fuzz', {
    CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
    CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
    CUSTOMS_POLL_MS: '0',
  });
  // the seller roles act for the demo's seller (its owner and warehouse are linked once seeded)
  const sellers = new SellerRegistry(app.server.app.get<MikroORM>(ORM));
  await sellers.upsert({ sellerCode: 'SELLER-DEMO', name: 'Demo Seller', ownerCodes: [], warehouseCodes: [] });
  for (const role of ROLES)
    tokens[role] = await app.signIn(role, [role], role, role.startsWith('seller') ? 'SELLER-DEMO' : undefined);
  tokens.leaver = await app.signIn('leaver', ['staff']);
  await app.signIn('bystander', ['staff']);
  await app.signIn('refresher', ['staff']);
  const refreshed = await fetch(`${app.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: app.username('refresher'), password: 'pw' }),
  });
  realBodies['POST /api/auth/login'] = { username: app.username('supervisor'), password: 'pw' };
  realBodies['POST /api/auth/refresh'] = {
    refreshToken: ((await refreshed.json()) as { refreshToken: string }).refreshToken,
  };
  doc = (await (await fetch(`${app.server.url}/api/openapi.json`)).json()) as OpenApiDocument;
  answers = answerCheck(doc);
  // the demo centre (BC01: book lines, bonded stock, declared lists), a dock and the examples' owner,
  // so valid-looking requests get past "unknown warehouse" into the services
  await seedCustomsDemo(app.server.app, () => undefined);
  await sellers.upsert({
    sellerCode: 'SELLER-DEMO',
    name: 'Demo Seller',
    ownerCodes: ['SELLER-DEMO'],
    warehouseCodes: ['BC01'],
  });
  const apiKey = await app.api('POST', '/api/seller/api-keys', 'seller_admin', { name: 'fuzz', scopes: ['read'] });
  expect(apiKey.status).toBe(201);
  const seeded = await app.api('POST', '/api/master-data', 'admin', {
    enterprises: [{ code: 'F0', name: 'Fuzz owner', roles: ['ebc', 'owner'] }],
    warehouses: [
      {
        code: 'BC01',
        name: 'Demo B-type bonded logistics centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W01',
        emsNo: 'T5165W000001',
        zones: [{ code: 'DK', kind: 'non-bonded', locations: ['A-01', { code: 'DOCK', purpose: 'dock' }] }],
      },
    ],
    goods: [
      {
        ownerCode: 'F0',
        sku: 'SKU1',
        gcode: '1234567890',
        name: 'Fuzz goods',
        unit: '011',
        declaredPrice: '1.00',
        country: '142',
      },
    ],
  });
  expect(seeded.status).toBe(201);
  // an overseas warehouse SELLER-DEMO uses, and one of its ASNs there (the shipment routes' ids)
  const overseas = await app.api('POST', '/api/master-data', 'admin', {
    warehouses: [
      {
        code: 'OW-FZ',
        name: 'Fuzz overseas warehouse',
        kind: 'overseas',
        country: 'DE',
        timeZone: 'Europe/Berlin',
        zones: [{ code: 'OZ', kind: 'non-bonded', locations: [{ code: 'OW-DOCK', purpose: 'dock' }] }],
      },
      // the ASN's origin: a consolidation warehouse, so declaring it needs no bonded stock (which
      // the fuzzed master-data requests may move off BC01's account book before the declare route)
      {
        code: 'CW-FZ',
        name: 'Fuzz consolidation warehouse',
        kind: 'consolidation',
        country: 'CN',
        customsCode: '5165',
      },
    ],
  });
  expect(overseas.status).toBe(201);
  await sellers.upsert({
    sellerCode: 'SELLER-DEMO',
    name: 'Demo Seller',
    ownerCodes: ['SELLER-DEMO'],
    warehouseCodes: ['BC01', 'OW-FZ'],
  });
  const asnBody = {
    warehouseCode: 'OW-FZ',
    originWarehouseCode: 'CW-FZ',
    cartons: [{ lines: [{ sku: 'DEMO-SKU1', qty: 2 }] }],
  };
  const asn = await app.api('POST', '/api/seller/shipments', 'seller', asnBody);
  expect(asn.status).toBe(201);
  realBodies['POST /api/seller/shipments'] = asnBody;
  const parcels = await app.api('GET', '/api/customs/parcels?filter=all', 'supervisor');
  const parcel = parcels.body.items[0] as { copNo: string; logisticsNo: string; ebpCode: string; orderNo: string };
  const trip = await app.api('POST', '/api/floor/trips', 'supervisor', { warehouseCode: 'BC01', plate: 'FZ1234' });
  const delivery = await app.api('POST', '/api/floor/deliveries', 'supervisor', {
    warehouseCode: 'BC01',
    deliveryNo: 'FUZZ-D1',
    ownerCode: 'F0',
    dockLocation: 'DOCK',
    lines: [{ sku: 'SKU1', qty: 5 }],
  });
  const wave = await app.api('POST', '/api/floor/waves', 'supervisor', { warehouseCode: 'BC01' });
  const stocktake = await app.api('POST', '/api/floor/stocktakes', 'supervisor', {
    warehouseCode: 'BC01',
    locations: ['A-01-01'],
  });
  expect([trip.status, delivery.status, wave.status, stocktake.status]).toEqual([201, 201, 201, 201]);
  // an agent with a scanner, a scale and a printer (offline: commands to it time out, which is an answer too)
  await app.server.app.get(DevicesService).registerAgent({
    agentId: 'fuzz-agent',
    name: 'Fuzz agent',
    stations: [{ stationId: 'FZ01', name: 'Fuzz station' }],
    devices: [
      { deviceId: 'FZ01-SCANNER', stationId: 'FZ01', kind: 'scanner', name: 'Fuzz scanner' },
      { deviceId: 'FZ01-PRINTER', stationId: 'FZ01', kind: 'printer', name: 'Fuzz printer' },
    ],
  });
  const documentsSchema = doc.paths['/api/customs/documents'].post.requestBody?.content?.['application/json']?.schema;
  const job = await app.api('POST', '/api/customs/documents', 'supervisor', sample(doc, documentsSchema));
  expect(job.status).toBe(202);
  realBodies['POST /api/customs/holds'] = { logisticsNo: parcel.logisticsNo, reason: 'fuzz: held to be lifted' };
  // a parcel held by customs with an inspection result and its photo, so the inspection routes answer
  const inspected = (parcels.body.items as Array<{ logisticsNo: string; gatePassedAt: unknown; hold: unknown }>).find(
    (p) => !p.gatePassedAt && !p.hold && p.logisticsNo !== parcel.logisticsNo,
  ) as { logisticsNo: string };
  const toInspect = { logisticsNo: inspected.logisticsNo, reason: 'fuzz: to inspect' };
  expect((await app.api('POST', '/api/customs/holds', 'customs', toInspect)).status).toBe(201);
  const finding = { result: 'discrepancy', notes: 'fuzz: more found than declared' };
  const result = await app.api('POST', `/api/customs/inspections/${inspected.logisticsNo}/results`, 'customs', finding);
  expect(result.status).toBe(201);
  const form = new FormData();
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  form.append('photo', new Blob([Buffer.from(png, 'base64')], { type: 'image/png' }), 'fuzz.png');
  const photo = await fetch(`${app.server.url}/api/customs/inspection-results/${result.body.id}/photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.customs}` },
    body: form,
  });
  expect(photo.status).toBe(201);
  const photoId = ((await photo.json()) as { id: string }).id;
  realBodies['POST /api/customs/inspections/{logisticsNo}/results'] = finding;
  // an order declared already: declaring it again is answered, and changes nothing
  realBodies['POST /api/customs/declarations'] = {
    direction: 'import',
    orders: [{ ebpCode: parcel.ebpCode, orderNo: parcel.orderNo }],
  };
  // the demo's own goods into a bonded bin of its account book
  realBodies['POST /api/bonded/entries'] = {
    warehouseCode: 'BC01',
    docNo: 'FUZZ-QD-1',
    ownerCode: 'SELLER-DEMO',
    lines: [{ sku: 'DEMO-SKU2', qty: 1, location: 'A-01-01' }],
  };
  // the fuzz station's printer (offline: the print is recorded and times out, once)
  realBodies['POST /api/floor/parcels/{logisticsNo}/label'] = { stationId: 'FZ01' };
  // one print job id: the printer's agent is offline, so the first send waits for its timeout and
  // every repeat answers at once with that job's outcome
  realBodies['POST /api/devices/{deviceId}/commands'] = { type: 'print', zpl: '^XA^FDfuzz^FS^XZ', jobId: 'FUZZ-JOB-1' };
  realBodies['PUT /api/seller/goods/{sku}'] = {
    ownerCode: 'SELLER-DEMO',
    gcode: '3304990010',
    name: 'Fuzz seller goods',
    unit: '011',
    declaredPrice: '1.00',
    country: '142',
  };
  known.push(
    { prefix: '/api/', values: { copNo: parcel.copNo, logisticsNo: parcel.logisticsNo } },
    { prefix: '/api/seller/goods/', values: { sku: 'DEMO-SKU2' } },
    { prefix: '/api/seller/api-keys/', values: { id: apiKey.body.id } },
    { prefix: '/api/seller/shipments/', values: { shipmentNo: asn.body.shipmentNo } },
    { prefix: '/api/shipments/', values: { shipmentNo: asn.body.shipmentNo } },
    { prefix: '/api/users/', values: { username: app.username('bystander') } },
    { prefix: '/api/agents/', values: { agentId: 'fuzz-agent' } },
    { prefix: '/api/devices/{deviceId}/commands', values: { deviceId: 'FZ01-PRINTER' } },
    { prefix: '/api/devices/{deviceId}/secret', values: { deviceId: 'FZ01-SCANNER' } },
    { prefix: '/api/customs/imports/', values: { id: job.body.id } },
    { prefix: '/api/floor/trips/', values: { no: trip.body.tripNo } },
    { prefix: '/api/floor/deliveries/', values: { no: delivery.body.deliveryNo } },
    { prefix: '/api/floor/waves/', values: { no: wave.body.waveNo } },
    { prefix: '/api/floor/stocktakes/', values: { no: stocktake.body.stocktakeNo } },
    { prefix: '/api/customs/inspections/', values: { logisticsNo: inspected.logisticsNo } },
    { prefix: '/api/customs/inspection-results/', values: { id: result.body.id, photoId } },
    // the fuzz centre's risk rules (issue 13): read, and one switched as it is
    { prefix: '/api/warehouses/{code}/risk-rules', values: { code: 'BC01', rule: 'low-value' } },
  );
  realBodies['PUT /api/warehouses/{code}/risk-rules/{rule}'] = { enabled: true };
  const chain = await seedExportChain(app, 'FZ01');
  Object.assign(realBodies, chain.bodies);
  known.push(...chain.known);
});

afterAll(async () => {
  await app?.close();
});

describe('schema fuzzer over every route of the OpenAPI document', () => {
  it('answers no bad request with a 5xx, and the server stays healthy', async () => {
    const routes = routesOf(doc);
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    const perRoute = new Map<string, number>();
    let sent = 0;
    const statuses = new Map<number, number>();
    const baseline: string[] = [];
    const unanswered: string[] = [];
    // every success answer (probes included) is also checked against the schema the document shows for it
    for (const route of routes) checked.set(`${route.method} ${route.path}`, 0);
    for (const route of routes) {
      const role = await roleFor(route);
      const requests = requestsFor(route);
      const first = await send(requests[0], role && tokens[role], route);
      baseline.push(`${first.status} ${route.method} ${route.path} as ${role}: ${first.text.slice(0, 160)}`);
      perRoute.set(`${route.method} ${route.path}`, requests.length);
      await inPool(requests, 6, async (request) => {
        const answer = await send(request, role && tokens[role], route);
        const { status } = answer;
        const text = answer.text.slice(0, 300);
        sent++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 0) unanswered.push(`${request.method} ${route.path} ${request.mutation}: ${text}`);
        // no answer at all (a dropped connection) counts as a failure too
        if (status >= 500 || status === 0)
          failures.push(`${status} ${request.method} ${request.url.slice(0, 120)} [${request.mutation}] ${text}`);
      });
    }
    console.log(`fuzz: ${routes.length} routes, ${sent} requests, ${failures.length} answered 5xx`);
    console.log(`fuzz statuses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`);
    if (process.env.FUZZ_VERBOSE) console.log([...baseline, ...unanswered].join('\n'));
    const answered = [...checked].filter(([, n]) => n > 0);
    console.log(
      `answers checked against their documented schema: ${[...checked.values()].reduce((a, b) => a + b, 0)} on ${answered.length} of ${routes.length} routes\n${[
        ...checked,
      ]
        .map(([route, n]) => `  ${String(n).padStart(3)} ${route}`)
        .join('\n')}`,
    );
    expect(failures).toEqual([]);
    expect(drift).toEqual([]);
    // most routes answer the valid-looking request with a 2xx, so their answers are checked
    expect(answered.length).toBeGreaterThan(routes.length * 0.75);
    const thin = [...perRoute].filter(([, n]) => n < MIN_MUTATIONS_PER_ROUTE);
    expect(thin).toEqual([]);
    // imports and declarations accepted with 202 run in the background: none may stop on an error
    await waitFor(
      'background imports to finish',
      async () =>
        (await sql(app.databaseUrl, "select 1 from import_job where state = 'running'")).length === 0 || undefined,
      30_000,
    );
    const stopped = await sql<{ kind: string; errors: unknown }>(
      app.databaseUrl,
      "select kind, errors from import_job where state = 'failed'",
    );
    expect(stopped).toEqual([]);
    const health = await fetch(`${app.server.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    // about 10k requests over every route (their number grows with the API): more than the default test time
  }, 600_000);
});

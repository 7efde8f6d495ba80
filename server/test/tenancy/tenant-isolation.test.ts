import type { MikroORM } from '@mikro-orm/postgresql';
import { ClientToServer, ServerToClient } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../../test/support/services.js';
import { connectLive, startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { SellerRegistry } from '../../src/modules/sellers/seller-registry.js';
import type { Role } from '../../src/platform/auth/roles.js';
import { ORM } from '../../src/platform/database/orm.js';
import { DomainEvents } from '../../src/platform/events/domain-events.js';

/**
 * Tenant A against tenant B (issue 12), generated from the OpenAPI document: every route a seller
 * may call, every id of tenant B in every path and query parameter, with A's token, A's read key
 * and A's write key. B's rows never come back: "not found" or A's own rows, never B's, never a
 * 403 that tells B's id exists. Both tenants hold the same SKU code, so a filter on the SKU alone
 * would leak.
 */
type Operation = { parameters?: Array<{ name: string; in: 'path' | 'query' }> };
let t: TestServer;
let doc: { paths: Record<string, Record<string, Operation>> };
const tokens: Record<string, string> = {};
const keys: Record<string, { id: string; key: string; prefix: string }> = {};

/** Text only tenant B's rows hold: none of it may appear in an answer to A. */
const B_MARKS = ['OWN-B', 'SELLER-B', 'B secret', 'OW-B1', '6909876000011', '306909876000000013'];
/** B's ageing alert. */
const B_ALERT = '7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
/** B's photo of its return. */
const B_PHOTO = '8c2d3e4f-5061-4b7c-9d8e-0f1a2b3c4d5e';
/** B's values for each parameter name the seller routes have (ids of B's rows and B's codes). */
let bValues: Record<string, string[]>;
let bImportId: string;

async function call(method: string, path: string, auth: Record<string, string>, body?: unknown) {
  const res = await fetch(`${t.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...auth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const goodBody = (ownerCode?: string) => ({
  ...(ownerCode ? { ownerCode } : {}),
  gcode: '3304990010',
  name: 'A planted cream',
  unit: '011',
  declaredPrice: '1.00',
  country: '142',
});

async function seedSeller(code: string, owner: string, warehouse: string, users: Record<string, Role[]>) {
  await new SellerRegistry(t.server.app.get<MikroORM>(ORM)).upsert({
    sellerCode: code,
    name: `${code} Ltd`,
    ownerCodes: [owner],
    warehouseCodes: [warehouse],
  });
  for (const [as, roles] of Object.entries(users)) tokens[as] = await t.signIn(as, roles, as, code);
}

async function createKey(as: string, name: string, scopes: string[]) {
  const res = await t.api('POST', '/api/seller/api-keys', as, { name, scopes });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string; prefix: string };
}

beforeAll(async () => {
  t = await startTestServer('tenancy', { CUSTOMS_POLL_MS: '0' }, {}, { checkAnswers: true });
  await query(
    t.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Seller A Ltd', '{owner,ebc}'),
       ('OWN-B', 'Seller B secret Ltd', '{owner,ebc}');
     insert into warehouse (code, name, kind, country) values ('OW-DE1', 'Overseas DE1', 'overseas', 'DE'),
       ('OW-B1', 'B secret warehouse', 'overseas', 'US');
     insert into goods (owner_code, sku, gtin, gcode, name, unit, declared_price, country) values
       ('OWN-A', 'SKU-1', '6901234000016', '3304990010', 'A cream', '011', 10, '142'),
       ('OWN-A', 'SKU-A', null, '3304990010', 'A soap', '011', 5, '142'),
       ('OWN-B', 'SKU-1', '6909876000011', '3304990010', 'B secret cream', '011', 11, '142'),
       ('OWN-B', 'SKU-B', null, '3304990010', 'B secret soap', '011', 12, '142');
     insert into stock_movement (ledger, warehouse_code, owner_code, sku, batch, customs_state, qty, doc_type, doc_no)
     values ('shelf', 'OW-DE1', 'OWN-A', 'SKU-1', 'L1', 'non-bonded', 7, 'inbound', 'ASN-A'),
            ('shelf', 'OW-DE1', 'OWN-B', 'SKU-1', 'L1', 'non-bonded', 9, 'inbound', 'ASN-B'),
            ('shelf', 'OW-B1', 'OWN-B', 'SKU-B', 'LB', 'non-bonded', 4, 'inbound', 'ASN-B2')`,
  );
  await seedSeller('SELLER-A', 'OWN-A', 'OW-DE1', { a: ['seller_admin', 'seller'], aUser: ['seller'] });
  await seedSeller('SELLER-B', 'OWN-B', 'OW-B1', { b: ['seller_admin', 'seller'] });
  // B's inbound shipment with a carton and a damage (its photo), for the shipment routes' ids
  await query(
    t.databaseUrl,
    `with s as (insert into seller_shipment (shipment_no, seller_code, owner_code, warehouse_code, origin_warehouse_code,
                  carrier, created_by) values ('ASN-B1', 'SELLER-B', 'OWN-B', 'OW-B1', 'OW-DE1', 'B secret carrier', 'b')
                returning id),
          c as (insert into seller_shipment_carton (shipment_id, carton_no, sscc) select id, 1, '306909876000000013' from s
                returning id, shipment_id),
          l as (insert into seller_shipment_line (shipment_id, carton_id, line_no, sku, qty)
                select shipment_id, id, 1, 'SKU-B', 3 from c)
     insert into seller_shipment_damage (id, shipment_id, carton_id, sku, qty, recorded_by, photo, photo_type)
     select '7b0e4a52-3c1d-4d7e-9a55-0b5e7f1a2c3d', shipment_id, id, 'SKU-B', 1, 'staff', '\\xffd8ffe0'::bytea, 'image/jpeg' from c`,
  );
  // B's RMA and ageing alert (returns, ageing): their ids go into the probes below
  await query(
    t.databaseUrl,
    `insert into seller_return (seller_code, owner_code, rma_no, warehouse_code, reason, created_by)
       values ('SELLER-B', 'OWN-B', 'RMA-B1', 'OW-B1', 'B secret reason', 'b');
     insert into seller_return_line (return_id, owner_code, sku, expected_qty)
       select id, 'OWN-B', 'SKU-B', 2 from seller_return where rma_no = 'RMA-B1';
     insert into seller_return_photo (id, return_id, sku, photo, photo_type, taken_by)
       select '${B_PHOTO}', id, 'SKU-B', decode('89504e470d0a1a0a00', 'hex'), 'image/png', 'staff'
         from seller_return where rma_no = 'RMA-B1';
     insert into seller_alert (id, seller_code, kind, owner_code, warehouse_code, sku, lot_no, age_days, qty, arrived_at,
       message) values ('${B_ALERT}', 'SELLER-B', 'ageing', 'OWN-B', 'OW-B1', 'SKU-B', 'LB', 200, 4,
       now() - interval '200 days', 'B secret alert')`,
  );
  // B's outbound order and order import (the order routes take B's order number and import id)
  await query(
    t.databaseUrl,
    `insert into seller_order (seller_code, order_no, fulfilment_no, owner_code, warehouse_code, ship_to, body_hash, source, units, created_by)
     values ('SELLER-B', 'B-ORDER-1', 'SO99999999', 'OWN-B', 'OW-B1', '{"name": "B secret buyer"}', 'x', 'api', 1, 'b')`,
  );
  const [bImport] = await query<{ id: string }>(
    t.databaseUrl,
    `insert into seller_order_import (seller_code, file_name, format, created_by)
     values ('SELLER-B', 'B secret orders.csv', 'csv', 'b') returning id::text as id`,
  );
  bImportId = bImport.id;
  doc = (await (await fetch(`${t.server.url}/api/openapi.json`)).json()) as typeof doc;
});

afterAll(async () => {
  await t?.close();
});

/** Every route of the document with B's values in its parameters, one call per value. */
function probes(): Array<{ method: string; template: string; path: string; b: boolean }> {
  const out: Array<{ method: string; template: string; path: string; b: boolean }> = [];
  for (const [template, operations] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      if (template === '/api/auth/logout' || template === '/api/auth/login' || template === '/api/auth/refresh')
        continue;
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query' && bValues[p.name]);
      const fill = (name: string) => bValues[name] ?? ['X1'];
      // every combination of path values, once without and once with each B query value
      let paths = [template];
      for (const p of pathParams)
        paths = paths.flatMap((path) => fill(p.name).map((v) => path.replace(`{${p.name}}`, encodeURIComponent(v))));
      for (const path of paths) {
        out.push({ method: method.toUpperCase(), template, path, b: pathParams.some((p) => bValues[p.name]) });
        for (const q of queryParams)
          for (const v of bValues[q.name])
            out.push({
              method: method.toUpperCase(),
              template,
              path: `${path}?${q.name}=${encodeURIComponent(v)}`,
              b: true,
            });
      }
    }
  return out;
}

describe('tenant A against tenant B over the OpenAPI document', () => {
  it('gives A none of B’s rows on any route, with A’s token, read key or write key', async () => {
    const bKey = await createKey('b', 'B secret key', ['read']);
    keys.aRead = await createKey('a', 'A read', ['read']);
    keys.aWrite = await createKey('a', 'A write', ['read', 'write']);
    bValues = {
      sku: ['SKU-B', 'SKU-1'],
      id: [bKey.id, B_ALERT],
      rmaNo: ['RMA-B1'],
      photoId: [B_PHOTO],
      ownerCode: ['OWN-B'],
      warehouseCode: ['OW-B1'],
      after: [Buffer.from(JSON.stringify(['OWN-B', ''])).toString('base64url')],
      shipmentNo: ['ASN-B1'],
      damageId: ['7b0e4a52-3c1d-4d7e-9a55-0b5e7f1a2c3d'],
      sscc: ['306909876000000013'],
      orderNo: ['B-ORDER-1'],
      importId: [bImportId],
    };
    const credentials: Record<string, Record<string, string>> = {
      'A token': bearer(tokens.a),
      'A read key (Bearer)': bearer(keys.aRead.key),
      'A write key (X-Api-Key)': { 'x-api-key': keys.aWrite.key },
    };
    const all = probes();
    const sellerRoutes = all.filter((p) => p.template.startsWith('/api/seller/'));
    expect(new Set(sellerRoutes.map((p) => `${p.method} ${p.template}`)).size).toBeGreaterThanOrEqual(8);
    const wrong: string[] = [];
    for (const [who, auth] of Object.entries(credentials))
      for (const probe of all) {
        const body =
          probe.method === 'PUT'
            ? goodBody('OWN-B')
            : probe.method === 'POST'
              ? probe.template === '/api/seller/api-keys'
                ? { name: 'A probe', scopes: ['read'] }
                : {}
              : undefined;
        const { status, text } = await call(probe.method, probe.path, auth, body);
        const label = `${who}: ${probe.method} ${probe.path} -> ${status}`;
        if (status >= 500) wrong.push(`${label} ${text.slice(0, 200)}`);
        const leaked = B_MARKS.filter((m) => text.includes(m) || text.includes(bKey.prefix));
        if (leaked.length) wrong.push(`${label} leaks ${leaked.join(', ')}: ${text.slice(0, 200)}`);
        // B's own rows by B's id: "not found", never a "forbidden" that says it exists
        // (an id in the path names one row; in a list's query it is a filter: an empty list is right)
        const pathPart = probe.path.split('?')[0];
        const bOnly =
          pathPart.includes('SKU-B') ||
          pathPart.includes(bKey.id) ||
          pathPart.includes('B-ORDER-1') ||
          pathPart.includes(bImportId) ||
          pathPart.includes('ASN-B1');
        if (
          !bOnly &&
          probe.path.includes('?') &&
          status === 200 &&
          /"items":\[[^\]]/.test(text) &&
          /SKU-B/.test(probe.path)
        )
          wrong.push(`${label}: a list filtered by B's id must come back empty: ${text.slice(0, 200)}`);
        if (bOnly && probe.template.startsWith('/api/seller/') && who === 'A token' && status !== 404)
          wrong.push(`${label}: expected 404 for B's id`);
        if (status === 403 && probe.template.startsWith('/api/seller/') && who === 'A token')
          wrong.push(`${label}: a 403 on a seller route for B's id`);
      }
    expect(wrong).toEqual([]);
    // B's rows are as they were: nothing A sent changed them
    const [bGood] = await query<{ name: string }>(
      t.databaseUrl,
      "select name from goods where owner_code = 'OWN-B' and sku = 'SKU-1'",
    );
    expect(bGood.name).toBe('B secret cream');
    const planted = await query(t.databaseUrl, "select 1 from goods where name = 'A planted cream'");
    expect(planted).toEqual([]);
    const bStill = await call('GET', '/api/seller/me', bearer(bKey.key));
    expect(bStill.status).toBe(200);
    expect(JSON.parse(bStill.text).sellerCode).toBe('SELLER-B');
  });

  it('shows A its own rows for the SKU code B holds too, per warehouse', async () => {
    const good = await t.api('GET', '/api/seller/goods/SKU-1', 'a');
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ ownerCode: 'OWN-A', sku: 'SKU-1', name: 'A cream' });
    const page = await t.api('GET', '/api/seller/goods?limit=1', 'a');
    expect(page.body.items.map((g: { sku: string }) => g.sku)).toEqual(['SKU-1']);
    const next = await t.api('GET', `/api/seller/goods?limit=1&after=${page.body.nextCursor}`, 'a');
    expect(next.body).toMatchObject({ items: [{ sku: 'SKU-A' }], nextCursor: null });
    const stock = await t.api('GET', '/api/seller/stock', 'a');
    expect(stock.body.items).toEqual([
      expect.objectContaining({ warehouseCode: 'OW-DE1', ownerCode: 'OWN-A', sku: 'SKU-1', batch: 'L1', qty: '7' }),
    ]);
    const me = await t.api('GET', '/api/seller/me', 'a');
    expect(me.body).toMatchObject({
      sellerCode: 'SELLER-A',
      warehouses: [{ code: 'OW-DE1' }],
      owners: [{ code: 'OWN-A', name: 'Seller A Ltd' }],
    });
  });

  it('imports SKUs in bulk with the fields sellers keep, each row answered, none into B', async () => {
    const res = await t.api('POST', '/api/seller/goods/bulk', 'a', {
      items: [
        {
          ...goodBody(),
          sku: 'BULK-1',
          lengthMm: 120,
          widthMm: 80,
          heightMm: 40,
          battery: 'contained',
          legalUnit: '035',
          legalQtyPerUnit: '0.25',
        },
        { ...goodBody(), sku: 'BULK-DG', dangerousGoods: true, unNumber: 'UN3481' },
        { ...goodBody('OWN-B'), sku: 'BULK-B' },
        { ...goodBody(), sku: 'BULK-1' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ written: 2, refused: 2 });
    expect(res.body.results[2]).toMatchObject({
      sku: 'BULK-B',
      ok: false,
      error: expect.stringMatching(/no such owner/),
    });
    expect(res.body.results[3]).toMatchObject({ ok: false, error: expect.stringMatching(/twice/) });
    const good = await t.api('GET', '/api/seller/goods/BULK-1', 'a');
    expect(good.body).toMatchObject({
      lengthMm: 120,
      battery: 'contained',
      legalUnit: '035',
      legalQtyPerUnit: '0.25000',
    });
    expect(await query(t.databaseUrl, "select 1 from goods where owner_code = 'OWN-B' and sku like 'BULK%'")).toEqual(
      [],
    );
    // dangerous goods without their UN number: that row refused with the field named, the others written
    const bad = await t.api('POST', '/api/seller/goods/bulk', 'a', {
      items: [{ ...goodBody(), sku: 'BULK-X', dangerousGoods: true }, { ...goodBody(), sku: 'BULK-Y' }, 'garbage'],
    });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ written: 1, refused: 2 });
    expect(bad.body.results[0]).toMatchObject({ sku: 'BULK-X', ok: false, error: expect.stringMatching(/unNumber/) });
    expect(bad.body.results[2]).toMatchObject({ ok: false, sku: '' });
    expect((await t.api('POST', '/api/seller/goods/bulk', 'a', { items: [] })).status).toBe(400);
  });

  it('takes a write key on a write route, refuses a read key there with 403, and a revoked key with 401', async () => {
    const written = await call('PUT', '/api/seller/goods/SKU-NEW', { 'x-api-key': keys.aWrite.key }, goodBody());
    expect(written.status).toBe(200);
    expect(JSON.parse(written.text)).toMatchObject({ ownerCode: 'OWN-A', sku: 'SKU-NEW' });
    const readOnly = await call('PUT', '/api/seller/goods/SKU-NEW', bearer(keys.aRead.key), goodBody());
    expect(readOnly.status).toBe(403);
    expect(JSON.parse(readOnly.text).code).toBe('FORBIDDEN');
    // keys are for the seller routes that take one: the key management is the seller admin's, signed in
    const keyOnKeys = await call('GET', '/api/seller/api-keys', bearer(keys.aWrite.key));
    expect(keyOnKeys.status).toBe(401);
    const keyOnFloor = await call('GET', '/api/master-data/goods', { 'x-api-key': keys.aWrite.key });
    expect(keyOnFloor.status).toBe(401);

    const revoked = await t.api('POST', `/api/seller/api-keys/${keys.aRead.id}/revoke`, 'a');
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await call('GET', '/api/seller/me', bearer(keys.aRead.key));
    expect(after.status).toBe(401);
    expect(JSON.parse(after.text).code).toBe('AUTH_TOKEN_INVALID');
    // a made-up secret behind a real prefix is no key either
    const forged = await call('GET', '/api/seller/me', bearer(`wmsk_${keys.aWrite.prefix}_${'x'.repeat(43)}`));
    expect(forged.status).toBe(401);
    const listed = await t.api('GET', '/api/seller/api-keys', 'a');
    expect(listed.body.items.map((k: { name: string }) => k.name)).not.toContain('B secret key');
    const [stored] = await query<{ secret_hash: string }>(
      t.databaseUrl,
      'select secret_hash from seller_api_key where id = $1',
      [keys.aWrite.id],
    );
    expect(keys.aWrite.key).not.toContain(stored.secret_hash);
    expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps sellers off the floor: no staff route, no station room, no device news on the live socket', async () => {
    for (const path of ['/api/stations', '/api/scans', '/api/master-data/goods?ownerCode=OWN-B', '/api/floor/board'])
      expect((await call('GET', path, bearer(tokens.aUser))).status).toBe(403);
    const seller = await connectLive(t.server.url, tokens.aUser);
    await t.signIn('floor', ['staff']);
    const staffToken = await t.signIn('floor2', ['staff']);
    const floor = await connectLive(t.server.url, staffToken);
    try {
      const heard: { seller: string[]; floor: string[] } = { seller: [], floor: [] };
      for (const event of [ServerToClient.deviceStatus, ServerToClient.agentPresence, ServerToClient.scanRecorded]) {
        seller.on(event, () => heard.seller.push(event));
        floor.on(event, () => heard.floor.push(event));
      }
      for (const stationId of ['*', 'ST01']) {
        const answer = (await seller.timeout(5000).emitWithAck(ClientToServer.watchStation, { stationId })) as {
          ok: boolean;
          code?: string;
          message?: string;
        };
        expect(answer).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(answer.message).toMatch(/centre/);
      }
      expect(
        ((await floor.timeout(5000).emitWithAck(ClientToServer.watchStation, { stationId: '*' })) as { ok: boolean })
          .ok,
      ).toBe(true);
      const events = t.server.app.get(DomainEvents);
      events.emit('device.statusChanged', { stationId: 'ST01', deviceId: 'ST01-SCALE', status: 'online' } as never);
      events.emit('agent.presenceChanged', { agentId: 'agent-01', online: true } as never);
      events.emit('scan.recorded', { stationId: 'ST01', code: 'X' } as never);
      // the events went out before these round trips; an answer on a socket comes after what it was sent
      await seller.timeout(5000).emitWithAck(ClientToServer.unwatchStation, { stationId: 'ST01' });
      await floor.timeout(5000).emitWithAck(ClientToServer.unwatchStation, { stationId: 'ST01' });
      expect(heard.floor.sort()).toEqual(
        [ServerToClient.deviceStatus, ServerToClient.agentPresence, ServerToClient.scanRecorded].sort(),
      );
      expect(heard.seller).toEqual([]);
    } finally {
      seller.close();
      floor.close();
    }
  });
});

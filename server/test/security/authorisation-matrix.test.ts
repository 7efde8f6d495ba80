import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { SellerRegistry } from '../../src/modules/sellers/seller-registry.js';
import { hashPassword } from '../../src/platform/auth/password.js';
import type { Role } from '../../src/platform/auth/roles.js';
import { UsersRepository } from '../../src/platform/auth/users.repository.js';
import { ORM } from '../../src/platform/database/orm.js';

/**
 * The reviewed access policy: every route of the OpenAPI document, and who may call it. A route
 * the document has and this table lacks fails the test, so a new route cannot escape review.
 * `public`: no token needed; `signed-in`: any role; otherwise the roles that pass. Admin is a role
 * like the others: it passes only where it is listed (administration), not on customs or floor work.
 */
type Policy = 'public' | 'signed-in' | Role[];
const FLOOR: Role[] = ['staff', 'supervisor'];
const FLOOR_READ: Role[] = ['staff', 'supervisor', 'customs'];
const CUSTOMS_VIEW: Role[] = ['customs', 'supervisor'];
/** The centre's reads: every role but a seller's (a seller reads its own through /api/seller/*). */
const CENTRE: Role[] = ['staff', 'supervisor', 'customs', 'admin'];
const SELLER: Role[] = ['seller', 'seller_admin'];

const POLICY: Record<string, Policy> = {
  'GET /health': 'public',
  'GET /api/health/ready': ['staff', 'supervisor', 'admin'],
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'POST /api/auth/logout': 'signed-in',
  'GET /api/auth/me': 'signed-in',
  'GET /api/users': ['admin'],
  'POST /api/users/{username}/disable': ['admin'],
  'POST /api/users/{username}/enable': ['admin'],

  'GET /api/stations': CENTRE,
  'GET /api/scans': CENTRE,
  'POST /api/devices/{deviceId}/commands': ['staff', 'supervisor', 'admin'],
  'POST /api/agents/{agentId}/secret': ['admin'],
  'POST /api/agents/{agentId}/secret/revoke': ['admin'],
  'POST /api/devices/{deviceId}/secret': ['admin'],
  'POST /api/devices/{deviceId}/secret/revoke': ['admin'],

  'POST /api/master-data': ['admin', 'supervisor'],
  'GET /api/master-data/enterprises': CENTRE,
  'GET /api/master-data/warehouses': CENTRE,
  'GET /api/master-data/goods': CENTRE,
  'GET /api/master-data/books/{emsNo}/lines': CENTRE,

  'GET /api/seller/me': SELLER,
  'GET /api/seller/goods': SELLER,
  'GET /api/seller/goods/{sku}': SELLER,
  'PUT /api/seller/goods/{sku}': SELLER,
  'GET /api/seller/stock': SELLER,
  'POST /api/seller/goods/bulk': SELLER,
  'GET /api/seller/buckets': SELLER,
  'GET /api/seller/buckets/summary': SELLER,
  'GET /api/seller/ledger': SELLER,
  // a seller's outbound orders (issue 12)
  'POST /api/seller/orders': SELLER,
  'GET /api/seller/orders': SELLER,
  'POST /api/seller/orders/bulk': SELLER,
  'POST /api/seller/orders/imports': SELLER,
  'GET /api/seller/orders/imports/template': SELLER,
  'GET /api/seller/orders/imports/{importId}': SELLER,
  'GET /api/seller/orders/{orderNo}': SELLER,
  'POST /api/seller/orders/{orderNo}/cancel': SELLER,
  'GET /api/seller/api-keys': ['seller_admin'],
  'POST /api/seller/api-keys': ['seller_admin'],
  'POST /api/seller/api-keys/{id}/revoke': ['seller_admin'],
  'POST /api/seller/returns': SELLER,
  'GET /api/seller/returns': SELLER,
  'GET /api/seller/returns/{rmaNo}': SELLER,
  'GET /api/seller/ageing': SELLER,
  'GET /api/seller/alerts': SELLER,
  'POST /api/seller/alerts/{id}/ack': SELLER,
  'GET /api/returns': FLOOR,
  'POST /api/returns/{rmaNo}/photos': FLOOR,
  'GET /api/seller/returns/{rmaNo}/photos/{photoId}': SELLER,
  // sellers' inbound shipments (ASN): the seller books and follows, the centre declares and tracks
  'POST /api/seller/shipments': SELLER,
  'GET /api/seller/shipments': SELLER,
  'GET /api/seller/shipments/{shipmentNo}': SELLER,
  'GET /api/seller/shipments/{shipmentNo}/labels': SELLER,
  'GET /api/seller/shipments/{shipmentNo}/damages/{damageId}/photo': SELLER,
  'GET /api/shipments/{shipmentNo}': CENTRE,
  'POST /api/shipments/{shipmentNo}/declare': ['supervisor'],
  'POST /api/shipments/{shipmentNo}/status': FLOOR,
  'POST /api/shipments/{shipmentNo}/damages/{damageId}/photo': FLOOR,
  'GET /api/warehouses/{code}/ageing': ['staff', 'supervisor', 'admin'],
  'PUT /api/warehouses/{code}/ageing': ['supervisor', 'admin'],

  'POST /api/customs/documents': ['admin', 'supervisor'],
  'GET /api/customs/imports/{id}': ['admin', 'supervisor'],
  'POST /api/customs/declarations': ['supervisor'],
  'POST /api/customs/inbox/process': ['admin', 'supervisor'],
  'GET /api/customs/lists/{copNo}': ['supervisor', 'customs', 'staff'],
  'GET /api/customs/parcels/{logisticsNo}': ['supervisor', 'customs', 'staff'],
  'POST /api/customs/holds': ['customs'],
  'DELETE /api/customs/holds/{logisticsNo}': ['customs', 'supervisor'],
  'POST /api/customs/lists/{copNo}/cancel': ['supervisor'],
  'POST /api/customs/returns': ['supervisor'],
  'POST /api/customs/returns/{returnNo}/receive': ['supervisor', 'staff'],
  'POST /api/customs/summaries': ['supervisor'],
  'GET /api/customs/summaries/{id}': ['supervisor', 'customs'],
  'GET /api/customs/bonded-inventory': CUSTOMS_VIEW,
  'GET /api/customs/reconciliation': CUSTOMS_VIEW,
  'GET /api/customs/ageing': CUSTOMS_VIEW,
  // statistics from the declaration data (issue 13)
  'GET /api/customs/statistics/dashboard': CUSTOMS_VIEW,
  'GET /api/customs/statistics/table': CUSTOMS_VIEW,
  'GET /api/customs/statistics/credit-grades': CUSTOMS_VIEW,
  'GET /api/customs/statistics/holds': CUSTOMS_VIEW,
  'GET /api/customs/statistics/export': CUSTOMS_VIEW,
  'GET /api/customs/parcels': CUSTOMS_VIEW,
  'GET /api/customs/history/parcels/{logisticsNo}': CUSTOMS_VIEW,
  'GET /api/customs/history/book-lines/{emsNo}/{putrecSeqno}': CUSTOMS_VIEW,
  // risk warnings (issue 13): officers read them and turn one into a hold (a hold: the console's
  // write); the rules, the probes' zones and a dismissal are the centre's, never the console's
  'GET /api/customs/warnings': CUSTOMS_VIEW,
  'GET /api/customs/warnings/{id}': CUSTOMS_VIEW,
  'POST /api/customs/warnings/{id}/hold': ['customs'],
  'GET /api/warehouses/{code}/risk-rules': ['supervisor', 'admin'],
  'PUT /api/warehouses/{code}/risk-rules/{rule}': ['supervisor', 'admin'],
  'POST /api/risk/warnings/{id}/dismiss': ['supervisor'],
  'PUT /api/risk/temperature-sensors/{deviceId}': ['supervisor', 'admin'],
  'GET /api/customs/inventory/book-lines': CUSTOMS_VIEW,
  'GET /api/customs/inventory/book-lines/export': CUSTOMS_VIEW,
  'GET /api/customs/inventory/book-lines/{emsNo}/{putrecSeqno}': CUSTOMS_VIEW,
  'GET /api/customs/inventory/locations': CUSTOMS_VIEW,
  'GET /api/customs/inventory/totals': CUSTOMS_VIEW,
  'GET /api/customs/ageing/alerts': CUSTOMS_VIEW,
  // the customs officer's console (issue 13): parcels by situation, inspection, trace, audit
  'GET /api/customs/parcel-situations': CUSTOMS_VIEW,
  'GET /api/customs/inspections': CUSTOMS_VIEW,
  'POST /api/customs/inspections/{logisticsNo}/results': ['customs'],
  'POST /api/customs/inspection-results/{id}/photos': ['customs'],
  'GET /api/customs/inspection-results/{id}/photos/{photoId}': CUSTOMS_VIEW,
  'GET /api/customs/audit': CUSTOMS_VIEW,
  'GET /api/customs/trace/search': CUSTOMS_VIEW,
  'GET /api/customs/trace/timeline': CUSTOMS_VIEW,
  // credit-graded inspection (issue 13): configured by the centre's admins and supervisors, shown to customs
  'GET /api/customs/inspection-rates': CUSTOMS_VIEW,
  'GET /api/customs/inspection-rates/export': CUSTOMS_VIEW,
  'GET /api/credit/enterprises': ['admin', 'supervisor'],
  'GET /api/credit/enterprises/{code}': ['admin', 'supervisor'],
  'PUT /api/credit/enterprises/{code}': ['admin', 'supervisor'],
  'GET /api/credit/inspection-rates': ['admin', 'supervisor'],
  'PUT /api/credit/inspection-rates': ['admin', 'supervisor'],

  'POST /api/bonded/entries': FLOOR,
  'POST /api/parcels/{logisticsNo}/pack': FLOOR,
  'POST /api/gate/passes': FLOOR,

  'POST /api/floor/units': FLOOR,
  'POST /api/floor/units/{sscc}/label': FLOOR,
  'POST /api/floor/trips': FLOOR,
  'GET /api/floor/trips': FLOOR_READ,
  'GET /api/floor/trips/{no}': FLOOR_READ,
  'POST /api/floor/trips/{no}/depart': FLOOR,
  // the 9610 export chain at a consolidation warehouse (issue 14 point 8): the site reports, customs reads
  'POST /api/export-chain/arrivals': FLOOR,
  'POST /api/export-chain/trips/{no}/master-waybill': FLOOR,
  'POST /api/export-chain/trips/{no}/departure': FLOOR,
  'GET /api/export-chain/reports': FLOOR_READ,
  'POST /api/floor/scans': FLOOR,
  'POST /api/floor/deliveries': ['supervisor'],
  'GET /api/floor/deliveries': FLOOR_READ,
  'GET /api/floor/deliveries/{no}': FLOOR_READ,
  'POST /api/floor/deliveries/{no}/close': ['supervisor'],
  'POST /api/floor/deliveries/{no}/entry-document': ['supervisor'],
  'POST /api/floor/waves': ['supervisor'],
  'GET /api/floor/waves': FLOOR,
  'GET /api/floor/seller-orders': FLOOR,
  'GET /api/floor/waves/{no}': FLOOR,
  'POST /api/floor/picks/{taskId}/short': FLOOR,
  'POST /api/floor/weighings': FLOOR,
  'POST /api/floor/parcels/{logisticsNo}/label': FLOOR,
  'POST /api/floor/stocktakes': ['supervisor'],
  'GET /api/floor/stocktakes': FLOOR_READ,
  'GET /api/floor/stocktakes/{no}': FLOOR_READ,
  'POST /api/floor/stocktakes/{no}/close': ['supervisor'],
  'GET /api/floor/discrepancies': ['supervisor', 'customs'],
  'GET /api/floor/board': ['supervisor'],
  'GET /api/floor/stations': FLOOR,
  'GET /api/floor/stations/{id}': FLOOR,
  'PUT /api/floor/stations/{id}/mode': FLOOR,
  'POST /api/floor/stations/{id}/scans': FLOOR,
};

const ROLES: Role[] = ['staff', 'supervisor', 'customs', 'seller', 'seller_admin', 'admin'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

let t: TestServer;
let routes: string[];

/** Sends the route with made-up path parameters and an empty body: the guard answers before any rule. */
async function call(route: string, token: string | null): Promise<{ status: number; code?: string }> {
  const [method, template] = route.split(' ');
  const path = template.replace(/\{[^}]+\}/g, 'X1');
  const res = await fetch(`${t.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: method === 'GET' ? undefined : '{}',
  });
  const body = (await res.json().catch(() => ({}))) as { code?: string };
  return { status: res.status, code: body.code };
}

/** A fresh session for `as`: sign-out ends the session it is called with. */
async function freshToken(as: Role): Promise<string> {
  const res = await fetch(`${t.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: t.username(as), password: 'pw' }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

beforeAll(async () => {
  t = await startTestServer('authz', { CUSTOMS_POLL_MS: '0' }, Object.fromEntries(ROLES.map((role) => [role, [role]])));
  // the seller roles act for a seller (a tenant); the others for the centre
  await new SellerRegistry(t.server.app.get<MikroORM>(ORM)).upsert({
    sellerCode: 'SELLER-MATRIX',
    name: 'Matrix seller',
    ownerCodes: [],
    warehouseCodes: [],
  });
  for (const role of SELLER)
    await t.server.app.get(UsersRepository).upsert({
      username: t.username(role),
      displayName: role,
      roles: [role],
      sellerCode: 'SELLER-MATRIX',
      passwordHash: await hashPassword('pw'),
    });
  const doc = (await (await fetch(`${t.server.url}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
});

afterAll(async () => {
  await t?.close();
});

describe('authorisation matrix over the OpenAPI document', () => {
  it('lists every route of the document in the reviewed policy, and no route that is gone', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => !(r in POLICY))).toEqual([]);
    expect(Object.keys(POLICY).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('refuses anonymous callers with 401 everywhere but the public routes', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const { status, code } = await call(route, null);
      const publicRoute = POLICY[route] === 'public';
      if (status >= 500) wrong.push(`${route}: ${status}`);
      else if (publicRoute && (status === 401 || status === 403)) wrong.push(`${route}: public but ${status}`);
      else if (!publicRoute && (status !== 401 || code !== 'AUTH_REQUIRED')) wrong.push(`${route}: ${status} ${code}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the docs are public', async () => {
    for (const path of ['/api/docs', '/api/openapi.json'])
      expect((await fetch(`${t.server.url}${path}`)).status).toBe(200);
  });

  for (const role of ROLES) {
    it(`gives ${role} 403 exactly where the policy leaves it out`, async () => {
      const wrong: string[] = [];
      for (const route of routes) {
        const policy = POLICY[route];
        const allowed = policy === 'public' || policy === 'signed-in' || policy.includes(role);
        const token =
          route === 'POST /api/auth/logout' ? await freshToken(role) : ((await freshTokenOnce(role)) as string);
        const { status, code } = await call(route, token);
        if (status >= 500) wrong.push(`${route}: ${status}`);
        else if (allowed && (status === 401 || status === 403)) wrong.push(`${route}: allowed but ${status} ${code}`);
        else if (!allowed && (status !== 403 || code !== 'FORBIDDEN'))
          wrong.push(`${route}: refused but ${status} ${code}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});

const sessionTokens = new Map<Role, string>();
/** One session per role for the whole matrix (a sign-in per request would trip the sign-in limit). */
async function freshTokenOnce(role: Role): Promise<string> {
  if (!sessionTokens.has(role)) sessionTokens.set(role, await freshToken(role));
  return sessionTokens.get(role) as string;
}

import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCustomsDemo } from '../../../server/src/dev/customs-demo.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

/**
 * The bad inputs that used to answer 500 (issue 10), each now a 4xx naming the field; the body
 * limits per route; waves, trips and deliveries for a warehouse that does not exist.
 */
let app: TestServer;

const goods = (over: Record<string, unknown>) => ({
  goods: [
    {
      ownerCode: 'SELLER-DEMO',
      sku: 'BAD-1',
      gcode: '3304990010',
      name: 'x',
      unit: '011',
      declaredPrice: '1.00',
      country: '142',
      ...over,
    },
  ],
});

async function raw(method: string, path: string, body: string, token?: string) {
  const res = await fetch(`${app.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as { code: string; message: string } };
}

/** Sends only the headers of a request announcing `length` bytes, and waits for the answer. */
function announce(path: string, length: number, token?: string): Promise<{ status: number; text: string }> {
  const url = new URL(path, app.server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(length),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

beforeAll(async () => {
  app = await startTestServer('badinput', {}, { admin: ['admin'], supervisor: ['supervisor'], staff: ['staff'] });
  await seedCustomsDemo(app.server.app, () => undefined);
});

afterAll(async () => {
  await app?.close();
});

describe('bad input is a clear 4xx, never a 500', () => {
  it('refuses a NUL in an anonymous login, naming the field', async () => {
    const res = await raw('POST', '/api/auth/login', '{"username":"\\u0000","password":"x"}');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/username: contains a NUL/);
  });

  it('refuses a lone surrogate in any string', async () => {
    const res = await raw('POST', '/api/auth/login', '{"username":"a\\ud800","password":"x"}');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/username: contains an unpaired UTF-16 surrogate/);
  });

  it('refuses a NUL in a path parameter', async () => {
    const res = await app.api('GET', '/api/customs/lists/A%00B', 'supervisor');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/copNo/);
  });

  it('bounds integers by their column (int4) and decimals by their numeric precision', async () => {
    const grams = await app.api('POST', '/api/master-data', 'admin', goods({ grossGrams: 2147483648 }));
    expect(grams.status).toBe(400);
    expect(grams.body.message).toMatch(/goods\.0\.grossGrams/);
    const seq = await app.api('POST', '/api/master-data', 'admin', {
      bookLines: [
        { emsNo: 'T5165W000001', putrecSeqno: 2147483648, itemNo: 'I', gcode: '3304990010', gname: 'g', unit: '011' },
      ],
    });
    expect(seq.status).toBe(400);
    expect(seq.body.message).toMatch(/bookLines\.0\.putrecSeqno/);
    const price = await app.api('POST', '/api/master-data', 'admin', goods({ declaredPrice: '1'.repeat(30) }));
    expect(price.status).toBe(400);
    expect(price.body.message).toMatch(/goods\.0\.declaredPrice/);
    const fits = await app.api(
      'POST',
      '/api/master-data',
      'admin',
      goods({ declaredPrice: '99999999999999.99999', grossGrams: 2147483647 }),
    );
    expect(fits.status).toBe(201);
  });

  it('refuses one code twice in one import, naming the code', async () => {
    const res = await app.api('POST', '/api/master-data', 'admin', {
      enterprises: [
        { code: 'TWICE', name: 'a', roles: ['ebp'] },
        { code: 'TWICE', name: 'b', roles: ['ebp'] },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/enterprises\.1: enterprise code "TWICE" appears twice/);
  });

  it('refuses a 20-digit summary id', async () => {
    const res = await app.api('GET', '/api/customs/summaries/99999999999999999999', 'supervisor');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/summary id/);
  });

  it('lists the allowed keys when a key is unknown', async () => {
    const res = await app.api('POST', '/api/floor/waves', 'supervisor', { warehouseCode: 'BC01', maxParcel: 3 });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('unknown key "maxParcel"; allowed: warehouseCode, maxParcels');
  });

  it('refuses waves, trips and deliveries for a warehouse that does not exist, by name', async () => {
    const code = "' or 1=1--";
    const wave = await app.api('POST', '/api/floor/waves', 'supervisor', { warehouseCode: code });
    const trip = await app.api('POST', '/api/floor/trips', 'supervisor', { warehouseCode: code, plate: 'AB123' });
    const delivery = await app.api('POST', '/api/floor/deliveries', 'supervisor', {
      warehouseCode: code,
      deliveryNo: 'NOWHERE-1',
      ownerCode: 'SELLER-DEMO',
      dockLocation: 'DOCK',
      lines: [{ sku: 'DEMO-SKU1', qty: 1 }],
    });
    for (const res of [wave, trip, delivery]) {
      expect(res.status).toBe(404);
      expect(res.body.message).toContain(`warehouse ${code} does not exist`);
    }
    expect((await app.api('POST', '/api/floor/waves', 'supervisor', { warehouseCode: 'BC01' })).status).toBe(201);
  });
});

describe('body size limits per route', () => {
  it('refuses an anonymous 40 MB body from its Content-Length, without reading it', async () => {
    const res = await announce('/api/master-data', 40 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const login = await announce('/api/auth/login', 40 * 1024 * 1024);
    expect(login.status).toBe(413);
  });

  it('takes a large import from a signed-in caller, and only on a bulk route', async () => {
    const token = await app.signIn('bulk', ['supervisor']);
    const many = {
      goods: Array.from({ length: 4000 }, (_, i) => ({
        ownerCode: 'SELLER-DEMO',
        sku: `BULK-${i}`,
        gcode: '3304990010',
        name: `Bulk goods number ${i} with a longer name`,
        unit: '011',
        declaredPrice: '1.00',
        country: '142',
      })),
    };
    const body = JSON.stringify(many);
    expect(body.length).toBeGreaterThan(256 * 1024);
    expect((await raw('POST', '/api/master-data', body, token)).status).toBe(201);
    expect((await raw('POST', '/api/master-data', body)).status).toBe(413);
    expect((await raw('POST', '/api/master-data', body, 'not-a-token')).status).toBe(413);
    const scan = await raw('POST', '/api/floor/scans', JSON.stringify({ code: 'x'.repeat(300 * 1024) }), token);
    expect(scan.status).toBe(413);
  });
});

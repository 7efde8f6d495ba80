import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { hashPassword } from '../../src/platform/auth/password.js';
import { UsersRepository } from '../../src/platform/auth/users.repository.js';

// Sign-in throttling (per username, per source address, Retry-After), the same scrypt work for an
// unknown user as for a known one, and the security headers of every answer.

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { code?: string; message?: string; accessToken?: string };
  ms: number;
}

/** POST /api/auth/login from a chosen loopback source address (the whole 127/8 is local on Linux). */
function login(t: TestServer, username: string, password: string, from = '127.0.0.1'): Promise<Answer> {
  const url = new URL('/api/auth/login', t.server.url);
  const payload = JSON.stringify({ username, password });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(text),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function addUser(t: TestServer, username: string, password: string, roles: Array<'admin' | 'staff'>) {
  await t.server.app
    .get(UsersRepository)
    .upsert({ username, displayName: username, roles, passwordHash: await hashPassword(password) });
}

describe('sign-in throttling with the default limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('throttle');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('50 wrong admin passwords, then the right one: refused with 429 and when to retry', async () => {
    const admin = `admin-${t.username('x')}`;
    await addUser(t, admin, 'the-right-one', ['admin']);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await login(t, admin, `guess-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));

    const right = await login(t, admin, 'the-right-one');
    expect(right.status).toBe(429);
    expect(right.body.accessToken).toBeUndefined();
    expect(right.body.code).toBe('TOO_MANY_ATTEMPTS');
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(right.body.message).toMatch(/for this username: try again in \d+ s \(after \d\d:\d\d:\d\d UTC\)/);

    // the same username from another address is still blocked: the limit is the user's, not the address's
    expect((await login(t, admin, 'the-right-one', '127.0.0.2')).status).toBe(429);
    // and another user from the first address is not
    const other = `staff-${t.username('x')}`;
    await addUser(t, other, 'pw', ['staff']);
    expect((await login(t, other, 'pw')).status).toBe(200);
  });
});

describe('sign-in throttling per address', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('throttle_addr', { LOGIN_LIMIT_PER_ADDRESS: '8' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('many usernames from one address are blocked; another address still signs in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(t, `nobody-${i}`, 'x', '127.0.0.3')).status);
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(new Set(statuses.slice(8))).toEqual(new Set([429]));
    const blocked = await login(t, 'nobody-13', 'x', '127.0.0.3');
    expect(blocked.body.message).toMatch(/from this address/);
    // the address block lasts five minutes
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(60);

    const user = `staff-${t.username('x')}`;
    await addUser(t, user, 'pw', ['staff']);
    expect((await login(t, user, 'pw', '127.0.0.4')).status).toBe(200);
  });
});

describe('an unknown username costs the same as a wrong password', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('login_timing', { LOGIN_LIMIT_PER_USER: '1000', LOGIN_LIMIT_PER_ADDRESS: '1000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs the password hash for unknown users too (medians of 10 tries within a factor of 2)', async () => {
    const known = `known-${t.username('x')}`;
    await addUser(t, known, 'secret', ['staff']);
    await login(t, known, 'warm-up');
    await login(t, 'warm-up-unknown', 'x');
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const a = await login(t, known, `wrong-${i}`);
      const b = await login(t, `unknown-${i}-${t.username('x')}`, `wrong-${i}`);
      expect([a.status, b.status]).toEqual([401, 401]);
      expect(a.body).toEqual(b.body);
      knownMs.push(a.ms);
      unknownMs.push(b.ms);
    }
    // Before the fix the unknown user answered in ~4 ms against ~109 ms: a ratio of ~0.04.
    const ratio = median(unknownMs) / median(knownMs);
    expect(ratio, `unknown ${median(unknownMs)} ms, known ${median(knownMs)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('security headers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('headers');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends CSP, frame and sniffing protection, and no X-Powered-By', async () => {
    for (const path of ['/health', '/api/auth/me', '/api/openapi.json', '/api/docs']) {
      const res = await fetch(`${t.server.url}${path}`);
      expect(res.headers.get('x-powered-by'), path).toBeNull();
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('upgrade-insecure-requests');
    }
  });
});

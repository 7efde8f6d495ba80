import { ServerToClient } from '@wms/contracts';
import { SignJWT } from 'jose';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, waitFor } from '../../../test/support/services.js';
import { connectLive, startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { hashPassword } from '../../src/platform/auth/password.js';
import { UsersRepository } from '../../src/platform/auth/users.repository.js';

// Tokens and sessions on the real stack: short-lived access tokens renewed by a rotating refresh
// token, sign-out and disabled or deleted users ending them, forged tokens refused, and live
// sockets closed at expiry and at revocation.
const SECRET = 'test-secret-that-is-long-enough-0123456789';
let t: TestServer;

interface SignedIn {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  refreshExpiresAt: string;
  user: { id: string; username: string };
}

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${t.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function me(token: string) {
  return (await fetch(`${t.server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;
}

async function newUser(name: string, roles = ['staff']) {
  const username = `${name}-${t.username('x')}`;
  await t.server.app
    .get(UsersRepository)
    .upsert({ username, displayName: name, roles, passwordHash: await hashPassword('pw') });
  return username;
}

async function login(username: string): Promise<SignedIn> {
  const res = await post('/api/auth/login', { username, password: 'pw' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const connect = (token: string) => connectLive(t.server.url, token);

/** Resolves with the error code the server sent before it closed the socket. */
function closedBy(socket: Socket): Promise<{ code?: string; reason: string }> {
  let code: string | undefined;
  socket.on(ServerToClient.error, (e: { code?: string }) => {
    code = e.code;
  });
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve({ code, reason })));
}

beforeAll(async () => {
  // 3 s tokens so that expiry can be watched; session states re-read after 200 ms.
  t = await startTestServer('sessions', { JWT_TTL_SECONDS: '3', AUTH_SESSION_CHECK_MS: '200' }, { admin: ['admin'] });
});

afterAll(async () => {
  await t?.close();
});

describe('access and refresh tokens', () => {
  it('issues a short-lived access token and a refresh token that is spent on use', async () => {
    const first = await login(await newUser('rotate'));
    expect(Date.parse(first.expiresAt) - Date.now()).toBeLessThanOrEqual(3000);
    expect(Date.parse(first.refreshExpiresAt)).toBeGreaterThan(Date.now() + 3600_000);
    expect(await me(first.accessToken)).toBe(200);

    const second = await post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(await me(second.body.accessToken)).toBe(200);
    const rows = await query<{ refresh_token_hash: string }>(
      t.databaseUrl,
      'select refresh_token_hash from auth_session where id = $1',
      [first.refreshToken.split('.')[0]],
    );
    expect(rows[0].refresh_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(second.body.refreshToken.split('.')[1]);

    // The spent refresh token again: refused, and the session it belonged to is ended for both holders.
    const replay = await post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
    expect(await me(second.body.accessToken)).toBe(401);
  });

  it('refuses an access token after it expired, and a refresh still renews the session', async () => {
    const signedIn = await login(await newUser('expire'));
    await waitFor('the token to expire', async () => (await me(signedIn.accessToken)) === 401, 6000, 200);
    const renewed = await post('/api/auth/refresh', { refreshToken: signedIn.refreshToken });
    expect(renewed.status).toBe(200);
    expect(await me(renewed.body.accessToken)).toBe(200);
  });

  it('signs out: the token, the refresh token and the session end', async () => {
    const signedIn = await login(await newUser('logout'));
    expect((await post('/api/auth/logout', {}, signedIn.accessToken)).status).toBe(200);
    expect(await me(signedIn.accessToken)).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: signedIn.refreshToken })).status).toBe(401);
    const [row] = await query<{ revoked_reason: string }>(
      t.databaseUrl,
      'select revoked_reason from auth_session where id = $1',
      [signedIn.refreshToken.split('.')[0]],
    );
    expect(row.revoked_reason).toBe('signed out');
  });

  it('a disabled user loses its sessions at once and cannot sign in until enabled', async () => {
    const username = await newUser('disabled');
    const signedIn = await login(username);
    const adminToken = (await post('/api/auth/login', { username: t.username('admin'), password: 'pw' })).body
      .accessToken;
    const disabled = await post(`/api/users/${encodeURIComponent(username)}/disable`, {}, adminToken);
    expect(disabled).toMatchObject({ status: 200, body: { active: false, sessionsEnded: 1 } });
    expect(await me(signedIn.accessToken)).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: signedIn.refreshToken })).status).toBe(401);
    expect((await post('/api/auth/login', { username, password: 'pw' })).status).toBe(401);
    // only an administrator administers users
    expect((await post(`/api/users/${encodeURIComponent(username)}/enable`, {}, signedIn.accessToken)).status).toBe(
      401,
    );
    expect((await post(`/api/users/${encodeURIComponent(username)}/enable`, {}, adminToken)).status).toBe(200);
    expect(await me((await login(username)).accessToken)).toBe(200);
  });

  it('a deleted user’s token stops working, and its socket closes', async () => {
    const username = await newUser('deleted');
    const signedIn = await login(username);
    expect(await me(signedIn.accessToken)).toBe(200);
    const socket = await connect(signedIn.accessToken);
    const closed = closedBy(socket);
    await query(t.databaseUrl, 'delete from app_user where username = $1', [username]);
    // other instances (and this one, without a local event) re-read the session within AUTH_SESSION_CHECK_MS
    await waitFor('the deleted user’s token to be refused', async () => (await me(signedIn.accessToken)) === 401, 3000);
    // no event told this instance: its periodic check of open sockets finds the session gone
    expect(await closed).toEqual({ code: 'AUTH_SESSION_ENDED', reason: 'io server disconnect' });
  });

  it('refuses forged tokens: wrong key, alg none, tampered payload, no session', async () => {
    const signedIn = await login(await newUser('forged'));
    const [header, payload, signature] = signedIn.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const sign = (body: Record<string, unknown>, key = SECRET, expiry: string | number = '1h') =>
      new SignJWT(body)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(body.sub ?? claims.sub))
        .setIssuer('bonded-wms')
        .setIssuedAt()
        .setExpirationTime(expiry)
        .sign(new TextEncoder().encode(key));
    const forged = {
      wrongKey: await sign({ ...claims }, 'another-secret-that-is-long-enough-000000'),
      algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, roles: ['admin'] })}.`,
      tampered: `${header}.${b64({ ...claims, roles: ['admin', 'customs'] })}.${signature}`,
      noSession: await sign({ ...claims, sid: undefined }),
      unknownSession: await sign({ ...claims, sid: '00000000-0000-4000-8000-000000000000' }),
      otherUsersSession: await sign({ ...claims, sub: '00000000-0000-4000-8000-000000000001' }),
      expired: await sign({ ...claims }, SECRET, Math.floor(Date.now() / 1000) - 10),
      garbage: 'not.a.token',
    };
    for (const [what, token] of Object.entries(forged)) {
      const res = await fetch(`${t.server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, what).toBe(401);
      expect(((await res.json()) as { code: string }).code, what).toBe('AUTH_TOKEN_INVALID');
    }
    expect(await me(signedIn.accessToken)).toBe(200);
  });
});

describe('live sockets', () => {
  it('closes a socket when its token expires, unless the token is renewed on the socket first', async () => {
    const signedIn = await login(await newUser('socket-expiry'));
    const renewing = await login(await newUser('socket-renew'));
    const expiring = await connect(signedIn.accessToken);
    const renewed = await connect(renewing.accessToken);
    const expiringClosed = closedBy(expiring);
    const started = Date.now();
    // renewed halfway through the 3 s lifetime, as the screens do
    await new Promise((r) => setTimeout(r, 1500));
    const next = await post('/api/auth/refresh', { refreshToken: renewing.refreshToken });
    const ack = await renewed.timeout(2000).emitWithAck('session.renew', { token: next.body.accessToken });
    expect(ack).toMatchObject({ ok: true });
    const closed = await expiringClosed;
    expect(closed).toEqual({ code: 'AUTH_TOKEN_EXPIRED', reason: 'io server disconnect' });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(renewed.connected).toBe(true);
    // a token of someone else is not a renewal of this socket
    const stranger = await login(await newUser('socket-stranger'));
    expect(await renewed.timeout(2000).emitWithAck('session.renew', { token: stranger.accessToken })).toMatchObject({
      ok: false,
    });
    renewed.close();
    // and an expired token cannot open a socket
    await expect(connect(signedIn.accessToken)).rejects.toMatchObject({ data: { code: 'AUTH_TOKEN_INVALID' } });
  });

  it('closes the sockets of a session at sign-out and of a user when disabled', async () => {
    const username = await newUser('socket-revoke');
    const a = await login(username);
    const b = await login(username);
    const socketA = await connect(a.accessToken);
    const socketB = await connect(b.accessToken);
    const closedA = closedBy(socketA);
    expect((await post('/api/auth/logout', {}, a.accessToken)).status).toBe(200);
    expect(await closedA).toEqual({ code: 'AUTH_SESSION_ENDED', reason: 'io server disconnect' });
    expect(socketB.connected).toBe(true);

    const closedB = closedBy(socketB);
    const adminToken = (await post('/api/auth/login', { username: t.username('admin'), password: 'pw' })).body
      .accessToken;
    expect((await post(`/api/users/${encodeURIComponent(username)}/disable`, {}, adminToken)).status).toBe(200);
    expect(await closedB).toEqual({ code: 'AUTH_SESSION_ENDED', reason: 'io server disconnect' });
  });
});

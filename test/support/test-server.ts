import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { REALTIME_NAMESPACE } from '@wms/contracts';
import { io, type Socket } from 'socket.io-client';
import { inject } from 'vitest';
import { type ServerApp, startServer } from '../../server/src/app.factory.js';
import { hashPassword } from '../../server/src/platform/auth/password.js';
import type { Role } from '../../server/src/platform/auth/roles.js';
import { UsersRepository } from '../../server/src/platform/auth/users.repository.js';
import { loadConfig } from '../../server/src/platform/config/app-config.js';
import { type AnswerCheck, answerCheck } from './openapi-answers.js';
import { createTestDatabase } from './services.js';

export interface TestServer {
  server: ServerApp;
  databaseUrl: string;
  /** Sends a request as one of the signed-in users; the body comes back parsed. */
  api<T = any>(method: string, path: string, as: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Signs a user in (created with these roles, acting for `sellerCode` when given) and remembers the token under `as`. */
  signIn(as: string, roles: Role[], displayName?: string, sellerCode?: string): Promise<string>;
  /** The login name behind `as` (password `pw`), for a browser to sign in with. */
  username(as: string): string;
  close(): Promise<void>;
}

/**
 * The server in this process on its own fresh database, with the real broker the tests use, and
 * users signed in by name: what every integration test of the API starts from. With
 * `checkAnswers`, every success answer `api()` gets is validated against the answer schema the
 * OpenAPI document shows for its route: an answer unlike its docs fails the call, naming the path.
 */
export async function startTestServer(
  prefix: string,
  env: Record<string, string> = {},
  users: Record<string, Role[]> = {},
  options: { checkAnswers?: boolean } = {},
): Promise<TestServer> {
  const suffix = randomUUID().slice(0, 8);
  const databaseUrl = await createTestDatabase(inject('pgAdminUrl'), `wms_${prefix}`);
  const server = await startServer(
    loadConfig({
      DATABASE_URL: databaseUrl,
      MQTT_URL: inject('mqttUrl'),
      MQTT_PROTOCOL_VERSION: String(inject('mqttProtocolVersion')),
      MQTT_SHARE_GROUP: `${prefix}-${suffix}`,
      INSTANCE_ID: `${prefix}-${suffix}`,
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      // the built seller portal at /seller/ (served only when built)
      SELLER_UI_DIST_DIR: resolve(import.meta.dirname, '../../seller-portal/dist'),
      CUSTOMS_UI_DIST_DIR: resolve(import.meta.dirname, '../../customs-console/dist'),
      ...env,
    }),
    { migrate: true },
  );
  const tokens: Record<string, string> = {};
  let answers: AnswerCheck | undefined;
  if (options.checkAnswers) answers = answerCheck(await (await fetch(`${server.url}/api/openapi.json`)).json());
  const testServer: TestServer = {
    server,
    databaseUrl,
    async api(method, path, as, body) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = { status: res.status, body: await res.json() };
      const template = answers?.templateOf(path);
      if (answers && template && res.status >= 200 && res.status < 300) {
        const problems = answers.errors(method, template, res.status, answer.body);
        if (problems.length)
          throw new Error(
            `${method} ${path} answered ${res.status} unlike its documented schema: ${problems.join('; ')}`,
          );
      }
      return answer;
    },
    async signIn(as, roles, displayName = as, sellerCode) {
      const username = `${as}-${suffix}`;
      await server.app
        .get(UsersRepository)
        .upsert({ username, displayName, roles, sellerCode, passwordHash: await hashPassword('pw') });
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'pw' }),
      });
      tokens[as] = ((await res.json()) as { accessToken: string }).accessToken;
      return tokens[as];
    },
    username: (as) => `${as}-${suffix}`,
    close: () => server.close(),
  };
  for (const [as, roles] of Object.entries(users)) await testServer.signIn(as, roles);
  return testServer;
}

/** A live socket of the server's realtime namespace, signed in with `token` (no reconnection). */
export function connectLive(serverUrl: string, token: string): Promise<Socket> {
  const socket = io(`${serverUrl}${REALTIME_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

/**
 * The customs console writes nothing but holds, lifts, inspection results (with their photos) and,
 * by itself, its audit log (issue 13). This walks every route of the OpenAPI document as a user
 * holding only the customs role, with made-up parameters and an empty body: every non-GET route
 * must refuse it with 403 — except signing in, out and renewing the token, and the routes that
 * place a hold (a path ending in `hold` or `holds`: a risk warning turned into a hold is a hold),
 * lift one, or record an inspection result and its photos. A new write route that lets customs
 * through fails here until it is one of those.
 */
const METHODS = ['post', 'put', 'patch', 'delete'];
const SIGN_IN = ['POST /api/auth/login', 'POST /api/auth/refresh', 'POST /api/auth/logout'];
const OFFICER_WRITES = [
  'POST /api/customs/holds',
  'DELETE /api/customs/holds/{logisticsNo}',
  'POST /api/customs/inspections/{logisticsNo}/results',
  'POST /api/customs/inspection-results/{id}/photos',
];
/** A hold placed from elsewhere (a warning, a book line): the same kind of officer action. */
const isHold = (route: string) => /^POST \S*\/holds?$/.test(route);

let t: TestServer;
let writes: string[];

async function call(route: string, token: string): Promise<{ status: number; code?: string }> {
  const [method, template] = route.split(' ');
  const res = await fetch(`${t.server.url}${template.replace(/\{[^}]+\}/g, 'X1')}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{}',
  });
  const body = (await res.json().catch(() => ({}))) as { code?: string };
  return { status: res.status, code: body.code };
}

beforeAll(async () => {
  t = await startTestServer('cwrites', { CUSTOMS_POLL_MS: '0' }, { officer: ['customs'] });
  const doc = (await (await fetch(`${t.server.url}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  writes = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
});

afterAll(async () => {
  await t?.close();
});

describe('what the customs role may write', () => {
  it('the document has the officer writes and plenty of others to refuse', () => {
    for (const route of [...OFFICER_WRITES, ...SIGN_IN]) expect(writes).toContain(route);
    expect(writes.length).toBeGreaterThan(40);
  });

  it('passes authorisation only on holds, lifts, inspection results and signing in/out', async () => {
    const signIn = async () => {
      const res = await fetch(`${t.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: t.username('officer'), password: 'pw' }),
      });
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    const token = await signIn();
    const passed: string[] = [];
    const wrong: string[] = [];
    for (const route of writes) {
      // sign-out ends the session it is called with: it gets one of its own
      const { status, code } = await call(route, route === 'POST /api/auth/logout' ? await signIn() : token);
      if (status >= 500) wrong.push(`${route}: ${status} ${code}`);
      else if (status === 401) wrong.push(`${route}: 401 ${code}`);
      else if (status !== 403) passed.push(route);
      else if (code !== 'FORBIDDEN') wrong.push(`${route}: 403 ${code}`);
    }
    expect(wrong).toEqual([]);
    const allowed = (r: string) => SIGN_IN.includes(r) || OFFICER_WRITES.includes(r) || isHold(r);
    expect(passed.filter((r) => !allowed(r))).toEqual([]);
    // and each officer write really is open to the officer (not refused by a role list)
    expect(OFFICER_WRITES.filter((r) => !passed.includes(r))).toEqual([]);
  });
});

// What the customs audit trail (issue 13) costs a request, and that it loses none: the same read
// (GET /api/customs/parcel-situations, one count over inventory_list) is sent by a customs officer
// (audited: one customs_audit row per request) and by a supervisor (not audited), interleaved, one
// at a time, so each figure is one request's latency; then the rows written are counted.
// Wired into npm run bench as BENCH_ONLY=customs-audit; BENCH_AUDIT_REQUESTS: how many per role.
import pg from 'pg';

/**
 * @param {object} ctx what bench.js hands every section
 * @param {{ databaseUrl: string, mqttUrl: string, protocolVersion: number }} ctx.svc
 * @param {(name: string, value: number, unit: string, note?: string) => void} ctx.figure
 * @param {(text: string) => void} ctx.progress
 * @param {(env: Record<string, string>) => Promise<import('node:child_process').ChildProcess>} ctx.startServer
 * @param {() => Promise<number>} ctx.freePort
 * @param {Array<() => unknown>} ctx.cleanups
 * @param {(sorted: number[], p: number) => number} ctx.percentile
 */
export async function benchCustomsAudit({ svc, figure, progress, startServer, freePort, cleanups, percentile }) {
  const REQUESTS = Number(process.env.BENCH_AUDIT_REQUESTS ?? 2000);
  const { provision } = await import('../../server/dist/modules/devices/provisioning.js');
  const { createOrm } = await import('../../server/dist/platform/database/orm.js');
  const { appDatabaseUrl, ensureAppLogin } = await import('../../server/dist/platform/database/app-role.js');
  const admin = new URL(svc.databaseUrl);
  const name = `wms_bench_audit_${process.pid}`;
  admin.pathname = '/postgres';
  const adminClient = new pg.Client({ connectionString: admin.toString() });
  await adminClient.connect();
  await adminClient.query(`create database ${name}`);
  await adminClient.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const dbUrl = new URL(svc.databaseUrl);
  dbUrl.pathname = `/${name}`;
  const orm = await createOrm({ databaseUrl: dbUrl.toString(), poolMax: 2 });
  await orm.migrator.up();
  await ensureAppLogin(dbUrl.toString(), appDatabaseUrl({ DATABASE_URL: dbUrl.toString() }).url);
  await provision(orm, {
    users: [
      { username: 'bench-customs', displayName: 'Bench officer', roles: ['customs'], password: 'bench-password' },
      { username: 'bench-super', displayName: 'Bench supervisor', roles: ['supervisor'], password: 'bench-password' },
    ],
    stations: [],
    agents: [],
  });
  await orm.close();
  const port = await freePort();
  await startServer({
    DATABASE_URL: dbUrl.toString(),
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `benchaudit${process.pid}`,
    INSTANCE_ID: `bench-audit-${process.pid}`,
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_FORMAT: 'json',
    CUSTOMS_POLL_MS: '0',
  });
  const base = `http://127.0.0.1:${port}`;
  const login = async (username) =>
    (
      await (
        await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'bench-password' }),
        })
      ).json()
    ).accessToken;
  const tokens = { customs: await login('bench-customs'), supervisor: await login('bench-super') };
  const once = async (token) => {
    const started = performance.now();
    const res = await fetch(`${base}/api/customs/parcel-situations?warehouseCode=BC01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`parcel-situations answered ${res.status}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 100; i++) await once(i % 2 ? tokens.customs : tokens.supervisor);
  progress(`customs audit: ${REQUESTS} reads as an officer and as a supervisor, interleaved`);
  const times = { customs: [], supervisor: [] };
  for (let i = 0; i < REQUESTS * 2; i++) {
    const role = i % 2 ? 'customs' : 'supervisor';
    times[role].push(await once(tokens[role]));
  }
  for (const list of Object.values(times)) list.sort((a, b) => a - b);
  const ms = (v) => Math.round(v * 100) / 100;
  figure('customs_audited_read_p50_ms', ms(percentile(times.customs, 50)), 'ms', 'officer: one audit row each');
  figure('customs_audited_read_p99_ms', ms(percentile(times.customs, 99)), 'ms');
  figure('customs_unaudited_read_p50_ms', ms(percentile(times.supervisor, 50)), 'ms', 'supervisor, same read');
  figure('customs_unaudited_read_p99_ms', ms(percentile(times.supervisor, 99)), 'ms');
  // the rows are written after the answer: give the last ones a moment, then count
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  let rows = 0;
  for (let i = 0; i < 50; i++) {
    rows = Number(
      (await db.query("select count(*) as n from customs_audit where route = '/api/customs/parcel-situations'")).rows[0]
        .n,
    );
    if (rows >= REQUESTS + 50) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await db.end();
  figure(
    'customs_audit_rows_per_officer_read',
    Math.round((rows / (REQUESTS + 50)) * 1000) / 1000,
    'rows',
    'must be 1',
  );
}

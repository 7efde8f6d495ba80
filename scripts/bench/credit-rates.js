// What the customs console's credit page costs (issue 13): GET /api/customs/inspection-rates over
// the last 30 days, with BENCH_CREDIT_LISTS declared lists (default 100,000, spread over 60 days and
// 50 graded enterprises) and two receipts each (120, then 800 or a 500 for one in 20), counted
// from the raw receipts on every request. Sequential requests: each figure is one request's latency.
// Wired into npm run bench as BENCH_ONLY=credit; BENCH_CREDIT_REQUESTS: how many requests.
import pg from 'pg';

/** @param {object} ctx what bench.js hands every section (see customs-audit.js) */
export async function benchCreditRates({ svc, figure, progress, startServer, freePort, cleanups, percentile }) {
  const LISTS = Number(process.env.BENCH_CREDIT_LISTS ?? 100_000);
  const REQUESTS = Number(process.env.BENCH_CREDIT_REQUESTS ?? 100);
  const { provision } = await import('../../server/dist/modules/devices/provisioning.js');
  const { createOrm } = await import('../../server/dist/platform/database/orm.js');
  const { appDatabaseUrl, ensureAppLogin } = await import('../../server/dist/platform/database/app-role.js');
  const admin = new URL(svc.databaseUrl);
  const name = `wms_bench_credit_${process.pid}`;
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
    ],
    stations: [],
    agents: [],
  });
  await orm.close();
  progress(`credit: seeding ${LISTS} lists with their declarations and receipts`);
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  await db.query(`insert into warehouse (code, name, kind) values ('BW', 'Bench warehouse', 'consolidation')`);
  await db.query(`insert into enterprise_credit (enterprise_code, name, grade, graded_by)
    select 'BE' || g, 'Bench ' || g,
           (array['advanced_certified','certified','regular','dishonest','seriously_dishonest'])[1 + g % 5], 'bench'
      from generate_series(0, 49) g`);
  await db.query(
    `insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code, logistics_code,
       logistics_no, agent_code, head, lines, state, declared_at, declare_count)
     select 'BC' || i, 'export', case when i % 7 = 0 then '9710' else '9610' end, 'BW', 'PLAT', 'O' || i, 'BE' || (i % 50),
            'LOGI', 'L' || i, 'AG', '{}', '[]', 'declared', now() - (i % 60) * interval '1 day', 1
       from generate_series(1, $1::int) i`,
    [LISTS],
  );
  await db.query(`insert into customs_message (guid, message_type, subject_kind, subject_id, file_name, xml, written_at)
    select 'G' || id, 'CEB603', 'list', id, 'F' || id || '.xml', '<x/>', now() from inventory_list`);
  await db.query(`insert into customs_receipt (message_type, guid, return_status, return_time, fields, file_name, changed_status)
    select 'CEB604', 'G' || l.id, s, '20261201100000000', '{}', 'R' || l.id || '_' || s || '.xml', true
      from inventory_list l, unnest(array[120, case when l.id % 20 = 0 then 500 else 800 end]) s`);
  await db.query('analyze');
  await db.end();
  const port = await freePort();
  await startServer({
    DATABASE_URL: dbUrl.toString(),
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `benchcredit${process.pid}`,
    INSTANCE_ID: `bench-credit-${process.pid}`,
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_FORMAT: 'json',
    CUSTOMS_POLL_MS: '0',
  });
  const base = `http://127.0.0.1:${port}`;
  const token = (
    await (
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench-customs', password: 'bench-password' }),
      })
    ).json()
  ).accessToken;
  const times = [];
  let lists = 0;
  for (let i = 0; i < REQUESTS + 5; i++) {
    const started = performance.now();
    const res = await fetch(`${base}/api/customs/inspection-rates`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`inspection-rates answered ${res.status}: ${JSON.stringify(body)}`);
    lists = body.total.lists;
    if (i >= 5) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const note = `${lists} lists in the 30-day window of ${LISTS}, 50 enterprises, ${REQUESTS} sequential requests`;
  figure('credit_inspection_rates_p50_ms', Number(percentile(times, 50).toFixed(1)), 'ms', note);
  figure('credit_inspection_rates_p99_ms', Number(percentile(times, 99).toFixed(1)), 'ms', note);
}

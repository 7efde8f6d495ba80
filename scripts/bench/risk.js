// Risk warnings (issue 13): the console's warnings page over 200k stored warnings, and how fast the
// evaluator turns arriving facts into warnings — a backlog of 2,000 off-weight parcels, and single
// facts that no event announced (the timer's backstop: RISK_SWEEP_MS, 5 s by default).
// Run alone: BENCH_ONLY=risk npm run bench (or node scripts/bench.js after a build).
import pg from 'pg';
import { provision } from '../../server/dist/modules/devices/provisioning.js';
import { createOrm } from '../../server/dist/platform/database/orm.js';

const WARNINGS = 200_000;
const BACKLOG = 2_000;

export async function riskBench({ svc, figure, progress, startServer, freePort, cleanups, percentile }) {
  const admin = new URL(svc.databaseUrl);
  const name = `wms_bench_risk_${process.pid}`;
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
  await provision(orm, {
    users: [{ username: 'officer', displayName: 'Officer', roles: ['customs'], password: 'bench-password' }],
    stations: [],
    agents: [],
  });
  await orm.close();

  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  progress(`risk: ${WARNINGS.toLocaleString('en')} stored warnings over 4 sites`);
  await db.query(`insert into warehouse (code, name, kind, customs_code, loct_no, ems_no)
    select 'BR' || w, 'Risk site ' || w, 'bonded-centre', '5165', '5165W' || w, 'BREMS000' || w from generate_series(1, 4) w`);
  const rules = [
    'weight-deviation',
    'low-value',
    'buyer-limit',
    'shared-consignee',
    'shared-payer',
    'frequent-returns',
    'special-goods',
    'cold-chain',
  ];
  await db.query(
    `insert into risk_warning (warehouse_code, rule, subject_kind, subject_id, logistics_no, severity, reason, evidence, status, raised_at, updated_at)
     select 'BR' || (g % 4 + 1), ($1::text[])[g % 8 + 1], 'parcel', 'S' || g, 'LP' || g, 'warning', 'bench warning ' || g,
       jsonb_build_object('n', g), case when g % 5 = 0 then 'open' when g % 5 = 1 then 'dismissed' else 'held' end,
       now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
     from generate_series(1, ${WARNINGS}) g`,
    [rules],
  );
  await db.query('vacuum analyze risk_warning');

  const port = await freePort();
  await startServer({
    DATABASE_URL: dbUrl.toString(),
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `benchrisk${process.pid}`,
    INSTANCE_ID: `bench-risk-${process.pid}`,
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_FORMAT: 'json',
    CUSTOMS_POLL_MS: '0',
  });
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'officer', password: 'bench-password' }),
  });
  const { accessToken } = await login.json();
  const headers = { authorization: `Bearer ${accessToken}` };
  const paths = [
    '/api/customs/warnings?status=open&limit=100',
    '/api/customs/warnings?limit=100',
    '/api/customs/warnings?status=open&rule=weight-deviation&limit=100',
    '/api/customs/warnings?warehouseCode=BR2&status=held&limit=100&offset=500',
  ];
  for (let i = 0; i < 20; i++) await fetch(`${base}${paths[i % paths.length]}`, { headers });
  const times = [];
  for (let i = 0; i < 400; i++) {
    const start = performance.now();
    const res = await fetch(`${base}${paths[i % paths.length]}`, { headers });
    const body = await res.json();
    times.push(performance.now() - start);
    if (res.status !== 200 || !body.items.length) throw new Error(`${paths[i % paths.length]}: ${res.status}`);
  }
  times.sort((a, b) => a - b);
  figure(
    'risk_warnings_page_p50_ms',
    Number(percentile(times, 50).toFixed(1)),
    'ms',
    `${WARNINGS.toLocaleString('en')} warnings, 4 filters, 100 a page`,
  );
  figure(
    'risk_warnings_page_p99_ms',
    Number(percentile(times, 99).toFixed(1)),
    'ms',
    'the console’s warnings page, as an officer',
  );

  // a backlog of off-weight parcels: lists and their failed weight checks, all at once
  await db.query(`insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code,
      logistics_code, logistics_no, agent_code, head, lines)
    select 'BCOP' || g, 'import', '1210', 'BR1', 'EBP', 'BO' || g, 'EBC', 'LOGI', 'BLP' || g, 'AGENT', '{}'::jsonb,
      jsonb_build_array(jsonb_build_object('gnum', 1, 'itemNo', 'I', 'sku', 'S', 'ownerCode', 'EBC', 'price', '99.00',
        'values', jsonb_build_object('gcode', '3304990010', 'gname', 'toner')))
    from generate_series(1, ${BACKLOG}) g`);
  const backlogStart = performance.now();
  await db.query(`insert into weight_check (list_id, logistics_no, station_id, gross_grams, declared_grams, expected_grams, tolerance_grams, within, actor)
    select id, logistics_no, 'BENCH-ST', 900, 300, 300, 50, false, 'bench' from inventory_list where cop_no like 'BCOP%'`);
  for (;;) {
    const { rows } = await db.query(
      `select count(*)::int as n from risk_warning where rule = 'weight-deviation' and logistics_no like 'BLP%'`,
    );
    if (rows[0].n >= BACKLOG) break;
    if (performance.now() - backlogStart > 300_000)
      throw new Error(`only ${rows[0].n} of ${BACKLOG} warnings after 5 min`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const backlogS = (performance.now() - backlogStart) / 1000;
  figure(
    'risk_backlog_facts_per_s',
    Math.round(BACKLOG / backlogS),
    'facts/s',
    `${BACKLOG} new lists + ${BACKLOG} off-weight checks to ${BACKLOG} warnings in ${backlogS.toFixed(1)} s (timer-driven)`,
  );

  // single facts no event announced: the timer's backstop
  const single = [];
  for (let i = 0; i < 5; i++) {
    const no = `BSINGLE${i}`;
    await db.query(
      `insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code,
        logistics_code, logistics_no, agent_code, head, lines) values ($1, 'import', '1210', 'BR1', 'EBP', $1, 'EBC', 'LOGI', $1, 'AGENT', '{}', '[]')`,
      [no],
    );
    const start = performance.now();
    await db.query(
      `insert into weight_check (list_id, logistics_no, station_id, gross_grams, declared_grams, expected_grams, tolerance_grams, within, actor)
      select id, logistics_no, 'BENCH-ST', 900, 300, 300, 50, false, 'bench' from inventory_list where cop_no = $1`,
      [no],
    );
    for (;;) {
      const { rows } = await db.query('select 1 from risk_warning where logistics_no = $1', [no]);
      if (rows.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    single.push(performance.now() - start);
  }
  single.sort((a, b) => a - b);
  figure(
    'risk_unannounced_fact_to_warning_ms',
    Math.round(percentile(single, 50)),
    'ms',
    `median of ${single.length}; bounded by RISK_SWEEP_MS (5 s); facts announced by an event go at once`,
  );
  await db.end();
}

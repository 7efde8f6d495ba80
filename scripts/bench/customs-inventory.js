// The customs console's inventory by book line at scale (issue 13 "Speed"): a bonded centre with
// 100k account-book lines (10 owners, 2,000 locations, 224k ledger rows through the balance
// trigger of migration 0950), its book-line page through the real server as a customs officer:
// the first page, pages deep in the book (keyset), the differences-only page and the totals; and
// what the balance trigger adds to a scan's movements.
// Run alone: BENCH_ONLY=customs-inventory npm run bench (or node scripts/bench.js after a build).
import pg from 'pg';
import { provision } from '../../server/dist/modules/devices/provisioning.js';
import { createOrm } from '../../server/dist/platform/database/orm.js';

const LINES = 100_000;
const OWNERS = 10;
const LOCATIONS = 2_000;
const EMS = 'T5165W000001';

/**
 * What the balance trigger of migration 0950 adds to a scan: a pick's movements (one unit off a
 * location, into its parcel: one two-row statement) in a transaction of their own, committed, with
 * the trigger on and off in alternating blocks (so the machine's load falls on both alike).
 * @param {import('pg').Client} db
 */
async function triggerCost(db, { figure, progress, percentile }) {
  const BLOCK = 50;
  const BLOCKS = 10;
  const times = { on: [], off: [] };
  let n = 0;
  const scan = async () => {
    n++;
    const line = (n % (LINES - 10)) + 5;
    const sku = `SKU-${line}`;
    const owner = `OWN-${String((line % OWNERS) + 1).padStart(2, '0')}`;
    const from = `A-${String((line % LOCATIONS) + 1).padStart(4, '0')}`;
    const start = performance.now();
    await db.query('begin');
    await db.query(
      `insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no, logistics_no)
       values ('shelf', 'BC01', $1, $2, $3, $4, 'B0', $5, 'bonded', -1, 'pick', $6, $6),
              ('shelf', 'BC01', $1, $2, $3, $4, 'B0', 'PARCEL:' || $6, 'bonded', 1, 'pick', $6, $6)`,
      [EMS, line, owner, sku, from, `LPT${n}`],
    );
    await db.query('commit');
    return performance.now() - start;
  };
  for (let i = 0; i < 20; i++) await scan(); // warm-up
  for (let b = 0; b < BLOCKS * 2; b++) {
    const on = b % 2 === 0;
    await db.query(`alter table stock_movement ${on ? 'enable' : 'disable'} trigger stock_movement_follow`);
    for (let i = 0; i < BLOCK; i++) times[on ? 'on' : 'off'].push(await scan());
  }
  await db.query('alter table stock_movement enable trigger stock_movement_follow');
  const p50 = (xs) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const on = p50(times.on);
  const off = p50(times.off);
  progress(
    `customs inventory: a pick's movements committed: p50 ${on.toFixed(2)} ms with the trigger, ${off.toFixed(2)} without`,
  );
  figure(
    'customs_inventory_trigger_per_scan_ms',
    Number((on - off).toFixed(2)),
    'ms',
    `what the balance trigger adds to a pick's two movements in their own transaction (p50 ${on.toFixed(2)} with, ${off.toFixed(2)} without; ${BLOCK * BLOCKS} each)`,
  );
}

/**
 * @param {object} ctx
 * @param {{ databaseUrl: string, mqttUrl: string, protocolVersion: number }} ctx.svc
 */
export async function customsInventoryBench({ svc, figure, progress, startServer, freePort, cleanups, percentile }) {
  const admin = new URL(svc.databaseUrl);
  const name = `wms_bench_customs_inv_${process.pid}`;
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
    users: [
      { username: 'bench-customs', displayName: 'Bench officer', roles: ['customs'], password: 'bench-password' },
    ],
    stations: [],
    agents: [],
  });
  await orm.close();

  const db = new pg.Client({ connectionString: dbUrl.toString(), options: '-c app.scope=centre' });
  await db.connect();
  const t0 = performance.now();
  progress(`customs inventory: ${LINES.toLocaleString('en')} book lines, ${OWNERS} owners, ${LOCATIONS} locations`);
  await db.query(`insert into enterprise (code, name, roles)
    select 'OWN-' || lpad(o::text, 2, '0'), 'Owner ' || o, '{owner,ebc}' from generate_series(1, ${OWNERS}) o`);
  await db.query(`insert into warehouse (code, name, kind, customs_code, loct_no, ems_no, country)
    values ('BC01', 'Bonded centre', 'bonded-centre', '5165', 'L5165', '${EMS}', 'CN')`);
  await db.query(
    `insert into zone (warehouse_code, code, kind) values ('BC01', 'ZB', 'bonded'), ('BC01', 'ZI', 'inspection')`,
  );
  await db.query(`insert into location (warehouse_code, code, zone_code)
    select 'BC01', 'A-' || lpad(l::text, 4, '0'), case when l % 100 = 0 then 'ZI' else 'ZB' end
      from generate_series(1, ${LOCATIONS}) l`);
  await db.query(`insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit)
    select '${EMS}', n, 'SKU-' || n, (array['3304990010','8517120000','6109100021','9503008900'])[n % 4 + 1],
      'goods ' || n, '007' from generate_series(1, ${LINES}) n`);
  // the parcels a few lines are packed into (1 in 50), held or under inspection now and then
  await db.query(`insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code,
      logistics_code, logistics_no, agent_code, head, lines, state, customs_status, hold_reason)
    select 'COP-' || n, 'import', '1210', 'BC01', 'EBP', 'O-' || n, 'OWN-' || lpad((n % ${OWNERS} + 1)::text, 2, '0'),
      'LOG', 'LP' || n, 'AG', '{}', '[]', 'declared', case when n % 250 = 0 then 500 else 120 end,
      case when n % 150 = 0 then 'officer hold' end
    from generate_series(50, ${LINES}, 50) n`);
  // per line: entered on the book and the shelf; 1 in 10 partly released on the book; 1 in 50 with a
  // parcel packed; 1 in 100 a shelf short by one (a difference)
  const chunk = 10_000;
  for (let from = 1; from <= LINES; from += chunk) {
    const to = Math.min(LINES, from + chunk - 1);
    await db.query(`insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch,
        location, customs_state, qty, doc_type, doc_no, logistics_no, created_at)
      select m.ledger, 'BC01', '${EMS}', n, 'OWN-' || lpad((n % ${OWNERS} + 1)::text, 2, '0'), 'SKU-' || n, 'B' || (n % 7),
        m.location, m.state, m.qty, m.doc_type, m.doc_no, m.logistics_no, now() - (n % 400) * interval '1 day'
      from generate_series(${from}, ${to}) n
      cross join lateral (values
        ('book', '', 'bonded', 100::bigint, 'entry-verification', 'INV-' || n, null::text, true),
        ('shelf', 'A-' || lpad((n % ${LOCATIONS} + 1)::text, 4, '0'), 'bonded', case when n % 100 = 0 then 99 else 100 end,
          'entry-verification', 'INV-' || n, null, true),
        ('book', '', 'bonded', -5, 'inventory-list', 'L-' || n, null, n % 10 = 0),
        ('book', '', 'verification-applied', 5, 'inventory-list', 'L-' || n, null, n % 10 = 0),
        ('shelf', 'A-' || lpad((n % ${LOCATIONS} + 1)::text, 4, '0'), 'bonded', -2, 'pick', 'LP' || n, 'LP' || n, n % 50 = 0),
        ('shelf', 'PARCEL:LP' || n, 'bonded', 2, 'pick', 'LP' || n, 'LP' || n, n % 50 = 0)
      ) as m(ledger, location, state, qty, doc_type, doc_no, logistics_no, wanted)
      where m.wanted`);
  }
  await db.query('vacuum (analyze) stock_movement, bonded_stock_balance, book_line_balance, book_line, inventory_list');
  const { rows } = await db.query('select count(*)::int as n from stock_movement');
  progress(
    `customs inventory: seeded ${rows[0].n.toLocaleString('en')} ledger rows in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  await db.end();

  const port = await freePort();
  await startServer({
    DATABASE_URL: dbUrl.toString(),
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `benchcustinv${process.pid}`,
    INSTANCE_ID: `bench-custinv-${process.pid}`,
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_FORMAT: 'json',
    CUSTOMS_POLL_MS: '0',
    AGEING_SWEEP_MS: '0',
  });
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-customs', password: 'bench-password' }),
  });
  const { accessToken } = await login.json();
  const headers = { authorization: `Bearer ${accessToken}` };
  const cursor = (line) => Buffer.from(JSON.stringify([EMS, line])).toString('base64url');

  /** Sequential requests (one officer's clicks): p50 / p99 of their answer times. */
  async function timed(label, count, pathOf, rowsExpected) {
    const times = [];
    for (let i = 0; i < count; i++) {
      const path = pathOf(i);
      const start = performance.now();
      const res = await fetch(`${base}${path}`, { headers });
      const body = await res.json();
      times.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      if (rowsExpected && body.items.length !== rowsExpected)
        throw new Error(`${path} gave ${body.items.length} rows, not ${rowsExpected}`);
    }
    times.sort((a, b) => a - b);
    const out = { p50: percentile(times, 50), p99: percentile(times, 99) };
    progress(`customs inventory: ${label}: p50 ${out.p50.toFixed(1)} ms, p99 ${out.p99.toFixed(1)} ms (${count})`);
    return out;
  }
  const page = '/api/customs/inventory/book-lines?warehouseCode=BC01&limit=100';
  await timed('warm-up', 30, (i) => (i % 2 ? page : `${page}&after=${cursor(i * 997 + 1)}`));
  const first = await timed('first page', 200, () => page, 100);
  figure(
    'customs_inventory_first_page_p99_ms',
    Number(first.p99.toFixed(1)),
    'ms',
    `100 of ${LINES.toLocaleString('en')} book lines, book by state and shelf by place (p50 ${first.p50.toFixed(1)}); target < 200`,
  );
  const deep = await timed(
    'deep pages',
    300,
    (i) => `${page}&after=${cursor(((i * 7919) % (LINES - 1000)) + 500)}`,
    100,
  );
  figure(
    'customs_inventory_deep_page_p99_ms',
    Number(deep.p99.toFixed(1)),
    'ms',
    `a page anywhere in the book, keyset after a cursor (p50 ${deep.p50.toFixed(1)})`,
  );
  const differing = await timed('differences only', 100, () => `${page}&differences=true`, 100);
  figure(
    'customs_inventory_differences_page_p99_ms',
    Number(differing.p99.toFixed(1)),
    'ms',
    `first 100 of the ${LINES / 100} lines whose book and shelf differ (p50 ${differing.p50.toFixed(1)})`,
  );
  const filtered = await timed('owner and HS chapter', 100, (i) => `${page}&ownerCode=OWN-0${(i % 9) + 1}&gcode=33`);
  figure(
    'customs_inventory_filtered_page_p99_ms',
    Number(filtered.p99.toFixed(1)),
    'ms',
    `first page of one owner's lines in HS chapter 33 (p50 ${filtered.p50.toFixed(1)})`,
  );
  const locations = await timed(
    'by location',
    100,
    (i) =>
      `/api/customs/inventory/locations?warehouseCode=BC01&limit=100${i % 2 ? `&after=A-${String((i * 37) % 1900).padStart(4, '0')}` : ''}`,
    100,
  );
  figure(
    'customs_inventory_locations_page_p99_ms',
    Number(locations.p99.toFixed(1)),
    'ms',
    `100 of ${LOCATIONS.toLocaleString('en')} locations and the parcels, first and later pages (p50 ${locations.p50.toFixed(1)})`,
  );
  const reconciliation = await timed('book equals shelf', 30, () => '/api/customs/reconciliation?warehouseCode=BC01');
  figure(
    'customs_inventory_reconciliation_p99_ms',
    Number(reconciliation.p99.toFixed(1)),
    'ms',
    `book equals shelf: the ${LINES / 100} differing lines with their places and the unbooked units (p50 ${reconciliation.p50.toFixed(1)})`,
  );
  const totals = await timed('totals', 50, () => '/api/customs/inventory/totals?warehouseCode=BC01');
  figure(
    'customs_inventory_totals_p99_ms',
    Number(totals.p99.toFixed(1)),
    'ms',
    `the centre's totals by state, place and owner over ${LINES.toLocaleString('en')} lines (p50 ${totals.p50.toFixed(1)})`,
  );

  // last, so its parcels do not change the pages measured above
  const cost = new pg.Client({ connectionString: dbUrl.toString(), options: '-c app.scope=centre' });
  await cost.connect();
  try {
    await triggerCost(cost, { figure, progress, percentile });
  } finally {
    await cost.end();
  }
}

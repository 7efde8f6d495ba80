// The seller's stock page at scale (issue 12 "Speed"): 20 sellers, one of them holding 50k SKUs over
// 5 overseas warehouses with 10M rows in its stock ledger; that seller's stock page (100 SKUs with
// all buckets, filtered by warehouse) through the real server, as the seller, row-level security on.
// Run alone: BENCH_ONLY=seller npm run bench (or node scripts/bench.js after a build).
import pg from 'pg';
import { provision } from '../../server/dist/modules/devices/provisioning.js';
import { createOrm } from '../../server/dist/platform/database/orm.js';

const SKUS = 50_000;
const WAREHOUSES = 5;
/** Ledger rows per SKU and warehouse: 50k × 5 × 40 = 10M. */
const MOVES_PER_KEY = 40;
const SELLERS = 20;

/**
 * @param {object} ctx
 * @param {{ databaseUrl: string, mqttUrl: string, protocolVersion: number }} ctx.svc
 */
export async function sellerStockBench({ svc, figure, progress, startServer, freePort, cleanups, percentile }) {
  const admin = new URL(svc.databaseUrl);
  const name = `wms_bench_seller_${process.pid}`;
  admin.pathname = '/postgres';
  const adminClient = new pg.Client({ connectionString: admin.toString() });
  await adminClient.connect();
  await adminClient.query(`create database ${name}`);
  await adminClient.end();
  // BENCH_KEEP_SELLER_DB=1 keeps the seeded database for looking into its plans
  if (!process.env.BENCH_KEEP_SELLER_DB)
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

  const owner = new pg.Client({ connectionString: dbUrl.toString() });
  await owner.connect();
  const t0 = performance.now();
  progress(
    `seller stock: ${SELLERS} sellers, ${WAREHOUSES} overseas warehouses, ${SKUS.toLocaleString('en')} SKUs for one`,
  );
  await owner.query(`insert into enterprise (code, name, roles)
    select 'OWN-' || lpad(s::text, 2, '0'), 'Seller ' || s, '{owner,ebc}' from generate_series(1, ${SELLERS}) s`);
  await owner.query(`insert into warehouse (code, name, kind, country, time_zone, currency)
    select 'OW-' || w, 'Overseas ' || w, 'overseas', 'DE', 'Europe/Berlin', 'EUR' from generate_series(1, ${WAREHOUSES}) w`);
  // the big seller's SKUs, and 1,000 of the same codes for each other seller (a filter on the SKU alone would leak)
  await owner.query(`insert into goods (owner_code, sku, gcode, name, unit, declared_price, country)
    select 'OWN-01', 'SKU-' || lpad(g::text, 6, '0'), '3304990010', 'item ' || g, '011', 10, '142'
      from generate_series(1, ${SKUS}) g
    union all
    select 'OWN-' || lpad(s::text, 2, '0'), 'SKU-' || lpad(g::text, 6, '0'), '3304990010', 'other ' || g, '011', 10, '142'
      from generate_series(2, ${SELLERS}) s cross join generate_series(1, 1000) g`);
  await provision(orm, {
    sellers: Array.from({ length: SELLERS }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return {
        sellerCode: `S${n}`,
        name: `Seller ${n}`,
        ownerCodes: [`OWN-${n}`],
        warehouseCodes: Array.from({ length: WAREHOUSES }, (_, w) => `OW-${w + 1}`),
      };
    }),
    users: [
      {
        username: 'big-seller',
        displayName: 'Big seller',
        roles: ['seller'],
        password: 'bench-password',
        sellerCode: 'S01',
      },
    ],
    stations: [],
    agents: [],
  });
  await orm.close();

  // The ledger is seeded as data (the balance summed from it in one pass, exactly what the trigger
  // keeps): a lifecycle per SKU and warehouse of 40 moves — booked inbound, counted, put away, then
  // units reserved and shipped — so the buckets hold inbound/receiving/available/reserved stock.
  progress(`seller stock: ${(SKUS * WAREHOUSES * MOVES_PER_KEY).toLocaleString('en')} ledger rows for seller S01`);
  // Bulk load as a restore does: no per-row foreign-key checks or triggers in this session (where
  // the bench's database user may: a superuser), indexes built once at the end.
  const bulk = await owner
    .query('set session_replication_role = replica')
    .then(() => true)
    .catch(() => false);
  await owner.query('alter table seller_stock_movement disable trigger seller_stock_movement_follow');
  await owner.query('drop index if exists seller_stock_movement_sku_idx, seller_stock_movement_doc_idx');
  const chunk = 2_500;
  for (let from = 1; from <= SKUS; from += chunk) {
    await owner.query(`insert into seller_stock_movement (owner_code, warehouse_code, sku, lot_no, from_bucket, to_bucket, qty,
        event, doc_type, doc_no, actor, created_at)
      select 'OWN-01', 'OW-' || w, 'SKU-' || lpad(g::text, 6, '0'), 'ASN-' || w || '-' || (g % 97),
        case when k = 1 then null when k = 2 then 'inbound' when k = 3 then 'receiving'
             when k % 2 = 0 then 'available' else 'reserved' end,
        case when k = 1 then 'inbound' when k = 2 then 'receiving' when k = 3 then 'available'
             when k % 2 = 0 then 'reserved' else null end,
        case when k = 1 then 300 when k = 2 then 250 when k = 3 then 240 else 1 end,
        case when k = 1 then 'shipment.booked' when k = 2 then 'receipt.counted' when k = 3 then 'putaway.done'
             when k % 2 = 0 then 'order.reserved' else 'order.shipped' end,
        case when k <= 3 then 'shipment' else 'order' end,
        case when k <= 3 then 'ASN-' || w || '-' || (g % 97) else 'SO-' || g || '-' || k end,
        'bench', now() - interval '200 days' + k * interval '4 days'
      from generate_series(${from}, ${Math.min(SKUS, from + chunk - 1)}) g
      cross join generate_series(1, ${WAREHOUSES}) w cross join generate_series(1, ${MOVES_PER_KEY}) k`);
    if ((from - 1 + chunk) % 10_000 === 0)
      progress(`seller stock: ledger ${(((from + chunk - 1) * WAREHOUSES * MOVES_PER_KEY) / 1e6).toFixed(1)}M rows`);
  }
  await owner.query(`insert into seller_stock_balance (owner_code, warehouse_code, sku, bucket, lot_no, qty)
    select owner_code, warehouse_code, sku, bucket, lot_no, sum(delta) from (
      select owner_code, warehouse_code, sku, to_bucket as bucket, lot_no, qty as delta from seller_stock_movement where to_bucket is not null
      union all
      select owner_code, warehouse_code, sku, from_bucket, lot_no, -qty from seller_stock_movement where from_bucket is not null) d
    group by 1, 2, 3, 4, 5 having sum(delta) <> 0`);
  await owner.query(`insert into seller_stock_total (owner_code, warehouse_code, bucket, slot, qty)
    select owner_code, warehouse_code, bucket, (abs(hashtext(sku)) % 8)::smallint, sum(qty)
      from seller_stock_balance group by 1, 2, 3, 4 having sum(qty) <> 0`);
  progress('seller stock: indexes and balances');
  await owner.query(
    'create index seller_stock_movement_sku_idx on seller_stock_movement (owner_code, sku, warehouse_code, id)',
  );
  await owner.query('create index seller_stock_movement_doc_idx on seller_stock_movement (doc_type, doc_no)');
  if (bulk) await owner.query('set session_replication_role = origin');
  await owner.query('alter table seller_stock_movement enable trigger seller_stock_movement_follow');
  // the other 19 sellers: some stock of their own in the same warehouses, through the trigger
  await owner.query(`insert into seller_stock_movement (owner_code, warehouse_code, sku, from_bucket, to_bucket, qty, event, doc_type, doc_no, actor)
    select 'OWN-' || lpad(s::text, 2, '0'), 'OW-' || (g % ${WAREHOUSES} + 1), 'SKU-' || lpad(g::text, 6, '0'), null, 'available', 10,
      'stocktake.adjusted', 'opening', 'OPEN', 'bench'
    from generate_series(2, ${SELLERS}) s cross join generate_series(1, 1000) g`);
  // as autovacuum leaves a table that stopped changing: statistics and the visibility map
  await owner.query('vacuum (analyze) seller_stock_balance, seller_stock_movement, goods, stock_lot');
  await owner.query('analyze');
  const [{ rows: ledgerRows }] = [await owner.query('select count(*)::int as n from seller_stock_movement')];
  progress(
    `seller stock: seeded ${ledgerRows[0].n.toLocaleString('en')} ledger rows in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  await owner.end();

  const port = await freePort();
  await startServer({
    DATABASE_URL: dbUrl.toString(),
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `benchseller${process.pid}`,
    INSTANCE_ID: `bench-seller-${process.pid}`,
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
    body: JSON.stringify({ username: 'big-seller', password: 'bench-password' }),
  });
  const { accessToken } = await login.json();
  const headers = { authorization: `Bearer ${accessToken}` };
  const cursor = (w, g) =>
    Buffer.from(JSON.stringify([`OW-${w}`, 'OWN-01', `SKU-${String(g).padStart(6, '0')}`])).toString('base64url');

  /** Sequential requests (one screen's clicks): p50 / p99 of their answer times. */
  async function timed(label, count, pathOf) {
    const times = [];
    for (let i = 0; i < count; i++) {
      const path = pathOf(i);
      const start = performance.now();
      const res = await fetch(`${base}${path}`, { headers });
      const body = await res.json();
      times.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      if (label === 'stock page' && body.items.length !== 100)
        throw new Error(`${path} gave ${body.items.length} rows, not a page of 100`);
    }
    const kinds = {};
    for (const [i, ms] of times.entries()) {
      const kind = pathOf(i).includes('after=') ? 'next' : 'first';
      kinds[kind] = [...(kinds[kind] ?? []), ms];
    }
    for (const [kind, list] of Object.entries(kinds)) {
      list.sort((a, b) => a - b);
      progress(
        `seller stock: ${label}, ${kind} pages: p50 ${percentile(list, 50).toFixed(1)} ms, p99 ${percentile(list, 99).toFixed(1)} ms, max ${list[list.length - 1].toFixed(1)} ms (${list.length})`,
      );
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  }
  // warm-up: plans and caches, as a seller's second look at the page
  await timed('warm', 50, (i) => `/api/seller/buckets?warehouseCode=OW-${(i % WAREHOUSES) + 1}&limit=100`);
  const page = await timed('stock page', 500, (i) => {
    const w = (i % WAREHOUSES) + 1;
    // the first page, and pages anywhere in the 50k SKUs (a seller paging or jumping)
    const g = (i * 7919) % (SKUS - 200);
    return i % 5 === 0
      ? `/api/seller/buckets?warehouseCode=OW-${w}&limit=100`
      : `/api/seller/buckets?warehouseCode=OW-${w}&limit=100&after=${cursor(w, g)}`;
  });
  figure(
    'seller_stock_page_p99_ms',
    Number(page.p99.toFixed(1)),
    'ms',
    `100 SKUs with all buckets, one warehouse, seller with 50k SKUs × 5 warehouses and ${(ledgerRows[0].n / 1e6).toFixed(1)}M ledger rows, 20 sellers (p50 ${page.p50.toFixed(1)}); target < 100`,
  );
  const ledger = await timed('ledger', 300, (i) => {
    const g = ((i * 104729) % SKUS) + 1;
    return `/api/seller/ledger?sku=SKU-${String(g).padStart(6, '0')}&warehouseCode=OW-${(i % WAREHOUSES) + 1}&limit=50`;
  });
  figure(
    'seller_sku_ledger_p99_ms',
    Number(ledger.p99.toFixed(1)),
    'ms',
    `one SKU's ledger in one warehouse, newest 50 of its changes (p50 ${ledger.p50.toFixed(1)})`,
  );
  const summary = await timed('summary', 50, () => '/api/seller/buckets/summary');
  figure(
    'seller_summary_p99_ms',
    Number(summary.p99.toFixed(1)),
    'ms',
    `every bucket's total per warehouse over 250k SKU-warehouse balances (the dashboard) (p50 ${summary.p50.toFixed(1)})`,
  );
}

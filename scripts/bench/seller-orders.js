#!/usr/bin/env node
// Order import of 10k rows (issue 12 "Speed": "order import of 10k rows < 10 s with progress").
// `benchOrderImport(ctx)` is wired into scripts/bench.js; standalone:
//   npm run build && node scripts/bench/seller-orders.js
// It starts the server (server/dist/main.js) on a fresh database, gives a seller 50 SKUs with stock
// at an overseas warehouse, uploads a CSV of 10,000 order lines (5,000 orders of two lines) and
// times it from the upload to the import's `done`, following its progress.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';
import { provision } from '../../server/dist/modules/devices/provisioning.js';
import { createOrm } from '../../server/dist/platform/database/orm.js';

const root = resolve(import.meta.dirname, '../..');
const ROWS = Number(process.env.BENCH_ORDER_ROWS ?? 10_000);
const SKUS = 50;
const WH = 'OW-BENCH';
const OWNER = 'OWNBENCH01';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function sql(url, text) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/** The CSV: `rows` order lines, two per order, SKUs round robin. */
export function orderCsv(rows, warehouseCode = WH) {
  const lines = ['orderNo,warehouseCode,name,line1,city,postcode,country,carrier,sku,qty'];
  for (let i = 0; i < rows; i++) {
    const order = Math.floor(i / 2);
    lines.push(`BENCH-${order},${warehouseCode},Buyer ${order},Street ${order},Berlin,10115,DE,DHL,BSKU-${i % SKUS},1`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * ctx: { databaseUrl (a fresh, empty database the caller owns), mqttUrl, protocolVersion,
 * figure?(name, value, unit, note), progress?(text), startServer?(env) -> child }. Answers the figures.
 */
export async function benchOrderImport(ctx) {
  const figure =
    ctx.figure ??
    ((name, value, unit, note = '') =>
      console.log(`${name.padEnd(34)} ${String(value).padStart(12)} ${unit}${note ? `   ${note}` : ''}`));
  const progress = ctx.progress ?? ((text) => process.stderr.write(`  … ${text}\n`));
  const orm = await createOrm({ databaseUrl: ctx.databaseUrl, poolMax: 2 });
  await orm.migrator.up();
  progress('order import: seeding a seller with 50 SKUs and stock at an overseas warehouse');
  await sql(
    ctx.databaseUrl,
    `insert into enterprise (code, name, roles) values ('${OWNER}', 'Bench Seller', '{owner,ebc}') on conflict do nothing;
     insert into warehouse (code, name, kind, country) values ('${WH}', 'Bench overseas', 'overseas', 'DE') on conflict do nothing;
     insert into goods (owner_code, sku, gcode, name, unit, declared_price, country)
       select '${OWNER}', 'BSKU-' || n, '3304990010', 'Bench good ' || n, '011', 1, '142' from generate_series(0, ${SKUS - 1}) n
       on conflict do nothing;
     insert into stock_lot (owner_code, warehouse_code, sku, lot_no, expiry, arrived_at)
       select '${OWNER}', '${WH}', 'BSKU-' || n, 'LOT-' || l, case when n % 2 = 0 then date '2028-01-01' + l else null end,
              now() - (l || ' days')::interval
         from generate_series(0, ${SKUS - 1}) n, generate_series(1, 3) l on conflict do nothing;
     insert into seller_stock_movement (owner_code, warehouse_code, sku, lot_no, from_bucket, to_bucket, qty, event, doc_type, doc_no, actor)
       select '${OWNER}', '${WH}', 'BSKU-' || n, 'LOT-' || l, null, 'available', 1000, 'stocktake.adjusted', 'opening', 'BENCH', 'bench'
         from generate_series(0, ${SKUS - 1}) n, generate_series(1, 3) l;`,
  );
  await provision(orm, {
    sellers: [{ sellerCode: 'SELLER-BENCH', name: 'Bench Seller', ownerCodes: [OWNER], warehouseCodes: [WH] }],
    users: [
      {
        username: 'bench-seller',
        displayName: 'Bench',
        roles: ['seller'],
        sellerCode: 'SELLER-BENCH',
        password: 'bench-password',
      },
    ],
    stations: [],
    agents: [],
  });
  await orm.close();

  const port = await freePort();
  const env = {
    DATABASE_URL: ctx.databaseUrl,
    MQTT_URL: ctx.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(ctx.protocolVersion ?? 5),
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-order-import-secret-0123456789',
    LOG_FORMAT: 'json',
    CUSTOMS_POLL_MS: '0',
    INSTANCE_ID: `bench-orders-${process.pid}`,
    MQTT_SHARE_GROUP: `bench-orders-${process.pid}`,
  };
  const child = ctx.startServer ? await ctx.startServer(env) : await startServer(env);
  try {
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-seller', password: 'bench-password' }),
    });
    const { accessToken } = await login.json();
    const form = new FormData();
    form.append('file', new Blob([orderCsv(ROWS)], { type: 'text/csv' }), 'bench-orders.csv');
    const started = performance.now();
    const res = await fetch(`${base}/api/seller/orders/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
      body: form,
    });
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    const { importId } = await res.json();
    const answeredMs = performance.now() - started;
    let last;
    let steps = 0;
    for (;;) {
      const r = await fetch(`${base}/api/seller/orders/imports/${importId}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      last = await r.json();
      if (last.status !== 'running') break;
      steps++;
      await sleep(50);
    }
    const seconds = (performance.now() - started) / 1000;
    if (last.status !== 'done' || last.ordersCreated !== ROWS / 2)
      throw new Error(`import ended ${last.status}: ${JSON.stringify({ ...last, errors: last.errors.slice(0, 5) })}`);
    figure(
      'order_import_10k_s',
      Number(seconds.toFixed(2)),
      's',
      `${ROWS} rows, ${last.ordersCreated} orders; upload answered in ${answeredMs.toFixed(0)} ms; ${steps} progress polls`,
    );
    figure('order_import_rows_per_s', Math.round(ROWS / seconds), 'rows/s');
    return { order_import_10k_s: Number(seconds.toFixed(2)), order_import_rows_per_s: Math.round(ROWS / seconds) };
  } finally {
    if (!ctx.startServer)
      await new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', r);
        child.kill('SIGINT');
      });
  }
}

function startServer(env) {
  const child = spawn(process.execPath, [resolve(root, 'server/dist/main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => {
    output += c;
    if (process.env.BENCH_DEBUG) process.stderr.write(c);
  });
  return new Promise((res, rej) => {
    const timer = setInterval(() => {
      if (output.includes('server listening')) {
        clearInterval(timer);
        res(child);
      }
      if (child.exitCode !== null) {
        clearInterval(timer);
        rej(new Error(`server exited:\n${output}`));
      }
    }, 50);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `wms_bench_orders_${process.pid}`;
  await sql(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    const figures = await benchOrderImport({
      databaseUrl: url.toString(),
      mqttUrl: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883',
      protocolVersion: Number(process.env.MQTT_PROTOCOL_VERSION ?? 5),
    });
    console.log(`\n${JSON.stringify(figures)}`);
  } finally {
    await sql(adminUrl, `drop database if exists ${name} with (force)`);
  }
}

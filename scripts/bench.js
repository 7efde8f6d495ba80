#!/usr/bin/env node
import { execFileSync, spawn } from 'node:child_process';
// npm run bench: figures, not pass/fail. Prints each figure by name and ends with one JSON line
// holding them all, so runs can be compared by a script. Uses DATABASE_URL / MQTT_URL when set,
// else the local PostgreSQL / Mosquitto on their standard ports, else embedded ones.
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import pg from 'pg';
import { EdgeAgent } from '../edge-agent/dist/agent.js';
import { TENANT_POLICIES } from '../migrations/dist/index.js';
import { matchBatch } from '../server/dist/modules/customs/rules/three-document-match.js';
import { provision } from '../server/dist/modules/devices/provisioning.js';
import { StockViewsRepository } from '../server/dist/modules/inventory/stock-views.repository.js';
import { startEmbeddedPostgres } from '../server/dist/platform/database/embedded-postgres.js';
import { createOrm } from '../server/dist/platform/database/orm.js';
import { benchCebMessages } from './bench/ceb-messages.js';
import { benchCreditRates } from './bench/credit-rates.js';
import { benchCustomsAudit } from './bench/customs-audit.js';
import { customsInventoryBench } from './bench/customs-inventory.js';
import { benchGs1 } from './bench/gs1.js';
import { riskBench } from './bench/risk.js';
import { benchAsn } from './bench/seller-asn.js';
import { benchOrderImport } from './bench/seller-orders.js';
import { sellerStockBench } from './bench/seller-stock.js';
import { statisticsBench } from './bench/statistics.js';

const root = resolve(import.meta.dirname, '..');
const figures = {};
const cleanups = [];
const work = mkdtempSync(join(tmpdir(), 'wms-bench-'));
chmodSync(work, 0o755);

function figure(name, value, unit, note = '') {
  figures[name] = value;
  console.log(`${name.padEnd(34)} ${String(value).padStart(12)} ${unit}${note ? `   ${note}` : ''}`);
}
function progress(text) {
  process.stderr.write(`  … ${text}\n`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/**
 * CPU time (ms) used so far by the server process, by each of PostgreSQL's processes and by this
 * load generator, read from /proc (Linux only; elsewhere null): where a scan's cost goes. With
 * `databasePids`, only those PostgreSQL processes count (this database's backends and the
 * cluster's own background processes): other databases of a shared cluster are someone else's load.
 */
function cpuNow(serverPid, databasePids = null) {
  if (!existsSync('/proc/self/stat')) return null;
  const tickMs = 10; // USER_HZ is 100 on Linux
  const read = (pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return {
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        ms: (Number(fields[11]) + Number(fields[12])) * tickMs,
      };
    } catch {
      return null;
    }
  };
  const database = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    if (databasePids && !databasePids.has(pid)) continue;
    const t = read(pid);
    if (t?.comm === 'postgres') database.set(pid, t.ms);
  }
  return { server: read(serverPid)?.ms ?? 0, database, generator: read(process.pid)?.ms ?? 0 };
}
/** CPU ms per scan of each part between two readings (a PostgreSQL process started between them counts from zero). */
function cpuPerScan(before, after, count) {
  if (!before || !after) return null;
  let database = 0;
  for (const [pid, ms] of after.database) database += ms - (before.database.get(pid) ?? 0);
  const per = (ms) => Number((ms / count).toFixed(2));
  return {
    server: per(after.server - before.server),
    database: per(database),
    generator: per(after.generator - before.generator),
  };
}
async function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}
async function reachable(port) {
  return new Promise((res) => {
    const socket = new Socket();
    socket.setTimeout(500, () => {
      socket.destroy();
      res(false);
    });
    socket.once('error', () => res(false));
    socket.connect(port, '127.0.0.1', () => {
      socket.destroy();
      res(true);
    });
  });
}
function mosquittoInstalled() {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return error.code !== 'ENOENT';
  }
}
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function scanEvent(agentId, deviceId, i) {
  return {
    type: 'scan',
    eventId: randomUUID(),
    agentId,
    deviceId,
    stationId: 'BENCH',
    occurredAt: new Date().toISOString(),
    raw: Buffer.from(`BENCH${i}`).toString('base64'),
    code: `BENCH${i}`,
    symbology: null,
  };
}

async function services() {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl && (await reachable(5432))) adminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!adminUrl) {
    const db = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port: await freePort() });
    cleanups.push(() => db.stop());
    adminUrl = db.adminUrl;
  }
  const name = `wms_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;

  let mqttUrl = process.env.MQTT_URL;
  let protocolVersion = Number(process.env.MQTT_PROTOCOL_VERSION ?? 5);
  let broker = 'external';
  if (!mqttUrl && mosquittoInstalled()) {
    // Our own Mosquitto with the production settings of deploy/mosquitto (less authentication).
    const port = await freePort();
    const config = join(work, 'mosquitto.conf');
    writeFileSync(
      config,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${work}/`,
        'max_queued_messages 0',
        'set_tcp_nodelay true',
        'log_dest none',
      ].join('\n'),
    );
    const child = spawn('mosquitto', ['-c', config], { stdio: 'ignore' });
    cleanups.push(() => child.kill());
    while (!(await reachable(port))) await sleep(50);
    mqttUrl = `mqtt://127.0.0.1:${port}`;
    broker = 'mosquitto (production settings)';
  }
  if (!mqttUrl) {
    const port = await freePort();
    const child = spawn(process.execPath, [join(root, 'server/dist/tools/mqtt-broker.js'), '--port', String(port)], {
      stdio: 'ignore',
    });
    cleanups.push(() => child.kill());
    while (!(await reachable(port))) await sleep(50);
    mqttUrl = `mqtt://127.0.0.1:${port}`;
    protocolVersion = 4;
    broker = 'aedes (embedded)';
  }
  return { databaseUrl: dbUrl.toString(), mqttUrl, protocolVersion, broker };
}

async function rawPipe({ mqttUrl, protocolVersion }, count, payloadBytes) {
  const topic = `bench/raw/${randomUUID()}`;
  const sub = await mqtt.connectAsync(mqttUrl, { protocolVersion, clean: true });
  const pub = await mqtt.connectAsync(mqttUrl, { protocolVersion, clean: true });
  await sub.subscribeAsync(topic, { qos: 1 });
  const payload = Buffer.alloc(payloadBytes, 120);
  let received = 0;
  const done = new Promise((res) => sub.on('message', () => ++received === count && res()));
  const start = performance.now();
  const window = 500;
  const inflight = new Set();
  for (let i = 0; i < count; i++) {
    const p = pub.publishAsync(topic, payload, { qos: 1 });
    inflight.add(p);
    p.finally(() => inflight.delete(p));
    if (inflight.size >= window) await Promise.race(inflight);
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  await pub.endAsync();
  await sub.endAsync();
  return Math.round(count / seconds);
}

function startServer(env, checkout = root) {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`] : []),
      join(checkout, 'server/dist/main.js'),
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => {
    output += c;
    if (process.env.BENCH_DEBUG) process.stderr.write(c);
  });
  cleanups.push(
    () =>
      new Promise((r) => {
        if (child.exitCode !== null || child.signalCode !== null) return r();
        child.once('exit', r);
        child.kill('SIGINT');
      }),
  );
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

function makeAgent(svc, agentId, outboxPath) {
  const agent = new EdgeAgent(
    {
      agentId,
      secret: 'bench',
      mqttUrl: svc.mqttUrl,
      mqttProtocolVersion: svc.protocolVersion,
      outboxPath,
      batchSize: 1000,
      ackTimeoutMs: 10_000,
      reconnectMaxMs: 1000,
      devices: [],
    },
    () => undefined,
  );
  return agent;
}

/**
 * Resolves when the agent's outbox is empty: looked at when an ack arrives (and every 250 ms), so
 * the figure ends with the last ack rather than with a polling tick.
 */
function untilEmpty(agent, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  let last = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      const { pending } = agent.outbox.stats();
      if (pending === 0) return finish();
      if (Date.now() > deadline) return finish(new Error('outbox did not drain'));
      if (Date.now() - last > 2000) {
        progress(`${pending} events still in the outbox`);
        last = Date.now();
      }
    };
    // after the agent's own ack handler has forgotten the committed events
    const onAck = () => setImmediate(check);
    const timer = setInterval(check, 250);
    const finish = (error) => {
      clearInterval(timer);
      agent.transport.off('ack', onAck);
      if (error) reject(error);
      else resolve();
    };
    agent.transport.on('ack', onAck);
    check();
  });
}

async function connected(agent) {
  while (!agent.transport.connected) await sleep(10);
  await sleep(100);
}

async function main() {
  console.log('Bonded WMS benchmarks (figures, not pass/fail)\n');
  if (process.env.BENCH_ONLY === 'gs1') {
    // GS1 reading alone, no services needed: BENCH_ONLY=gs1 npm run bench
    await benchGs1({ figure, percentile });
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  const svc = await services();
  console.log(
    `broker: ${svc.broker} (MQTT ${svc.protocolVersion === 5 ? '5' : '3.1.1'}), database: ${svc.databaseUrl.replace(/:[^:@/]*@/, ':***@')}\n`,
  );

  if (process.env.BENCH_ONLY === 'station') {
    await stationBench(svc);
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'rls') {
    // the floor's scan cost with row-level security on and off, same run: BENCH_ONLY=rls npm run bench
    await floorBench(svc, { rlsOnly: true });
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'ab') {
    // this checkout's server against another's (built) on one database in one run, ABBA rounds:
    // BENCH_ONLY=ab BENCH_AB_ROOT=/path/to/other/checkout npm run bench
    if (!process.env.BENCH_AB_ROOT)
      throw new Error('BENCH_ONLY=ab needs BENCH_AB_ROOT, a built checkout to compare with');
    await floorBench(svc, { rlsOnly: true, abRoot: process.env.BENCH_AB_ROOT });
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'ceb') {
    // CEB621 lists written and read back under every field rule: BENCH_ONLY=ceb npm run bench
    benchCebMessages(resolve(import.meta.dirname, '..'), figure);
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'seller') {
    // the seller figures alone: BENCH_ONLY=seller npm run bench
    await sellerBench(svc);
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'risk') {
    // the risk warnings' figures alone: BENCH_ONLY=risk npm run bench
    await riskBench({ svc, figure, progress, startServer, freePort, cleanups, percentile });
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'customs-inventory') {
    // the customs console's book-line page alone: BENCH_ONLY=customs-inventory npm run bench
    await customsInventoryBench({ svc, figure, progress, startServer, freePort, cleanups, percentile });
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'customs-audit') {
    // the audit trail's cost on a customs officer's read: BENCH_ONLY=customs-audit npm run bench
    await benchCustomsAudit({ svc, figure, progress, startServer, freePort, cleanups, percentile });
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'credit') {
    // the customs console's inspection rates by credit grade: BENCH_ONLY=credit npm run bench
    await benchCreditRates({ svc, figure, progress, startServer, freePort, cleanups, percentile });
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'statistics') {
    // the customs statistics alone (1M lists, 5M receipts): BENCH_ONLY=statistics npm run bench
    await statisticsBench({ svc, figure, progress, startServer, freePort, cleanups, percentile, work });
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'floor') {
    await floorBench(svc);
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  if (process.env.BENCH_ONLY === 'reconciliation') {
    // one section alone, for working on it: BENCH_ONLY=reconciliation npm run bench
    const orm = await createOrm({ databaseUrl: svc.databaseUrl, poolMax: 2 });
    await orm.migrator.up();
    await orm.close();
    await reconciliationBench(svc);
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }
  progress('raw MQTT QoS 1 pipe');
  const raw = await rawPipe(svc, 50_000, 300);
  figure('raw_mqtt_qos1_msgs_per_s', raw, 'msg/s', '300-byte messages, publisher -> broker -> subscriber');

  const agentId = 'bench-agent';
  const deviceId = 'BENCH-SCANNER';
  const orm = await createOrm({ databaseUrl: svc.databaseUrl, poolMax: 2 });
  await orm.migrator.up();
  await provision(orm, {
    users: [],
    stations: [{ stationId: 'BENCH', name: 'Bench station' }],
    agents: [
      {
        agentId,
        name: 'bench',
        secret: 'bench-secret',
        devices: [{ deviceId, stationId: 'BENCH', kind: 'scanner', name: 'bench scanner' }],
      },
    ],
  });
  await orm.close();
  await startServer({
    DATABASE_URL: svc.databaseUrl,
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `bench${process.pid}`,
    INSTANCE_ID: `bench-${process.pid}`,
    HTTP_PORT: String(await freePort()),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_FORMAT: 'json',
  });

  // End-to-end durable ingestion: outbox -> broker -> server -> PostgreSQL commit -> ack -> outbox delete.
  progress('durable ingestion, 50k events');
  let agent = makeAgent(svc, agentId, join(work, 'ingest.db'));
  agent.start();
  await connected(agent);
  const total = 50_000;
  const start = performance.now();
  // Events come in as a station makes them: 500 at a time, each lot in its own turn of the event
  // loop, so the agent sends while it records (one synchronous loop of 50,000 appends kept the
  // agent from sending anything until all were written).
  for (let i = 0; i < total; i += 500) {
    agent.record(Array.from({ length: 500 }, (_, j) => scanEvent(agentId, deviceId, i + j)));
    await new Promise((r) => setImmediate(r));
  }
  await untilEmpty(agent);
  const ingest = Math.round(total / ((performance.now() - start) / 1000));
  figure(
    'durable_ingestion_events_per_s',
    ingest,
    'events/s',
    'agent outbox -> broker -> server -> PostgreSQL -> ack -> delete',
  );
  figure('ingestion_to_raw_ratio', Number((ingest / raw).toFixed(3)), '', 'target >= 0.40');

  // Latency at a steady 1,000 events/s: one event every millisecond, in 10 ms ticks.
  progress('scan-to-ack latency at 1,000 events/s for 10 s');
  const sentAt = new Map();
  const latencies = [];
  agent.transport.on('ack', (ack) => {
    const now = performance.now();
    for (const id of ack.committed) {
      const t = sentAt.get(id);
      if (t !== undefined) {
        latencies.push(now - t);
        sentAt.delete(id);
      }
    }
  });
  const seconds = 10;
  const tickStart = performance.now();
  for (let tick = 0; tick < seconds * 100; tick++) {
    const due = tickStart + tick * 10;
    while (performance.now() < due) await sleep(Math.max(0, Math.min(2, due - performance.now())));
    const batch = Array.from({ length: 10 }, (_, j) => scanEvent(agentId, deviceId, 100_000 + tick * 10 + j));
    const t = performance.now();
    for (const e of batch) sentAt.set(e.eventId, t);
    agent.record(batch);
  }
  await untilEmpty(agent);
  latencies.sort((a, b) => a - b);
  figure('scan_to_ack_p50_ms_at_1000_per_s', Number(percentile(latencies, 50).toFixed(2)), 'ms');
  figure('scan_to_ack_p99_ms_at_1000_per_s', Number(percentile(latencies, 99).toFixed(2)), 'ms', 'target < 50');
  await agent.stop();

  // Replay of a 100k backlog queued while the station was offline.
  progress('filling a 100k backlog while offline');
  agent = makeAgent(svc, agentId, join(work, 'backlog.db'));
  for (let i = 0; i < 100_000; i += 1000)
    agent.record(Array.from({ length: 1000 }, (_, j) => scanEvent(agentId, deviceId, 200_000 + i + j)));
  progress('replaying the backlog');
  const replayStart = performance.now();
  agent.start();
  await untilEmpty(agent);
  figure('backlog_100k_replay_s', Number(((performance.now() - replayStart) / 1000).toFixed(2)), 's', 'target < 15');
  await agent.stop();
  if (process.env.BENCH_ONLY === 'ingestion') {
    // the edge-to-server figures alone, for working on them: BENCH_ONLY=ingestion npm run bench
    console.log(`\n${JSON.stringify(figures)}`);
    return;
  }

  // Agent memory with 1M events queued (its own process, so nothing of the bench is counted).
  progress('agent RSS with 1M events queued');
  const probe = (args) =>
    new Promise((res, rej) => {
      const child = spawn(process.execPath, [join(root, 'scripts/bench-agent-rss.js'), ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.on('exit', (code) =>
        code === 0
          ? res(out.trim() ? JSON.parse(out.trim().split('\n').pop()) : null)
          : rej(new Error(`rss probe failed (${code})`)),
      );
    });
  await probe(['fill', join(work, 'million.db'), '1000000']);
  const rss = await probe(['run', join(work, 'million.db')]);
  figure('agent_rss_mb_with_1m_queued', rss.rssMb, 'MB', `target < 100 (${rss.pending} queued)`);

  // Three-document match (DOMAIN.md §5) of 10k orders, every rule, pure in-process work.
  progress('three-document match of 10,000 orders');
  const orders = [];
  const payments = [];
  const waybills = [];
  const lists = [];
  for (let i = 0; i < 10_000; i++) {
    const orderNo = `SO-${i}`;
    const lines = [
      { gnum: 1, itemNo: 'SKU-1', itemName: 'a', qty: '2', price: '49.50', totalPrice: '99.00' },
      { gnum: 2, itemNo: 'SKU-2', itemName: 'b', qty: '3', price: '33.00', totalPrice: '99.00' },
    ];
    orders.push({
      orderNo,
      ebpCode: 'EBP',
      ebcCode: 'EBC',
      goodsValue: '198.00',
      freight: '10.00',
      discount: '8.00',
      taxTotal: '19.80',
      acturalPaid: '219.80',
      buyerName: `B${i}`,
      buyerIdNumber: `ID${i}`,
      payCode: 'PAY',
      payTransactionId: `T${i}`,
      consignee: `B${i}`,
      consigneeTelephone: '138',
      consigneeAddress: 'addr',
      lines,
    });
    payments.push({
      payCode: 'PAY',
      payTransactionId: `T${i}`,
      orderNo,
      amountPaid: i % 10 === 0 ? '1.00' : '219.80',
      payerName: `B${i}`,
      payerIdNumber: `ID${i}`,
    });
    waybills.push({
      logisticsCode: 'LOG',
      logisticsNo: `W${i}`,
      orderNo,
      consignee: `B${i}`,
      consigneeTelephone: '138',
      consigneeAddress: 'addr',
    });
    lists.push({
      orderNo,
      ebpCode: 'EBP',
      ebcCode: 'EBC',
      logisticsCode: 'LOG',
      logisticsNo: `W${i}`,
      lines: lines.map(({ itemName, ...l }) => l),
    });
  }
  const matchStart = performance.now();
  const matched = matchBatch(lists, { orders, payments, waybills });
  const matchSeconds = (performance.now() - matchStart) / 1000;
  const refused = [...matched.values()].filter((r) => !r.ok).length;
  figure(
    'three_document_match_10k_s',
    Number(matchSeconds.toFixed(3)),
    's',
    `target < 2 (${refused} refused as planted)`,
  );
  progress('CEB621 lists written and read back under every field rule');
  benchCebMessages(resolve(import.meta.dirname, '..'), figure);

  await reconciliationBench(svc);
  await floorBench(svc);
  await stationBench(svc);
  await sellerBench(svc);
  await riskBench({ svc, figure, progress, startServer, freePort, cleanups, percentile });
  await customsInventoryBench({ svc, figure, progress, startServer, freePort, cleanups, percentile });
  await benchCustomsAudit({ svc, figure, progress, startServer, freePort, cleanups, percentile });
  await benchCreditRates({ svc, figure, progress, startServer, freePort, cleanups, percentile });
  await benchGs1({ figure, percentile });
  await statisticsBench({ svc, figure, progress, startServer, freePort, cleanups, percentile, work });

  console.log(`\n${JSON.stringify(figures)}`);
}

/** The sellers' figures (issue 12), each in scripts/bench/ with the helpers it needs handed in. */
async function sellerBench(svc) {
  const ctx = { svc, figure, progress, startServer, freePort, cleanups, percentile };
  await sellerStockBench(ctx);
  await benchAsn(ctx);
  await benchOrderImport({
    ...ctx,
    databaseUrl: await freshDatabase(svc, `wms_bench_orders_${process.pid}`),
    mqttUrl: svc.mqttUrl,
    protocolVersion: svc.protocolVersion,
  });
}

/** A new database on the bench's PostgreSQL, dropped when the bench ends. */
async function freshDatabase(svc, name) {
  const admin = new URL(svc.databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const url = new URL(svc.databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Scan-to-answer latency of floor scans (receive, put-away, pick, gate) on a warehouse with 1M
 * parcels, 100k locations and 50k SKUs, offered at 1,000 scans/s (open loop: each scan is sent at
 * its planned time whether or not the previous answers came back, so a slow server shows as
 * latency, not as a politely lower rate). 200 handhelds share the load.
 */
async function floorBench(svc, { rlsOnly = false, abRoot = null } = {}) {
  // the RLS comparison needs the floor's tables and paths, not a million parcels
  const PARCELS = rlsOnly ? 100_000 : 1_000_000;
  const WARM_GATE = rlsOnly ? 50_000 : 900_000;
  const admin = new URL(svc.databaseUrl);
  const name = `wms_bench_floor_${process.pid}`;
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
    users: [{ username: 'bench', displayName: 'Bench', roles: ['supervisor', 'staff'], password: 'bench-password' }],
    stations: [],
    agents: [],
  });
  const em = orm.em.fork();
  const t0 = performance.now();
  progress('floor: 50,000 SKUs on the book, 100,000 locations');
  await em.execute(`insert into enterprise (code, name, roles) values ('BOWNER', 'Bench owner', '{ebc,owner}')`);
  await em.execute(`insert into warehouse (code, name, kind, customs_code, loct_no, ems_no)
    values ('BF', 'Bench floor', 'bonded-centre', '5165', '5165W98', 'BENCHFLOOR01')`);
  await em.execute(
    `insert into zone (warehouse_code, code, kind) values ('BF', 'BZ', 'bonded'), ('BF', 'QT', 'quarantine')`,
  );
  await em.execute(`insert into location (warehouse_code, code, zone_code, purpose)
    select 'BF', 'L' || lpad(g::text, 6, '0'), 'BZ', 'storage' from generate_series(1, 100000) g
    union all select 'BF', 'DOCK' || g, 'BZ', 'dock' from generate_series(1, 20) g
    union all select 'BF', 'QT-1', 'QT', 'storage'`);
  await em.execute(`insert into goods (owner_code, sku, gtin, gcode, name, unit, declared_price, country, gross_grams)
    select 'BOWNER', 'S' || g, '69' || lpad(g::text, 11, '0'), '3304990010', 'item ' || g, '011', 10, '116', 100
    from generate_series(1, 50000) g`);
  await em.execute(`insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit)
    select 'BENCHFLOOR01', g, 'S' || g, '3304990010', 'item ' || g, '011' from generate_series(1, 50000) g`);
  progress('floor: stock on the shelves and at the docks');
  // every SKU on two storage locations (100 units each), and 20,000 SKUs waiting at the docks
  await em.execute(`insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location, customs_state, qty, doc_type, doc_no)
    select l.ledger, 'BF', 'BENCHFLOOR01', g, 'BOWNER', 'S' || g, 'B1',
      case when l.ledger = 'shelf' then 'L' || lpad((((g - 1) * 2 + k) % 100000 + 1)::text, 6, '0') else '' end,
      'bonded', 100, 'entry-verification', 'QDB' || g
    from generate_series(1, 50000) g cross join (values (0), (1)) kk(k) cross join (values ('book'), ('shelf')) l(ledger)`);
  await em.execute(`insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location, customs_state, qty, doc_type, doc_no)
    select l.ledger, 'BF', 'BENCHFLOOR01', g, 'BOWNER', 'S' || g, 'B2', case when l.ledger = 'shelf' then 'DOCK' || (g % 20 + 1) else '' end,
      'bonded', 50, 'entry-verification', 'QDD' || g
    from generate_series(1, 20000) g cross join (values ('book'), ('shelf')) l(ledger)`);
  for (let from = 1; from <= PARCELS; from += 100_000) {
    // a million parcels: most released, packed and waiting at the gate; 7,000 still to pick (the
    // warm-up, measured and restart waves take 2,000 + 2,500 + 2,000)
    await em.execute(`insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code,
        logistics_code, logistics_no, ems_no, agent_code, head, lines, state, current_guid, declared_at, declare_count,
        customs_status, invt_no, packed_at)
      select 'LB' || g, 'import', '1210', 'BF', 'BEBP', 'O' || g, 'BOWNER', 'BLOGI', 'P' || lpad(g::text, 9, '0'), 'BENCHFLOOR01', 'BAGENT',
        jsonb_build_object('grossWeight', '0.1'),
        jsonb_build_array(jsonb_build_object('gnum', 1, 'sku', 'S' || ((g % 50000) + 1), 'ownerCode', 'BOWNER', 'units', 1,
          'putrecSeqno', (g % 50000) + 1, 'itemNo', 'S' || ((g % 50000) + 1), 'values', '{}'::jsonb)),
        'declared', 'G' || g, now() - interval '1 day' + g * interval '1 millisecond', 1, 800, '51652026I' || lpad(g::text, 9, '0'),
        case when g > 7000 then now() end
      from generate_series(${from}, ${from + 99_999}) g`);
    progress(`floor: ${(from + 99_999).toLocaleString('en')} of ${PARCELS.toLocaleString('en')} parcels`);
  }
  // the parcels the gate measurements pass were weighed within tolerance and labelled at a packing
  // station, as the gate rule asks (issue 11)
  for (const [from, to] of [
    [10_000, 29_999],
    [WARM_GATE, WARM_GATE + 19_999],
  ]) {
    const range = [`P${String(from).padStart(9, '0')}`, `P${String(to).padStart(9, '0')}`];
    await em.execute(
      `insert into weight_check (list_id, logistics_no, station_id, gross_grams, declared_grams, expected_grams, tolerance_grams, within, actor)
       select id, logistics_no, 'BENCH', 100, 100, 100, 50, true, 'bench' from inventory_list
       where logistics_no between ? and ?`,
      range,
    );
    await em.execute(
      `insert into parcel_label (list_id, logistics_no, sscc)
       select id, logistics_no, '0' || lpad(id::text, 17, '0') from inventory_list where logistics_no between ? and ?`,
      range,
    );
    await em.execute(
      `insert into label_print (list_id, job_id, device_id, reprint, status, actor)
       select list_id, 'LBL-' || sscc, 'BENCH-PRN', 0, 'done', 'bench' from parcel_label
       where logistics_no between ? and ?`,
      range,
    );
  }
  await em.execute(`insert into inbound_delivery (warehouse_code, delivery_no, owner_code, entry_doc_no, dock_location, lines)
    select 'BF', 'DLV' || d, 'BOWNER', 'QDR' || d, 'DOCK' || (d % 20 + 1),
      (select jsonb_agg(jsonb_build_object('sku', 'S' || (d * 50 + i), 'qty', 1000)) from generate_series(1, 50) i)
    from generate_series(1, 200) d`);
  // As a warehouse that has been running: vacuumed and analysed (autovacuum does not pick the
  // measurement to visit a million fresh rows), and the load's dirty pages written out (a
  // checkpoint does not land in the middle of it). Superuser rights allow the checkpoint.
  await em.execute(
    'vacuum (analyze) inventory_list, stock_movement, location, goods, book_line, inbound_delivery, weight_check, parcel_label, label_print',
  );
  await em.execute('checkpoint').catch(() => progress('floor: no checkpoint (not a superuser)'));
  figure(
    'floor_dataset_load_s',
    Math.round((performance.now() - t0) / 1000),
    's',
    '1M parcels, 100k locations, 50k SKUs',
  );
  await orm.close();

  let port = await freePort();
  // A PostgreSQL on this machine is reached over its Unix socket, as a colocated deployment would
  // (BENCH_DB_LINK=tcp: over loopback TCP; measured here, the two cost about the same per scan).
  const serverDbUrl = new URL(dbUrl.toString());
  const socketDir = '/var/run/postgresql';
  if (
    process.env.BENCH_DB_LINK !== 'tcp' &&
    ['127.0.0.1', 'localhost'].includes(serverDbUrl.hostname) &&
    existsSync(`${socketDir}/.s.PGSQL.${serverDbUrl.port || 5432}`)
  ) {
    serverDbUrl.searchParams.set('host', socketDir);
    figure('floor_database_link', 'unix-socket', '', socketDir);
  } else figure('floor_database_link', 'tcp', '', serverDbUrl.host);
  const serverEnv = {
    DATABASE_URL: serverDbUrl.toString(),
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `benchfloor${process.pid}`,
    INSTANCE_ID: `bench-floor-${process.pid}`,
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_FORMAT: 'json',
    CUSTOMS_POLL_MS: '0',
    // a pool about the size of the machine: more connections than cores only queue inside PostgreSQL
    DATABASE_POOL_MAX: process.env.BENCH_POOL ?? '4',
  };
  let serverProcess = await startServer(serverEnv);
  const base = `http://127.0.0.1:${port}`;
  const signIn = async () =>
    (
      await (
        await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'bench', password: 'bench-password' }),
        })
      ).json()
    ).accessToken;
  let accessToken = await signIn();
  // a long run on a loaded machine outlives the access token: sign in again once, then resend
  let renewing = null;
  // The load generator shares the machine with the server and PostgreSQL: plain keep-alive HTTP
  // costs it far less CPU per request than fetch, so less of the machine goes to measuring.
  let agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  cleanups.push(() => agent.destroy());
  // A kept-alive socket the server closed while idle fails at once: send again (scan ids and
  // the gate make a second send harmless).
  const postOrReset = (path, body) =>
    postOnce(path, body).catch((error) => (error.code === 'ECONNRESET' ? postOnce(path, body) : Promise.reject(error)));
  const post = async (path, body) => {
    const sent = accessToken;
    const answer = await postOrReset(path, body);
    if (answer.status !== 401) return answer;
    if (accessToken === sent)
      renewing ??= signIn().then((token) => {
        accessToken = token;
        renewing = null;
      });
    await renewing;
    return postOrReset(path, body);
  };
  // no body: a GET
  const postOnce = (path, body) =>
    new Promise((resolvePost, rejectPost) => {
      const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: body === undefined ? 'GET' : 'POST',
          agent,
          headers: {
            authorization: `Bearer ${accessToken}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': payload.length }),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            try {
              resolvePost({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
            } catch (error) {
              rejectPost(error);
            }
          });
        },
      );
      req.on('error', rejectPost);
      req.end(payload);
    });
  const waveTasks = async (maxParcels) => {
    const wave = await post('/api/floor/waves', { warehouseCode: 'BF', maxParcels });
    const { tasks } = await (
      await fetch(`${base}/api/floor/waves/${wave.body.waveNo}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).json();
    // each handheld its share of the wave
    const byStation = Array.from({ length: 200 }, () => []);
    tasks.forEach((t, i) => {
      byStation[i % 200].push(t);
    });
    return byStation;
  };
  // Which PostgreSQL processes a scan's cost is read from: this database's backends and the
  // cluster's background processes (WAL writer, checkpointer…), not the backends of other
  // databases on a shared cluster (other benches and test suites on the same machine).
  const watcher = new pg.Client({ connectionString: dbUrl.toString() });
  await watcher.connect();
  cleanups.push(() => watcher.end().catch(() => undefined));
  const databasePids = async () => {
    if (!existsSync('/proc/self/stat')) return null;
    const { rows } = await watcher.query(
      // (an autovacuum worker names its database: one vacuuming another agent's database is theirs)
      `select pid from pg_stat_activity where pid <> pg_backend_pid()
         and (datname = current_database() or (backend_type <> 'client backend' and datname is null))`,
    );
    return new Set(rows.map((r) => String(r.pid)));
  };
  progress('floor: building pick waves of 2,000 parcels (warm-up) and 2,500 parcels');
  const warmUpTasks = await waveTasks(2000);
  const measuredTasks = await waveTasks(2500);

  /**
   * Sends `count` scans at `rate` per second from `stations` handhelds; `next(station, i)` gives
   * each station's next request. Returns the latencies (ms) from planned send time to answer.
   */
  async function offer(label, count, rate, stations, next) {
    const latencies = [];
    // when each scan was planned (ms after the start) and how long its answer took
    const timeline = [];
    const refusals = new Map();
    const outcomes = { ok: 0, refused: 0, error: 0 };
    const chains = Array.from({ length: stations }, () => Promise.resolve());
    const start = performance.now() + 50;
    const pidsBefore = await databasePids();
    const cpuBefore = cpuNow(serverProcess.pid, pidsBefore);
    const all = [];
    for (let i = 0; i < count; i++) {
      const planned = start + (i * 1000) / rate;
      const wait = planned - performance.now();
      if (wait > 1) await sleep(wait);
      const station = i % stations;
      const [path, body] = next(station, Math.floor(i / stations));
      // a handheld sends its next scan after the previous answer (its session is a sequence)
      const done = chains[station].then(() =>
        post(path, body)
          .then((r) => {
            latencies.push(performance.now() - planned);
            timeline.push([planned - start, performance.now() - planned]);
            if (r.status >= 500) outcomes.error++;
            else if (r.body.outcome === 'refused' || r.status >= 400) {
              outcomes.refused++;
              const said = String(r.body.message ?? r.status).replace(/\d+/g, '#');
              refusals.set(said, (refusals.get(said) ?? 0) + 1);
            } else outcomes.ok++;
          })
          .catch(() => {
            outcomes.error++;
          }),
      );
      chains[station] = done;
      all.push(done);
    }
    await Promise.all(all);
    const seconds = (performance.now() - start) / 1000;
    const cpu = cpuPerScan(
      cpuBefore,
      cpuNow(serverProcess.pid, pidsBefore && new Set([...pidsBefore, ...(await databasePids())])),
      count,
    );
    latencies.sort((a, b) => a - b);
    progress(
      `floor ${label}: ${count} scans, ${outcomes.ok} ok, ${outcomes.refused} refused, ${outcomes.error} errors, ${Math.round(count / seconds)}/s achieved` +
        (cpu
          ? `; CPU ms per scan: server ${cpu.server}, PostgreSQL ${cpu.database}, load generator ${cpu.generator}`
          : '') +
        (refusals.size
          ? `; refused: ${[...refusals]
              .slice(0, 3)
              .map(([m, n]) => `${n}× "${m}"`)
              .join(', ')}`
          : ''),
    );
    return {
      timeline,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      achieved: Math.round(count / seconds),
      errors: outcomes.error,
      cpu,
    };
  }
  const scan = (operation, station, code, extra = {}) => [
    '/api/floor/scans',
    { scanId: randomUUID(), operation, warehouseCode: 'BF', stationId: `BH${station}`, code, ...extra },
  ];
  const results = {};
  const COUNT = 5000;
  // Warm-up, not measured: every path measured below has run a couple of thousand times, so V8
  // has optimised the server's code (its compiler threads take the machine's cores for a tenth of
  // a second when a path first gets hot: measured, that hiccup is what a p99 catches, once after
  // each start), the connections have their statements prepared, and PostgreSQL has the tables'
  // hot pages in memory, as after the first minutes of a shift. It uses goods, locations, pick
  // tasks and parcels of its own.
  let warmGateNo = WARM_GATE;
  const warmUp = await offer('warm-up', 12_000, 800, 200, (st, i) => {
    const k = Math.floor(i / 6);
    const own = st * 100 + 90 + (k % 10);
    const tasks = warmUpTasks[st];
    const t = tasks[k % Math.max(1, tasks.length)];
    switch (i % 6) {
      case 0:
        return scan('receive', st, `69${String((st + 1) * 50 + (k % 50) + 1).padStart(11, '0')}`, {
          deliveryNo: `DLV${st + 1}`,
        });
      case 1:
        return scan('putaway', st, `S${own}`);
      case 2:
        return scan('putaway', st, `L${String(own).padStart(6, '0')}`);
      case 3:
        return scan('pick', st, t.location);
      case 4:
        return scan('pick', st, t.sku);
      default:
        return ['/api/gate/passes', { logisticsNo: `P${String(warmGateNo++).padStart(9, '0')}`, readPoint: 'GATE' }];
    }
  });
  if (!rlsOnly)
    figure(
      'scan_first_15s_p99_ms',
      Number(warmUp.p99.toFixed(1)),
      'ms',
      `the warm-up: receive, put-away, pick and gate mixed at 800/s from the server's start (p50 ${warmUp.p50.toFixed(1)})`,
    );
  if (abRoot) {
    // the dataset's 7,000 parcels to pick: 2,000 + 2,500 above, 1,500 more here, 1,000 for the other's warm-up
    const more = await waveTasks(1500);
    const tasks = measuredTasks.map((list, st) => [...list, ...more[st]]);
    const here = { label: 'this', process: serverProcess, port };
    const otherPort = await freePort();
    // BENCH_AB_OTHER_LINK=tcp: the other server reaches PostgreSQL over loopback TCP (with
    // BENCH_AB_ROOT set to this checkout, that compares the two links alone)
    const otherDbUrl = new URL(serverEnv.DATABASE_URL);
    if (process.env.BENCH_AB_OTHER_LINK === 'tcp') otherDbUrl.searchParams.delete('host');
    const other = {
      label: 'other',
      process: await startServer(
        {
          ...serverEnv,
          DATABASE_URL: otherDbUrl.toString(),
          HTTP_PORT: String(otherPort),
          INSTANCE_ID: `${serverEnv.INSTANCE_ID}-ab`,
        },
        abRoot,
      ),
      port: otherPort,
    };
    const use = (s) => {
      serverProcess = s.process;
      port = s.port;
    };
    use(other);
    const otherTasks = await waveTasks(1000);
    await offer('warm-up (other)', 6000, 600, 200, (st, i) => {
      const k = Math.floor(i / 6);
      const own = st * 100 + 90 + (k % 10);
      const t = otherTasks[st][k % Math.max(1, otherTasks[st].length)];
      switch (i % 6) {
        case 0:
          return scan('receive', st, `69${String((st + 1) * 50 + (k % 50) + 1).padStart(11, '0')}`, {
            deliveryNo: `DLV${st + 1}`,
          });
        case 1:
          return scan('putaway', st, `S${own}`);
        case 2:
          return scan('putaway', st, `L${String(own).padStart(6, '0')}`);
        case 3:
          return scan('pick', st, t.location);
        case 4:
          return scan('pick', st, t.sku);
        default:
          return ['/api/gate/passes', { logisticsNo: `P${String(warmGateNo++).padStart(9, '0')}`, readPoint: 'GATE' }];
      }
    });
    // ABBA, or ABBA ABBA with BENCH_AB_ROUNDS=8: other agents' load on a shared machine drifts;
    // 6,400 scans per operation either way (the dataset's goods at the docks and tasks to pick)
    const order = Array.from({ length: Number(process.env.BENCH_AB_ROUNDS ?? 4) }, (_, i) =>
      i % 4 === 0 || i % 4 === 3 ? here : other,
    );
    const COUNT_AB = Math.floor(6400 / order.length);
    let gateNo = 10_000;
    const picked = tasks.map(() => 0);
    const ops = {
      receive: (st, i) =>
        scan('receive', st, `69${String((st + 1) * 50 + ((i * 7) % 50) + 1).padStart(11, '0')}`, {
          deliveryNo: `DLV${st + 1}`,
        }),
      putaway: (st, i, round) =>
        i % 2 === 0
          ? scan('putaway', st, `S${st * 100 + round * 8 + Math.floor(i / 2) + 1}`)
          : scan('putaway', st, `L${String(st * 100 + round * 8 + Math.floor(i / 2) + 1).padStart(6, '0')}`),
      pick: (st, i) => {
        const t = tasks[st][picked[st] % Math.max(1, tasks[st].length)];
        if (i % 2 === 1) picked[st]++;
        return i % 2 === 0 ? scan('pick', st, t.location) : scan('pick', st, t.sku);
      },
      gate: () => ['/api/gate/passes', { logisticsNo: `P${String(gateNo++).padStart(9, '0')}`, readPoint: 'GATE' }],
    };
    // BENCH_AB_OPS=pick,gate: only these operations
    const only = process.env.BENCH_AB_OPS?.split(',');
    for (const [op, next] of Object.entries(ops)) {
      if (only && !only.includes(op)) continue;
      const ms = { this: 0, other: 0 };
      for (const [round, side] of order.entries()) {
        use(side);
        const r = await offer(`${op} (${side.label})`, COUNT_AB, 500, 200, (st, i) => next(st, i, round));
        ms[side.label] += r.cpu ? r.cpu.server + r.cpu.database : Number.NaN;
      }
      const perSide = order.length / 2;
      figure(
        `ab_${op}_cpu_ms_this`,
        Number((ms.this / perSide).toFixed(3)),
        'ms',
        'CPU per scan, server + PostgreSQL, this checkout',
      );
      figure(
        `ab_${op}_cpu_ms_other`,
        Number((ms.other / perSide).toFixed(3)),
        'ms',
        `the same, ${abRoot}${process.env.BENCH_AB_OTHER_LINK === 'tcp' ? ' over TCP' : ''}`,
      );
      figure(`ab_${op}_cpu_ratio`, Number((ms.this / ms.other).toFixed(3)), '×', 'this / other, same run (ABBA)');
    }
    for (const side of [here, other])
      await new Promise((resolveExit) => {
        side.process.once('exit', resolveExit);
        side.process.kill('SIGINT');
      });
    return;
  }
  if (rlsOnly) {
    // a task of its own for every pick of the four rounds: two waves' worth per handheld
    const more = await waveTasks(2500);
    const tasks = measuredTasks.map((list, st) => [...list, ...more[st]]);
    await rlsCostFigures({ offer, scan, tasks, ownerUrl: dbUrl.toString(), serverPid: serverProcess.pid });
    await new Promise((resolveExit) => {
      serverProcess.once('exit', resolveExit);
      serverProcess.kill('SIGINT');
    });
    return;
  }
  // receive: each handheld counts its own delivery (200 deliveries at 20 docks)
  results.receive = await offer('receive', COUNT, 1000, 200, (st, i) =>
    scan('receive', st, `69${String((st + 1) * 50 + (i % 50) + 1).padStart(11, '0')}`, { deliveryNo: `DLV${st + 1}` }),
  );
  // put-away: goods from the dock, then a location (the suggestion, or the next free one)
  results.putaway = await offer('put-away', COUNT, 1000, 200, (st, i) =>
    i % 2 === 0
      ? scan('putaway', st, `S${st * 100 + Math.floor(i / 2) + 1}`)
      : scan('putaway', st, `L${String(((st * 100 + Math.floor(i / 2)) % 100000) + 1).padStart(6, '0')}`),
  );
  // pick: bin then its item, over the wave's tasks
  results.pick = await offer('pick', COUNT, 1000, 200, (st, i) => {
    const list = measuredTasks[st];
    const t = list[Math.floor(i / 2) % Math.max(1, list.length)];
    return i % 2 === 0 ? scan('pick', st, t.location) : scan('pick', st, t.sku);
  });
  // gate: released, packed parcels leaving, each once
  let gateNo = 10_000;
  results.gate = await offer('gate', COUNT, 1000, 200, () => [
    '/api/gate/passes',
    { logisticsNo: `P${String(gateNo++).padStart(9, '0')}`, readPoint: 'GATE' },
  ]);
  for (const [op, r] of Object.entries(results)) {
    figure(`scan_${op}_p50_ms`, Number(r.p50.toFixed(1)), 'ms', `at 1,000 scans/s offered (${r.achieved}/s achieved)`);
    figure(
      `scan_${op}_p99_ms`,
      Number(r.p99.toFixed(1)),
      'ms',
      `target < 50${r.errors ? ` (${r.errors} errors)` : ''}`,
    );
    if (r.cpu)
      figure(
        `scan_${op}_cpu_ms`,
        Number((r.cpu.server + r.cpu.database).toFixed(2)),
        'ms',
        `CPU per scan: server ${r.cpu.server} + PostgreSQL ${r.cpu.database} (load generator ${r.cpu.generator})`,
      );
  }
  // The same scans below saturation: what one scan costs when the machine is not queueing them.
  const calm = {};
  calm.receive = await offer('receive (calm)', 2000, 300, 200, (st, i) =>
    scan('receive', st, `69${String((st + 1) * 50 + ((i + 7) % 50) + 1).padStart(11, '0')}`, {
      deliveryNo: `DLV${st + 1}`,
    }),
  );
  calm.putaway = await offer('put-away (calm)', 2000, 300, 200, (st, i) =>
    i % 2 === 0
      ? scan('putaway', st, `S${st * 100 + 50 + Math.floor(i / 2) + 1}`)
      : scan('putaway', st, `L${String(((st * 100 + 50 + Math.floor(i / 2)) % 100000) + 1).padStart(6, '0')}`),
  );
  calm.gate = await offer('gate (calm)', 2000, 300, 200, () => [
    '/api/gate/passes',
    { logisticsNo: `P${String(gateNo++).padStart(9, '0')}`, readPoint: 'GATE' },
  ]);
  for (const [op, r] of Object.entries(calm)) {
    figure(`scan_${op}_p50_ms_at_300_per_s`, Number(r.p50.toFixed(1)), 'ms', `(${r.achieved}/s achieved)`);
    figure(
      `scan_${op}_p99_ms_at_300_per_s`,
      Number(r.p99.toFixed(1)),
      'ms',
      `target < 50${r.errors ? ` (${r.errors} errors)` : ''}`,
    );
  }
  await floorCostFigures({ offer, results });
  // A restart during the shift: a fresh server process on the same database (its data and
  // PostgreSQL's caches as they are), offered 300 mixed scans/s from the moment its port answers.
  const restartTasks = await waveTasks(2000);
  await new Promise((resolveExit) => {
    serverProcess.once('exit', resolveExit);
    serverProcess.kill('SIGINT');
  });
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  cleanups.push(() => agent.destroy());
  const restarting = startServer(serverEnv);
  const spawnedAt = performance.now();
  while (!(await reachable(port))) await sleep(5);
  const portAfterMs = performance.now() - spawnedAt;
  serverProcess = await restarting;
  let restartGateNo = 905_000;
  const restart = await offer('restart', 4500, 300, 200, (st, i) => {
    const k = Math.floor(i / 6);
    const tasks = restartTasks[st];
    const t = tasks[k % Math.max(1, tasks.length)];
    switch (i % 6) {
      case 0:
        return scan('receive', st, `69${String((st + 1) * 50 + ((k + 23) % 50) + 1).padStart(11, '0')}`, {
          deliveryNo: `DLV${st + 1}`,
        });
      case 1:
        return scan('putaway', st, `S${st * 100 + 80 + (k % 10)}`);
      case 2:
        return scan('putaway', st, `L${String(st * 100 + 80 + (k % 10)).padStart(6, '0')}`);
      case 3:
        return scan('pick', st, t.location);
      case 4:
        return scan('pick', st, t.sku);
      default:
        return ['/api/gate/passes', { logisticsNo: `P${String(restartGateNo++).padStart(9, '0')}`, readPoint: 'GATE' }];
    }
  });
  const windowP99 = (from, to) => {
    const inWindow = restart.timeline
      .filter(([at]) => at >= from && at < to)
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
    return inWindow.length ? percentile(inWindow, 99).toFixed(1) : '-';
  };
  progress(
    `floor restart: p99 by window: 0-1 s ${windowP99(0, 1000)} ms, 1-3 s ${windowP99(1000, 3000)} ms, 3-15 s ${windowP99(3000, 15_000)} ms`,
  );
  figure(
    'scan_restart_15s_p99_ms',
    Number(restart.p99.toFixed(1)),
    'ms',
    `fresh server, 300 mixed scans/s from its port answering (${Math.round(portAfterMs)} ms after spawn), first 15 s (p50 ${restart.p50.toFixed(1)}${restart.errors ? `, ${restart.errors} errors` : ''}); target < 200`,
  );
  figure(
    'floor_capacity_scans_per_s',
    Math.min(...Object.values(results).map((r) => r.achieved)),
    'scans/s',
    'the slowest operation when offered 1,000/s (server, PostgreSQL and this load generator share the machine)',
  );
}

/**
 * The floor's scans with row-level security on (as the server runs: connected as wms_app, the
 * centre's scope set per connection) and off (the same tables with RLS disabled by their owner),
 * in one run on one server: a mixed load of receive, put-away, pick and gate scans at 300/s, in
 * the order on, off, off, on so that the data's drift weighs on both sides alike. CPU is the server
 * process and this database's own backends (other databases on the same PostgreSQL do not count).
 */
async function rlsCostFigures({ offer, scan, tasks, ownerUrl, serverPid }) {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const tables = Object.keys(TENANT_POLICIES);
  const setRls = async (on) => {
    for (const table of tables)
      await owner.query(`alter table ${table} ${on ? 'enable' : 'disable'} row level security`);
  };
  const backends = async () => {
    const { rows } = await owner.query(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    const out = new Map();
    for (const { pid } of rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // gone
      }
    }
    return out;
  };
  const serverMs = () => {
    const stat = readFileSync(`/proc/${serverPid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  let gateNo = 10_000;
  let round = 0;
  const totals = { on: { ms: 0, scans: 0, p50: [] }, off: { ms: 0, scans: 0, p50: [] } };
  const COUNT = 3000;
  for (const mode of ['on', 'off', 'off', 'on']) {
    await setRls(mode === 'on');
    const [{ force }] = (
      await owner.query('select bool_and(relrowsecurity) as force from pg_class where relname = any($1)', [tables])
    ).rows;
    if (force !== (mode === 'on')) throw new Error(`RLS is not ${mode} as asked`);
    round++;
    const dbBefore = await backends();
    const serverBefore = serverMs();
    // each handheld's i-th scan of the round; every round receives, puts away and picks goods of its own
    const r = await offer(`RLS ${mode} (round ${round})`, COUNT, 300, 200, (st, i) => {
      const k = Math.floor(i / 6) + (round - 1) * 3;
      const own = st * 100 + 60 + k;
      const list = tasks[st];
      const t = list[k % Math.max(1, list.length)];
      switch (i % 6) {
        case 0:
          return scan('receive', st, `69${String((st + 1) * 50 + (k % 50) + 1).padStart(11, '0')}`, {
            deliveryNo: `DLV${st + 1}`,
          });
        case 1:
          return scan('putaway', st, `S${own}`);
        case 2:
          return scan('putaway', st, `L${String(own).padStart(6, '0')}`);
        case 3:
          return scan('pick', st, t.location);
        case 4:
          return scan('pick', st, t.sku);
        default:
          return ['/api/gate/passes', { logisticsNo: `P${String(gateNo++).padStart(9, '0')}`, readPoint: 'GATE' }];
      }
    });
    const dbAfter = await backends();
    let dbMs = 0;
    for (const [pid, ms] of dbAfter) dbMs += ms - (dbBefore.get(pid) ?? 0);
    totals[mode].ms += serverMs() - serverBefore + dbMs;
    totals[mode].scans += COUNT;
    totals[mode].p50.push(r.p50);
  }
  await setRls(true);
  await owner.end();
  const on = totals.on.ms / totals.on.scans;
  const off = totals.off.ms / totals.off.scans;
  figure('scan_cpu_ms_rls_on', Number(on.toFixed(3)), 'ms', 'CPU per scan (server + this database’s backends), RLS on');
  figure('scan_cpu_ms_rls_off', Number(off.toFixed(3)), 'ms', 'the same scans with RLS disabled on the tenant tables');
  figure('scan_cost_rls_ratio', Number((on / off).toFixed(3)), '×', 'RLS on / off, same run; target <= 1.10');
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  figure(
    'scan_p50_rls_ratio',
    Number((mean(totals.on.p50) / mean(totals.off.p50)).toFixed(3)),
    '×',
    `p50 at 300/s: on ${mean(totals.on.p50).toFixed(2)} ms, off ${mean(totals.off.p50).toFixed(2)} ms`,
  );
}

/**
 * What a scan costs against the cheapest authenticated request there is, in the same run on the
 * same server and pool: `GET /api/health/ready` (token check, one statement on the scans' pool,
 * one round trip) offered as the operations were, then each operation's CPU per scan over it.
 */
async function floorCostFigures({ offer, results }) {
  const bare = await offer('bare authenticated request', 5000, 1000, 200, () => ['/api/health/ready', undefined]);
  if (!bare.cpu) return;
  const bareMs = bare.cpu.server + bare.cpu.database;
  figure(
    'bare_request_cpu_ms',
    Number(bareMs.toFixed(2)),
    'ms',
    `GET /api/health/ready at 1,000/s offered: server ${bare.cpu.server} + PostgreSQL ${bare.cpu.database} (${bare.achieved}/s achieved)`,
  );
  for (const [op, r] of Object.entries(results))
    if (r.cpu)
      figure(
        `scan_${op}_cost_ratio`,
        Number(((r.cpu.server + r.cpu.database) / bareMs).toFixed(2)),
        '×',
        'CPU per scan (server + PostgreSQL) / bare_request_cpu_ms; target <= 2',
      );
}

/**
 * Book equals shelf over 100k book lines holding 1M units: each line received (book and shelf),
 * one in five partly released and packed into a parcel, so every state the query sums is present.
 */
async function reconciliationBench(svc) {
  progress('reconciliation: loading 100,000 book lines and 1,000,000 units');
  const orm = await createOrm({ databaseUrl: svc.databaseUrl, poolMax: 2 });
  const em = orm.em.fork();
  const lines = 100_000;
  await em.execute(`insert into warehouse (code, name, kind, customs_code, loct_no, ems_no)
    values ('BENCH', 'Bench centre', 'bonded-centre', '5165', '5165W99', 'BENCHEMS0001')`);
  await em.execute(`insert into zone (warehouse_code, code, kind) values ('BENCH', 'BZ', 'bonded')`);
  await em.execute(`insert into location (warehouse_code, code, zone_code)
    select 'BENCH', 'L' || g, 'BZ' from generate_series(1, 1000) g`);
  await em.execute(`insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit)
    select 'BENCHEMS0001', g, 'SKU' || g, '3304990010', 'item ' || g, '011' from generate_series(1, ${lines}) g`);
  for (let from = 1; from <= lines; from += 25_000) {
    const to = Math.min(lines, from + 24_999);
    await em.execute(`insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch,
        location, customs_state, qty, doc_type, doc_no)
      select l.ledger, 'BENCH', 'BENCHEMS0001', g, 'OWNER', 'SKU' || g, 'B1', case when l.ledger = 'shelf' then 'L' || (g % 1000 + 1) else '' end,
        'bonded', 10, 'entry-verification', 'QD' || g
      from generate_series(${from}, ${to}) g cross join (values ('book'), ('shelf')) l(ledger)`);
    await em.execute(`insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch,
        location, customs_state, qty, doc_type, doc_no, logistics_no)
      select m.ledger, 'BENCH', 'BENCHEMS0001', g, 'OWNER', 'SKU' || g, 'B1', m.location || case when m.location = 'L' then (g % 1000 + 1)::text when m.location = 'PARCEL:' then 'P' || g else '' end,
        m.state, m.qty, m.doc, 'D' || g, 'P' || g
      from generate_series(${from}, ${to}) g
      cross join (values ('book', '', 'bonded', -2, 'inventory-list'), ('book', '', 'verification-applied', 2, 'inventory-list'),
                         ('shelf', 'L', 'bonded', -2, 'pick'), ('shelf', 'PARCEL:', 'bonded', 2, 'pick')) m(ledger, location, state, qty, doc)
      where g % 5 = 0`);
    progress(`reconciliation: ${to.toLocaleString('en')} of ${lines.toLocaleString('en')} book lines loaded`);
  }
  await em.execute('analyze stock_movement');
  const ledger = new StockViewsRepository(orm);
  const runs = [];
  let totals;
  let listed;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    [totals, listed] = await Promise.all([ledger.reconciliationTotals('BENCH'), ledger.reconciliation('BENCH', true)]);
    runs.push((performance.now() - start) / 1000);
  }
  const best = Math.min(...runs);
  figure(
    'reconciliation_1m_units_100k_lines_s',
    Number(best.toFixed(3)),
    's',
    `target < 2 (best of 3; ${totals.bookUnits.toLocaleString('en')} units on ${totals.bookLines.toLocaleString('en')} lines, ${listed.length} differences)`,
  );
  const fullStart = performance.now();
  const all = await ledger.reconciliation('BENCH', false);
  figure(
    'reconciliation_full_listing_100k_s',
    Number(((performance.now() - fullStart) / 1000).toFixed(3)),
    's',
    `${all.length} lines listed`,
  );
  await orm.close();
}

async function cleanUp() {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
// stopped early (Ctrl-C, a timeout): its servers, brokers and databases go too
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
try {
  await main();
} finally {
  await cleanUp();
}
process.exit(0);

/**
 * Stations live on the server (issue 11): 20 stations, each a simulated serial scanner on its own
 * pty read by one real edge agent, scanning once a second for 30 s in a cheap job (put-away:
 * a location scan, answered ok). Measured from the moment the bytes are written to the pty to the
 * `station.answered` event on a socket.io client watching every station: pty -> agent -> broker ->
 * ingestion commit -> station listener -> floor scan -> answer -> socket.
 */
async function stationBench(svc) {
  const STATIONS = 20;
  const SECONDS = Number(process.env.BENCH_STATION_SECONDS ?? 30);
  const { startSimulator } = await import('../hardware-sim/dist/simulator.js');
  const { io } = await import('socket.io-client');
  const { agentConfigSchema } = await import('../edge-agent/dist/config/agent-config.js');
  const admin = new URL(svc.databaseUrl);
  const name = `wms_bench_station_${process.pid}`;
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
  const stationIds = Array.from({ length: STATIONS }, (_, i) => `BST${String(i + 1).padStart(2, '0')}`);
  const agentId = 'bench-station-agent';
  const orm = await createOrm({ databaseUrl: dbUrl.toString(), poolMax: 2 });
  await orm.migrator.up();
  await provision(orm, {
    users: [{ username: 'bench', displayName: 'Bench', roles: ['supervisor', 'staff'], password: 'bench-password' }],
    stations: stationIds.map((stationId) => ({ stationId, name: `Bench ${stationId}` })),
    agents: [
      {
        agentId,
        name: 'bench station agent',
        secret: 'bench-station-secret',
        devices: stationIds.map((stationId) => ({
          deviceId: `${stationId}-SCN`,
          stationId,
          kind: 'scanner',
          name: 'scanner',
        })),
      },
    ],
  });
  const em = orm.em.fork();
  await em.execute(`insert into warehouse (code, name, kind, customs_code, loct_no, ems_no)
    values ('BS', 'Bench stations', 'bonded-centre', '5165', '5165W97', 'BENCHSTN0001')`);
  await em.execute(`insert into zone (warehouse_code, code, kind) values ('BS', 'BZ', 'bonded')`);
  await em.execute(`insert into location (warehouse_code, code, zone_code, purpose)
    select 'BS', 'L-' || s || '-' || k, 'BZ', 'storage' from generate_series(1, ${STATIONS}) s cross join (values ('A'), ('B')) kk(k)`);
  await orm.close();

  const port = await freePort();
  await startServer({
    DATABASE_URL: dbUrl.toString(),
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `benchstation${process.pid}`,
    INSTANCE_ID: `bench-station-${process.pid}`,
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_FORMAT: 'json',
    CUSTOMS_POLL_MS: '0',
  });
  const base = `http://127.0.0.1:${port}`;
  const { accessToken } = await (
    await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password' }),
    })
  ).json();
  progress('stations: setting the jobs, starting the simulator and the agent');
  for (const stationId of stationIds) {
    const res = await fetch(`${base}/api/floor/stations/${stationId}/mode`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ job: 'putaway', warehouseCode: 'BS' }),
    });
    if (res.status !== 200) throw new Error(`station ${stationId}: job not set (${res.status} ${await res.text()})`);
  }

  const sim = await startSimulator({
    controlPort: 0,
    stations: stationIds.map((stationId) => ({
      stationId,
      devices: [{ kind: 'scanner', deviceId: `${stationId}-SCN` }],
    })),
  });
  cleanups.push(() => sim.stop());
  const agent = new EdgeAgent(
    agentConfigSchema.parse({
      agentId,
      secret: 'bench-station-secret',
      mqttUrl: svc.mqttUrl,
      mqttProtocolVersion: svc.protocolVersion,
      outboxPath: join(work, 'station-agent-outbox.db'),
      batchSize: 1000,
      ackTimeoutMs: 10_000,
      reconnectMaxMs: 1000,
      devices: stationIds.map((stationId) => ({
        kind: 'scanner',
        deviceId: `${stationId}-SCN`,
        stationId,
        serial: { path: sim.scanners.get(stationId).agentPath },
      })),
    }),
    () => undefined,
  );
  agent.start();
  cleanups.push(() => agent.stop());
  await connected(agent);

  const socket = io(`${base}/live`, { auth: { token: accessToken }, transports: ['websocket'], reconnection: false });
  await new Promise((res, rej) => {
    socket.once('connect', res);
    socket.once('connect_error', rej);
  });
  cleanups.push(() => socket.close());
  await socket.emitWithAck('station.watch', { stationId: '*' });
  /** Per station, the write times of the scans not answered yet: a station's answers come in its scan order. */
  const waiting = new Map(stationIds.map((s) => [s, []]));
  const latencies = [];
  const outcomes = { ok: 0, other: 0 };
  socket.on('station.answered', (answer) => {
    const sent = waiting.get(answer.stationId)?.shift();
    if (sent === undefined || answer.kind !== 'scan') return;
    latencies.push(performance.now() - sent);
    if (answer.outcome === 'ok') outcomes.ok++;
    else outcomes.other++;
  });
  // warm-up: one scan per station, not measured
  const scanOnce = async (stationId, n) => {
    const code = `L-${Number(stationId.slice(3))}-${n % 2 ? 'A' : 'B'}`;
    waiting.get(stationId).push(performance.now());
    await sim.scanners.get(stationId).scan(code);
  };
  // warm-up, not measured: the agent opens its serial devices after it connects, and a line
  // written before a port is open is not read; each station scans until it is answered
  const warmDeadline = Date.now() + 60_000;
  for (const s of stationIds) {
    for (let answered = false; !answered; ) {
      if (Date.now() > warmDeadline) throw new Error(`stations: ${s} never answered a warm-up scan`);
      waiting.get(s).length = 0;
      const before = latencies.length;
      await scanOnce(s, 0);
      for (let i = 0; i < 50 && latencies.length === before; i++) await sleep(20);
      answered = latencies.length > before;
    }
  }
  await sleep(1000);
  for (const w of waiting.values()) w.length = 0;
  latencies.length = 0;
  outcomes.ok = outcomes.other = 0;

  progress(`stations: ${STATIONS} stations scanning once a second for ${SECONDS} s`);
  const start = performance.now();
  await Promise.all(
    stationIds.map(async (stationId, i) => {
      // spread over the second, as stations scan independently
      await sleep((1000 / STATIONS) * i);
      for (let n = 1; n <= SECONDS; n++) {
        const due = start + (1000 / STATIONS) * i + (n - 1) * 1000;
        if (due > performance.now()) await sleep(due - performance.now());
        await scanOnce(stationId, n);
      }
    }),
  );
  const deadline = Date.now() + 30_000;
  while (latencies.length < STATIONS * SECONDS && Date.now() < deadline) await sleep(50);
  const sorted = [...latencies].sort((a, b) => a - b);
  figure('station_scans_answered', `${sorted.length}/${STATIONS * SECONDS}`, '', `${outcomes.ok} ok`);
  figure('station_scan_to_answer_p50_ms', Math.round(percentile(sorted, 50)), 'ms', 'pty bytes -> station.answered');
  figure(
    'station_scan_to_answer_p99_ms',
    Math.round(percentile(sorted, 99)),
    'ms',
    `${STATIONS} stations x 1 scan/s, target < 100`,
  );
}

// An ASN line's received quantity at the seller (issue 12 "Speed": visible < 1 s after the scan):
// a real edge agent reads the simulator's scanner pty at an overseas-warehouse station on the
// receive job of a released, arrived 9810 shipment; each GTIN written on the pty is timed until
// the seller's own socket (seller.changed, kind shipment) carries the line with the new received
// quantity. One scan at a time, so each figure is one scan's whole path: pty -> agent -> MQTT ->
// ingestion -> station job -> receiving + seller ledger -> commit -> socket.io to the seller room.
// Wired into npm run bench by the lead (benchAsn(ctx)); alone: node scripts/bench/seller-asn.js
// after a build (DATABASE_URL / MQTT_URL when set, else embedded ones). BENCH_ASN_SCANS: how many.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const root = resolve(import.meta.dirname, '../..');
const OW = 'OW-BENCH';
const ST = 'OWB01';
const AGENT = 'bench-asn-agent';
const gtinOf = (body) => {
  const digits = [...body].map(Number).reverse();
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
};
const GTIN = gtinOf('690000077001');

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
export async function benchAsn({ svc, figure, progress, startServer, freePort, cleanups, percentile }) {
  const SCANS = Number(process.env.BENCH_ASN_SCANS ?? 300);
  const { provision } = await import('../../server/dist/modules/devices/provisioning.js');
  const { createOrm } = await import('../../server/dist/platform/database/orm.js');
  const { startSimulator } = await import('../../hardware-sim/dist/simulator.js');
  const { CustomsAuthority } = await import('../../hardware-sim/dist/customs/customs-authority.js');
  const { EdgeAgent } = await import('../../edge-agent/dist/agent.js');
  const { agentConfigSchema } = await import('../../edge-agent/dist/config/agent-config.js');
  const { io } = await import('socket.io-client');
  const work = mkdtempSync(join(tmpdir(), 'wms-bench-asn-'));
  chmodSync(work, 0o755);

  const admin = new URL(svc.databaseUrl);
  const name = `wms_bench_asn_${process.pid}`;
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
  // the server connects as wms_app: where the cluster asks for passwords, give it its derived one
  const { appDatabaseUrl, ensureAppLogin } = await import('../../server/dist/platform/database/app-role.js');
  await ensureAppLogin(dbUrl.toString(), appDatabaseUrl({ DATABASE_URL: dbUrl.toString() }).url);
  const owner = new pg.Client({ connectionString: dbUrl.toString() });
  await owner.connect();
  await owner.query(`
    insert into enterprise (code, name, roles) values ('OWN-ASN', 'Bench exporter', '{owner,ebc}'),
      ('3105960001', 'Centre Operator', '{iac,agent}');
    insert into warehouse (code, name, kind, customs_code, port_code, loct_no, ems_no, operator_code, country) values
      ('BC-BENCH', 'Bench centre', 'bonded-centre', '5165', '5165', '5165W96', 'BENCHASN0001', '3105960001', 'CN');
    insert into warehouse (code, name, kind, country, time_zone, currency)
      values ('${OW}', 'Bench overseas', 'overseas', 'DE', 'Europe/Berlin', 'EUR');
    insert into zone (warehouse_code, code, kind) values ('${OW}', 'OW', 'non-bonded');
    insert into location (warehouse_code, code, zone_code, purpose) values ('${OW}', 'OW-DOCK', 'OW', 'dock');
    insert into goods (owner_code, sku, gtin, gcode, name, unit, declared_price, country, gross_grams)
      values ('OWN-ASN', 'ASN-SKU', '${GTIN}', '3304990010', 'Bench cream', '011', 1, '142', 100);
    -- the exporter's goods are bonded in the centre (its book line and shelf): a 9810 export takes them from there
    insert into zone (warehouse_code, code, kind) values ('BC-BENCH', 'BZ', 'bonded');
    insert into location (warehouse_code, code, zone_code, purpose) values ('BC-BENCH', 'BC-A-01', 'BZ', 'storage');
    insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit)
      values ('BENCHASN0001', 1, 'ASN-SKU', '3304990010', 'Bench cream', '011');
    insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location, customs_state, qty, doc_type, doc_no)
      values ('book', 'BC-BENCH', 'BENCHASN0001', 1, 'OWN-ASN', 'ASN-SKU', 'B1', '', 'bonded', 100000, 'entry-verification', 'QDASN1'),
             ('shelf', 'BC-BENCH', 'BENCHASN0001', 1, 'OWN-ASN', 'ASN-SKU', 'B1', 'BC-A-01', 'bonded', 100000, 'entry-verification', 'QDASN1')`);
  await owner.end();
  await provision(orm, {
    sellers: [{ sellerCode: 'S-ASN', name: 'Bench seller', ownerCodes: ['OWN-ASN'], warehouseCodes: [OW] }],
    users: [
      { username: 'bench', displayName: 'Bench', roles: ['supervisor', 'staff'], password: 'bench-password' },
      {
        username: 'bench-seller',
        displayName: 'Seller',
        roles: ['seller'],
        password: 'bench-password',
        sellerCode: 'S-ASN',
      },
    ],
    stations: [{ stationId: ST, name: 'Bench OW receiving' }],
    agents: [
      {
        agentId: AGENT,
        name: 'bench asn agent',
        secret: 'bench-asn-secret',
        devices: [{ deviceId: `${ST}-SCN`, stationId: ST, kind: 'scanner', name: 'scanner' }],
      },
    ],
  });
  await orm.close();

  const outbox = join(work, 'outbox');
  const inbox = join(work, 'inbox');
  const port = await freePort();
  await startServer({
    DATABASE_URL: dbUrl.toString(),
    MQTT_URL: svc.mqttUrl,
    MQTT_PROTOCOL_VERSION: String(svc.protocolVersion),
    MQTT_SHARE_GROUP: `benchasn${process.pid}`,
    INSTANCE_ID: `bench-asn-${process.pid}`,
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_FORMAT: 'json',
    CUSTOMS_OUTBOX_DIR: outbox,
    CUSTOMS_INBOX_DIR: inbox,
    CUSTOMS_POLL_MS: '100',
  });
  const authority = new CustomsAuthority({
    outbox,
    inbox,
    seed: 1,
    delays: { acceptMs: 0, decisionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  cleanups.push(() => authority.stop());
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
  const staff = await login('bench');
  const seller = await login('bench-seller');
  const api = async (token, method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    return answer;
  };

  progress(`asn: a ${SCANS}-unit ASN booked, declared under 9810, released, arrived at ${OW}`);
  const asn = await api(seller, 'POST', '/api/seller/shipments', {
    warehouseCode: OW,
    originWarehouseCode: 'BC-BENCH',
    cartons: [{ lines: [{ sku: 'ASN-SKU', qty: SCANS }] }],
  });
  const shipmentNo = asn.shipmentNo;
  await api(staff, 'POST', `/api/shipments/${shipmentNo}/declare`, { trafMode: '2', pod: 'DEHAM' });
  await authority.settle();
  for (let i = 0; ; i++) {
    if ((await api(seller, 'GET', `/api/seller/shipments/${shipmentNo}`)).customs?.released) break;
    if (i > 300) throw new Error('asn: customs did not release the bench shipment');
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const status of ['departed', 'in_transit', 'arrived'])
    await api(staff, 'POST', `/api/shipments/${shipmentNo}/status`, { status });
  await api(staff, 'PUT', `/api/floor/stations/${ST}/mode`, {
    job: 'receive',
    warehouseCode: OW,
    deliveryNo: shipmentNo,
  });

  const sim = await startSimulator({
    controlPort: 0,
    stations: [{ stationId: ST, devices: [{ kind: 'scanner', deviceId: `${ST}-SCN` }] }],
  });
  cleanups.push(() => sim.stop());
  const agent = new EdgeAgent(
    agentConfigSchema.parse({
      agentId: AGENT,
      secret: 'bench-asn-secret',
      mqttUrl: svc.mqttUrl,
      mqttProtocolVersion: svc.protocolVersion,
      outboxPath: join(work, 'agent-outbox.db'),
      ackTimeoutMs: 10_000,
      reconnectMaxMs: 1000,
      devices: [
        { kind: 'scanner', deviceId: `${ST}-SCN`, stationId: ST, serial: { path: sim.scanners.get(ST).agentPath } },
      ],
    }),
    () => undefined,
  );
  agent.start();
  cleanups.push(() => agent.stop());
  while (!agent.transport.connected) await new Promise((r) => setTimeout(r, 10));

  const socket = io(`${base}/live`, { auth: { token: seller }, transports: ['websocket'], reconnection: false });
  await new Promise((res, rej) => {
    socket.once('connect', res);
    socket.once('connect_error', rej);
  });
  cleanups.push(() => socket.close());
  /** received quantity -> when the seller heard it */
  const heard = new Map();
  socket.on('seller.changed', (change) => {
    const received =
      change?.kind === 'shipment' && change.ref === shipmentNo ? change.detail?.line?.received : undefined;
    if (typeof received === 'number' && !heard.has(received)) heard.set(received, performance.now());
  });
  const scanner = sim.scanners.get(ST);
  const waitHeard = (received, timeoutMs = 10_000) =>
    new Promise((res, rej) => {
      const deadline = performance.now() + timeoutMs;
      const check = () => {
        if (heard.has(received)) return res(heard.get(received));
        if (performance.now() > deadline) return rej(new Error(`asn: the seller never heard received = ${received}`));
        setImmediate(check);
      };
      check();
    });

  // warm-up: the first scans open connections and plan the statements
  const WARM = Math.min(10, Math.floor(SCANS / 10));
  const latencies = [];
  progress(`asn: ${SCANS} GTIN scans on the station pty, each timed to the seller's socket`);
  for (let k = 1; k <= SCANS; k++) {
    const t0 = performance.now();
    await scanner.scan(GTIN);
    const at = await waitHeard(k);
    if (k > WARM) latencies.push(at - t0);
  }
  latencies.sort((a, b) => a - b);
  const p = (q) => Number(percentile(latencies, q).toFixed(1));
  figure(
    'asn_scan_to_seller_p99_ms',
    p(99),
    'ms',
    `p50 ${p(50)} ms, max ${p(100)} ms; ${latencies.length} scans after ${WARM} warm-up, pty to the seller's socket (target < 1000)`,
  );
  const final = await api(seller, 'GET', `/api/seller/shipments/${shipmentNo}`);
  if (final.received !== SCANS) throw new Error(`asn: ${final.received} received, ${SCANS} scanned`);
  return { p50: p(50), p99: p(99) };
}

// ---------------------------------------------------------------- standalone
async function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}
const reachable = (port) =>
  new Promise((res) => {
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

async function standalone() {
  const cleanups = [];
  const work = mkdtempSync(join(tmpdir(), 'wms-bench-asn-svc-'));
  chmodSync(work, 0o755);
  try {
    let adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      const { startEmbeddedPostgres } = await import('../../server/dist/platform/database/embedded-postgres.js');
      const db = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port: await freePort() });
      cleanups.push(() => db.stop());
      adminUrl = db.adminUrl;
    }
    let mqttUrl = process.env.MQTT_URL;
    let protocolVersion = Number(process.env.MQTT_PROTOCOL_VERSION ?? 5);
    if (!mqttUrl) {
      const port = await freePort();
      const child = spawn(process.execPath, [join(root, 'server/dist/tools/mqtt-broker.js'), '--port', String(port)], {
        stdio: 'ignore',
      });
      cleanups.push(() => child.kill());
      while (!(await reachable(port))) await new Promise((r) => setTimeout(r, 50));
      mqttUrl = `mqtt://127.0.0.1:${port}`;
      protocolVersion = 4;
    }
    const startServer = (env) => {
      const child = spawn(process.execPath, [join(root, 'server/dist/main.js')], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
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
    };
    const figures = {};
    await benchAsn({
      svc: { databaseUrl: adminUrl, mqttUrl, protocolVersion },
      figure: (name, value, unit, note = '') => {
        figures[name] = value;
        console.log(`${name.padEnd(34)} ${String(value).padStart(12)} ${unit}${note ? `   ${note}` : ''}`);
      },
      progress: (text) => process.stderr.write(`  … ${text}\n`),
      startServer,
      freePort,
      cleanups,
      percentile: (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))],
    });
    console.log(JSON.stringify(figures));
  } finally {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  standalone().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );

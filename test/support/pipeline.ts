import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provision } from '../../server/src/modules/devices/provisioning.js';
import { createOrm } from '../../server/src/platform/database/orm.js';
import { isolatedEnv, type Proc, runNode } from './processes.js';
import { createTestDatabase, freePort, query, waitFor } from './services.js';

/**
 * The delivery chain as separate processes, for fault tests and benchmarks:
 * serial device server (this process) -> edge agent -> broker -> server(s) -> PostgreSQL.
 * The scanner is reached as a serial device server in raw TCP mode (`tcp://` port path), so the
 * test controls exactly which lines were sent and when.
 */
export interface Pipeline {
  databaseUrl: string;
  agentId: string;
  deviceId: string;
  stationId: string;
  outboxPath: string;
  /** Sends `CODE-<n>` lines for n in [from, to), `perSecond` lines per second. */
  scan(from: number, to: number, perSecond: number): Promise<void>;
  startServer(name?: string): Promise<Proc>;
  startAgent(): Promise<Proc>;
  servers: Map<string, Proc>;
  agent?: Proc;
  /** Rows stored for the device, in insertion order. */
  stored(): Promise<Array<{ code: string; seq: number; id: number }>>;
  close(): Promise<void>;
}

export async function createPipeline(options: {
  pgAdminUrl: string;
  mqttUrl: string;
  mqttProtocolVersion: 4 | 5;
}): Promise<Pipeline> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const agentId = `fault-agent-${suffix}`;
  const deviceId = `FAULT-SCN-${suffix}`;
  const stationId = `FAULT-ST-${suffix}`;
  const databaseUrl = await createTestDatabase(options.pgAdminUrl, 'wms_fault');
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  await orm.migrator.up();
  await provision(orm, {
    users: [],
    stations: [{ stationId, name: 'Fault station' }],
    agents: [
      {
        agentId,
        name: 'fault agent',
        secret: 'fault-agent-secret',
        devices: [{ deviceId, stationId, kind: 'scanner', name: 'fault scanner' }],
      },
    ],
  });
  await orm.close();

  // The "serial device server": every agent connection gets the lines written from then on.
  const sockets = new Set<Socket>();
  const serialServer: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
  });
  const serialPort = await freePort();
  await new Promise<void>((resolve) => serialServer.listen(serialPort, '127.0.0.1', resolve));

  const dir = mkdtempSync(join(tmpdir(), 'wms-pipeline-'));
  chmodSync(dir, 0o755);
  const outboxPath = join(dir, 'outbox.db');
  const agentConfig = join(dir, 'agent.json');
  writeFileSync(
    agentConfig,
    JSON.stringify({
      agentId,
      secret: 'fault-agent-secret',
      mqttUrl: options.mqttUrl,
      mqttProtocolVersion: options.mqttProtocolVersion,
      outboxPath,
      ackTimeoutMs: 2000,
      reconnectMaxMs: 500,
      devices: [{ kind: 'scanner', deviceId, stationId, serial: { path: `tcp://127.0.0.1:${serialPort}` } }],
    }),
  );

  const servers = new Map<string, Proc>();
  const pipeline: Pipeline = {
    databaseUrl,
    agentId,
    deviceId,
    stationId,
    outboxPath,
    servers,
    async scan(from, to, perSecond) {
      await waitFor('the agent to connect to the scanner', () => sockets.size > 0, 20_000, 20);
      const intervalMs = 1000 / perSecond;
      const start = Date.now();
      for (let n = from; n < to; n++) {
        const due = start + (n - from) * intervalMs;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const line = Buffer.from(`CODE-${String(n).padStart(6, '0')}\r\n`);
        for (const socket of sockets) socket.write(line);
      }
    },
    async startServer(name = `s${servers.size + 1}`) {
      const proc = runNode(
        'server/dist/main.js',
        [],
        isolatedEnv({
          DATABASE_URL: databaseUrl,
          MQTT_URL: options.mqttUrl,
          MQTT_PROTOCOL_VERSION: String(options.mqttProtocolVersion),
          MQTT_SHARE_GROUP: `fault-${suffix}`,
          INSTANCE_ID: `fault-${suffix}-${name}`,
          HTTP_PORT: String(await freePort()),
          HTTP_HOST: '127.0.0.1',
          JWT_SECRET: 'fault-test-secret-fault-test-secret-0000',
          LOG_FORMAT: 'json',
        }),
      );
      await waitFor(
        `server ${name} to listen`,
        () => {
          if (proc.child.exitCode !== null) throw new Error(`server ${name} exited:\n${proc.output()}`);
          return proc.output().includes('server listening');
        },
        60_000,
        50,
      );
      servers.set(name, proc);
      return proc;
    },
    async startAgent() {
      const proc = runNode('edge-agent/dist/main.js', ['--config', agentConfig], isolatedEnv({}));
      await waitFor(
        'the agent to connect to the broker',
        () => {
          if (proc.child.exitCode !== null) throw new Error(`agent exited:\n${proc.output()}`);
          return proc.output().includes('connected to broker');
        },
        30_000,
        50,
      );
      pipeline.agent = proc;
      return proc;
    },
    async stored() {
      const rows = await query<{ code: string; seq: string; id: string }>(
        databaseUrl,
        'select code, seq, id from scan_event where device_id = $1 order by id',
        [deviceId],
      );
      return rows.map((r) => ({ code: r.code, seq: Number(r.seq), id: Number(r.id) }));
    },
    async close() {
      await pipeline.agent?.stop();
      for (const proc of servers.values()) await proc.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => serialServer.close(r));
    },
  };
  return pipeline;
}

/**
 * The delivery guarantee, checked exactly: every code sent is stored once, per-device sequence
 * numbers run 1..N with no gap and no repeat, and rows were committed in sequence order.
 */
export function checkExactlyOnceInOrder(rows: Array<{ code: string; seq: number }>, expectedCodes: number) {
  const codes = rows.map((r) => r.code);
  const unique = new Set(codes);
  const seqs = rows.map((r) => r.seq);
  return {
    stored: rows.length,
    distinctCodes: unique.size,
    duplicates: rows.length - unique.size,
    missing: Array.from({ length: expectedCodes }, (_, n) => `CODE-${String(n).padStart(6, '0')}`).filter(
      (c) => !unique.has(c),
    ).length,
    seqContiguous: seqs.every((s, i) => s === i + 1),
    codesInOrder: codes.every((c, i) => i === 0 || c > codes[i - 1]),
  };
}

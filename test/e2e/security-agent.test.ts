import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HandheldAck, topics } from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Outbox } from '../../edge-agent/src/queue/outbox.js';
import { openVirtualSerial, type VirtualSerial } from '../../hardware-sim/src/pty/virtual-serial.js';
import { provision } from '../../server/src/modules/devices/provisioning.js';
import { createOrm } from '../../server/src/platform/database/orm.js';
import { startTestBroker, type TestBroker } from '../support/broker.js';
import { isolatedEnv, type Proc, runNode } from '../support/processes.js';
import { createTestDatabase, freePort, query, waitFor } from '../support/services.js';

/**
 * Poison events and lost reads, through the real edge agent (a separate process) reading a real
 * pseudo-terminal, a Mosquitto of this file's own, the real server process and PostgreSQL:
 *  - poison events reach the server (from an outbox an older agent wrote, and published straight
 *    on the agent's topic) and are rejected with their record; poison bytes on the scanner line
 *    and poison handheld reads are refused at the agent with a reason; later scans arrive in order;
 *  - reads written while the agent is stopped (cleanly, and across kill -9) are kept or counted;
 *  - after a server restart the unacknowledged batch is sent again at once, not after the timeout.
 */
const suffix = randomUUID().slice(0, 8);
const agentId = `sec-agent-${suffix}`;
const stationId = `SEC-ST-${suffix}`;
const scannerId = `SEC-SCN-${suffix}`;
const scaleId = `SEC-SCL-${suffix}`;
const handheldId = `SEC-HH-${suffix}`;

let broker: TestBroker;
let databaseUrl: string;
let pty: VirtualSerial;
let agentConfig: string;
let outboxPath: string;
let server: Proc | undefined;
let agent: Proc | undefined;
let client: MqttClient;
const handheldAcks: HandheldAck[] = [];

async function startServer(): Promise<Proc> {
  const proc = runNode(
    'server/dist/main.js',
    [],
    isolatedEnv({
      DATABASE_URL: databaseUrl,
      MQTT_URL: broker.url,
      MQTT_PROTOCOL_VERSION: String(broker.protocolVersion),
      MQTT_SHARE_GROUP: `sec-${suffix}`,
      INSTANCE_ID: `sec-${suffix}`,
      HTTP_PORT: String(await freePort()),
      HTTP_HOST: '127.0.0.1',
      JWT_SECRET: 'security-test-secret-security-test-0000',
      LOG_FORMAT: 'json',
    }),
  );
  await waitFor(
    'the server to listen',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
      return proc.output().includes('server listening');
    },
    60_000,
    50,
  );
  server = proc;
  return proc;
}

async function startAgent(): Promise<Proc> {
  const proc = runNode('edge-agent/dist/main.js', ['--config', agentConfig], isolatedEnv({}));
  await waitFor(
    'the agent to connect to the broker and open the scanner',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`agent exited:\n${proc.output()}`);
      return proc.output().includes('connected to broker') && proc.output().includes(`device ${scannerId} connected`);
    },
    30_000,
    50,
  );
  agent = proc;
  return proc;
}

const line = (text: string) => Buffer.from(`${text}\r\n`, 'latin1');

async function scans(prefix: string): Promise<Array<{ code: string; seq: number }>> {
  const rows = await query<{ code: string; seq: string }>(
    databaseUrl,
    'select code, seq from scan_event where device_id = $1 and code like $2 order by id',
    [scannerId, `${prefix}%`],
  );
  return rows.map((r) => ({ code: r.code, seq: Number(r.seq) }));
}

async function garbled(sinceId: number): Promise<Array<{ id: number; detail: string }>> {
  const rows = await query<{ id: string; detail: string }>(
    databaseUrl,
    "select id, detail from device_status_event where device_id = $1 and status = 'garbled' and id > $2 order by id",
    [scannerId, sinceId],
  );
  return rows.map((r) => ({ id: Number(r.id), detail: r.detail }));
}

async function lastGarbledId(): Promise<number> {
  const [row] = await query<{ id: string | null }>(
    databaseUrl,
    'select max(id) as id from device_status_event where device_id = $1',
    [scannerId],
  );
  return Number(row.id ?? 0);
}

function expectInOrder(rows: Array<{ code: string; seq: number }>) {
  for (let i = 1; i < rows.length; i++)
    expect(rows[i].seq, `seq after ${rows[i - 1].code}`).toBeGreaterThan(rows[i - 1].seq);
}

beforeAll(async () => {
  broker = await startTestBroker();
  databaseUrl = await createTestDatabase(inject('pgAdminUrl'), 'wms_security');
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  await orm.migrator.up();
  await provision(orm, {
    users: [],
    stations: [{ stationId, name: 'Security station' }],
    agents: [
      {
        agentId,
        name: 'security agent',
        secret: 'security-agent-secret',
        devices: [
          { deviceId: scannerId, stationId, kind: 'scanner', name: 'serial scanner' },
          { deviceId: scaleId, stationId, kind: 'scale', name: 'scale' },
          { deviceId: handheldId, stationId, kind: 'scanner', name: 'handheld' },
        ],
      },
    ],
  });
  await orm.close();

  pty = await openVirtualSerial({ name: 'security scanner' });
  const dir = mkdtempSync(join(tmpdir(), 'wms-security-agent-'));
  chmodSync(dir, 0o755);
  outboxPath = join(dir, 'outbox.db');
  agentConfig = join(dir, 'agent.json');
  writeFileSync(
    agentConfig,
    JSON.stringify({
      agentId,
      secret: 'security-agent-secret',
      mqttUrl: broker.url,
      mqttProtocolVersion: broker.protocolVersion,
      outboxPath,
      // long on purpose: a resend after a server restart must not wait for it
      ackTimeoutMs: 30_000,
      reconnectMaxMs: 500,
      devices: [
        { kind: 'scanner', deviceId: scannerId, stationId, serial: { path: pty.agentPath } },
        { kind: 'handheld', deviceId: handheldId, stationId },
      ],
    }),
  );

  client = await mqtt.connectAsync(broker.url, {
    clientId: `sec-test-${suffix}`,
    protocolVersion: broker.protocolVersion,
    clean: true,
  });
  client.on('message', (topic, payload) => {
    if (topic === topics.handheldAcks(agentId, handheldId)) handheldAcks.push(JSON.parse(payload.toString()));
  });
  await client.subscribeAsync(topics.handheldAcks(agentId, handheldId), { qos: 1 });
  await startServer();
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  await server?.stop();
  await client?.endAsync();
  await pty?.close();
  await broker?.stop();
});

describe('poison events through the real agent', () => {
  it('poison events in the outbox (as an older agent wrote them) are rejected with their records; the scans after them arrive', async () => {
    const base = { agentId, stationId, occurredAt: new Date().toISOString() };
    const scan = (code: string) => ({
      ...base,
      type: 'scan' as const,
      eventId: randomUUID(),
      deviceId: scannerId,
      raw: Buffer.from(code, 'latin1').toString('base64'),
      code,
      symbology: null,
    });
    const nul = scan('AB\u0000CD');
    const surrogate = scan('E3-\ud800');
    const tooHeavy = {
      ...base,
      type: 'weight' as const,
      eventId: randomUUID(),
      deviceId: scaleId,
      grossGrams: 2_147_483_648,
      tareGrams: 0,
      netGrams: 2_147_483_648,
      raw: Buffer.from('S S 2147483.648 kg').toString('base64'),
      protocol: 'mt-sics' as const,
    };
    const after = scan('OLD-GOOD-1');
    const outbox = new Outbox(outboxPath);
    outbox.append([nul, surrogate, tooHeavy, after]);
    outbox.close();

    await startAgent();
    await waitFor('the scan after the poison ones', async () => (await scans('OLD-GOOD-')).length === 1, 30_000);
    const records = await query<{ event_id: string; code: string; message: string; payload: string }>(
      databaseUrl,
      'select event_id, code, message, payload from rejected_event where event_id = any($1) order by id',
      [[nul.eventId, surrogate.eventId, tooHeavy.eventId]],
    );
    expect(records.map((r) => [r.event_id, r.code])).toEqual([
      [nul.eventId, 'INVALID_EVENT'],
      [surrogate.eventId, 'INVALID_EVENT'],
      [tooHeavy.eventId, 'INVALID_EVENT'],
    ]);
    expect(records[0].message).toMatch(/NUL/);
    expect(records[1].message).toMatch(/surrogate/);
    expect(records[2].message).toMatch(/grossGrams/);
    // each kept as it came: the poison characters escaped in JSON text, nothing lost
    expect(JSON.parse(records[0].payload).code).toBe('AB\u0000CD');
    expect(JSON.parse(records[1].payload).code).toBe('E3-\ud800');
    // and the agent forgot them (dead-lettered on its side): nothing holds its outbox back
    await waitFor('the agent to dead-letter the refusals', () =>
      /server refused an event; kept in the dead-letter table/.test(agent!.output()),
    );
  });

  it('poison bytes on the scanner line and poison handheld reads are refused at the agent; later reads arrive in order', async () => {
    const since = await lastGarbledId();
    await pty.write(
      Buffer.concat([line('LINE-1'), Buffer.from('AB\x00CD\r\n', 'latin1'), line(']C1'), line('LINE-2')]),
    );
    await pty.write(Buffer.concat([Buffer.from([0xff, 0xfe, 0x41, 0x0d, 0x0a]), line('LINE-3')]));

    const publish = (payload: string | Buffer) =>
      client.publishAsync(topics.handheldScans(agentId, handheldId), payload, { qos: 1 });
    await publish(JSON.stringify({ scanId: 'h-nul', code: 'H\u0000X' }));
    await publish('{"scanId":"h-surrogate","code":"H-\\ud800"}');
    await publish(JSON.stringify({ scanId: 'h-bell', code: 'H\u0007X' }));
    await publish(Buffer.from([0x00, 0xff, 0x7b, 0x80]));
    await publish(JSON.stringify({ scanId: 'h-good', code: 'LINE-HH-1' }));
    await pty.write(line('LINE-4'));

    await waitFor('the four good reads of the serial scanner', async () => (await scans('LINE-')).length === 4, 30_000);
    const serial = await scans('LINE-');
    expect(serial.map((r) => r.code)).toEqual(['LINE-1', 'LINE-2', 'LINE-3', 'LINE-4']);
    expectInOrder(serial);
    const noise = await garbled(since);
    expect(noise.map((g) => g.detail)).toEqual([
      expect.stringMatching(/^control byte 0x00 in a read: 5 bytes discarded; bytes: 4142004344$/),
      // an AIM prefix and nothing else: the server would refuse it, so it is a status, not a scan
      expect.stringMatching(/^not a code \(.+\): 3 bytes discarded; bytes: 5d4331$/),
      'not valid text (UTF-8): 3 bytes discarded; bytes: fffe41',
    ]);

    await waitFor('five handheld answers', () => handheldAcks.length >= 5, 20_000);
    const byId = (id: string | null) => handheldAcks.find((a) => a.scanId === id);
    expect(byId('h-nul')).toMatchObject({ status: 'refused', reason: expect.stringMatching(/NUL/) });
    expect(byId('h-surrogate')).toMatchObject({ status: 'refused', reason: expect.stringMatching(/surrogate/) });
    expect(byId('h-bell')).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/control character 0x07/),
    });
    expect(byId(null)).toMatchObject({ status: 'refused', reason: expect.stringMatching(/not a scan/) });
    expect(byId('h-good')).toMatchObject({ status: 'queued' });
    await waitFor(
      'the good handheld read',
      async () => (await query(databaseUrl, "select 1 from scan_event where code = 'LINE-HH-1'")).length === 1,
    );
  });

  it('shapes an agent cannot send, published straight on its topic, keep their rejection records; the agent goes on', async () => {
    const nonJson = Buffer.from('{"agentId":"x",\u0000 oops', 'utf8');
    const binary = Buffer.from([0xc3, 0x28, 0x00, 0xff, 0xfe, 0x01]);
    await client.publishAsync(topics.agentEvents(agentId), nonJson, { qos: 1 });
    await client.publishAsync(topics.agentEvents(agentId), binary, { qos: 1 });
    await pty.write(line('LINE-5'));
    await waitFor('the read after them', async () => (await scans('LINE-5')).length === 1, 20_000);
    const records = await query<{ code: string; payload: string }>(
      databaseUrl,
      "select code, payload from rejected_event where agent_id = $1 and event_id is null and code = 'MALFORMED_PAYLOAD' order by id",
      [agentId],
    );
    const kept = records.map((r) => Buffer.from(r.payload.replace(/^base64:/, ''), 'base64'));
    expect(kept.some((b) => b.equals(nonJson))).toBe(true);
    expect(kept.some((b) => b.equals(binary))).toBe(true);
  });
});

describe('reads sent while the agent was away', () => {
  it('keeps every read written while the agent was stopped cleanly', async () => {
    await agent!.stop();
    const since = await lastGarbledId();
    const codes = Array.from({ length: 200 }, (_, n) => `STOP-${String(n).padStart(4, '0')}`);
    await pty.write(Buffer.concat(codes.map(line)));
    const restarted = await startAgent();
    await waitFor('the 200 reads', async () => (await scans('STOP-')).length === 200, 60_000);
    const stored = await scans('STOP-');
    expect(stored.map((r) => r.code)).toEqual(codes);
    expectInOrder(stored);
    expect(await garbled(since)).toEqual([]);
    expect(restarted.output()).toMatch(/bytes waiting on the scanner line at open were kept/);
  });

  it('across kill -9 of the agent, every read is stored whole or counted in a discard event, and no fragment is a scan', async () => {
    const since = await lastGarbledId();
    const codes = Array.from({ length: 1500 }, (_, n) => `KILL-${String(n).padStart(5, '0')}`);
    const stream = Buffer.concat(codes.map(line));
    let written = 0;
    let writtenAtKill = -1;
    let writtenAtStart = -1;
    // pieces of 1..23 bytes, so the kill falls inside a read as often as between two
    const writer = (async () => {
      let seed = 17;
      while (written < stream.length) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const size = 1 + ((seed >> 16) % 23);
        await pty.write(stream.subarray(written, written + size));
        written += size;
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    await waitFor('some reads stored', async () => (await scans('KILL-')).length > 100, 30_000, 20);
    await agent!.stop('SIGKILL');
    writtenAtKill = written;
    await new Promise((r) => setTimeout(r, 700));
    await startAgent();
    writtenAtStart = written;
    await writer;
    await waitFor(
      'the stream to be stored or accounted for',
      async () => (await scans('KILL-')).at(-1)?.code === codes.at(-1),
      60_000,
    );
    const stored = await scans('KILL-');
    const known = new Set(codes);
    // no fragment: every scan is a whole read, once, in order
    for (const row of stored) expect(known.has(row.code), `stored ${row.code}`).toBe(true);
    expect(new Set(stored.map((r) => r.code)).size).toBe(stored.length);
    expect(stored.map((r) => r.code)).toEqual([...stored.map((r) => r.code)].sort());
    expectInOrder(stored);
    // reads written while the agent was dead were read at the next start, not flushed
    expect(writtenAtStart).toBeGreaterThan(writtenAtKill);
    const storedCodes = new Set(stored.map((r) => r.code));
    const deadWindow = codes.filter(
      (_, n) =>
        (n + 1) * line(codes[0]).length > writtenAtKill + 30 && (n + 1) * line(codes[0]).length < writtenAtStart - 30,
    );
    expect(deadWindow.length).toBeGreaterThan(0);
    for (const code of deadWindow)
      expect(storedCodes.has(code), `${code}, written while the agent was dead`).toBe(true);
    // each read not stored is accounted for by a discard event holding its tail
    const missing = codes.filter((c) => !storedCodes.has(c));
    const discards = (await garbled(since)).filter((g) => /partial line at port open/.test(g.detail));
    expect(
      missing.length,
      `not stored: ${missing.join(', ')}; discards: ${discards.map((d) => d.detail).join(' | ')}`,
    ).toBeLessThanOrEqual(discards.length);
    for (const code of missing) {
      const accounted = discards.some((d) => {
        const tail = Buffer.from(d.detail.split('bytes: ')[1] ?? '', 'hex').toString('latin1');
        return code.endsWith(tail);
      });
      expect(accounted, `${code} is neither stored nor counted`).toBe(true);
    }
  });
});

describe('server restart', () => {
  it('sends the unacknowledged batch again as soon as the server is back, not after the 30 s ack timeout', async () => {
    await server!.stop('SIGKILL');
    // sent while the server is away: the broker drops them with the server's clean session
    await pty.write(Buffer.concat(['BACK-1', 'BACK-2', 'BACK-3'].map(line)));
    await waitFor('the agent to queue them', () => /"code":"BACK-3"/.test(agent!.output()), 20_000);
    const before = agent!.output().length;
    await startServer();
    await waitFor('the reads sent while the server was away', async () => (await scans('BACK-')).length === 3, 25_000);
    const after = agent!.output().slice(before);
    // the resend came from the server's presence, not from the timeout
    expect(after).toMatch(/server is back; sending unacknowledged events again/);
    expect(agent!.output()).not.toMatch(/server did not confirm in time/);
    expect((await scans('BACK-')).map((r) => r.code)).toEqual(['BACK-1', 'BACK-2', 'BACK-3']);
  });
});

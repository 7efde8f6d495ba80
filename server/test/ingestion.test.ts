import { randomUUID } from 'node:crypto';
import { type Ack, topics } from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, query, waitFor } from '../../test/support/services.js';
import { type ServerApp, startServer } from '../src/app.factory.js';
import { DevicesService } from '../src/modules/devices/devices.service.js';
import { hashPassword } from '../src/platform/auth/password.js';
import { UsersRepository } from '../src/platform/auth/users.repository.js';
import { loadConfig } from '../src/platform/config/app-config.js';

// The ingestion path on the real stack: a real PostgreSQL and a real MQTT broker, the server in
// this process, and an MQTT client standing in for the agent's transport.
const suffix = randomUUID().slice(0, 8);
const agentId = `agent-${suffix}`;
const deviceId = `SCN-${suffix}`;
const stationId = `ST-${suffix}`;

let server: ServerApp;
let databaseUrl: string;
let agent: MqttClient;
const acks: Ack[] = [];

function scan(code: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'scan',
    eventId: randomUUID(),
    agentId,
    deviceId,
    stationId,
    seq: 1,
    occurredAt: new Date().toISOString(),
    raw: Buffer.from(code).toString('base64'),
    code,
    symbology: null,
    ...overrides,
  };
}

async function send(payload: unknown): Promise<Ack> {
  const before = acks.length;
  await agent.publishAsync(
    topics.agentEvents(agentId),
    typeof payload === 'string' ? payload : JSON.stringify(payload),
    { qos: 1 },
  );
  return waitFor('an ack from the server', () => acks[before], 15_000, 20);
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    MQTT_URL: inject('mqttUrl'),
    MQTT_PROTOCOL_VERSION: String(inject('mqttProtocolVersion')),
    MQTT_SHARE_GROUP: `test-${suffix}`,
    INSTANCE_ID: `test-${suffix}`,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    LOG_FORMAT: 'json',
  });
  server = await startServer(config, { migrate: true });
  await server.app.get(DevicesService).registerAgent({
    agentId,
    name: 'test agent',
    secret: 'agent-secret',
    stations: [{ stationId, name: 'Test station' }],
    devices: [{ deviceId, stationId, kind: 'scanner', name: 'test scanner' }],
  });
  await server.app.get(UsersRepository).upsert({
    username: `staff-${suffix}`,
    displayName: 'Staff',
    roles: ['staff'],
    passwordHash: await hashPassword('pw-staff'),
  });
  agent = await mqtt.connectAsync(inject('mqttUrl'), {
    clientId: `test-agent-${suffix}`,
    protocolVersion: inject('mqttProtocolVersion'),
    clean: true,
  });
  agent.on('message', (_topic, payload) => acks.push(JSON.parse(payload.toString())));
  await agent.subscribeAsync(topics.agentAcks(agentId), { qos: 1 });
});

afterAll(async () => {
  await agent?.endAsync();
  await server?.close();
});

describe('scan ingestion', () => {
  it('stores each scan with device, station, raw bytes, decoded value and time, then acknowledges it', async () => {
    const first = scan('4006381333931', { seq: 1 });
    const gs1 = scan('0104006381333931\u001d10LOT7', {
      seq: 2,
      symbology: ']C1',
      raw: Buffer.from(']C10104006381333931\u001d10LOT7').toString('base64'),
    });
    const ack = await send({ agentId, sentAt: new Date().toISOString(), events: [first, gs1] });
    expect(ack.committed).toEqual([first.eventId, gs1.eventId]);
    expect(ack.rejected).toEqual([]);
    const rows = await query<{
      event_id: string;
      device_id: string;
      station_id: string;
      raw: Buffer;
      code: string;
      symbology: string | null;
      seq: string;
    }>(databaseUrl, 'select event_id, device_id, station_id, raw, code, symbology, seq from scan_event order by seq');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      event_id: first.eventId,
      device_id: deviceId,
      station_id: stationId,
      code: '4006381333931',
      symbology: null,
    });
    expect(rows[1].raw.toString('latin1')).toBe(']C10104006381333931\u001d10LOT7');
    expect(rows[1].symbology).toBe(']C1');
  });

  it('applies a resent event once and still acknowledges it', async () => {
    const event = scan('DUP-1', { seq: 3 });
    await send({ agentId, sentAt: new Date().toISOString(), events: [event] });
    const again = await send({ agentId, sentAt: new Date().toISOString(), events: [event, event] });
    expect(again.committed).toContain(event.eventId);
    const [{ n }] = await query<{ n: string }>(
      databaseUrl,
      'select count(*) as n from scan_event where event_id = $1',
      [event.eventId],
    );
    expect(Number(n)).toBe(1);
  });

  it('stores the scan of an event id written in upper case, not only its receipt', async () => {
    const event = scan('UPPER-1', { seq: 5, eventId: randomUUID().toUpperCase() });
    const ack = await send({ agentId, sentAt: new Date().toISOString(), events: [event] });
    expect(ack.committed).toEqual([event.eventId]);
    const rows = await query<{ code: string }>(databaseUrl, 'select code from scan_event where event_id = $1', [
      event.eventId,
    ]);
    expect(rows).toEqual([{ code: 'UPPER-1' }]);
  });

  it('refuses an unknown device with a reason, keeps it, and still commits the good event beside it', async () => {
    const good = scan('GOOD-1', { seq: 4 });
    const stranger = scan('STRANGER-1', { deviceId: 'NO-SUCH-DEVICE' });
    const ack = await send({ agentId, sentAt: new Date().toISOString(), events: [stranger, good] });
    expect(ack.committed).toEqual([good.eventId]);
    expect(ack.rejected).toEqual([
      expect.objectContaining({
        eventId: stranger.eventId,
        code: 'UNKNOWN_DEVICE',
        message: expect.stringContaining('device NO-SUCH-DEVICE is not registered'),
      }),
    ]);
    const kept = await query<{ code: string; payload: string }>(
      databaseUrl,
      'select code, payload from rejected_event where event_id = $1',
      [stranger.eventId],
    );
    expect(kept[0].code).toBe('UNKNOWN_DEVICE');
    expect(JSON.parse(kept[0].payload).code).toBe('STRANGER-1');
  });

  it('answers a malformed MQTT payload with an error, keeps the bytes, and keeps running', async () => {
    const ack = await send('{"agentId": "oops", this is not json');
    expect(ack.error).toMatch(/not JSON/);
    const invalid = scan('X', { seq: -5, occurredAt: 'yesterday' });
    const invalidAck = await send({ agentId, sentAt: new Date().toISOString(), events: [invalid] });
    expect(invalidAck.rejected[0]).toMatchObject({ eventId: invalid.eventId, code: 'INVALID_EVENT' });
    expect(invalidAck.rejected[0].message).toMatch(/seq/);
    const stored = await query<{ code: string }>(
      databaseUrl,
      "select code from rejected_event where code in ('MALFORMED_PAYLOAD', 'INVALID_EVENT')",
    );
    expect(stored.map((r) => r.code).sort()).toEqual(['INVALID_EVENT', 'MALFORMED_PAYLOAD']);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { status: 'up' }, broker: { status: 'up' } });
  });
});

describe('HTTP API', () => {
  it('refuses a bad login, an invalid body and malformed JSON with clear errors', async () => {
    const post = (body: string) =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const wrong = await post(JSON.stringify({ username: `staff-${suffix}`, password: 'nope' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      code: 'AUTH_INVALID_CREDENTIALS',
      message: 'Wrong username or password. Check both and try again.',
    });
    const extra = await post(JSON.stringify({ username: 'a', password: 'b', admin: true }));
    expect(extra.status).toBe(400);
    expect(await extra.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('admin') });
    const garbled = await post('{"username":');
    expect(garbled.status).toBe(400);
    expect((await garbled.json()).code).toBe('MALFORMED_JSON');
    const noToken = await fetch(`${server.url}/api/scans`);
    expect(noToken.status).toBe(401);
    expect((await noToken.json()).code).toBe('AUTH_REQUIRED');
  });

  it('lists the latest scans and pushes new ones to a watching socket', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `staff-${suffix}`, password: 'pw-staff' }),
    });
    expect(login.status).toBe(200);
    const { accessToken, user } = await login.json();
    expect(user.roles).toEqual(['staff']);

    const latest = await fetch(`${server.url}/api/scans?stationId=${stationId}&limit=2`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(latest.status).toBe(200);
    expect((await latest.json()).items).toHaveLength(2);

    const socket: Socket = io(`${server.url}/live`, { auth: { token: accessToken }, transports: ['websocket'] });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const watching = await socket.emitWithAck('station.watch', { stationId });
      expect(watching).toEqual({ ok: true, stationId });
      const received = new Promise((resolve) => socket.once('scan.recorded', resolve));
      const live = scan('LIVE-1', { seq: 9 });
      await send({ agentId, sentAt: new Date().toISOString(), events: [live] });
      expect(await received).toMatchObject({ eventId: live.eventId, code: 'LIVE-1', stationId, deviceId });
    } finally {
      socket.close();
    }

    const badSocket = io(`${server.url}/live`, { auth: { token: 'forged' }, transports: ['websocket'] });
    const error = await new Promise<Error & { data?: unknown }>((resolve) => badSocket.once('connect_error', resolve));
    expect(error.message).toBe('Your session has expired or is not valid: sign in again.');
    expect(error.data).toEqual({ code: 'AUTH_TOKEN_INVALID' });
    badSocket.close();
  });
});

import { randomUUID } from 'node:crypto';
import { type Ack, MAX_AGENT_MESSAGE_BYTES, topics } from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../../test/support/broker.js';
import { createTestDatabase, query, waitFor } from '../../../test/support/services.js';
import { type ServerApp, startServer } from '../../src/app.factory.js';
import { DevicesService } from '../../src/modules/devices/devices.service.js';
import { loadConfig } from '../../src/platform/config/app-config.js';

// Poison events on the real stack (PostgreSQL, MQTT broker, the server in this process): each one
// sits beside a good event in one batch; the good one must be stored, the bad one refused with its
// record, and both named in the ack, so the agent forgets both and its outbox moves on.
const suffix = randomUUID().slice(0, 8);
const agentId = `poison-${suffix}`;
const scannerId = `SCN-${suffix}`;
const scaleId = `SCL-${suffix}`;
const stationId = `ST-${suffix}`;

let broker: TestBroker;
let server: ServerApp;
let databaseUrl: string;
let agent: MqttClient;
const acks: Ack[] = [];
let seq = 0;

function scan(code: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'scan',
    eventId: randomUUID(),
    agentId,
    deviceId: scannerId,
    stationId,
    seq: ++seq,
    occurredAt: new Date().toISOString(),
    raw: Buffer.from(code).toString('base64'),
    code,
    symbology: null,
    ...overrides,
  };
}

function weight(grossGrams: number, overrides: Record<string, unknown> = {}) {
  return {
    type: 'weight',
    eventId: randomUUID(),
    agentId,
    deviceId: scaleId,
    stationId,
    seq: ++seq,
    occurredAt: new Date().toISOString(),
    grossGrams,
    tareGrams: 0,
    netGrams: grossGrams,
    raw: Buffer.from('S S 1.000 kg').toString('base64'),
    protocol: 'mt-sics',
    ...overrides,
  };
}

async function send(payload: string | Buffer): Promise<Ack> {
  const before = acks.length;
  await agent.publishAsync(topics.agentEvents(agentId), payload, { qos: 1 });
  return waitFor('an ack from the server', () => acks[before], 20_000, 20);
}

const batch = (...events: unknown[]) => JSON.stringify({ agentId, sentAt: new Date().toISOString(), events });

async function rejectedRecord(eventId: string) {
  return query<{ code: string; message: string; payload: string }>(
    databaseUrl,
    'select code, message, payload from rejected_event where event_id = $1',
    [eventId],
  );
}

async function storedScans(eventIds: string[]) {
  return query<{ code: string }>(databaseUrl, 'select code from scan_event where event_id = any($1::uuid[])', [
    eventIds,
  ]);
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
  // A broker of this file's own: servers of other test runs on a shared broker would answer too.
  broker = await startTestBroker();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    MQTT_URL: broker.url,
    MQTT_PROTOCOL_VERSION: String(broker.protocolVersion),
    MQTT_SHARE_GROUP: `poison-${suffix}`,
    INSTANCE_ID: `poison-${suffix}`,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    LOG_FORMAT: 'json',
  });
  server = await startServer(config, { migrate: true });
  await server.app.get(DevicesService).registerAgent({
    agentId,
    name: 'poison agent',
    secret: 'agent-secret',
    stations: [{ stationId, name: 'Poison station' }],
    devices: [
      { deviceId: scannerId, stationId, kind: 'scanner', name: 'scanner' },
      { deviceId: scaleId, stationId, kind: 'scale', name: 'scale' },
    ],
  });
  agent = await mqtt.connectAsync(broker.url, {
    clientId: `poison-agent-${suffix}`,
    protocolVersion: broker.protocolVersion,
    clean: true,
  });
  agent.on('message', (_topic, payload) => acks.push(JSON.parse(payload.toString())));
  await agent.subscribeAsync(topics.agentAcks(agentId), { qos: 1 });
});

afterAll(async () => {
  await agent?.endAsync();
  await server?.close();
  await broker?.stop();
});

describe('one poison event beside a good one', () => {
  const poisons: Array<[string, () => Record<string, unknown>, RegExp]> = [
    ['a NUL in a scanned code', () => scan('AB\u0000CD'), /code: .*NUL/],
    ['a lone surrogate in a scanned code', () => scan('AB\ud800CD'), /code: .*surrogate/],
    [
      'a lone surrogate in a device-status detail',
      () => ({
        ...scan('x'),
        type: 'device-status',
        raw: undefined,
        code: undefined,
        symbology: undefined,
        status: 'garbled',
        detail: 'tail \udc00',
      }),
      /detail: .*surrogate/,
    ],
    ['grossGrams of 2147483648 (over int32)', () => weight(2_147_483_648), /grossGrams/],
    ['a seq beyond 2^53', () => scan('BIGSEQ', { seq: 2 ** 53 + 2 }), /seq/],
  ];

  for (const [name, make, reason] of poisons) {
    it(`${name}: the good event is stored, the poison one kept as rejected, the ack names both`, async () => {
      const good = scan(`GOOD-${seq + 1}`);
      const poison = JSON.parse(JSON.stringify(make()));
      const ack = await send(batch(poison, good));
      expect(ack.committed).toEqual([good.eventId]);
      expect(ack.rejected).toEqual([
        expect.objectContaining({
          eventId: poison.eventId,
          code: 'INVALID_EVENT',
          message: expect.stringMatching(reason),
        }),
      ]);
      expect(await storedScans([good.eventId, poison.eventId])).toEqual([{ code: good.code }]);
      const [record] = await rejectedRecord(poison.eventId);
      expect(record.code).toBe('INVALID_EVENT');
      // the event as it came, JSON text with the poison escaped: nothing lost
      expect(JSON.parse(record.payload)).toEqual(poison);
    });
  }

  it('a value only the database refuses (year 0000): event by event, the good one is stored, the bad one STORE_FAILED', async () => {
    const before = scan('BEFORE-DB-FAIL');
    const bad = scan('YEAR-ZERO', { occurredAt: '0000-01-01T00:00:00Z' });
    const after = scan('AFTER-DB-FAIL');
    const ack = await send(batch(before, bad, after));
    expect(ack.committed).toEqual([before.eventId, after.eventId]);
    expect(ack.rejected).toEqual([
      expect.objectContaining({
        eventId: bad.eventId,
        code: 'STORE_FAILED',
        message: expect.stringContaining('date/time field value out of range'),
      }),
    ]);
    expect((await storedScans([before.eventId, bad.eventId, after.eventId])).map((r) => r.code).sort()).toEqual([
      'AFTER-DB-FAIL',
      'BEFORE-DB-FAIL',
    ]);
    const [record] = await rejectedRecord(bad.eventId);
    expect(record.code).toBe('STORE_FAILED');
    expect(JSON.parse(record.payload)).toMatchObject({ eventId: bad.eventId, code: 'YEAR-ZERO' });
  });
});

describe('messages that are not batches keep their rejection record', () => {
  async function lastMessageRecord() {
    const [row] = await query<{ code: string; message: string; payload: string }>(
      databaseUrl,
      'select code, message, payload from rejected_event where event_id is null and agent_id = $1 order by id desc limit 1',
      [agentId],
    );
    return row;
  }

  it('a non-JSON payload containing 0x00: refused, its exact bytes kept as base64', async () => {
    const bytes = Buffer.from('{"agentId":\u0000 "x" oops', 'utf8');
    const ack = await send(bytes);
    expect(ack.error).toMatch(/not JSON/);
    const record = await lastMessageRecord();
    expect(record.code).toBe('MALFORMED_PAYLOAD');
    expect(record.payload.startsWith('base64:')).toBe(true);
    expect(Buffer.from(record.payload.slice(7), 'base64').equals(bytes)).toBe(true);
  });

  it('a binary payload (not UTF-8): refused, its exact bytes kept as base64', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0xc3, 0x28, 0x7b, 0x22]);
    const ack = await send(bytes);
    expect(ack.error).toMatch(/not JSON \(it is not UTF-8 text\)/);
    const record = await lastMessageRecord();
    expect(record.code).toBe('MALFORMED_PAYLOAD');
    expect(Buffer.from(record.payload.slice(7), 'base64').equals(bytes)).toBe(true);
  });

  it('a message over the size limit is refused unread, with its record', async () => {
    const good = scan('BIG');
    const huge = batch({ ...good, padding: 'x'.repeat(MAX_AGENT_MESSAGE_BYTES) });
    const ack = await send(huge);
    expect(ack.error).toMatch(/over the 4194304-byte limit/);
    const record = await lastMessageRecord();
    expect(record.code).toBe('PAYLOAD_TOO_LARGE');
    expect(record.payload.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('after all of it, a good batch is still stored and acknowledged', async () => {
    const good = scan('STILL-FINE');
    const ack = await send(batch(good));
    expect(ack).toEqual({ committed: [good.eventId], rejected: [] });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

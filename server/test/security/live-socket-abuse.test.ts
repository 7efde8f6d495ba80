import { ClientToServer } from '@wms/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLive, startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { MAX_WATCHED_STATIONS } from '../../src/modules/realtime/realtime.gateway.js';

// The live socket takes only what a screen sends: a bounded number of station rooms, small
// control messages, well-formed payloads. Anything else is answered or closes that one socket;
// the server and the other screens carry on.
let t: TestServer;
let token: string;

beforeAll(async () => {
  t = await startTestServer('live_abuse');
  token = await t.signIn('watcher', ['staff']);
});
afterAll(async () => {
  await t?.close();
});

const connect = () => connectLive(t.server.url, token);

const watch = (socket: Socket, body: unknown) =>
  socket.timeout(5000).emitWithAck(ClientToServer.watchStation, body) as Promise<{
    ok: boolean;
    code?: string;
    message?: string;
  }>;

describe('live socket abuse', () => {
  it('refuses more station rooms than a screen needs, and still takes one it already watches', async () => {
    const socket = await connect();
    try {
      for (let i = 0; i < MAX_WATCHED_STATIONS; i++)
        expect((await watch(socket, { stationId: `S${i}` })).ok).toBe(true);
      const refused = await watch(socket, { stationId: 'ONE-TOO-MANY' });
      expect(refused).toMatchObject({ ok: false, code: 'TOO_MANY_STATIONS' });
      expect(refused.message).toMatch(/unwatch one first/);
      expect((await watch(socket, { stationId: 'S0' })).ok).toBe(true);
      await socket.timeout(5000).emitWithAck(ClientToServer.unwatchStation, { stationId: 'S0' });
      expect((await watch(socket, { stationId: 'ONE-TOO-MANY' })).ok).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('answers malformed watch messages with what to send', async () => {
    const socket = await connect();
    try {
      for (const body of [
        null,
        'S1',
        42,
        { stationId: 'a/b' },
        { stationId: 'x\u0000' },
        { stationId: 'S1', extra: 1 },
      ]) {
        const answer = await watch(socket, body);
        expect(answer, JSON.stringify(body)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      }
      expect(socket.connected).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('closes a socket that sends an oversized message, and the server stays up for the others', async () => {
    const bystander = await connect();
    const flooder = await connect();
    try {
      const closed = new Promise<string>((resolve) => flooder.once('disconnect', (reason) => resolve(reason)));
      flooder.emit(ClientToServer.watchStation, { stationId: 'S1', pad: 'x'.repeat(200_000) });
      expect(await closed).toMatch(/transport/);
      expect((await watch(bystander, { stationId: 'S1' })).ok).toBe(true);
      expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
    } finally {
      bystander.close();
      flooder.close();
    }
  });
});

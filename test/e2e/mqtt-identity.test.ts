import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision } from '../../server/src/modules/devices/provisioning.js';
import { createOrm } from '../../server/src/platform/database/orm.js';
import { type DynsecMosquitto, startDynsecMosquitto } from '../support/broker.js';
import { type DevStackSummary, loginAs, startDevStack } from '../support/dev-stack.js';
import type { Proc } from '../support/processes.js';
import { query, waitFor } from '../support/services.js';

/**
 * Device identity on the broker (issue 10), against the whole stack of `npm start` — the real
 * agent, the simulated printer and handheld, PostgreSQL — once on the embedded aedes broker and
 * once on a Mosquitto run with deploy/mosquitto/mosquitto.conf (dynamic security): a holder of an
 * agent's or a handheld's secret gets exactly its own topics, its own client id, and loses the
 * broker when its secret is rotated or revoked.
 */

type Kind = 'aedes' | 'mosquitto';

interface Login {
  username: string;
  password: string;
  clientId: string;
}

/** A refusal is the CONNACK code (3.1.1: 4 bad login, 5 not authorised; MQTT 5: 0x86, 0x87). */
async function connect(
  url: string,
  version: 4 | 5,
  login: Login,
): Promise<{ client: MqttClient; refused: null } | { client: null; refused: number }> {
  try {
    const client = await mqtt.connectAsync(url, {
      ...login,
      protocolVersion: version,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    return { client, refused: null };
  } catch (error) {
    return { client: null, refused: Number((error as { code?: number }).code ?? -1) };
  }
}

/** Accepted (PUBACK ok) or refused: MQTT 5 answers "not authorised", 3.1.1 brokers close the connection. */
function tryPublish(client: MqttClient, topic: string, payload: string): Promise<'accepted' | 'refused'> {
  return new Promise((resolve) => {
    const closed = () => resolve('refused');
    client.once('close', closed);
    client
      .publishAsync(topic, payload, { qos: 1 })
      .then(
        () => resolve(client.connected ? 'accepted' : 'refused'),
        () => resolve('refused'),
      )
      .finally(() => client.off('close', closed));
  });
}

/** SUBACK 0x80 (refused) comes back from mqtt.js as an error. */
async function trySubscribe(client: MqttClient, filter: string): Promise<'granted' | 'refused'> {
  try {
    const granted = await client.subscribeAsync(filter, { qos: 1 });
    return granted.every((g) => g.qos < 128) ? 'granted' : 'refused';
  } catch {
    return 'refused';
  }
}

function identitySuite(kind: Kind) {
  const dataDir = mkdtempSync(join(tmpdir(), `wms-identity-${kind}-`));
  chmodSync(dataDir, 0o755);
  let stack: Proc;
  let s: DevStackSummary & { mqttUrl: string };
  let mosquitto: DynsecMosquitto | undefined;
  let secrets: { agentSecret: string; handheldSecret: string };
  let staff: string;
  let admin: string;
  let agent02Secret: string;
  let agent03Secret: string;
  const version: 4 | 5 = kind === 'aedes' ? 4 : 5;
  const open: MqttClient[] = [];
  const login = async (l: Login) => {
    const result = await connect(s.mqttUrl, version, l);
    if (result.client) open.push(result.client);
    return result;
  };
  const agent01 = (clientId = 'agent-agent-01'): Login => ({
    username: 'agent-01',
    password: secrets.agentSecret,
    clientId,
  });
  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(new URL(path, s.uiUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const labels = async () =>
    (await (await fetch(new URL('/stations/ST01/printer/labels', s.simControlUrl))).json()).labels as Array<{
      jobId: string;
    }>;

  /** A second agent of our own making, to be attacked with agent-01's secret. */
  async function fakeAgent02(password = agent02Secret) {
    const result = await login({ username: 'agent-02', password, clientId: 'agent-agent-02' });
    if (!result.client) throw new Error(`agent-02 could not log in (${result.refused})`);
    const client = result.client;
    const received: Array<{ topic: string; payload: string }> = [];
    let closed = 0;
    client.on('close', () => closed++);
    client.on('message', (topic, payload) => {
      received.push({ topic, payload: payload.toString() });
      if (topic !== topics.agentCommands('agent-02')) return;
      const command = JSON.parse(payload.toString());
      void client.publishAsync(
        topics.agentCommandReplies('agent-02'),
        JSON.stringify({
          commandId: command.commandId,
          deviceId: command.deviceId,
          status: 'done',
          result: { fake: true },
          at: new Date().toISOString(),
        }),
        { qos: 1 },
      );
    });
    await client.subscribeAsync([topics.agentCommands('agent-02'), topics.agentAcks('agent-02')], { qos: 1 });
    return { client, received, closed: () => closed };
  }

  beforeAll(async () => {
    let env: Record<string, string> = {};
    if (kind === 'mosquitto') {
      mosquitto = await startDynsecMosquitto();
      env = {
        MQTT_URL: mosquitto.url,
        MQTT_PROTOCOL_VERSION: '5',
        MQTT_USERNAME: mosquitto.serviceUsername,
        MQTT_PASSWORD: mosquitto.servicePassword,
        MQTT_BROKER_ACCOUNTS: 'dynsec',
      };
    }
    const started = await startDevStack(dataDir, env);
    stack = started.proc;
    s = started.summary as DevStackSummary & { mqttUrl: string };
    secrets = JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8'));
    staff = await loginAs(s, 'staff');
    admin = await loginAs(s, 'admin');
    // agent-02 with one printer at ST02, registered as a site would; its secret comes from the API
    const orm = await createOrm({ databaseUrl: s.databaseUrl, poolMax: 1 });
    try {
      await provision(orm, {
        users: [],
        stations: [{ stationId: 'ST02', name: 'Station 2' }],
        agents: [
          {
            agentId: 'agent-02',
            name: 'Station ST02 agent',
            secret: randomUUID(),
            devices: [{ deviceId: 'ST02-PRINTER', stationId: 'ST02', kind: 'printer', name: 'Printer at ST02' }],
          },
          { agentId: 'agent-03', name: 'A third agent', secret: randomUUID(), devices: [] },
        ],
      });
    } finally {
      await orm.close();
    }
    const issued = await api('POST', '/api/agents/agent-02/secret', admin);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body).toMatchObject({ agentId: 'agent-02', username: 'agent-02', clientId: 'agent-agent-02' });
    agent02Secret = issued.body.secret;
    agent03Secret = (await api('POST', '/api/agents/agent-03/secret', admin)).body.secret;
  }, 180_000);

  afterAll(async () => {
    for (const client of open) await client.endAsync(true).catch(() => undefined);
    await stack?.stop();
    await mosquitto?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an agent secret cannot send a command: the real agent never runs it, and the server still can', async () => {
    const forged = {
      type: 'print',
      commandId: randomUUID(),
      deviceId: 'ST01-PRINTER',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      jobId: 'FORGED-1',
      zpl: '^XA^FO50,50^A0N,40^FDforged^FS^XZ',
    };
    // the only client id agent-01's secret may use; publishing at once, before the agent takes it back
    const attacker = await login(agent01());
    expect(attacker.refused).toBeNull();
    expect(await tryPublish(attacker.client!, topics.agentCommands('agent-01'), JSON.stringify(forged))).toBe(
      'refused',
    );
    await attacker.client!.endAsync(true);
    for (const topic of [topics.agentAcks('agent-01'), 'wms/v1/server/presence']) {
      const again = await login(agent01());
      expect(await tryPublish(again.client!, topic, '{"committed":[],"rejected":[]}'), topic).toBe('refused');
      await again.client!.endAsync(true);
    }

    // the agent was pushed off by the attacker's takeover of its client id: send until it is back
    let attempt = 0;
    const real = await waitFor(
      'the real agent to print a label the server sends',
      async () => {
        const sent = await api('POST', '/api/devices/ST01-PRINTER/commands', staff, {
          type: 'print',
          jobId: `REAL-${kind}-${++attempt}`,
          zpl: '^XA^FO50,50^A0N,40^FDreal^FS^XZ',
        });
        return sent.body.status === 'done' ? sent.body : null;
      },
      60_000,
      500,
    );
    expect(real).toMatchObject({ type: 'print', status: 'done' });
    const printed = (await labels()).map((l) => l.jobId);
    expect(printed).toContain(real.jobId);
    expect(printed).not.toContain('FORGED-1');
    // every label that came out was sent by the server, with its device_command row
    const rows = await query<{ job_id: string }>(s.databaseUrl, 'select job_id from device_command');
    const logged = rows.map((r) => r.job_id);
    expect(logged).not.toContain('FORGED-1');
    for (const jobId of printed) expect(logged).toContain(jobId);
  });

  it("an agent secret can neither publish on nor read another agent's topics", async () => {
    const agent02 = await fakeAgent02();
    // agent-03's own secret and client id: nothing else competes for that session
    const as03 = async () => {
      const result = await login({ username: 'agent-03', password: agent03Secret, clientId: 'agent-agent-03' });
      if (!result.client) throw new Error(`agent-03 could not log in (${result.refused})`);
      return result.client;
    };
    const listener = await as03();
    const stolen: string[] = [];
    listener.on('message', (topic) => stolen.push(topic));
    for (const filter of [
      topics.agentCommands('agent-02'),
      topics.agentCommands('agent-01'),
      topics.agentAcks('agent-02'),
      'wms/v1/agents/+/commands',
      'wms/v1/agents/agent-02/#',
      '#',
    ])
      expect(await trySubscribe(listener, filter), filter).toBe('refused');
    // its own commands it may read: the check is not "refuse everything"
    expect(await trySubscribe(listener, topics.agentCommands('agent-03'))).toBe('granted');

    const forged = JSON.stringify({
      type: 'printer-status',
      commandId: randomUUID(),
      deviceId: 'ST02-PRINTER',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    for (const topic of [
      topics.agentCommands('agent-02'),
      topics.agentAcks('agent-02'),
      topics.agentEvents('agent-01'),
      topics.agentPresence('agent-01'),
      topics.agentCommandReplies('agent-02'),
    ]) {
      const attacker = await as03();
      expect(await tryPublish(attacker, topic, forged), topic).toBe('refused');
      await attacker.endAsync(true);
    }
    const own = await as03();
    expect(await tryPublish(own, topics.agentPresence('agent-03'), '{"state":"online"}')).toBe('accepted');
    await own.endAsync(true);

    // what the server sends agent-02 reaches agent-02 and nobody else
    const answered = await api('POST', '/api/devices/ST02-PRINTER/commands', staff, { type: 'printer-status' });
    expect(answered.body).toMatchObject({ status: 'done', result: { fake: true } });
    expect(agent02.received.map((m) => m.topic)).toEqual([topics.agentCommands('agent-02')]);
    expect(JSON.parse(agent02.received[0].payload)).toMatchObject({ type: 'printer-status', deviceId: 'ST02-PRINTER' });
    expect(stolen).toEqual([]);
    await agent02.client.endAsync(true);
    await listener.endAsync(true);
  });

  it("a client id that is not the login's own is refused: nobody kicks the server or another agent off", async () => {
    const agent02 = await fakeAgent02();
    const asServer = await login(agent01('wms-dev'));
    const asOther = await login(agent01('agent-agent-02'));
    const asAnything = await login(agent01(`x-${randomUUID().slice(0, 8)}`));
    const notAuthorised = version === 5 ? 135 : 5;
    expect([asServer.refused, asOther.refused, asAnything.refused]).toEqual([
      notAuthorised,
      notAuthorised,
      notAuthorised,
    ]);
    expect(agent02.closed()).toBe(0);
    expect(agent02.client.connected).toBe(true);
    // the server's own client is still on the broker: a command still goes out and comes back
    const answered = await api('POST', '/api/devices/ST02-PRINTER/commands', staff, { type: 'printer-status' });
    expect(answered.body).toMatchObject({ status: 'done' });
    await agent02.client.endAsync(true);
  });

  it("a handheld's credentials publish its own scans and nothing of its agent's", async () => {
    const handheld: Login = {
      username: 'handheld/ST01-HANDHELD',
      password: secrets.handheldSecret,
      clientId: 'handheld-ST01-HANDHELD',
    };
    const forgedScan = {
      agentId: 'agent-01',
      sentAt: new Date().toISOString(),
      events: [
        {
          eventId: randomUUID(),
          agentId: 'agent-01',
          deviceId: 'ST01-SCANNER',
          stationId: 'ST01',
          seq: 9_000_000,
          occurredAt: new Date().toISOString(),
          type: 'scan',
          raw: Buffer.from('FORGED-SCAN').toString('base64'),
          code: 'FORGED-SCAN',
          symbology: null,
        },
      ],
    };
    for (const topic of [topics.agentEvents('agent-01'), topics.agentCommands('agent-01')]) {
      const attempt = await login(handheld);
      expect(attempt.refused).toBeNull();
      expect(await tryPublish(attempt.client!, topic, JSON.stringify(forgedScan)), topic).toBe('refused');
      await attempt.client?.endAsync(true);
    }
    const withAgentName = await login({ ...handheld, username: 'agent-01' });
    expect(withAgentName.refused).not.toBeNull();

    // the simulated handheld, logged in as itself, still gets its scans stored
    const ack = await waitFor(
      'the handheld scan to be stored',
      async () => {
        const res = await fetch(new URL('/stations/ST01/handheld/scan', s.simControlUrl), {
          method: 'POST',
          body: JSON.stringify({ code: `HH-${kind}` }),
        });
        const body = await res.json();
        return body.status === 'queued' ? body : null;
      },
      20_000,
      500,
    );
    expect(ack).toMatchObject({ status: 'queued' });
    await waitFor(
      'the handheld scan in PostgreSQL',
      async () => (await query(s.databaseUrl, 'select 1 from scan_event where code = $1', [`HH-${kind}`])).length === 1,
      20_000,
    );
    expect(await query(s.databaseUrl, "select 1 from scan_event where code = 'FORGED-SCAN'")).toEqual([]);
  });

  it('a revoked agent secret is disconnected and refused; a rotated one works and the old one does not', async () => {
    const agent02 = await fakeAgent02();
    const revoked = await api('POST', '/api/agents/agent-02/secret/revoke', admin, { reason: 'test' });
    expect(revoked).toMatchObject({ status: 200, body: { agentId: 'agent-02', revoked: true } });
    await waitFor('the revoked session to be closed', async () => agent02.closed() > 0, 10_000);
    expect(
      (await login({ username: 'agent-02', password: agent02Secret, clientId: 'agent-agent-02' })).refused,
    ).not.toBe(null);
    expect((await api('POST', '/api/agents/agent-02/secret/revoke', staff)).status).toBe(403);

    const rotated = await api('POST', '/api/agents/agent-02/secret', admin);
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(agent02Secret);
    expect(
      (await login({ username: 'agent-02', password: agent02Secret, clientId: 'agent-agent-02' })).refused,
    ).not.toBe(null);
    const withNew = await fakeAgent02(fresh);
    const again = await api('POST', '/api/agents/agent-02/secret', admin);
    await waitFor('the session of the replaced secret to be closed', async () => withNew.closed() > 0, 10_000);
    agent02Secret = again.body.secret;
    const latest = await fakeAgent02();
    expect(latest.client.connected).toBe(true);
    await latest.client.endAsync(true);
    expect((await api('POST', '/api/agents/no-such-agent/secret', admin)).status).toBe(404);
    expect((await api('POST', '/api/agents/agent-02/secret', admin, { unknown: 1 })).status).toBe(400);
  });

  it("a handheld's secret is rotated and revoked on its own, without touching its agent", async () => {
    const handheld = (password: string): Login => ({
      username: 'handheld/ST01-HANDHELD',
      password,
      clientId: 'handheld-ST01-HANDHELD',
    });
    const rotated = await api('POST', '/api/devices/ST01-HANDHELD/secret', admin, { reason: 'lost terminal' });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body).toMatchObject({
      deviceId: 'ST01-HANDHELD',
      agentId: 'agent-01',
      username: 'handheld/ST01-HANDHELD',
      clientId: 'handheld-ST01-HANDHELD',
    });
    expect((await login(handheld(secrets.handheldSecret))).refused).not.toBeNull();
    const withNew = await login(handheld(rotated.body.secret));
    expect(withNew.refused).toBeNull();
    let closed = 0;
    withNew.client!.on('close', () => closed++);
    expect((await api('POST', '/api/devices/ST01-HANDHELD/secret/revoke', admin)).status).toBe(200);
    await waitFor('the revoked handheld session to be closed', async () => closed > 0, 10_000);
    expect((await login(handheld(rotated.body.secret))).refused).not.toBeNull();
    // a printer never logs in to the broker itself
    expect((await api('POST', '/api/devices/ST01-PRINTER/secret', admin)).status).toBe(400);
    // the agent is untouched: it still prints what the server sends
    const printed = await api('POST', '/api/devices/ST01-PRINTER/commands', staff, {
      type: 'print',
      jobId: `AFTER-HH-${kind}`,
      zpl: '^XA^FO50,50^A0N,40^FDok^FS^XZ',
    });
    expect(printed.body).toMatchObject({ status: 'done' });
  });

  it('a message over 4 MB closes the connection; the broker goes on', async () => {
    const as03 = async () =>
      (await login({ username: 'agent-03', password: agent03Secret, clientId: 'agent-agent-03' })).client!;
    const big = await as03();
    expect(await tryPublish(big, topics.agentPresence('agent-03'), 'x'.repeat(5 * 1024 * 1024))).toBe('refused');
    const small = await as03();
    expect(await tryPublish(small, topics.agentPresence('agent-03'), '{"state":"online"}')).toBe('accepted');
    await small.endAsync(true);
  });

  if (kind === 'aedes') {
    it('after too many bad passwords even the right one is refused for a while (embedded broker)', async () => {
      for (let i = 0; i < 5; i++) {
        const wrong = await login({ username: 'agent-02', password: `wrong-${i}`, clientId: 'agent-agent-02' });
        expect(wrong.refused).toBe(4);
      }
      const right = await login({ username: 'agent-02', password: agent02Secret, clientId: 'agent-agent-02' });
      expect(right.refused).toBe(4);
      // another login from the same address is not locked out by agent-02's failures
      const other = await login(agent01());
      expect(other.refused).toBeNull();
    });
  }
}

describe('MQTT device identity on the embedded aedes broker', () => identitySuite('aedes'));
describe('MQTT device identity on Mosquitto with dynamic security (deploy/mosquitto)', () =>
  identitySuite('mosquitto'));

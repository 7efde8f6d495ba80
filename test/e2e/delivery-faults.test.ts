import { afterEach, describe, expect, inject, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';
import { checkExactlyOnceInOrder, createPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/services.js';

// Faults mid-stream, each counted exactly: every scan that entered the agent's outbox is in
// PostgreSQL exactly once, in per-device order. Real processes, a real broker of the test's own
// (Mosquitto when installed, else aedes), a real PostgreSQL.

let broker: TestBroker | undefined;
let pipeline: Pipeline | undefined;

async function setUp() {
  broker = await startTestBroker();
  pipeline = await createPipeline({
    pgAdminUrl: inject('pgAdminUrl'),
    mqttUrl: broker.url,
    mqttProtocolVersion: broker.protocolVersion,
  });
  return { broker, pipeline };
}

async function allStored(p: Pipeline, count: number, timeoutMs = 90_000) {
  await waitFor(`${count} scans in PostgreSQL`, async () => (await p.stored()).length >= count, timeoutMs, 200);
  // a moment more, so a late duplicate would show
  await new Promise((r) => setTimeout(r, 500));
  return p.stored();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  await pipeline?.close();
  await broker?.stop();
  pipeline = undefined;
  broker = undefined;
});

describe('delivery under faults', () => {
  it('survives kill -9 of the server mid-stream', async () => {
    const { pipeline: p } = await setUp();
    const server = await p.startServer();
    await p.startAgent();
    const stream = p.scan(0, 1500, 300);
    await sleep(2000);
    await server.stop('SIGKILL');
    await sleep(1500);
    await p.startServer('s1-again');
    await stream;
    const result = checkExactlyOnceInOrder(await allStored(p, 1500), 1500);
    expect(result).toEqual({
      stored: 1500,
      distinctCodes: 1500,
      duplicates: 0,
      missing: 0,
      seqContiguous: true,
      codesInOrder: true,
    });
  });

  it('survives the broker being killed and restarted mid-stream', async () => {
    const { pipeline: p, broker: b } = await setUp();
    await p.startServer();
    await p.startAgent();
    const stream = p.scan(0, 1500, 300);
    await sleep(2000);
    await b.kill();
    await sleep(1500);
    await b.start();
    await stream;
    const result = checkExactlyOnceInOrder(await allStored(p, 1500), 1500);
    expect(result).toEqual({
      stored: 1500,
      distinctCodes: 1500,
      duplicates: 0,
      missing: 0,
      seqContiguous: true,
      codesInOrder: true,
    });
  });

  it('keeps scanning through a minute without a broker, then delivers the backlog', async () => {
    const { pipeline: p, broker: b } = await setUp();
    await p.startServer();
    await p.startAgent();
    await p.scan(0, 200, 200);
    await b.stop();
    // A minute of scanning with the broker gone: the station keeps working on its outbox.
    await p.scan(200, 1400, 20);
    expect((await p.stored()).length).toBeLessThanOrEqual(200);
    await b.start();
    await p.scan(1400, 1500, 200);
    const result = checkExactlyOnceInOrder(await allStored(p, 1500), 1500);
    expect(result).toEqual({
      stored: 1500,
      distinctCodes: 1500,
      duplicates: 0,
      missing: 0,
      seqContiguous: true,
      codesInOrder: true,
    });
    // a minute offline by design, then the backlog: more than the default two minutes on a busy machine
  }, 300_000);

  it('survives kill -9 of the agent: what entered the outbox is delivered once', async () => {
    const { pipeline: p } = await setUp();
    await p.startServer();
    const agent = await p.startAgent();
    const stream = p.scan(0, 1000, 400);
    await sleep(1500);
    await agent.stop('SIGKILL');
    await stream; // lines sent while the agent is dead reach no one: they never entered an outbox
    // Pipes to a child are written synchronously on Linux: every "queued" line printed is here.
    const queued = [...agent.output().matchAll(/"msg":"queued".*?"code":"(CODE-\d+)"/g)].map((m) => m[1]);
    expect(queued.length).toBeGreaterThan(100);
    await p.startAgent();
    await p.scan(2000, 2200, 400);
    await waitFor(
      'the queued scans and the new ones',
      async () => {
        const codes = new Set((await p.stored()).map((r) => r.code));
        return queued.every((c) => codes.has(c)) && codes.has('CODE-002199');
      },
      60_000,
      200,
    );
    const rows = await p.stored();
    const codes = rows.map((r) => r.code);
    expect(codes.length).toBe(new Set(codes).size);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    for (const code of queued) expect(codes).toContain(code);
  });

  it('shares the load between two server instances with nothing processed twice', async () => {
    const { pipeline: p } = await setUp();
    await p.startServer('a');
    const b = await p.startServer('b');
    await p.startAgent();
    const stream = p.scan(0, 2000, 400);
    await sleep(2500);
    await b.stop('SIGKILL'); // and one of them dies mid-stream
    await stream;
    const result = checkExactlyOnceInOrder(await allStored(p, 2000), 2000);
    expect(result).toEqual({
      stored: 2000,
      distinctCodes: 2000,
      duplicates: 0,
      missing: 0,
      seqContiguous: true,
      codesInOrder: true,
    });
  });
});

#!/usr/bin/env node
// `fill <outbox> <N>` queues N events; `run <outbox>` then starts a real edge agent on that outbox
// (broker unreachable, so the backlog stays) and reports that process's resident memory. Two
// processes, so the memory used for filling is not counted against the agent.
import { randomUUID } from 'node:crypto';
import { EdgeAgent } from '../edge-agent/dist/agent.js';
import { Outbox } from '../edge-agent/dist/queue/outbox.js';

const [mode, path, countText] = process.argv.slice(2);
if (mode === 'fill') {
  const count = Number(countText);
  const filler = new Outbox(path);
  for (let i = 0; i < count; i += 5000) {
    filler.append(
      Array.from({ length: Math.min(5000, count - i) }, (_, j) => ({
        type: 'scan',
        eventId: randomUUID(),
        agentId: 'rss',
        deviceId: 'RSS',
        stationId: 'RSS',
        occurredAt: new Date().toISOString(),
        raw: Buffer.from(`RSS${i + j}`).toString('base64'),
        code: `RSS${i + j}`,
        symbology: null,
      })),
    );
    if (i % 200_000 === 0) process.stderr.write(`  … ${i} / ${count} queued\n`);
  }
  filler.close();
  process.exit(0);
}
const agent = new EdgeAgent(
  {
    agentId: 'rss',
    mqttUrl: 'mqtt://127.0.0.1:9',
    mqttProtocolVersion: 4,
    outboxPath: path,
    batchSize: 500,
    ackTimeoutMs: 5000,
    reconnectMaxMs: 1000,
    devices: [],
  },
  () => undefined,
);
agent.start();
await new Promise((r) => setTimeout(r, 3000));
const pending = agent.outbox.stats().pending;
const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
await agent.stop();
console.log(JSON.stringify({ rssMb, pending }));
process.exit(0);

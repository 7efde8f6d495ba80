#!/usr/bin/env node
import { createServer } from 'node:http';
import { EdgeAgent } from './agent.js';
import { AgentConfigError, loadAgentConfig } from './config/agent-config.js';

// Usage: node edge-agent/dist/main.js [--config agent.json]   (or AGENT_CONFIG=agent.json)
const flag = process.argv.indexOf('--config');
const configPath = flag >= 0 ? process.argv[flag + 1] : process.env.AGENT_CONFIG;

// If whoever reads our output goes away (a closed pipe), logging stops; the agent does not. Without
// this, every failed write would raise an error whose logging fails again, in a tight loop.
let logSinkOpen = true;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => {
    logSinkOpen = false;
  });
}

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) {
  if (!logSinkOpen) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === 'info') console.log(line);
  else console.error(line);
}

let agent: EdgeAgent;
try {
  const config = loadAgentConfig(configPath);
  agent = new EdgeAgent(config, log);
  agent.on('queued', (event) =>
    log('info', 'queued', {
      deviceId: event.deviceId,
      seq: event.seq,
      type: event.type,
      ...(event.type === 'scan' ? { code: event.code } : {}),
    }),
  );
  agent.start();
  log('info', 'edge agent started', {
    agentId: config.agentId,
    broker: config.mqttUrl.replace(/\/\/[^@/]*@/, '//***@'),
    devices: config.devices.map((d) => d.deviceId),
    backlog: agent.outbox.stats().pending,
  });
  // Optional local endpoint (AGENT_HEALTH_PORT): GET /health for orchestration (offline is still
  // healthy: the outbox keeps everything), GET /dead-letters, and GET /feedback, a server-sent
  // event stream a station screen can follow for immediate local feedback, even with no network.
  const healthPort = Number(process.env.AGENT_HEALTH_PORT ?? 0);
  if (healthPort) {
    const feeds = new Set<import('node:http').ServerResponse>();
    agent.on('queued', (event) => {
      const data = `event: queued\ndata: ${JSON.stringify(event)}\n\n`;
      for (const feed of feeds) feed.write(data);
    });
    agent.on('delivered', (delivery) => {
      const data = `event: delivered\ndata: ${JSON.stringify(delivery)}\n\n`;
      for (const feed of feeds) feed.write(data);
    });
    createServer((request, response) => {
      if (request.url === '/feedback') {
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        response.write(': connected\n\n');
        feeds.add(response);
        request.on('close', () => feeds.delete(response));
        return;
      }
      const body =
        request.url === '/health'
          ? agent.health()
          : request.url === '/dead-letters'
            ? agent.outbox.deadLetters()
            : null;
      response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body ?? { error: 'try GET /health, /dead-letters or /feedback' }));
    }).listen(healthPort, process.env.AGENT_HEALTH_HOST ?? '127.0.0.1');
  }
} catch (error) {
  console.error(
    error instanceof AgentConfigError
      ? error.message
      : `edge agent failed to start: ${(error as Error).stack ?? error}`,
  );
  process.exit(1);
}

// Nothing a device or the network does may take the agent down: log and carry on.
process.on('uncaughtException', (error) =>
  log('error', 'unexpected error (agent keeps running)', { error: error.stack ?? String(error) }),
);
process.on('unhandledRejection', (reason) =>
  log('error', 'unexpected rejection (agent keeps running)', { error: String(reason) }),
);

// Started by `npm start` (WMS_EXIT_WITH_PARENT=1): leave with it, even if it was killed outright.
if (process.env.WMS_EXIT_WITH_PARENT === '1') {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void agent.stop().finally(() => process.exit(0));
  }, 1000).unref();
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    agent.stop().finally(() => process.exit(0));
  });
}

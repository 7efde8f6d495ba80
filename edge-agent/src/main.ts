#!/usr/bin/env node
import { createServer } from 'node:http';
import { EdgeAgent } from './agent.js';
import { AgentConfigError, loadAgentConfig } from './config/agent-config.js';

// Usage: node edge-agent/dist/main.js [--config agent.json]   (or AGENT_CONFIG=agent.json)
const flag = process.argv.indexOf('--config');
const configPath = flag >= 0 ? process.argv[flag + 1] : process.env.AGENT_CONFIG;

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === 'info') console.log(line);
  else console.error(line);
}

let agent: EdgeAgent;
try {
  const config = loadAgentConfig(configPath);
  agent = new EdgeAgent(config, log);
  agent.on('queued', (event) => log('info', 'queued', { deviceId: event.deviceId, seq: event.seq, type: event.type, ...(event.type === 'scan' ? { code: event.code } : {}) }));
  agent.start();
  log('info', 'edge agent started', { agentId: config.agentId, broker: config.mqttUrl.replace(/\/\/[^@/]*@/, '//***@'), devices: config.devices.map((d) => d.deviceId), backlog: agent.outbox.stats().pending });
  // Optional health endpoint for container orchestration: 200 while the agent runs (offline is
  // still healthy: the outbox keeps everything), with the backlog and device states.
  const healthPort = Number(process.env.AGENT_HEALTH_PORT ?? 0);
  if (healthPort) {
    createServer((request, response) => {
      const ok = request.url === '/health';
      response.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(ok ? agent.health() : { error: 'GET /health' }));
    }).listen(healthPort, '0.0.0.0');
  }
} catch (error) {
  console.error(error instanceof AgentConfigError ? error.message : `edge agent failed to start: ${(error as Error).stack ?? error}`);
  process.exit(1);
}

// Nothing a device or the network does may take the agent down: log and carry on.
process.on('uncaughtException', (error) => log('error', 'unexpected error (agent keeps running)', { error: error.stack ?? String(error) }));
process.on('unhandledRejection', (reason) => log('error', 'unexpected rejection (agent keeps running)', { error: String(reason) }));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    agent.stop().finally(() => process.exit(0));
  });
}

#!/usr/bin/env node
// A standalone MQTT 3.1.1 broker (aedes) for machines without Mosquitto:
//   node server/dist/tools/mqtt-broker.js --port 1884 [--host 127.0.0.1]
// Anonymous: for development, tests and benchmarks only. Production uses Mosquitto (docker-compose.yml).
import { startEmbeddedBroker } from '../platform/mqtt/embedded-broker.js';

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const port = Number(arg('port', '1884'));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a TCP port number, got ${arg('port', '')}`);
  process.exit(2);
}
const broker = await startEmbeddedBroker({ port, host: arg('host', '127.0.0.1') });
console.log(JSON.stringify({ msg: 'mqtt broker listening', url: `mqtt://127.0.0.1:${broker.port}` }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void broker.close().finally(() => process.exit(0)));
}

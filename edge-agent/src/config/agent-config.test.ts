import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigError, loadAgentConfig } from './agent-config.js';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'agent-config-')), 'agent.json');
  writeFileSync(path, content);
  return path;
}

describe('loadAgentConfig', () => {
  it('fills defaults and lets the environment override the file', () => {
    const path = file(
      JSON.stringify({
        agentId: 'agent-01',
        mqttUrl: 'mqtt://127.0.0.1:1884',
        outboxPath: '/tmp/outbox.db',
        devices: [{ kind: 'scanner', deviceId: 'SCN-1', stationId: 'ST01', serial: { path: '/dev/ttyUSB0' } }],
      }),
    );
    const config = loadAgentConfig(path, { MQTT_URL: 'mqtt://broker:1883', AGENT_SECRET: 's3cret' });
    expect(config.mqttUrl).toBe('mqtt://broker:1883');
    expect(config.secret).toBe('s3cret');
    expect(config.devices[0]).toMatchObject({
      serial: { baudRate: 9600, dataBits: 8, parity: 'none' },
      duplicateWindowMs: 0,
    });
    expect(config.ackTimeoutMs).toBe(5000);
  });

  it('names each problem, including unknown fields', () => {
    const path = file(
      JSON.stringify({ agentId: 'bad id', mqttUrl: 'http://x', outboxPath: '/tmp/o.db', colour: 'red' }),
    );
    expect(() => loadAgentConfig(path, {})).toThrowError(AgentConfigError);
    try {
      loadAgentConfig(path, {});
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('agentId');
      expect(message).toContain('mqttUrl: must be an mqtt:// URL');
      expect(message).toMatch(/colour/);
    }
  });

  it('reports unreadable JSON with the file name', () => {
    const path = file('{ not json');
    expect(() => loadAgentConfig(path, {})).toThrowError(/not valid JSON/);
  });
});

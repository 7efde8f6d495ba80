import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/src/platform/database/embedded-postgres.js';
import { startEmbeddedBroker } from '../../server/src/platform/mqtt/embedded-broker.js';
import { freePort, postgresReachable, tcpReachable } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance-database URL of the PostgreSQL the tests use; each test file creates its own database. */
    pgAdminUrl: string;
    /** Broker the tests use, and whether it speaks MQTT 5 (Mosquitto) or only 3.1.1 (embedded aedes). */
    mqttUrl: string;
    mqttProtocolVersion: 4 | 5;
    services: string;
  }
}

/**
 * Real services for the integration tests: TEST_DATABASE_URL / MQTT_URL when given; else the
 * PostgreSQL and Mosquitto on this machine's standard ports when they answer; else an embedded
 * PostgreSQL and an in-process broker, so `npm test` passes with nothing installed.
 */
export default async function setup(project: TestProject) {
  const cleanups: Array<() => Promise<unknown>> = [];
  const notes: string[] = [];

  let pgAdminUrl = process.env.TEST_DATABASE_URL ?? '';
  if (!pgAdminUrl && (await postgresReachable('postgres://postgres@127.0.0.1:5432/postgres'))) {
    pgAdminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
  }
  if (pgAdminUrl) {
    notes.push(`PostgreSQL ${pgAdminUrl.replace(/:[^:@/]*@/, ':***@')}`);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'wms-test-pg-'));
    // PostgreSQL runs as its own user when we are root: it must be able to enter the folder.
    chmodSync(dir, 0o755);
    const db = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort() });
    cleanups.push(async () => {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    pgAdminUrl = db.adminUrl;
    notes.push('PostgreSQL embedded');
  }

  let mqttUrl = process.env.MQTT_URL ?? '';
  let mqttProtocolVersion: 4 | 5 = Number(process.env.MQTT_PROTOCOL_VERSION ?? 5) === 4 ? 4 : 5;
  if (!mqttUrl && (await tcpReachable('127.0.0.1', 1883))) mqttUrl = 'mqtt://127.0.0.1:1883';
  if (mqttUrl) {
    notes.push(`MQTT ${mqttUrl} (v${mqttProtocolVersion})`);
  } else {
    const broker = await startEmbeddedBroker({ port: await freePort() });
    cleanups.push(() => broker.close());
    mqttUrl = `mqtt://127.0.0.1:${broker.port}`;
    mqttProtocolVersion = 4;
    notes.push('MQTT embedded (aedes, v4)');
  }

  console.log(`integration tests use: ${notes.join(', ')}`);
  project.provide('pgAdminUrl', pgAdminUrl);
  project.provide('mqttUrl', mqttUrl);
  project.provide('mqttProtocolVersion', mqttProtocolVersion);
  project.provide('services', notes.join(', '));

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}

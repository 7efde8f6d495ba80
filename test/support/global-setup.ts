import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/src/platform/database/embedded-postgres.js';
import { startEmbeddedBroker } from '../../server/src/platform/mqtt/embedded-broker.js';
import { freePort, postgresReachable, tcpReachable, testRunMark } from './services.js';

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
    // Each test file makes its own database on this server; the run's teardown drops them, so a
    // machine that runs the suite again and again (CI) does not fill up. Workers inherit the mark.
    const run = randomUUID().slice(0, 8);
    process.env.WMS_TEST_RUN = run;
    const adminUrl = pgAdminUrl;
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ datname: string }>(
          `select d.datname from pg_database d join pg_shdescription s on s.objoid = d.oid
           and s.classoid = 'pg_database'::regclass where s.description = $1`,
          [testRunMark(run)],
        );
        for (const { datname } of rows)
          await client.query(`drop database if exists ${client.escapeIdentifier(datname)} with (force)`);
      } finally {
        await client.end();
      }
    });
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

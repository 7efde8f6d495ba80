import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, type Proc, runNode } from './processes.js';
import { freePort, waitFor } from './services.js';

/** What `npm start` writes to <data dir>/dev-stack.json (the parts tests use). */
export interface DevStackSummary {
  uiUrl: string;
  healthUrl: string;
  databaseUrl: string;
  simControlUrl: string;
  scanners: Array<{ stationId: string; deviceId: string; agentPath: string; injectPath: string }>;
  logins: Array<{ username: string; password: string }>;
}

/**
 * Runs the real `npm start` entry point with nothing external (embedded PostgreSQL, in-process
 * broker) on free ports, and waits until it says it is running.
 */
export async function startDevStack(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ proc: Proc; summary: DevStackSummary }> {
  const summaryFile = join(dataDir, 'dev-stack.json');
  rmSync(summaryFile, { force: true });
  const proc = runNode(
    'server/dist/dev/dev-stack.js',
    [],
    isolatedEnv({
      DEV_DATA_DIR: dataDir,
      HTTP_PORT: String(await freePort()),
      MQTT_EMBEDDED_PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      SIM_CONTROL_PORT: String(await freePort()),
      SIM_PRINTER_PORT: String(await freePort()),
      ...env,
    }),
  );
  await waitFor(
    'the dev stack to print what runs where',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`dev stack exited:\n${proc.output()}`);
      return existsSync(summaryFile) && proc.output().includes('Bonded WMS is running');
    },
    120_000,
    200,
  );
  return { proc, summary: JSON.parse(readFileSync(summaryFile, 'utf8')) };
}

/** Signs in through the API and returns the bearer token. */
export async function loginAs(summary: DevStackSummary, username: string): Promise<string> {
  const password = summary.logins.find((l) => l.username === username)?.password;
  if (!password) throw new Error(`no demo login named ${username}`);
  const response = await fetch(new URL('/api/auth/login', summary.uiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`login as ${username} failed: ${response.status} ${await response.text()}`);
  return (await response.json()).accessToken;
}

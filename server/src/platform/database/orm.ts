import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrationsList } from '@wms/migrations';
import { entities } from './entities.js';
import { scopeOptions } from './sql.js';

export const ORM = Symbol('ORM');

export interface OrmOptions {
  databaseUrl: string;
  poolMax?: number;
}

/**
 * `?host=/var/run/postgresql` (libpq's way of naming a Unix socket directory) is honoured: a
 * PostgreSQL on the same machine is cheaper to reach over its socket than over loopback TCP.
 */
function connectionOf(databaseUrl: string): { clientUrl: string; host?: string } {
  const url = new URL(databaseUrl);
  const socketDir = url.searchParams.get('host');
  if (!socketDir?.startsWith('/')) return { clientUrl: databaseUrl };
  url.searchParams.delete('host');
  return { clientUrl: url.toString(), host: socketDir };
}

export async function createOrm({ databaseUrl, poolMax = 10 }: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    ...connectionOf(databaseUrl),
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: poolMax },
    // The ORM's connections are the centre's: every row, as staff, customs and background jobs see
    // them (sellers' requests use the tenant pool, see sql.ts PoolScope).
    driverOptions: { options: scopeOptions('centre') },
    // Tables come from reviewed migrations only; never let the ORM alter the schema at boot.
    ensureDatabase: false,
    debug: false,
  });
}

/** Applies pending migrations; returns the names applied. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

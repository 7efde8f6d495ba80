import pg from 'pg';

/** The role the application's queries run as (migration 20261201000900): owns nothing, cannot bypass RLS. */
export const APP_ROLE = 'wms_app';

/**
 * The URL the application connects with: DATABASE_APP_URL when given; else DATABASE_URL with the
 * user replaced by `wms_app` and the password by DATABASE_APP_PASSWORD (or the owner's, so the dev
 * start, the tests and docker-compose need no second secret).
 */
export function appDatabaseUrl(config: {
  DATABASE_URL: string;
  DATABASE_APP_URL?: string;
  DATABASE_APP_PASSWORD?: string;
}): { url: string; derived: boolean } {
  if (config.DATABASE_APP_URL) return { url: config.DATABASE_APP_URL, derived: false };
  const url = new URL(config.DATABASE_URL);
  url.username = APP_ROLE;
  if (config.DATABASE_APP_PASSWORD !== undefined) url.password = encodeURIComponent(config.DATABASE_APP_PASSWORD);
  return { url: url.toString(), derived: true };
}

/** pg's URL parser honours `?host=/socket/dir` itself (a `host` option beside the URL would lose to it). */
function clientConfig(databaseUrl: string): pg.ClientConfig {
  return { connectionString: databaseUrl };
}

/**
 * After the migrations, as the owner: makes sure the application role can sign in with the
 * derived URL. A cluster with password authentication (embedded PostgreSQL, docker-compose) gets
 * the role's password set to the one in that URL, once: only when signing in fails, so parallel
 * databases of one cluster (the tests) do not race on the role.
 */
export async function ensureAppLogin(ownerUrl: string, appUrl: string): Promise<void> {
  const tryApp = async () => {
    const client = new pg.Client(clientConfig(appUrl));
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (error) {
      return error as Error & { code?: string };
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const failed = await tryApp();
  if (!failed) return;
  const password = decodeURIComponent(new URL(appUrl).password);
  if (failed.code !== '28P01' && failed.code !== '28000') throw failed;
  if (!password)
    throw new Error(
      `the application role ${APP_ROLE} cannot sign in (${failed.message}): set DATABASE_APP_PASSWORD or DATABASE_APP_URL`,
    );
  const owner = new pg.Client(clientConfig(ownerUrl));
  await owner.connect();
  try {
    await owner.query(`alter role ${APP_ROLE} with login password ${owner.escapeLiteral(password)}`);
  } finally {
    await owner.end();
  }
  const again = await tryApp();
  if (again) throw again;
}

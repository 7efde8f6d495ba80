import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * What the repositories need of a transaction: run a statement with `?` placeholders and get its
 * rows. A MikroORM EntityManager fits (it inlines the values into the text); so does `SqlRunner`.
 */
export interface Sql {
  execute<T = any>(sql: string, params?: unknown[]): Promise<T>;
}

/** A transaction of SqlRunner: it can also end with a last statement sent together with COMMIT. */
export interface SqlTransaction extends Sql {
  /** Runs the transaction's last statement and commits, in one round trip. Nothing may run after it. */
  executeAndCommit(sql: string, params?: unknown[]): Promise<void>;
}

const converted = new Map<string, { text: string; name: string }>();

/** `?` placeholders to `$1, $2, …` (a `\\?` stays a literal `?`), and a stable statement name. */
function prepare(sql: string): { text: string; name: string } {
  let hit = converted.get(sql);
  if (!hit) {
    let n = 0;
    const text = sql.replace(/\\\?|\?/g, (m) => (m === '?' ? `$${++n}` : '?'));
    hit = { text, name: `w${createHash('sha1').update(text).digest('hex').slice(0, 20)}` };
    if (converted.size < 5000) converted.set(sql, hit);
  }
  return hit;
}

/** What of pg's connection a pipeline writes to. */
type Connection = {
  parse(m: { text: string; name?: string; types?: unknown[] }): void;
  bind(m: { portal?: string; statement?: string; values?: unknown[] }): void;
  execute(m: { portal?: string; rows?: number }): void;
  sync(): void;
};

/**
 * A named prepared statement sent with BEGIN before it and/or COMMIT after it in one pipeline
 * (extended protocol, one Sync): one round trip, and the statement keeps its cached plan. Sending
 * `begin; <statement>` as one simple query would save the round trip too, but PostgreSQL then
 * parses and plans the statement at every scan.
 */
type Wrap = { begin: boolean; commit: boolean; tenant?: string };

const TENANT_PRELUDE = "select from (select set_config('app.tenant', $1, true) as t) s where s.t is null";

class PipelinedQuery extends (pg.Query as unknown as new (
  config: pg.QueryConfig & { callback: (error: Error | null, result: pg.QueryResult | pg.QueryResult[]) => void },
) => object) {
  constructor(
    config: pg.QueryConfig,
    private readonly wrap: Wrap,
    callback: (error: Error | null, result: pg.QueryResult | pg.QueryResult[]) => void,
  ) {
    super({ ...config, callback });
  }

  /** BEGIN and COMMIT as unnamed statements: parsing them costs nothing worth caching. */
  private fixed(connection: Connection, text: string): void {
    connection.parse({ text, name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: [] });
    connection.execute({ portal: '' });
  }

  prepare(connection: Connection): void {
    if (this.wrap.begin) this.fixed(connection, 'begin');
    if (this.wrap.tenant !== undefined) {
      // The tenant of this transaction only (is_local): it ends with COMMIT or ROLLBACK. It answers
      // no row (set_config returns the tenant, never null), so the pipeline needs no Describe for it.
      connection.parse({ text: TENANT_PRELUDE, name: '', types: [] });
      connection.bind({ portal: '', statement: '', values: [this.wrap.tenant] });
      connection.execute({ portal: '' });
    }
    (pg.Query.prototype as unknown as { prepare(c: Connection): void }).prepare.call(this, connection);
  }

  _getRows(connection: Connection, rows?: number): void {
    connection.execute({ portal: '', rows });
    if (this.wrap.commit) this.fixed(connection, 'commit');
    connection.sync();
  }
}

function pipelined(client: pg.PoolClient, text: string, params: unknown[], wrap: Wrap): Promise<pg.QueryResult> {
  const statement = prepare(text);
  return new Promise((resolve, reject) => {
    const query = new PipelinedQuery(
      {
        name: statement.name,
        text: statement.text,
        values: params.map((p) => (p === undefined ? null : p)),
      },
      wrap,
      (error, results) => {
        if (error) return reject(error);
        // one result for BEGIN, one for the tenant, one for the statement, one for COMMIT
        const list = Array.isArray(results) ? results : [results];
        resolve(list[(wrap.begin ? 1 : 0) + (wrap.tenant !== undefined ? 1 : 0)]);
      },
    );
    client.query(query as unknown as pg.QueryConfig);
  });
}

/**
 * Which rows a pool's connections see under row-level security (migration 20261201000900):
 * `centre` sets `app.scope=centre` once per connection (a startup option: no statement, no round
 * trip per scan); `tenant` sets nothing, so a connection sees no seller row until a transaction
 * names its tenant with `set_config('app.tenant', $1, true)`, sent in the same pipeline as BEGIN
 * and forgotten at COMMIT or ROLLBACK: a pooled connection carries no tenant to its next user.
 */
export type PoolScope = 'centre' | 'tenant';

/** Nest token of the sellers' pool (a SqlRunner of scope `tenant`). */
export const TENANT_SQL = Symbol('TENANT_SQL');

/** The startup options of a connection of this scope. */
export function scopeOptions(scope: PoolScope): string {
  return scope === 'centre' ? '-c app.scope=centre' : '-c app.scope=tenant';
}

/**
 * Transactions for the hot paths (a scan, a gate pass) on plain `pg`: values travel as parameters
 * of named prepared statements, so PostgreSQL parses and plans each statement once per
 * connection instead of once per scan. Same SQL, same rows, same error codes as through the ORM.
 */
export class SqlRunner {
  private readonly pool: pg.Pool;

  constructor(
    databaseUrl: string,
    private readonly max: number,
    private readonly scope: PoolScope = 'centre',
  ) {
    this.pool = new pg.Pool({
      // `?host=/var/run/postgresql` names a Unix socket directory (libpq's way), which pg's own
      // URL parser honours; a `host` option beside the URL would not be (the URL's host wins)
      connectionString: databaseUrl,
      max,
      // Every statement here looks rows up by their keys: one plan per statement and connection
      // serves every scan. Left to choose, PostgreSQL plans some of them anew at every call (their
      // estimated cost with known values looks lower), which cost more than running them.
      options: `-c plan_cache_mode=force_generic_plan ${scopeOptions(scope)}`,
      // A small pool the floor uses all shift: connections stay open through a quiet minute, so the
      // next burst of scans does not wait for new ones (and their cold catalog caches).
      idleTimeoutMillis: 0,
    });
    this.pool.on('error', () => undefined); // an idle client's broken link: the pool replaces it
  }

  /**
   * Opens every connection of the pool now, each with a statement run: called before the server
   * opens its port, so the first scans after a restart do not queue behind connection set-up.
   */
  async warm(): Promise<void> {
    const clients = await Promise.all(Array.from({ length: this.max }, () => this.pool.connect()));
    try {
      await Promise.all(clients.map((client) => client.query('select 1')));
    } finally {
      for (const client of clients) client.release();
    }
  }

  /**
   * One statement on its own (autocommit, centre scope): one round trip, no BEGIN or COMMIT. For
   * the read-decide-write paths: a read with no locks, or one write statement whose guards check
   * the facts it was decided on (a data-modifying statement commits, or fails, as a whole).
   */
  async execute<R = any>(text: string, params: unknown[] = []): Promise<R> {
    if (this.scope !== 'centre') throw new Error('a tenant pool runs tenant transactions only: use forTenant()');
    const client = await this.pool.connect();
    let broken = false;
    try {
      return (await pipelined(client, text, params, { begin: false, commit: false })).rows as R;
    } catch (error) {
      // a statement that failed leaves no transaction open; a connection that broke is dropped
      broken = !(error as { code?: string }).code;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** A transaction of the centre's scope (this pool must be a centre pool). */
  async transaction<T>(work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    if (this.scope !== 'centre') throw new Error('a tenant pool runs tenant transactions only: use forTenant()');
    return this.run(undefined, work);
  }

  /** A transaction that sees only this seller's rows (this pool must be a tenant pool). */
  async forTenant<T>(sellerCode: string, work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    if (this.scope !== 'tenant') throw new Error('a centre pool sees every tenant: tenant work needs the tenant pool');
    if (!sellerCode) throw new Error('a tenant transaction needs its seller');
    return this.run(sellerCode, work);
  }

  private async run<T>(tenant: string | undefined, work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    let committed = false;
    let begun = false;
    try {
      const sql: SqlTransaction = {
        executeAndCommit: async (text: string, params: unknown[] = []) => {
          const begin = !begun;
          begun = true;
          await pipelined(client, text, params, { begin, commit: true, tenant: begin ? tenant : undefined });
          committed = true;
        },
        execute: async <R>(text: string, params: unknown[] = []) => {
          // BEGIN travels with the first statement: one round trip less for every transaction
          const begin = !begun;
          begun = true;
          return (await pipelined(client, text, params, { begin, commit: false, tenant: begin ? tenant : undefined }))
            .rows as R;
        },
      };
      const result = await work(sql);
      if (begun && !committed) await client.query('commit');
      return result;
    } catch (error) {
      if (begun)
        await client.query('rollback').catch(() => {
          broken = true;
        });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

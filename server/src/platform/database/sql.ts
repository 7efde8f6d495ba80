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
  /**
   * Runs the transaction's last statement and commits, in one round trip (the values are quoted
   * into the text, as the simple protocol requires). Nothing may run on the transaction after it.
   */
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

/**
 * Transactions for the hot paths (a scan, a gate pass) on plain `pg`: values travel as parameters
 * of named prepared statements, so PostgreSQL parses and plans each statement once per
 * connection instead of once per scan. Same SQL, same rows, same error codes as through the ORM.
 */
/** A value as SQL text: strings through the driver's own quoting, which handles any content. */
function quote(client: pg.PoolClient, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  return client.escapeLiteral(String(value));
}

export class SqlRunner {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, max: number) {
    const url = new URL(databaseUrl);
    const socketDir = url.searchParams.get('host');
    url.searchParams.delete('host');
    this.pool = new pg.Pool({
      connectionString: url.toString(),
      ...(socketDir?.startsWith('/') ? { host: socketDir } : {}),
      max,
    });
    this.pool.on('error', () => undefined); // an idle client's broken link: the pool replaces it
  }

  async transaction<T>(work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    let committed = false;
    let begun = false;
    const inline = (text: string, params: unknown[]) => {
      let n = 0;
      return text.replace(/\\\?|\?/g, (m) => (m === '?' ? quote(client, params[n++]) : '?'));
    };
    try {
      const sql: SqlTransaction = {
        executeAndCommit: async (text: string, params: unknown[] = []) => {
          await client.query(`${begun ? '' : 'begin; '}${inline(text, params)}; commit`);
          begun = true;
          committed = true;
        },
        execute: async <R>(text: string, params: unknown[] = []) => {
          if (!begun) {
            // BEGIN travels with the first statement: one round trip less for every transaction
            begun = true;
            const results = (await client.query(`begin; ${inline(text, params)}`)) as unknown as pg.QueryResult[];
            return results[results.length - 1].rows as R;
          }
          const statement = prepare(text);
          const result = await client.query({
            name: statement.name,
            text: statement.text,
            values: params.map((p) => (p === undefined ? null : p)),
          });
          return result.rows as R;
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

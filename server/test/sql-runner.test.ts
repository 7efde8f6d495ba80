import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, query } from '../../test/support/services.js';
import { SqlRunner } from '../src/platform/database/sql.js';

/**
 * The hot paths' transactions on a real PostgreSQL: BEGIN travels with the first statement and
 * COMMIT with the last (one pipeline each), statements stay prepared, and a failure anywhere leaves
 * nothing behind and the connection usable.
 */
let url: string;
let runner: SqlRunner;

beforeAll(async () => {
  url = await createTestDatabase(inject('pgAdminUrl'), 'wms_sql');
  await query(url, 'create table t (id int primary key, tags text[], doc jsonb, at timestamptz)');
  runner = new SqlRunner(url, 2);
});
afterAll(async () => {
  await runner?.close();
});

describe('SqlRunner', () => {
  it('runs a transaction of several statements and commits it with the last one', async () => {
    const at = new Date('2026-11-26T08:00:00.000Z');
    const seen = await runner.transaction(async (sql) => {
      const [{ status, xact }] = await sql.execute<Array<{ status: string; xact: string }>>(
        `insert into t (id, tags, doc, at) values (?, ?::text[], ?::jsonb, ?)
         returning 'inserted' as status, pg_current_xact_id()::text as xact`,
        [1, '{a,b}', JSON.stringify({ n: 1 }), at],
      );
      // a second round trip, in the same transaction
      const [row] = await sql.execute<Array<{ tags: string[]; doc: unknown; at: Date; xact: string }>>(
        `select tags, doc, at, pg_current_xact_id()::text as xact from t where id = ?`,
        [1],
      );
      await sql.executeAndCommit('update t set doc = ?::jsonb where id = ?', [JSON.stringify({ n: 2 }), 1]);
      return { status, xact, row };
    });
    expect(seen.status).toBe('inserted');
    expect(seen.row.tags).toEqual(['a', 'b']);
    expect(seen.row.doc).toEqual({ n: 1 });
    expect(seen.row.at.toISOString()).toBe(at.toISOString());
    expect(seen.row.xact).toBe(seen.xact);
    expect(await query(url, 'select doc from t where id = 1')).toEqual([{ doc: { n: 2 } }]);
  });

  it('reaches PostgreSQL over its Unix socket when the URL names one with ?host=', async () => {
    // the socket folder the test's PostgreSQL itself listens in (its own setting, not a guess)
    const [{ dirs }] = await query<{ dirs: string }>(url, "select current_setting('unix_socket_directories') as dirs");
    const folder = dirs
      .split(',')
      .map((d) => d.trim())
      .find((d) => d.startsWith('/'));
    expect(folder, 'the test PostgreSQL listens on a Unix socket').toBeTruthy();
    expect(existsSync(`${folder}/.s.PGSQL.${new URL(url).port || 5432}`)).toBe(true);
    const viaSocket = new URL(url);
    viaSocket.searchParams.set('host', folder as string);
    const onSocket = new SqlRunner(viaSocket.toString(), 1);
    try {
      // a Unix-socket connection has no server address; loopback TCP has 127.0.0.1
      const [row] = await onSocket.transaction((sql) =>
        sql.execute<Array<{ addr: string | null; db: string }>>(
          'select inet_server_addr()::text as addr, current_database() as db',
        ),
      );
      expect(row).toEqual({ addr: null, db: new URL(url).pathname.slice(1) });
    } finally {
      await onSocket.close();
    }
    const [tcp] = await runner.transaction((sql) =>
      sql.execute<Array<{ addr: string | null }>>('select inet_server_addr()::text as addr'),
    );
    if (['127.0.0.1', 'localhost'].includes(new URL(url).hostname)) expect(tcp.addr).not.toBeNull();
  });

  it('commits a transaction of one statement sent with both BEGIN and COMMIT', async () => {
    await runner.transaction((sql) => sql.executeAndCommit('insert into t (id) values (?)', [2]));
    expect(await query(url, 'select id from t where id = 2')).toEqual([{ id: 2 }]);
  });

  it('commits after the work when no statement was sent with COMMIT', async () => {
    const rows = await runner.transaction((sql) =>
      sql.execute<Array<{ id: number }>>('insert into t (id) values (?) returning id', [3]),
    );
    expect(rows).toEqual([{ id: 3 }]);
    expect(await query(url, 'select id from t where id = 3')).toEqual([{ id: 3 }]);
  });

  it('rolls everything back when a statement fails, first, in the middle or with COMMIT', async () => {
    // the first statement fails (with BEGIN in its pipeline)
    await expect(runner.transaction((sql) => sql.execute('insert into t (id) values (?)', [1]))).rejects.toMatchObject({
      code: '23505',
    });
    // a later statement fails
    await expect(
      runner.transaction(async (sql) => {
        await sql.execute('insert into t (id) values (?)', [10]);
        await sql.execute('insert into t (id) values (?)', [1]);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    // the statement sent with COMMIT fails: COMMIT is not run, and the earlier insert is undone
    await expect(
      runner.transaction(async (sql) => {
        await sql.execute('insert into t (id) values (?)', [11]);
        await sql.executeAndCommit('insert into t (id) values (?)', [1]);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    // the work itself throws
    await expect(
      runner.transaction(async (sql) => {
        await sql.execute('insert into t (id) values (?)', [12]);
        throw new Error('refused by the rules');
      }),
    ).rejects.toThrow('refused by the rules');
    expect(await query(url, 'select id from t where id >= 10')).toEqual([]);
    // the connections are clean: the same statements run again and commit
    for (let i = 0; i < 4; i++)
      await runner.transaction((sql) => sql.executeAndCommit('insert into t (id) values (?)', [20 + i]));
    expect(await query(url, 'select count(*)::int as n from t where id >= 20')).toEqual([{ n: 4 }]);
  });

  it('runs one statement on its own, committed by itself, and leaves a failed one nothing behind', async () => {
    // a data-modifying statement guarded by what it reads: it commits as a whole, or writes nothing
    const guarded = `with g as (select id from t where id = ? and doc is null for update),
       u as (update t set doc = ?::jsonb where id in (select id from g))
       select count(*)::int as applied, pg_current_xact_id_if_assigned() is not null as wrote from g`;
    await runner.execute('insert into t (id) values (?)', [30]);
    const [first] = await runner.execute<Array<{ applied: number; wrote: boolean }>>(guarded, [30, '{"n":1}']);
    expect(first).toEqual({ applied: 1, wrote: true });
    // no transaction is left open on the connection: another client sees the write at once
    expect(await query(url, 'select doc from t where id = 30')).toEqual([{ doc: { n: 1 } }]);
    const [second] = await runner.execute<Array<{ applied: number }>>(guarded, [30, '{"n":2}']);
    expect(second.applied).toBe(0);
    expect(await query(url, 'select doc from t where id = 30')).toEqual([{ doc: { n: 1 } }]);
    // a statement that fails writes none of its rows, and the pool's connections stay usable
    await expect(runner.execute('insert into t (id) values (?), (?)', [31, 30])).rejects.toMatchObject({
      code: '23505',
    });
    expect(await query(url, 'select id from t where id = 31')).toEqual([]);
    for (let i = 0; i < 4; i++) await runner.execute('insert into t (id) values (?)', [32 + i]);
    expect(await query(url, 'select count(*)::int as n from t where id between 32 and 35')).toEqual([{ n: 4 }]);
  });

  it('keeps each statement prepared, with one generic plan, on its connection', async () => {
    const rows = await runner.transaction(async (sql) => {
      for (let i = 0; i < 8; i++) await sql.execute('select id from t where id = ?', [i]);
      return sql.execute<Array<{ generic_plans: string; custom_plans: string; mode: string }>>(
        `select generic_plans, custom_plans, current_setting('plan_cache_mode') as mode
         from pg_prepared_statements where statement = 'select id from t where id = $1'`,
      );
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].mode).toBe('force_generic_plan');
    expect(Number(rows[0].custom_plans)).toBe(0);
    expect(Number(rows[0].generic_plans)).toBeGreaterThanOrEqual(8);
  });
});

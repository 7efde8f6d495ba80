import { TENANT_POLICIES } from '@wms/migrations';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/support/services.js';
import { APP_ROLE, appDatabaseUrl, ensureAppLogin } from '../../src/platform/database/app-role.js';
import { createOrm, migrateUp } from '../../src/platform/database/orm.js';
import { SqlRunner } from '../../src/platform/database/sql.js';

/**
 * Row-level security as PostgreSQL enforces it, in raw SQL as the application's role (issue 12):
 * the isolation holds even for a query that forgets its owner filter, whatever the code above does.
 */
let ownerUrl: string;
let appUrl: string;
let tenantPool: SqlRunner;
let centrePool: SqlRunner;

/** A connection as the application role with nothing set: what a bug that skips the pools would get. */
async function asApp<T>(work: (client: pg.Client) => Promise<T>, options?: string): Promise<T> {
  const client = new pg.Client({ connectionString: appUrl, ...(options ? { options } : {}) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const pgError = async (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Error & { code?: string }) => error.code ?? error.message,
  );

beforeAll(async () => {
  ownerUrl = await createTestDatabase(inject('pgAdminUrl'), 'wms_rls');
  const orm = await createOrm({ databaseUrl: ownerUrl, poolMax: 2 });
  try {
    await migrateUp(orm);
  } finally {
    await orm.close();
  }
  appUrl = appDatabaseUrl({ DATABASE_URL: ownerUrl }).url;
  await ensureAppLogin(ownerUrl, appUrl);
  // Seed as the owner (a superuser here, or centre scope): two sellers, the same SKU code for both.
  await query(
    ownerUrl,
    `set app.scope = 'centre';
     insert into enterprise (code, name, roles) values ('OWN-A', 'Seller A Ltd', '{owner,ebc}'),
       ('OWN-A2', 'Seller A second brand', '{owner}'), ('OWN-B', 'Seller B Ltd', '{owner,ebc}');
     insert into warehouse (code, name, kind, country) values ('OW-DE1', 'Overseas DE1', 'overseas', 'DE');
     insert into seller (seller_code, name) values ('SELLER-A', 'A'), ('SELLER-B', 'B');
     insert into seller_owner values ('SELLER-A', 'OWN-A'), ('SELLER-A', 'OWN-A2'), ('SELLER-B', 'OWN-B');
     insert into seller_warehouse values ('SELLER-A', 'OW-DE1'), ('SELLER-B', 'OW-DE1');
     insert into goods (owner_code, sku, gcode, name, unit, declared_price, country) values
       ('OWN-A', 'SKU-1', '3304990010', 'A cream', '011', 10, '142'),
       ('OWN-A2', 'SKU-2', '3304990010', 'A soap', '011', 5, '142'),
       ('OWN-B', 'SKU-1', '3304990010', 'B cream', '011', 11, '142');
     insert into stock_movement (ledger, warehouse_code, owner_code, sku, customs_state, qty, doc_type, doc_no) values
       ('shelf', 'OW-DE1', 'OWN-A', 'SKU-1', 'non-bonded', 7, 'inbound', 'ASN-A'),
       ('shelf', 'OW-DE1', 'OWN-B', 'SKU-1', 'non-bonded', 9, 'inbound', 'ASN-B');
     insert into trade_order (direction, ebp_code, order_no, ebc_code, doc) values
       ('export', 'PLAT', 'ORD-A', 'OWN-A', '{}'), ('export', 'PLAT', 'ORD-B', 'OWN-B', '{}');
     insert into trade_payment (direction, pay_code, pay_transaction_id, order_no, doc) values
       ('export', 'PAY', 'TX-A', 'ORD-A', '{}'), ('export', 'PAY', 'TX-B', 'ORD-B', '{}');
     insert into seller_api_key (seller_code, name, prefix, secret_hash, scopes, created_by) values
       ('SELLER-A', 'a', 'aaaaaaaa', 'x', '{read}', 't'), ('SELLER-B', 'b', 'bbbbbbbb', 'x', '{read}', 't');`,
  );
  tenantPool = new SqlRunner(appUrl, 1, 'tenant');
  centrePool = new SqlRunner(appUrl, 1, 'centre');
});

afterAll(async () => {
  await tenantPool?.close();
  await centrePool?.close();
});

describe('row-level security as the application role', () => {
  it('puts every table that holds a seller’s rows under ENABLE + FORCE row-level security', async () => {
    const carrying = await query<{ table_name: string }>(
      ownerUrl,
      `select distinct table_name from information_schema.columns
        where table_schema = 'public' and column_name in ('owner_code', 'ebc_code', 'seller_code')`,
    );
    const tables = [...new Set([...carrying.map((r) => r.table_name), ...Object.keys(TENANT_POLICIES)])].sort();
    const states = await query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      ownerUrl,
      `select relname, relrowsecurity, relforcerowsecurity from pg_class
        where relnamespace = 'public'::regnamespace and relname = any($1)`,
      [tables],
    );
    expect(states.filter((s) => !s.relrowsecurity || !s.relforcerowsecurity).map((s) => s.relname)).toEqual([]);
    expect(states.map((s) => s.relname).sort()).toEqual(tables);
    // and the ones the issue names are among them
    for (const t of ['goods', 'stock_movement', 'trade_order', 'trade_payment', 'inventory_list', 'pick_task'])
      expect(tables).toContain(t);
  });

  it('runs as a role that owns no table, is no superuser and cannot bypass RLS', async () => {
    const [role] = await query<{ rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean }>(
      ownerUrl,
      'select rolsuper, rolbypassrls, rolcreaterole from pg_roles where rolname = $1',
      [APP_ROLE],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false });
    const owned = await query(ownerUrl, `select tablename from pg_tables where tableowner = $1`, [APP_ROLE]);
    expect(owned).toEqual([]);
    expect(await asApp(async (c) => (await c.query('select current_user as u')).rows[0].u)).toBe(APP_ROLE);
  });

  it('shows nothing of a seller’s tables when no scope and no tenant is set (fail closed)', async () => {
    for (const options of [undefined, '-c app.scope=tenant']) {
      const counts = await asApp(async (c) => {
        const out: Record<string, number> = {};
        for (const table of Object.keys(TENANT_POLICIES))
          out[table] = Number((await c.query(`select count(*) as n from ${table}`)).rows[0].n);
        return out;
      }, options);
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    }
    // the rows are there: the centre's scope sees them
    const centre = await centrePool.transaction((sql) =>
      sql.execute<Array<{ n: string }>>('select count(*)::text as n from goods'),
    );
    expect(centre[0].n).toBe('3');
  });

  it('with tenant A set, a query that forgets its owner filter still returns A’s rows only', async () => {
    const seen = await tenantPool.forTenant('SELLER-A', async (sql) => ({
      goods: await sql.execute<Array<{ owner_code: string; sku: string }>>(
        'select owner_code, sku from goods order by owner_code, sku',
      ),
      stock: await sql.execute<Array<{ doc_no: string }>>('select doc_no from stock_movement'),
      orders: await sql.execute<Array<{ order_no: string }>>('select order_no from trade_order'),
      payments: await sql.execute<Array<{ order_no: string }>>('select order_no from trade_payment'),
      keys: await sql.execute<Array<{ prefix: string }>>('select prefix from seller_api_key'),
      sellers: await sql.execute<Array<{ seller_code: string }>>('select seller_code from seller'),
      enterprises: await sql.execute<Array<{ code: string }>>('select code from enterprise order by code'),
      byKey: await sql.execute("select * from goods where owner_code = 'OWN-B' and sku = 'SKU-1'"),
      updated: await sql.execute("update goods set name = 'taken' where owner_code = 'OWN-B' returning sku"),
    }));
    expect(seen.goods).toEqual([
      { owner_code: 'OWN-A', sku: 'SKU-1' },
      { owner_code: 'OWN-A2', sku: 'SKU-2' },
    ]);
    expect(seen.stock).toEqual([{ doc_no: 'ASN-A' }]);
    expect(seen.orders).toEqual([{ order_no: 'ORD-A' }]);
    expect(seen.payments).toEqual([{ order_no: 'ORD-A' }]);
    expect(seen.keys).toEqual([{ prefix: 'aaaaaaaa' }]);
    expect(seen.sellers).toEqual([{ seller_code: 'SELLER-A' }]);
    expect(seen.enterprises).toEqual([{ code: 'OWN-A' }, { code: 'OWN-A2' }]);
    expect(seen.byKey).toEqual([]);
    expect(seen.updated).toEqual([]);
    const [b] = await query<{ name: string }>(
      ownerUrl,
      "select name from goods where owner_code = 'OWN-B' and sku = 'SKU-1'",
    );
    expect(b.name).toBe('B cream');
  });

  it('refuses a tenant’s write of another tenant’s row (WITH CHECK)', async () => {
    const code = await pgError(
      tenantPool.forTenant('SELLER-A', (sql) =>
        sql.execute(
          `insert into goods (owner_code, sku, gcode, name, unit, declared_price, country)
           values ('OWN-B', 'SKU-9', '3304990010', 'planted', '011', 1, '142')`,
        ),
      ),
    );
    expect(code).toBe('42501');
    const keys = await pgError(
      tenantPool.forTenant('SELLER-A', (sql) =>
        sql.execute(
          `insert into seller_api_key (seller_code, name, prefix, secret_hash, scopes, created_by)
           values ('SELLER-B', 'planted', 'cccccccc', 'x', '{write}', 'a')`,
        ),
      ),
    );
    expect(keys).toBe('42501');
  });

  it('cannot switch RLS off, change policies, or become the owner', async () => {
    const [{ owner }] = await query<{ owner: string }>(
      ownerUrl,
      "select tableowner as owner from pg_tables where tablename = 'goods'",
    );
    const attempts = await asApp(async (c) => ({
      disable: await pgError(c.query('alter table goods disable row level security')),
      noForce: await pgError(c.query('alter table goods no force row level security')),
      dropPolicy: await pgError(c.query('drop policy goods_tenancy on goods')),
      newPolicy: await pgError(c.query('create policy mine on goods using (true)')),
      setRole: await pgError(c.query(`set role ${c.escapeIdentifier(owner)}`)),
      sessionAuth: await pgError(c.query(`set session authorization ${c.escapeIdentifier(owner)}`)),
      bypass: await pgError(c.query(`alter role ${APP_ROLE} bypassrls`)),
      after: (await c.query('select current_user as u, count(*)::int as n from goods')).rows[0],
    }));
    expect(attempts.disable).toBe('42501');
    expect(attempts.noForce).toBe('42501');
    expect(attempts.dropPolicy).toBe('42501');
    expect(attempts.newPolicy).toBe('42501');
    expect(attempts.setRole).toBe('42501');
    expect(attempts.sessionAuth).toBe('42501');
    expect(attempts.bypass).toBe('42501');
    expect(attempts.after).toEqual({ u: APP_ROLE, n: 0 });
    const [state] = await query<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      ownerUrl,
      "select relrowsecurity, relforcerowsecurity from pg_class where relname = 'goods'",
    );
    expect(state).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('does not carry one transaction’s tenant to the next on the same pooled connection', async () => {
    const a = await tenantPool.forTenant('SELLER-A', (sql) =>
      sql.execute<Array<{ pid: number; tenant: string; n: string }>>(
        "select pg_backend_pid() as pid, current_setting('app.tenant', true) as tenant, count(*)::text as n from goods",
      ),
    );
    // a transaction that fails after setting its tenant: rolled back, nothing stays
    const failed = await pgError(tenantPool.forTenant('SELLER-A', (sql) => sql.execute('select 1 / 0 from goods')));
    const b = await tenantPool.forTenant('SELLER-B', (sql) =>
      sql.execute<Array<{ pid: number; tenant: string; skus: string[] }>>(
        `select pg_backend_pid() as pid, current_setting('app.tenant', true) as tenant,
                array_agg(owner_code || '/' || sku) as skus from goods`,
      ),
    );
    expect(failed).toBe('22012');
    expect(b[0].pid).toBe(a[0].pid); // one connection, two tenants one after the other
    expect(a[0]).toMatchObject({ tenant: 'SELLER-A', n: '2' });
    expect(b[0]).toMatchObject({ tenant: 'SELLER-B', skus: ['OWN-B/SKU-1'] });
    // and outside any transaction the same kind of connection has no tenant left
    const client = new pg.Client({ connectionString: appUrl, options: '-c app.scope=tenant' });
    await client.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('app.tenant', 'SELLER-A', true)");
      expect(Number((await client.query('select count(*) as n from goods')).rows[0].n)).toBe(2);
      await client.query('commit');
      const after = (
        await client.query("select current_setting('app.tenant', true) as t, count(*)::int as n from goods")
      ).rows[0];
      expect(after.n).toBe(0);
      expect(after.t ?? '').toBe('');
    } finally {
      await client.end();
    }
  });

  it('a centre pool refuses tenant work and a tenant pool refuses centre work', async () => {
    await expect(centrePool.forTenant('SELLER-A', async () => 1)).rejects.toThrow(/tenant pool/);
    await expect(tenantPool.transaction(async () => 1)).rejects.toThrow(/tenant transactions only/);
  });
});

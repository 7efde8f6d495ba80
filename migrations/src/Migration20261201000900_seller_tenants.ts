import { Migration } from '@mikro-orm/migrations';

/**
 * Sellers as tenants (issue 12, DOMAIN.md §1 and §10), with the isolation enforced by PostgreSQL.
 *
 * - `seller` is the tenant; `seller_owner` names the enterprise codes whose goods are the seller's
 *   (goods.owner_code, stock_movement.owner_code, inventory_list.ebc_code …: one seller may trade
 *   under several enterprises, and the data already carries the enterprise, so a mapping table
 *   keeps every existing row valid); `seller_warehouse` the warehouses it uses; `seller_api_key`
 *   its API keys (only a SHA-256 of the 256-bit secret is kept, like refresh tokens).
 * - `wms_app` is the role the application's queries run as: it owns nothing, cannot bypass RLS,
 *   and cannot become the owner. Migrations run as the owner (DATABASE_URL).
 * - Every table holding a seller's rows has ENABLE + FORCE ROW LEVEL SECURITY with one policy:
 *   the row is visible when the connection's `app.scope` is `centre` (staff, customs, supervisor,
 *   admin and background jobs: their pools set it per connection), or when the row's owner belongs
 *   to `app.tenant` (set per transaction with set_config(…, true) by the sellers' pool). Nothing
 *   set: nothing visible (fail closed). Tables of the centre's own work that a seller never reads
 *   (raw scans, the trace) get the centre arm only.
 */
const CENTRE = `current_setting('app.scope', true) = 'centre'`;
const TENANT = `current_setting('app.tenant', true)`;
const owned = (column: string) =>
  `${column} in (select so.owner_code from seller_owner so where so.seller_code = ${TENANT})`;

/** table -> the tenant arm of its policy (null: centre only). */
export const TENANT_POLICIES: Record<string, string | null> = {
  seller: `seller_code = ${TENANT}`,
  seller_owner: `seller_code = ${TENANT}`,
  seller_warehouse: `seller_code = ${TENANT}`,
  seller_api_key: `seller_code = ${TENANT}`,
  // the users of a seller (sign-in and sessions read them on the centre's connection)
  app_user: `seller_code = ${TENANT}`,
  enterprise: owned('code'),
  goods: owned('owner_code'),
  stock_movement: owned('owner_code'),
  inbound_delivery: owned('owner_code'),
  inbound_count: 'exists (select 1 from inbound_delivery d where d.id = inbound_count.delivery_id)',
  pick_task: owned('owner_code'),
  stocktake_count: owned('owner_code'),
  trade_order: owned('ebc_code'),
  // payments and waybills name their order only: visible with the tenant's order (RLS applies inside)
  trade_payment: 'exists (select 1 from trade_order o where o.order_no = trade_payment.order_no)',
  trade_waybill: 'exists (select 1 from trade_order o where o.order_no = trade_waybill.order_no)',
  inventory_list: owned('ebc_code'),
  customs_summary: owned('ebc_code'),
  customs_return: 'exists (select 1 from inventory_list l where l.id = customs_return.list_id)',
  customs_cancel: 'exists (select 1 from inventory_list l where l.id = customs_cancel.list_id)',
  trace_event: null,
  floor_scan: null,
  scan_event: null,
};

export class Migration20261201000900SellerTenants extends Migration {
  override async up(): Promise<void> {
    // The role is cluster-wide: created once (several databases of one cluster may race here).
    // LOGIN without a password: trust/peer set-ups use it as is; elsewhere the deployment gives
    // it a password (deploy/README.md "Database roles").
    this.addSql(`
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = 'wms_app') then
          create role wms_app login nosuperuser nocreatedb nocreaterole noinherit nobypassrls noreplication;
        end if;
      exception when duplicate_object or unique_violation then null;
      end $$`);
    this.addSql(`
      create table seller (
        seller_code text primary key check (seller_code ~ '^[A-Za-z0-9_-]{1,40}$'),
        name text not null,
        status text not null default 'active' check (status in ('active', 'suspended')),
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table seller_owner (
        seller_code text not null references seller (seller_code),
        owner_code text not null references enterprise (code),
        primary key (seller_code, owner_code),
        -- an enterprise's goods belong to one seller: two tenants never share a row
        unique (owner_code)
      )`);
    this.addSql(`
      create table seller_warehouse (
        seller_code text not null references seller (seller_code),
        warehouse_code text not null references warehouse (code),
        primary key (seller_code, warehouse_code)
      )`);
    this.addSql(`
      create table seller_api_key (
        id uuid primary key default gen_random_uuid(),
        seller_code text not null references seller (seller_code),
        name text not null,
        prefix text not null unique check (prefix ~ '^[a-z0-9]{8,16}$'),
        secret_hash text not null,
        scopes text[] not null check (cardinality(scopes) > 0 and scopes <@ array['read','write']::text[]),
        created_by text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_by text
      )`);
    this.addSql('create index seller_api_key_seller_idx on seller_api_key (seller_code, created_at)');
    // A seller user belongs to a seller that exists (users seeded before this migration keep theirs).
    this.addSql(`insert into seller (seller_code, name)
      select distinct seller_code, seller_code from app_user where seller_code is not null on conflict do nothing`);
    this.addSql('alter table app_user add foreign key (seller_code) references seller (seller_code)');

    // What the application role may do: rows, not schema. Tables made by later migrations (run by
    // the same owner) get the same grants; their RLS is each migration's own reviewed line.
    this.addSql('grant usage on schema public to wms_app');
    this.addSql('grant select, insert, update, delete on all tables in schema public to wms_app');
    this.addSql('grant usage, select on all sequences in schema public to wms_app');
    this.addSql('alter default privileges in schema public grant select, insert, update, delete on tables to wms_app');
    this.addSql('alter default privileges in schema public grant usage, select on sequences to wms_app');
    // The migrations' own book stays the owner's.
    this.addSql(`do $$ begin
        if to_regclass('mikro_orm_migrations') is not null then
          revoke insert, update, delete on mikro_orm_migrations from wms_app;
        end if;
      end $$`);

    for (const [table, tenantArm] of Object.entries(TENANT_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE}${tenantArm ? ` or ${tenantArm}` : ''})`);
    }
  }

  override async down(): Promise<void> {
    for (const table of Object.keys(TENANT_POLICIES)) {
      this.addSql(`drop policy if exists ${table}_tenancy on ${table}`);
      this.addSql(`alter table ${table} no force row level security`);
      this.addSql(`alter table ${table} disable row level security`);
    }
    this.addSql('alter table app_user drop constraint if exists app_user_seller_code_fkey');
    this.addSql('drop table if exists seller_api_key, seller_warehouse, seller_owner, seller');
  }
}

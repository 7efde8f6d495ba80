import { Migration } from '@mikro-orm/migrations';

/**
 * Storage-age alerts of a bonded centre, as raised and to whom (issue 13 "Storage ageing",
 * DOMAIN.md §6: storage time in a centre is limited, configurable per site, alert on ageing).
 *
 * A batch raises one alert per level (`warning` when it reaches the site's warning days before the
 * limit, `over-limit` once past it); the unique key makes two sweeping instances raise it once.
 * `recipients` records who was told and how (customs officers and supervisors on their live
 * consoles, the owning enterprise's seller on its portal), so customs can see that the centre
 * warned the owner in time. The rows are an owner's: row-level security as its ledger.
 */
const CENTRE = `current_setting('app.scope', true) = 'centre'`;
const TENANT = `current_setting('app.tenant', true)`;

export const STORAGE_AGE_POLICIES: Record<string, string | null> = {
  storage_age_alert: `owner_code in (select so.owner_code from seller_owner so where so.seller_code = ${TENANT})`,
};

export class Migration20261201000951StorageAgeAlerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table storage_age_alert (
        id uuid primary key default gen_random_uuid(),
        warehouse_code text not null references warehouse (code),
        owner_code text not null,
        sku text not null,
        batch text not null,
        ems_no text,
        putrec_seqno integer,
        level text not null check (level in ('warning', 'over-limit')),
        units bigint not null,
        first_entry_at timestamptz not null,
        age_days integer not null,
        limit_days integer not null,
        message text not null,
        recipients jsonb not null check (jsonb_typeof(recipients) = 'array'),
        raised_at timestamptz not null default now(),
        unique (warehouse_code, owner_code, sku, batch, level)
      )`);
    this.addSql('create index storage_age_alert_list_idx on storage_age_alert (warehouse_code, raised_at desc, id)');
    for (const [table, tenantArm] of Object.entries(STORAGE_AGE_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE}${tenantArm ? ` or ${tenantArm}` : ''})`);
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists storage_age_alert');
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Returns at the overseas warehouse and ageing (issue 12, DOMAIN.md §10).
 *
 * - `seller_return` is an RMA: announced by the seller (its lines expected) or opened by staff for
 *   goods arriving without one (`unannounced`). Its number is the seller's own (unique per seller:
 *   two sellers may use the same number, staff then choose). An exchange (ship-to and lines) makes
 *   the replacement order due once the goods are received.
 * - `seller_return_line` is expected against graded per SKU (sellable / unsellable / destroyed);
 *   `seller_return_grade` one row per grading scan, keyed by the scan id (a repeated scan never
 *   counts twice); `seller_return_history` the RMA's steps as the seller reads them.
 * - The warehouse sets its ageing bands (days, ascending) and the age at which a lot raises an
 *   alert; `seller_alert` holds the alerts, one per lot and kind (the unique key makes two sweeping
 *   instances raise it once).
 * Every table holds one seller's rows: ENABLE + FORCE ROW LEVEL SECURITY as in migration 0900.
 */
const CENTRE = `current_setting('app.scope', true) = 'centre'`;
const TENANT = `current_setting('app.tenant', true)`;
const ofReturn = (table: string) => `exists (select 1 from seller_return r where r.id = ${table}.return_id)`;

export const SELLER_RETURNS_POLICIES: Record<string, string | null> = {
  seller_return: `seller_code = ${TENANT}`,
  seller_return_line: ofReturn('seller_return_line'),
  seller_return_grade: ofReturn('seller_return_grade'),
  seller_return_history: ofReturn('seller_return_history'),
  seller_return_photo: ofReturn('seller_return_photo'),
  seller_alert: `seller_code = ${TENANT}`,
};

export class Migration20261201000940SellerReturnsAgeing extends Migration {
  override async up(): Promise<void> {
    // [30, 60, 90, 180]: bands 0–29, 30–59, 60–89, 90–179 and 180+ days; an alert at 180 days.
    this.addSql(`alter table warehouse
      add column ageing_bands integer[] not null default '{30,60,90,180}'
        check (cardinality(ageing_bands) between 1 and 12 and 0 < all (ageing_bands)),
      add column ageing_alert_days integer not null default 180 check (ageing_alert_days between 1 and 3650)`);

    this.addSql(`
      create table seller_return (
        id uuid primary key default gen_random_uuid(),
        seller_code text not null references seller (seller_code),
        owner_code text not null references enterprise (code),
        rma_no text not null check (rma_no ~ '^[A-Za-z0-9_.-]{1,40}$'),
        warehouse_code text not null references warehouse (code),
        order_no text,
        reason text not null,
        status text not null default 'expected' check (status in ('expected', 'receiving', 'received')),
        unannounced boolean not null default false,
        exchange jsonb,
        exchange_due_at timestamptz,
        replacement_order_no text,
        created_by text not null,
        created_at timestamptz not null default now(),
        received_at timestamptz,
        updated_at timestamptz not null default now(),
        unique (seller_code, rma_no)
      )`);
    this.addSql('create index seller_return_scan_idx on seller_return (warehouse_code, rma_no)');
    this.addSql('create index seller_return_list_idx on seller_return (seller_code, created_at desc)');

    this.addSql(`
      create table seller_return_line (
        return_id uuid not null references seller_return (id),
        owner_code text not null,
        sku text not null,
        expected_qty integer not null check (expected_qty >= 0),
        sellable integer not null default 0 check (sellable >= 0),
        unsellable integer not null default 0 check (unsellable >= 0),
        destroyed integer not null default 0 check (destroyed >= 0),
        primary key (return_id, sku),
        foreign key (owner_code, sku) references goods (owner_code, sku)
      )`);

    this.addSql(`
      create table seller_return_grade (
        scan_id uuid primary key,
        return_id uuid not null references seller_return (id),
        sku text not null,
        grade text not null check (grade in ('sellable', 'unsellable', 'destroy')),
        qty integer not null check (qty > 0),
        reason text,
        actor text not null,
        station_id text,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index seller_return_grade_return_idx on seller_return_grade (return_id, created_at)');

    this.addSql(`
      create table seller_return_history (
        id bigserial primary key,
        return_id uuid not null references seller_return (id),
        event text not null,
        actor text not null,
        detail jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index seller_return_history_return_idx on seller_return_history (return_id, id)');

    // Photos the desk takes of returned goods (kept in PostgreSQL, size-limited, JPEG or PNG).
    this.addSql(`
      create table seller_return_photo (
        id uuid primary key default gen_random_uuid(),
        return_id uuid not null references seller_return (id),
        sku text,
        photo bytea not null check (octet_length(photo) <= 5242880),
        photo_type text not null check (photo_type in ('image/jpeg', 'image/png')),
        taken_by text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index seller_return_photo_return_idx on seller_return_photo (return_id, created_at)');

    this.addSql(`
      create table seller_alert (
        id uuid primary key default gen_random_uuid(),
        seller_code text not null references seller (seller_code),
        kind text not null check (kind in ('ageing')),
        owner_code text not null,
        warehouse_code text not null references warehouse (code),
        sku text not null,
        lot_no text not null,
        age_days integer not null,
        qty integer not null,
        arrived_at timestamptz not null,
        message text not null,
        created_at timestamptz not null default now(),
        acked_at timestamptz,
        acked_by text,
        unique (kind, owner_code, warehouse_code, sku, lot_no)
      )`);
    this.addSql('create index seller_alert_seller_idx on seller_alert (seller_code, created_at desc)');

    for (const [table, tenantArm] of Object.entries(SELLER_RETURNS_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE}${tenantArm ? ` or ${tenantArm}` : ''})`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(
      'drop table if exists seller_alert, seller_return_photo, seller_return_history, seller_return_grade, seller_return_line, seller_return',
    );
    this.addSql('alter table warehouse drop column if exists ageing_bands, drop column if exists ageing_alert_days');
  }
}

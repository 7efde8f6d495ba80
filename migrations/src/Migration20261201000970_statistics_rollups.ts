import { Migration } from '@mikro-orm/migrations';

/**
 * Statistics from the declaration data (issue 13, DOMAIN.md §11), pre-aggregated so no dashboard
 * query scans the lists.
 *
 * - `statistics_change`: the lists whose figures may have moved (written by the triggers below on
 *   every insert/update of a declared list and every list receipt). The server's rollup job takes
 *   them in batches, in order, under an advisory lock (one instance at a time).
 * - `statistics_list_fact`: what one declared list (not cancelled) contributes: its cell (site-local
 *   day of the first declaration, site, trade mode, import/export), platform, e-commerce company,
 *   logistics company, country, parcels, value, weight, tax, whether it was released / rejected
 *   (100 or a negative receipt) / inspected (500), the log bucket of its declaration→release time,
 *   and its goods per HS code. The job subtracts a list's old fact from the rollups and adds the
 *   new one, so a changed list moves between cells exactly.
 * - `statistics_rollup`: sums per (grain day|month, period, dimension, key, site, trade mode,
 *   direction); dimension `all` has key '' (the totals), the others one row per platform, company,
 *   logistics company, country, HS chapter (2 digits) or goods (10-digit HS code).
 * - `statistics_release_time`: lists released per cell and log bucket of declaration→release time
 *   (bucket b holds [2^((b-1)/4), 2^(b/4)) seconds, bucket 0 under 1 s): p50/p90 come from it.
 * Rollups hold enterprise codes: under row-level security, centre scope only (customs, supervisor, jobs).
 */
export const STATISTICS_POLICIES: Record<string, string | null> = {
  statistics_list_fact: null,
  statistics_rollup: null,
  statistics_release_time: null,
};

const CENTRE = `current_setting('app.scope', true) = 'centre'`;

export class Migration20261201000970StatisticsRollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table statistics_change (
        id bigserial primary key,
        list_id bigint not null,
        noted_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table statistics_list_fact (
        list_id bigint primary key,
        day date not null,
        warehouse_code text not null,
        trade_mode text not null,
        direction text not null,
        ebp_code text not null,
        ebc_code text not null,
        logistics_code text not null,
        country text not null,
        parcels integer not null,
        value numeric(19,5) not null,
        weight_grams bigint not null,
        tax numeric(19,5) not null,
        qty numeric(19,5) not null,
        released boolean not null,
        rejected boolean not null,
        inspected boolean not null,
        release_bucket smallint,
        goods jsonb not null
      )`);
    this.addSql(`
      create table statistics_rollup (
        dim text collate "C" not null check (dim in ('all','ebp','ebc','logistics','country','chapter','goods')),
        grain text collate "C" not null check (grain in ('day','month')),
        period date not null,
        warehouse_code text collate "C" not null,
        trade_mode text collate "C" not null,
        direction text collate "C" not null,
        key text collate "C" not null,
        label text,
        lists bigint not null,
        parcels bigint not null,
        value numeric(21,5) not null,
        weight_grams bigint not null,
        tax numeric(21,5) not null,
        qty numeric(21,5) not null,
        released bigint not null,
        rejected bigint not null,
        inspected bigint not null,
        primary key (dim, grain, period, warehouse_code, trade_mode, direction, key)
      )`);
    this.addSql(`
      create table statistics_release_time (
        dim text collate "C" not null,
        grain text collate "C" not null,
        period date not null,
        warehouse_code text collate "C" not null,
        trade_mode text collate "C" not null,
        direction text collate "C" not null,
        key text collate "C" not null,
        bucket smallint not null check (bucket between 0 and 88),
        lists bigint not null,
        primary key (dim, grain, period, warehouse_code, trade_mode, direction, key, bucket)
      )`);
    // Holds by age read the open holds off this index (a few rows, never the million lists).
    this.addSql(`create index inventory_list_open_hold_idx on inventory_list (held_at)
      where hold_reason is not null and gate_passed_at is null`);

    this.addSql(`
      create function statistics_note_list() returns trigger language plpgsql as $$
      begin
        insert into statistics_change (list_id) values (new.id);
        return null;
      end $$`);
    this.addSql(`create trigger inventory_list_statistics_insert after insert on inventory_list
      for each row when (new.declared_at is not null) execute function statistics_note_list()`);
    // Only what the figures read: packing, gate passes and holds leave the rollups alone.
    this.addSql(`create trigger inventory_list_statistics_update after update on inventory_list
      for each row when (new.declared_at is not null and
        (old.declared_at, old.state, old.customs_status, old.customs_status_time, old.trade_mode, old.direction,
         old.warehouse_code, old.ebp_code, old.ebc_code, old.logistics_code, old.head, old.lines)
        is distinct from
        (new.declared_at, new.state, new.customs_status, new.customs_status_time, new.trade_mode, new.direction,
         new.warehouse_code, new.ebp_code, new.ebc_code, new.logistics_code, new.head, new.lines))
      execute function statistics_note_list()`);
    this.addSql(`
      create function statistics_note_receipt() returns trigger language plpgsql as $$
      begin
        insert into statistics_change (list_id)
          select m.subject_id from customs_message m where m.guid = new.guid and m.subject_kind = 'list';
        return null;
      end $$`);
    this.addSql(`create trigger customs_receipt_statistics after insert on customs_receipt
      for each row when (new.message_type in ('CEB622', 'CEB604')) execute function statistics_note_receipt()`);

    // The lists declared before this migration: the job takes them in its first rounds.
    this.addSql('insert into statistics_change (list_id) select id from inventory_list where declared_at is not null');

    for (const table of Object.keys(STATISTICS_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE})`);
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists customs_receipt_statistics on customs_receipt');
    this.addSql('drop trigger if exists inventory_list_statistics_update on inventory_list');
    this.addSql('drop trigger if exists inventory_list_statistics_insert on inventory_list');
    this.addSql('drop function if exists statistics_note_receipt()');
    this.addSql('drop function if exists statistics_note_list()');
    this.addSql('drop index if exists inventory_list_open_hold_idx');
    this.addSql(
      'drop table if exists statistics_release_time, statistics_rollup, statistics_list_fact, statistics_change',
    );
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Risk warnings for the customs officer (issue 13, DOMAIN.md §8) and the cold chain.
 *
 * - `risk_rule`: each site's (warehouse's) rules, on or off, with their parameters (tolerances,
 *   bands, windows, thresholds, the special-goods list). A site without a row uses the defaults
 *   of `risk/rules/risk-rule-settings.ts`; the admin/supervisor API writes the row.
 * - `risk_warning`: one per site, rule and subject (a parcel, a buyer, an address, a sensor's
 *   excursion): a fact arriving again updates its evidence, never adds a second warning. Open,
 *   turned into a hold by an officer (`held`), or dismissed by a supervisor, each signed.
 * - `risk_cursor`: how far the evaluator has read each source of facts (weight checks, lists,
 *   returns, trace steps, temperature readings), so it reads only what is new.
 * - Temperature: `temperature_sensor` places a probe (a device of kind `sensor`) in a zone;
 *   zones and goods may carry a range in tenths of a degree; `temperature_reading` holds what the
 *   probes sent (edge events, stored once by their event id like weights); an excursion beyond
 *   the range is a `temperature_excursion`, recorded in the trace once it lasted too long.
 * All centre-only: a seller never reads them (row-level security with the centre arm only).
 */
export const RISK_POLICIES: Record<string, string | null> = {
  risk_rule: null,
  risk_warning: null,
  risk_cursor: null,
  risk_price_reference: null,
  temperature_sensor: null,
  temperature_reading: null,
  temperature_excursion: null,
};

const CENTRE = `current_setting('app.scope', true) = 'centre'`;

export class Migration20261201000960RiskWarnings extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table device drop constraint if exists device_kind_check');
    this.addSql(
      `alter table device add constraint device_kind_check check (kind in ('scanner', 'scale', 'printer', 'sensor'))`,
    );
    // the range a cold zone (or goods) must stay in, tenths of a degree Celsius (4.5 °C = 45)
    this.addSql(`alter table zone
      add column temp_min_deci_c integer check (temp_min_deci_c between -2000 and 2000),
      add column temp_max_deci_c integer check (temp_max_deci_c between -2000 and 2000),
      add constraint zone_temp_range_check check (temp_min_deci_c is null or temp_max_deci_c is null or temp_min_deci_c <= temp_max_deci_c)`);
    this.addSql(`alter table goods
      add column temp_min_deci_c integer check (temp_min_deci_c between -2000 and 2000),
      add column temp_max_deci_c integer check (temp_max_deci_c between -2000 and 2000)`);

    this.addSql(`
      create table risk_rule (
        warehouse_code text not null references warehouse (code),
        rule text not null check (rule in ('weight-deviation', 'low-value', 'buyer-limit', 'shared-consignee',
          'shared-payer', 'frequent-returns', 'special-goods', 'cold-chain')),
        enabled boolean not null default true,
        params jsonb not null default '{}'::jsonb,
        updated_by text not null,
        updated_at timestamptz not null default now(),
        primary key (warehouse_code, rule)
      )`);

    this.addSql(`
      create table risk_warning (
        id uuid primary key default gen_random_uuid(),
        warehouse_code text not null references warehouse (code),
        rule text not null,
        subject_kind text not null check (subject_kind in ('parcel', 'buyer', 'consignee', 'payer', 'sensor')),
        subject_id text not null,
        -- the parcel a hold would stop (the newest one the warning is about), when there is one
        logistics_no text,
        severity text not null default 'warning' check (severity in ('notice', 'warning', 'high')),
        reason text not null,
        evidence jsonb not null,
        status text not null default 'open' check (status in ('open', 'held', 'dismissed')),
        occurrences integer not null default 1,
        raised_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        decided_by text,
        decided_at timestamptz,
        decision_note text,
        unique (warehouse_code, rule, subject_kind, subject_id)
      )`);
    // the console's page: newest change first, by status or all, 100 at a time
    this.addSql('create index risk_warning_list_idx on risk_warning (status, updated_at desc, id)');
    this.addSql('create index risk_warning_recent_idx on risk_warning (updated_at desc, id)');
    this.addSql('create index risk_warning_parcel_idx on risk_warning (logistics_no) where logistics_no is not null');

    // the shared-consignee and shared-payer rules look orders up by address, phone and payer
    this.addSql(
      `create index trade_order_consignee_address_idx on trade_order ((doc->>'consigneeAddress')) where direction = 'import'`,
    );
    this.addSql(
      `create index trade_order_consignee_phone_idx on trade_order ((doc->>'consigneeTelephone')) where direction = 'import'`,
    );
    this.addSql(
      `create index trade_payment_payer_idx on trade_payment ((doc->>'payerIdNumber')) where direction = 'import'`,
    );
    this.addSql('create index customs_return_list_idx on customs_return (list_id)');

    this.addSql(`
      create table risk_cursor (
        source text primary key,
        last_id bigint not null default 0,
        updated_at timestamptz not null default now()
      )`);

    // the low-value rule's reference per site and HS code, kept for a while rather than recomputed per list
    this.addSql(`
      create table risk_price_reference (
        warehouse_code text not null,
        gcode text not null,
        window_days integer not null,
        median numeric(19,5) not null,
        samples integer not null,
        computed_at timestamptz not null default now(),
        primary key (warehouse_code, gcode, window_days)
      )`);
    this.addSql('create index inventory_list_site_time_idx on inventory_list (warehouse_code, created_at)');

    this.addSql(`
      create table temperature_sensor (
        device_id text primary key references device (device_id),
        warehouse_code text not null,
        zone_code text not null,
        foreign key (warehouse_code, zone_code) references zone (warehouse_code, code)
      )`);
    this.addSql(`
      create table temperature_reading (
        id bigserial primary key,
        event_id uuid not null unique,
        agent_id text not null,
        device_id text not null,
        station_id text not null,
        seq bigint not null,
        deci_celsius integer not null check (deci_celsius between -2000 and 2000),
        humidity_deci_pct integer check (humidity_deci_pct between 0 and 1000),
        protocol text not null,
        raw bytea not null,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now()
      )`);
    this.addSql('create index temperature_reading_device_idx on temperature_reading (device_id, occurred_at desc)');
    this.addSql(`
      create table temperature_excursion (
        id bigserial primary key,
        device_id text not null,
        warehouse_code text not null,
        zone_code text not null,
        min_deci_c integer,
        max_deci_c integer,
        started_at timestamptz not null,
        last_at timestamptz not null,
        ended_at timestamptz,
        peak_deci_c integer not null,
        readings integer not null,
        recorded_at timestamptz,
        unique (device_id, started_at)
      )`);

    for (const table of Object.keys(RISK_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE})`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(
      'drop index if exists trade_order_consignee_address_idx, trade_order_consignee_phone_idx, trade_payment_payer_idx, customs_return_list_idx, inventory_list_site_time_idx',
    );
    this.addSql(
      'drop table if exists temperature_excursion, temperature_reading, temperature_sensor, risk_price_reference, risk_cursor, risk_warning, risk_rule',
    );
    this.addSql('alter table goods drop column if exists temp_min_deci_c, drop column if exists temp_max_deci_c');
    this.addSql(
      'alter table zone drop constraint if exists zone_temp_range_check, drop column if exists temp_min_deci_c, drop column if exists temp_max_deci_c',
    );
    this.addSql('alter table device drop constraint if exists device_kind_check');
    this.addSql(`alter table device add constraint device_kind_check check (kind in ('scanner', 'scale', 'printer'))`);
  }
}

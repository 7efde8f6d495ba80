import { Migration } from '@mikro-orm/migrations';

/**
 * Warehouse operations by scanning (issue 5): every scan answered once and kept (a repeated scan
 * id returns the first answer), inbound deliveries and their counts, pick tasks, the station's
 * current step, weight checks, stock-takes and their discrepancy reports. The stock itself stays
 * in stock_movement: these tables say what was asked and seen, the ledger what moved.
 */
export class Migration20261126000500FloorOperations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table location add column purpose text not null default 'storage'
      check (purpose in ('storage', 'dock', 'pack', 'staging'))`);
    // A scan names goods by SKU or GTIN without its owner, and a location without its item: both
    // must be found without walking the table, whatever the size of the warehouse.
    this.addSql('create index goods_sku_idx on goods (sku)');
    this.addSql(
      `create index stock_movement_location_idx on stock_movement (warehouse_code, location) where ledger = 'shelf'`,
    );
    this.addSql('create index location_zone_idx on location (warehouse_code, zone_code, purpose, code)');
    // Parcels waiting to be picked, oldest first: what a wave takes, however many have left already.
    this.addSql(`create index inventory_list_to_pick_idx on inventory_list (warehouse_code, declared_at, id)
      where state = 'declared' and packed_at is null and gate_passed_at is null`);
    this.addSql(`
      create table floor_scan (
        scan_id uuid primary key,
        operation text not null,
        actor text not null,
        station_id text,
        code text not null,
        outcome text not null check (outcome in ('ok', 'refused')),
        response jsonb not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql("create index floor_scan_refused_idx on floor_scan (created_at desc) where outcome = 'refused'");
    // Where a station (or a handheld user) is in a two-scan step: location then goods, and so on.
    this.addSql(`
      create table floor_session (
        actor text not null,
        station_id text not null,
        operation text not null,
        state jsonb not null,
        updated_at timestamptz not null default now(),
        primary key (actor, station_id, operation)
      )`);
    this.addSql(`
      create table inbound_delivery (
        id bigserial primary key,
        warehouse_code text not null references warehouse (code),
        delivery_no text not null unique,
        owner_code text not null,
        entry_doc_no text,
        dock_location text not null,
        status text not null default 'open' check (status in ('open', 'held', 'closed')),
        lines jsonb not null,
        report jsonb,
        created_by text,
        created_at timestamptz not null default now(),
        closed_by text,
        closed_at timestamptz,
        foreign key (warehouse_code, dock_location) references location (warehouse_code, code)
      )`);
    this.addSql(`
      create table inbound_count (
        id bigserial primary key,
        delivery_id bigint not null references inbound_delivery (id),
        sku text not null,
        batch text not null default '',
        expiry text,
        pallet_sscc text,
        condition text not null check (condition in ('good', 'damaged', 'unexpected')),
        qty integer not null check (qty > 0),
        scan_id uuid not null,
        actor text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index inbound_count_delivery_idx on inbound_count (delivery_id, sku, condition)');
    this.addSql(`
      create table pick_task (
        id bigserial primary key,
        wave_no text not null,
        list_id bigint not null references inventory_list (id),
        logistics_no text not null,
        warehouse_code text not null,
        owner_code text not null,
        sku text not null,
        ems_no text,
        putrec_seqno integer,
        batch text not null,
        location text not null,
        qty integer not null check (qty > 0),
        picked integer not null default 0 check (picked >= 0 and picked <= qty),
        status text not null default 'open' check (status in ('open', 'done', 'short')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql("create index pick_task_open_idx on pick_task (warehouse_code, location) where status = 'open'");
    this.addSql('create index pick_task_list_idx on pick_task (list_id)');
    this.addSql(`
      create table weight_check (
        id bigserial primary key,
        list_id bigint not null references inventory_list (id),
        logistics_no text not null,
        station_id text not null,
        weight_event_id bigint references weight_event (id),
        gross_grams integer not null,
        declared_grams integer,
        expected_grams integer,
        tolerance_grams integer not null,
        within boolean not null,
        actor text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index weight_check_list_idx on weight_check (list_id, created_at desc)');
    this.addSql('create index weight_check_event_idx on weight_check (weight_event_id)');
    this.addSql(`
      create table stocktake (
        id bigserial primary key,
        stocktake_no text not null unique,
        warehouse_code text not null references warehouse (code),
        locations text[] not null,
        status text not null default 'open' check (status in ('open', 'closed')),
        report jsonb,
        created_by text not null,
        created_at timestamptz not null default now(),
        closed_by text,
        closed_at timestamptz
      )`);
    this.addSql(`
      create table stocktake_count (
        id bigserial primary key,
        stocktake_id bigint not null references stocktake (id),
        location text not null,
        sku text not null,
        owner_code text not null,
        batch text not null default '',
        qty integer not null check (qty > 0),
        scan_id uuid not null,
        actor text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index stocktake_count_idx on stocktake_count (stocktake_id, location)');
    // Parcel labels: one SSCC per parcel, printed once; every reprint is a new, recorded job.
    this.addSql('create sequence sscc_serial_seq');
    this.addSql(`
      create table parcel_label (
        list_id bigint primary key references inventory_list (id),
        logistics_no text not null,
        sscc text not null unique,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table label_print (
        id bigserial primary key,
        list_id bigint not null references parcel_label (list_id),
        job_id text not null unique,
        device_id text not null,
        reprint integer not null check (reprint >= 0),
        reason text,
        status text not null,
        status_reason text,
        actor text not null,
        created_at timestamptz not null default now(),
        unique (list_id, reprint)
      )`);
    // Loading: parcels into bags and pallets (each with its SSCC), those onto a vehicle trip, which
    // leaves under a gate release note (核放单) once its weight agrees with what it carries.
    this.addSql(`
      create table vehicle_trip (
        trip_no text primary key,
        warehouse_code text not null references warehouse (code),
        plate text not null,
        status text not null default 'loading' check (status in ('loading', 'departed')),
        release_note_no text unique,
        vehicle_tare_kg numeric(12, 3),
        weighed_gross_kg numeric(12, 3),
        expected_kg numeric(12, 3),
        created_by text not null,
        created_at timestamptz not null default now(),
        departed_by text,
        departed_at timestamptz
      )`);
    this.addSql(`
      create table handling_unit (
        sscc text primary key,
        warehouse_code text not null references warehouse (code),
        kind text not null check (kind in ('bag', 'pallet')),
        trip_no text references vehicle_trip (trip_no),
        created_by text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table handling_unit_parcel (
        list_id bigint primary key references inventory_list (id),
        sscc text not null references handling_unit (sscc),
        logistics_no text not null,
        added_by text not null,
        added_at timestamptz not null default now()
      )`);
    this.addSql('create index handling_unit_parcel_sscc_idx on handling_unit_parcel (sscc)');
  }

  override async down(): Promise<void> {
    for (const t of [
      'stocktake_count',
      'stocktake',
      'weight_check',
      'pick_task',
      'inbound_count',
      'inbound_delivery',
      'floor_session',
      'floor_scan',
    ])
      this.addSql(`drop table if exists ${t}`);
    this.addSql('drop sequence if exists sscc_serial_seq');
    this.addSql('alter table location drop column if exists purpose');
  }
}

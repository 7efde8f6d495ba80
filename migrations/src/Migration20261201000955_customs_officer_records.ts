import { Migration } from '@mikro-orm/migrations';

/**
 * What customs officers do and read, on the record (issue 13, "责任可究"):
 *
 * - `customs_hold`: every hold an officer placed and its lift, each signed (user id, login, name,
 *   time) with its reason. `inventory_list.hold_reason/held_by/held_at` stays the parcel's current
 *   hold the gate reads; this is the history, one open row per parcel at most.
 * - `customs_inspection`: the result an officer recorded after inspecting a parcel (found as
 *   declared / discrepancy, notes), signed the same way, with the customs status at that moment;
 *   `customs_inspection_photo` its photos (JPEG/PNG as the shipments' damage photos).
 * - `customs_audit`: every request by a user with the customs role, reads included (who, route,
 *   params, query, status, outcome). Append-only: no update, delete or truncate — refused by trigger
 *   and not granted to the application role; no API writes it but the audit itself.
 * - Indexes for the trace search box: a parcel found by orderNo, entryId or gate pass number.
 *
 * Centre-only rows (no seller's): no row-level security arm.
 */
export class Migration20261201000955CustomsOfficerRecords extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table customs_hold (
        id bigserial primary key,
        list_id bigint not null references inventory_list (id),
        logistics_no text not null,
        reason text not null check (length(btrim(reason)) >= 3),
        placed_by_id uuid,
        placed_by text not null,
        placed_by_name text not null,
        placed_at timestamptz not null default now(),
        lift_reason text check (lift_reason is null or length(btrim(lift_reason)) >= 3),
        lifted_by_id uuid,
        lifted_by text,
        lifted_by_name text,
        lifted_at timestamptz,
        check ((lifted_at is null) = (lifted_by is null) and (lifted_at is null) = (lift_reason is null))
      )`);
    this.addSql('create unique index customs_hold_open_idx on customs_hold (list_id) where lifted_at is null');
    this.addSql('create index customs_hold_list_idx on customs_hold (list_id, id)');

    this.addSql(`
      create table customs_inspection (
        id bigserial primary key,
        list_id bigint not null references inventory_list (id),
        logistics_no text not null,
        result text not null check (result in ('as-declared', 'discrepancy')),
        notes text not null default '',
        customs_status integer,
        recorded_by_id uuid,
        recorded_by text not null,
        recorded_by_name text not null,
        recorded_at timestamptz not null default now(),
        check (result <> 'discrepancy' or length(btrim(notes)) >= 3)
      )`);
    this.addSql('create index customs_inspection_list_idx on customs_inspection (list_id, id)');
    this.addSql(`
      create table customs_inspection_photo (
        id uuid primary key default gen_random_uuid(),
        inspection_id bigint not null references customs_inspection (id),
        photo bytea not null,
        photo_type text not null check (photo_type in ('image/jpeg', 'image/png')),
        taken_by text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index customs_inspection_photo_idx on customs_inspection_photo (inspection_id, created_at)');

    this.addSql(`
      create table customs_audit (
        id bigserial primary key,
        at timestamptz not null default now(),
        user_id uuid,
        username text not null,
        display_name text,
        method text not null,
        route text not null,
        path text not null,
        params jsonb not null default '{}'::jsonb,
        query jsonb not null default '{}'::jsonb,
        body jsonb,
        status integer not null,
        outcome text not null check (outcome in ('ok', 'refused', 'failed')),
        error_code text,
        duration_ms integer not null default 0
      )`);
    this.addSql('create index customs_audit_at_idx on customs_audit (at desc, id desc)');
    this.addSql('create index customs_audit_user_idx on customs_audit (username, id desc)');
    this.addSql('create index customs_audit_route_idx on customs_audit (route, id desc)');
    this.addSql(`create trigger customs_audit_append_only before update or delete on customs_audit
      for each row execute function refuse_change()`);
    this.addSql(`create trigger customs_audit_no_truncate before truncate on customs_audit
      for each statement execute function refuse_change()`);
    // Inspection results and photos are records too: corrected by a new result, never rewritten.
    for (const t of ['customs_inspection', 'customs_inspection_photo'])
      this.addSql(`create trigger ${t}_append_only before update or delete on ${t}
        for each row execute function refuse_change()`);
    // The trace search box finds a parcel by any of its documents (orderNo, entryId, gate pass).
    this.addSql('create index inventory_list_order_no_idx on inventory_list (order_no)');
    this.addSql('create index inventory_list_entry_id_idx on inventory_list (entry_id) where entry_id is not null');
    this.addSql(
      'create index inventory_list_gate_pass_idx on inventory_list (gate_pass_no) where gate_pass_no is not null',
    );
    this.addSql('revoke update, delete, truncate on customs_audit from wms_app');
    this.addSql('revoke update, delete, truncate on customs_inspection, customs_inspection_photo from wms_app');
  }

  override async down(): Promise<void> {
    for (const t of ['customs_audit', 'customs_inspection_photo', 'customs_inspection', 'customs_hold'])
      this.addSql(`drop table if exists ${t}`);
    for (const i of ['inventory_list_order_no_idx', 'inventory_list_entry_id_idx', 'inventory_list_gate_pass_idx'])
      this.addSql(`drop index if exists ${i}`);
  }
}

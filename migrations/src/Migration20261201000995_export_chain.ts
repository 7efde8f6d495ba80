import { Migration } from '@mikro-orm/migrations';

/**
 * The 9610 export chain at a consolidation warehouse (issue 14 point 8, DOMAIN.md §3-§4):
 *
 * - `export_manifest`: one report the site sends customs about export parcels: the arrival at the
 *   supervised site (CEB507, 运抵单), the master/sub waybill list (CEB607, 总分单) grouping them under
 *   a master waybill, and the departure (CEB509, 离境单) on a flight or vehicle. Its status is the
 *   one its receipts (CEB508/608/510) give under rules/export-chain-status.ts; the receipts
 *   themselves stay in customs_receipt, the message in customs_message (subject_kind 'manifest').
 * - `export_manifest_parcel`: which parcels (lists) each report names, in which bag, so a parcel's
 *   arrival and departure are found by its waybill number.
 *
 * Centre-only rows (the site's reports, spanning sellers): no row-level security arm; a seller's
 * own view of its parcels goes through inventory_list.
 */
export class Migration20261201000995ExportChain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table export_manifest (
        id bigserial primary key,
        kind text not null check (kind in ('arrival', 'waybill', 'departure')),
        cop_no text not null unique,
        warehouse_code text not null references warehouse (code),
        trip_no text references vehicle_trip (trip_no),
        bill_no text,
        -- the guid of its message, set in the same transaction once the message is recorded
        guid text unique,
        head jsonb not null,
        status integer,
        status_info text,
        status_time text,
        pre_no text,
        created_by text not null,
        created_at timestamptz not null default now(),
        check (kind = 'arrival' or (trip_no is not null and bill_no is not null))
      )`);
    this.addSql('create index export_manifest_trip_idx on export_manifest (trip_no, kind, id)');
    this.addSql(`
      create table export_manifest_parcel (
        manifest_id bigint not null references export_manifest (id),
        list_id bigint not null references inventory_list (id),
        logistics_no text not null,
        sscc text,
        primary key (manifest_id, list_id)
      )`);
    this.addSql('create index export_manifest_parcel_list_idx on export_manifest_parcel (list_id, manifest_id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists export_manifest_parcel');
    this.addSql('drop table if exists export_manifest');
  }
}

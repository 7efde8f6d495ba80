import { Migration } from '@mikro-orm/migrations';

/**
 * Bag and pallet labels (issue 11): every print of a handling unit's GS1 logistic label, the first
 * one when the unit is created at a station and each reprint with its reason, with what the label
 * said of the contents (count, gross weight) and the printer's answer.
 */
export class Migration20261201000830UnitLabels extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table unit_label_print (
        id bigserial primary key,
        sscc text not null references handling_unit (sscc),
        job_id text not null unique,
        device_id text not null,
        station_id text not null,
        reprint integer not null check (reprint >= 0),
        reason text,
        parcels integer check (parcels >= 0),
        gross_grams bigint check (gross_grams >= 0),
        status text not null,
        status_reason text,
        actor text not null,
        created_at timestamptz not null default now(),
        unique (sscc, reprint),
        -- a reprint is asked for with its reason
        check (reprint = 0 or reason is not null)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists unit_label_print');
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * The typed event rows (scans, weights, device states) no longer check their event id against
 * `ingested_event` row by row. The ingestion writes a typed row only for an id it has just inserted
 * into `ingested_event` in the same transaction, so the check could never fail, and it cost about
 * a sixth of PostgreSQL's work per ingested event (a look-up and a row lock per event). The ids stay
 * unique; the device and station references stay checked.
 */
export class Migration20261126000600EventInboxChecks extends Migration {
  override async up(): Promise<void> {
    for (const table of ['scan_event', 'weight_event', 'device_status_event'])
      this.addSql(`alter table ${table} drop constraint if exists ${table}_event_id_fkey`);
  }

  override async down(): Promise<void> {
    for (const table of ['scan_event', 'weight_event', 'device_status_event'])
      this.addSql(
        `alter table ${table} add constraint ${table}_event_id_fkey foreign key (event_id) references ingested_event (event_id)`,
      );
  }
}

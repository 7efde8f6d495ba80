import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 14 (points 6 and 8): a list's release time is kept apart from its latest status time.
 * The CEB701 summary of a month takes the lists released (800) in that month, even when their
 * closing 899 arrives in the next one; and the release moves the account book once, even when a
 * detention comes between two releases (501 -> 800 after clearance). `released_time` is the
 * customs time (returnTime) of the release in force, null until the first release.
 */
export class Migration20261201000985ListReleaseTime extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table inventory_list add column released_time text');
    // lists released before: the time of the release receipt of their current declaration
    this.addSql(`update inventory_list l set released_time = coalesce(
        (select max(r.return_time) from customs_receipt r
         where r.guid = l.current_guid and r.return_status = 800 and r.message_type in ('CEB622', 'CEB604')),
        l.customs_status_time)
      where l.customs_status in (800, 899)`);
    this.addSql(`create index inventory_list_summary_month_idx on inventory_list (substr(released_time, 1, 6))
      where direction = 'export' and trade_mode = '9610' and summary_id is null`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists inventory_list_summary_month_idx');
    this.addSql('alter table inventory_list drop column released_time');
  }
}

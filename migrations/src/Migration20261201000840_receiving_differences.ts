import { Migration } from '@mikro-orm/migrations';

/**
 * Handheld work lists (issue 11): a unit whose batch or expiry differs from the expected delivery
 * line is counted as a difference ('batch_mismatch'), set aside for the supervisor, never as good
 * stock of the expected batch. (Delivery lines keep their optional batch and expiry in the jsonb
 * `lines`: no column is needed for them.)
 */
export class Migration20261201000840ReceivingDifferences extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table inbound_count drop constraint if exists inbound_count_condition_check');
    this.addSql(`
      alter table inbound_count add constraint inbound_count_condition_check
        check (condition in ('good', 'damaged', 'unexpected', 'batch_mismatch'))`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table inbound_count drop constraint if exists inbound_count_condition_check');
    this.addSql(`
      alter table inbound_count add constraint inbound_count_condition_check
        check (condition in ('good', 'damaged', 'unexpected'))`);
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Broker identities (issue 10): an agent's secret can be revoked (no hash: nobody logs in as it)
 * and rotated (when it last changed is kept); an MQTT handheld has a secret of its own, so that
 * holding it lets one device publish its own scans and nothing else.
 */
export class Migration20261201000720BrokerIdentities extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table edge_agent alter column secret_hash drop not null');
    this.addSql('alter table edge_agent add column secret_changed_at timestamptz');
    this.addSql('alter table edge_agent add column secret_revoked_at timestamptz');
    // only devices that log in to the broker themselves (MQTT handhelds) have one
    this.addSql('alter table device add column broker_secret_hash text');
    this.addSql('alter table device add column broker_secret_changed_at timestamptz');
    this.addSql('alter table device add column broker_secret_revoked_at timestamptz');
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table device drop column broker_secret_hash, drop column broker_secret_changed_at, drop column broker_secret_revoked_at',
    );
    this.addSql('alter table edge_agent drop column secret_changed_at, drop column secret_revoked_at');
    this.addSql("update edge_agent set secret_hash = '!revoked' where secret_hash is null");
    this.addSql('alter table edge_agent alter column secret_hash set not null');
  }
}

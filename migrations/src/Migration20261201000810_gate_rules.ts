import { Migration } from '@mikro-orm/migrations';

/**
 * What must hold before a parcel leaves (issue 11): per warehouse, whether the gate asks for a
 * weighing and a printed label (on by default; an overseas site that does neither turns them off).
 * A weighing out of tolerance can be accepted by lifting the weight-check hold after a re-weigh:
 * the accepted weighing keeps who lifted the hold, when and why, so the gate can show it.
 */
export class Migration20261201000810GateRules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table warehouse
        add column gate_requires_weighing boolean not null default true,
        add column gate_requires_label boolean not null default true`);
    this.addSql(`
      alter table weight_check
        add column hold_lifted_at timestamptz,
        add column hold_lifted_by text,
        add column hold_lift_reason text`);
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table weight_check drop column if exists hold_lifted_at, drop column if exists hold_lifted_by, drop column if exists hold_lift_reason',
    );
    this.addSql(
      'alter table warehouse drop column if exists gate_requires_weighing, drop column if exists gate_requires_label',
    );
  }
}

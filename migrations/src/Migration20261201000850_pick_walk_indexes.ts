import { Migration } from '@mikro-orm/migrations';

/**
 * The pick list (issue 11): every pick answer names the wave's next open task in walking order
 * and what is left of each parcel. Both are read on every pick scan; without these they scan
 * every task of the warehouse.
 */
export class Migration20261201000850PickWalkIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create index if not exists pick_task_wave_walk_idx on pick_task (wave_no, location, sku, id) where status = 'open'",
    );
    this.addSql(
      "create index if not exists pick_task_parcel_open_idx on pick_task (logistics_no) where status = 'open'",
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists pick_task_wave_walk_idx');
    this.addSql('drop index if exists pick_task_parcel_open_idx');
  }
}

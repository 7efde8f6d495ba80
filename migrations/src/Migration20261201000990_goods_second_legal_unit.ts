import { Migration } from '@mikro-orm/migrations';

/**
 * The second legal unit of goods (DOMAIN.md §4, issue 14): an HS code may have a second legal
 * (statutory) unit besides the first (goods.legal_unit, migration 0910), and a list line then
 * carries qty2/unit2 in it. `legal_qty2_per_unit` is how many of it one declared unit is. A
 * goods row without legal_unit declares in its legal unit (factor 1); the second unit is never
 * the first one (legal_unit, or the unit when legal_unit is empty).
 */
export class Migration20261201000990GoodsSecondLegalUnit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table goods
      add column legal_unit2 text check (legal_unit2 ~ '^[0-9]{3}$'),
      add column legal_qty2_per_unit numeric(19,5) check (legal_qty2_per_unit > 0),
      add constraint goods_legal_units_differ check (legal_unit2 is null or legal_unit2 <> coalesce(legal_unit, unit))`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table goods drop constraint if exists goods_legal_units_differ,
      drop column if exists legal_qty2_per_unit, drop column if exists legal_unit2`);
  }
}

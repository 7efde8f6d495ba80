import { Migration } from '@mikro-orm/migrations';

/**
 * The seller's stock page (issue 12 "Speed": 100 SKUs with all buckets, p99 < 100 ms at 50k SKUs):
 * the page index carries each balance's bucket, quantity and time, so a page's buckets are read
 * off the index without visiting the table (the rows of one SKU lie scattered over it).
 */
export class Migration20261201000916SellerStockPageIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index seller_stock_balance_cover_idx on seller_stock_balance (warehouse_code, owner_code, sku)
      include (bucket, qty, updated_at) where qty > 0`);
    this.addSql('drop index if exists seller_stock_balance_page_idx');
  }

  override async down(): Promise<void> {
    this.addSql(
      'create index seller_stock_balance_page_idx on seller_stock_balance (warehouse_code, owner_code, sku) where qty > 0',
    );
    this.addSql('drop index if exists seller_stock_balance_cover_idx');
  }
}

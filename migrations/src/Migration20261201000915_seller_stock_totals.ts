import { Migration } from '@mikro-orm/migrations';

/**
 * Each seller's bucket totals per warehouse (issue 12: the dashboard), kept by the ledger's own
 * trigger with the balances, so the summary reads a few rows instead of summing every SKU's
 * balance. A total is spread over 8 slots by SKU: moves of different SKUs of one seller in one
 * warehouse rarely wait for each other's row lock; the reader sums the slots.
 */
const CENTRE = `current_setting('app.scope', true) = 'centre'`;
const TENANT = `current_setting('app.tenant', true)`;
const owned = (column: string) =>
  `${column} in (select so.owner_code from seller_owner so where so.seller_code = ${TENANT})`;

export const SELLER_TOTAL_POLICIES: Record<string, string | null> = {
  seller_stock_total: owned('owner_code'),
};

export class Migration20261201000915SellerStockTotals extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table seller_stock_total (
        owner_code text not null,
        warehouse_code text not null,
        bucket text not null,
        slot smallint not null check (slot between 0 and 7),
        qty bigint not null check (qty >= 0),
        primary key (owner_code, warehouse_code, bucket, slot)
      )`);
    this.addSql(`
      create or replace function seller_stock_follow() returns trigger language plpgsql as $$
      declare d record;
      begin
        for d in
          select owner_code, warehouse_code, sku, bucket, lot_no, sum(delta) as delta
            from (
              select owner_code, warehouse_code, sku, to_bucket as bucket, lot_no, qty as delta
                from moved where to_bucket is not null
              union all
              select owner_code, warehouse_code, sku, from_bucket, lot_no, -qty
                from moved where from_bucket is not null
            ) x
           group by owner_code, warehouse_code, sku, bucket, lot_no
          having sum(delta) <> 0
           order by owner_code, warehouse_code, sku, bucket, lot_no
        loop
          update seller_stock_balance b set qty = b.qty + d.delta, updated_at = now()
           where b.owner_code = d.owner_code and b.warehouse_code = d.warehouse_code and b.sku = d.sku
             and b.bucket = d.bucket and b.lot_no = d.lot_no;
          if not found then
            insert into seller_stock_balance as b (owner_code, warehouse_code, sku, bucket, lot_no, qty)
            values (d.owner_code, d.warehouse_code, d.sku, d.bucket, d.lot_no, d.delta)
            on conflict (owner_code, warehouse_code, sku, bucket, lot_no)
              do update set qty = b.qty + excluded.qty, updated_at = now();
          end if;
        end loop;
        -- the warehouse totals, after every balance row (same key order: balances, then totals)
        for d in
          select owner_code, warehouse_code, bucket, (abs(hashtext(sku)) % 8)::smallint as slot, sum(delta) as delta
            from (
              select owner_code, warehouse_code, sku, to_bucket as bucket, qty as delta
                from moved where to_bucket is not null
              union all
              select owner_code, warehouse_code, sku, from_bucket, -qty
                from moved where from_bucket is not null
            ) x
           group by 1, 2, 3, 4
          having sum(delta) <> 0
           order by 1, 2, 3, 4
        loop
          update seller_stock_total t set qty = t.qty + d.delta
           where t.owner_code = d.owner_code and t.warehouse_code = d.warehouse_code and t.bucket = d.bucket
             and t.slot = d.slot;
          if not found then
            insert into seller_stock_total as t (owner_code, warehouse_code, bucket, slot, qty)
            values (d.owner_code, d.warehouse_code, d.bucket, d.slot, d.delta)
            on conflict (owner_code, warehouse_code, bucket, slot) do update set qty = t.qty + excluded.qty;
          end if;
        end loop;
        return null;
      end $$`);
    this.addSql(`insert into seller_stock_total (owner_code, warehouse_code, bucket, slot, qty)
      select owner_code, warehouse_code, bucket, (abs(hashtext(sku)) % 8)::smallint, sum(qty)
        from seller_stock_balance group by 1, 2, 3, 4 having sum(qty) <> 0`);
    for (const [table, tenantArm] of Object.entries(SELLER_TOTAL_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE}${tenantArm ? ` or ${tenantArm}` : ''})`);
    }
  }

  override async down(): Promise<void> {
    // the trigger function as migration 0910 wrote it, then the totals go
    this.addSql(`
      create or replace function seller_stock_follow() returns trigger language plpgsql as $$
      declare d record;
      begin
        for d in
          select owner_code, warehouse_code, sku, bucket, lot_no, sum(delta) as delta
            from (
              select owner_code, warehouse_code, sku, to_bucket as bucket, lot_no, qty as delta
                from moved where to_bucket is not null
              union all
              select owner_code, warehouse_code, sku, from_bucket, lot_no, -qty
                from moved where from_bucket is not null
            ) x
           group by owner_code, warehouse_code, sku, bucket, lot_no
          having sum(delta) <> 0
           order by owner_code, warehouse_code, sku, bucket, lot_no
        loop
          update seller_stock_balance b set qty = b.qty + d.delta, updated_at = now()
           where b.owner_code = d.owner_code and b.warehouse_code = d.warehouse_code and b.sku = d.sku
             and b.bucket = d.bucket and b.lot_no = d.lot_no;
          if not found then
            insert into seller_stock_balance as b (owner_code, warehouse_code, sku, bucket, lot_no, qty)
            values (d.owner_code, d.warehouse_code, d.sku, d.bucket, d.lot_no, d.delta)
            on conflict (owner_code, warehouse_code, sku, bucket, lot_no)
              do update set qty = b.qty + excluded.qty, updated_at = now();
          end if;
        end loop;
        return null;
      end $$`);
    this.addSql('drop table if exists seller_stock_total');
  }
}

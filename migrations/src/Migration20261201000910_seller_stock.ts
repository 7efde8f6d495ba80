import { Migration } from '@mikro-orm/migrations';

/**
 * A seller's stock in buckets (issue 12, DOMAIN.md §10), the overseas warehouse as a warehouse of
 * its own kind, and the SKU fields sellers keep.
 *
 * - `seller_stock_movement` is the seller's stock ledger: append-only, one row per change, each a
 *   move of whole units from one bucket to another (`from_bucket` null: the units came into the
 *   seller's stock, e.g. booked on an inbound shipment; `to_bucket` null: they left it, shipped or
 *   destroyed), with the event, the document and the reason.
 * - `seller_stock_balance` is the ledger summed per owner, warehouse, SKU, bucket and lot. Only the
 *   statement trigger below writes it, in the same statement as the ledger rows, so a bucket
 *   cannot disagree with the ledger; its check refuses a move that would take a bucket below zero.
 * - `stock_lot` is an arrival: when it arrived (FIFO, ageing) and its expiry (FEFO).
 * The customs book (stock_movement, ledger 'book') stays the source of the bonded bucket.
 */
const CENTRE = `current_setting('app.scope', true) = 'centre'`;
const TENANT = `current_setting('app.tenant', true)`;
const owned = (column: string) =>
  `${column} in (select so.owner_code from seller_owner so where so.seller_code = ${TENANT})`;

export const SELLER_STOCK_POLICIES: Record<string, string | null> = {
  stock_lot: owned('owner_code'),
  seller_stock_movement: owned('owner_code'),
  seller_stock_balance: owned('owner_code'),
};

const BUCKETS = `('inbound','receiving','available','reserved','unfulfillable','on_hold')`;

export class Migration20261201000910SellerStock extends Migration {
  override async up(): Promise<void> {
    // The overseas warehouse: its zone and currency, and the registration number of the overseas
    // warehouse where the exporter's customs asks for one (海外仓备案编号).
    this.addSql(`alter table warehouse
      add column time_zone text not null default 'Asia/Shanghai',
      add column currency text not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
      add column overseas_customs_reg text`);
    this.addSql(`alter table warehouse add constraint warehouse_overseas_country
      check (kind <> 'overseas' or country is not null)`);

    // What a seller's SKU carries beyond the customs master: the legal (statutory) unit and how
    // many of it one unit is, dimensions, and the flags carriers and warehouses refuse without.
    this.addSql(`alter table goods
      add column legal_unit text check (legal_unit ~ '^[0-9]{3}$'),
      add column legal_qty_per_unit numeric(19,5) check (legal_qty_per_unit > 0),
      add column length_mm integer check (length_mm > 0),
      add column width_mm integer check (width_mm > 0),
      add column height_mm integer check (height_mm > 0),
      add column battery text not null default 'none'
        check (battery in ('none','contained','packed-with','standalone')),
      add column dangerous_goods boolean not null default false,
      add column un_number text check (un_number ~ '^UN[0-9]{4}$'),
      add check (not dangerous_goods or un_number is not null)`);

    this.addSql(`
      create table stock_lot (
        owner_code text not null references enterprise (code),
        warehouse_code text not null references warehouse (code),
        sku text not null,
        lot_no text not null,
        expiry date,
        arrived_at timestamptz not null default now(),
        primary key (owner_code, warehouse_code, sku, lot_no),
        foreign key (owner_code, sku) references goods (owner_code, sku)
      )`);

    this.addSql(`
      create table seller_stock_movement (
        id bigserial primary key,
        owner_code text not null references enterprise (code),
        warehouse_code text not null references warehouse (code),
        sku text not null,
        lot_no text not null default '',
        from_bucket text check (from_bucket in ${BUCKETS}),
        to_bucket text check (to_bucket in ${BUCKETS}),
        qty bigint not null check (qty > 0),
        event text not null check (event ~ '^[a-z]+\\.[a-zA-Z]+$'),
        doc_type text not null,
        doc_no text not null,
        reason text,
        actor text not null,
        created_at timestamptz not null default now(),
        check (from_bucket is not null or to_bucket is not null),
        check (from_bucket is distinct from to_bucket),
        foreign key (owner_code, sku) references goods (owner_code, sku)
      )`);
    this.addSql(
      'create index seller_stock_movement_sku_idx on seller_stock_movement (owner_code, sku, warehouse_code, id)',
    );
    this.addSql('create index seller_stock_movement_doc_idx on seller_stock_movement (doc_type, doc_no)');
    this.addSql(`create trigger seller_stock_movement_append_only before update or delete on seller_stock_movement
      for each row execute function refuse_change()`);

    this.addSql(`
      create table seller_stock_balance (
        owner_code text not null,
        warehouse_code text not null,
        sku text not null,
        bucket text not null check (bucket in ${BUCKETS}),
        lot_no text not null default '',
        qty bigint not null constraint seller_stock_balance_not_negative check (qty >= 0),
        updated_at timestamptz not null default now(),
        primary key (owner_code, warehouse_code, sku, bucket, lot_no)
      )`);
    this.addSql(
      'create index seller_stock_balance_page_idx on seller_stock_balance (warehouse_code, owner_code, sku) where qty > 0',
    );

    // The balance follows the ledger in the statement that writes it: summed per key, so a bulk
    // insert touches each balance row once, and in key order, so two statements moving the same
    // SKUs lock their rows in the same order (no deadlock). A bucket taken below zero, or taken
    // from when it never held anything, fails the whole statement. (Not one upsert: PostgreSQL
    // checks a new row's constraints before it looks for the conflict, so a negative delta would
    // fail as an insert even where the row exists.)
    this.addSql(`
      create function seller_stock_follow() returns trigger language plpgsql as $$
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
    this.addSql(`create trigger seller_stock_movement_follow after insert on seller_stock_movement
      referencing new table as moved for each statement execute function seller_stock_follow()`);

    for (const [table, tenantArm] of Object.entries(SELLER_STOCK_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE}${tenantArm ? ` or ${tenantArm}` : ''})`);
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists seller_stock_balance, seller_stock_movement, stock_lot');
    this.addSql('drop function if exists seller_stock_follow()');
    this.addSql(`alter table goods drop column if exists legal_unit, drop column if exists legal_qty_per_unit,
      drop column if exists length_mm, drop column if exists width_mm, drop column if exists height_mm,
      drop column if exists battery, drop column if exists dangerous_goods, drop column if exists un_number`);
    this.addSql('alter table warehouse drop constraint if exists warehouse_overseas_country');
    this.addSql(`alter table warehouse drop column if exists time_zone, drop column if exists currency,
      drop column if exists overseas_customs_reg`);
  }
}

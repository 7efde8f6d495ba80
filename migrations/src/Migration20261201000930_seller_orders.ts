import { Migration } from '@mikro-orm/migrations';

/**
 * A seller's outbound orders at an overseas warehouse (issue 12, "Outbound orders from the
 * seller"; DOMAIN.md §10).
 *
 * - `seller_order`: the seller's order (its own `order_no`, unique per seller), the ship-to
 *   address, the status (reserved → picking → picked → packed → shipped, or cancelled before
 *   picking), the carrier's tracking number, and `body_hash` (SHA-256 of the normalised request:
 *   the same order sent again answers the existing one, a different body under the same number is
 *   refused). `fulfilment_no` is the warehouse's number for it, unique across sellers, printed on
 *   the pick list and scanned on the floor.
 * - `seller_order_line`: what was ordered, with what has been picked.
 * - `seller_order_allocation`: which stock lots the order holds (reserved at order time, FEFO
 *   where expiry exists, else FIFO by arrival); the ledger moves name the order.
 * - `seller_order_event`: the status history.
 * - `seller_order_import`: a CSV/XLSX import's progress and row errors.
 * Every table holds one seller's rows: ENABLE + FORCE ROW LEVEL SECURITY, the policy of
 * migration 0900 (centre scope, or the row's seller is the transaction's tenant).
 */
const CENTRE = `current_setting('app.scope', true) = 'centre'`;
const TENANT = `current_setting('app.tenant', true)`;
const mine = (column: string) => `${column} = ${TENANT}`;

export const SELLER_ORDER_POLICIES: Record<string, string> = {
  seller_order: mine('seller_code'),
  seller_order_line: mine('seller_code'),
  seller_order_allocation: mine('seller_code'),
  seller_order_event: mine('seller_code'),
  seller_order_import: mine('seller_code'),
};

export class Migration20261201000930SellerOrders extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table seller_order (
        id bigserial primary key,
        seller_code text not null references seller (seller_code),
        order_no text not null check (length(order_no) between 1 and 40),
        fulfilment_no text not null unique,
        owner_code text not null references enterprise (code),
        warehouse_code text not null references warehouse (code),
        ship_to jsonb not null,
        carrier text,
        body_hash text not null,
        source text not null check (source in ('api', 'bulk', 'import', 'exchange')),
        status text not null default 'reserved'
          check (status in ('reserved', 'picking', 'picked', 'packed', 'shipped', 'cancelled')),
        units integer not null check (units > 0),
        tracking_no text,
        -- the parcel's SSCC on the warehouse's own parcel label, printed at packing
        sscc text unique check (sscc ~ '^[0-9]{18}$'),
        created_by text not null,
        created_at timestamptz not null default now(),
        picking_started_at timestamptz,
        packed_at timestamptz,
        shipped_at timestamptz,
        cancelled_at timestamptz,
        unique (seller_code, order_no),
        check (status <> 'shipped' or (shipped_at is not null and tracking_no is not null))
      )`);
    this.addSql('create index seller_order_list_idx on seller_order (seller_code, created_at desc, id desc)');
    this.addSql('create index seller_order_floor_idx on seller_order (warehouse_code, status, id)');
    // the hand-over scan finds the parcel by the carrier's label
    this.addSql(
      'create index seller_order_tracking_no_idx on seller_order (tracking_no) where tracking_no is not null',
    );
    // a carrier's tracking number names one parcel (DOMAIN.md §4: logisticsNo unique per carrier)
    this.addSql(
      `create unique index seller_order_tracking_idx on seller_order (coalesce(carrier, ''), tracking_no)
         where tracking_no is not null`,
    );
    this.addSql(`
      create table seller_order_line (
        order_id bigint not null references seller_order (id),
        line_no integer not null check (line_no > 0),
        seller_code text not null,
        sku text not null,
        qty integer not null check (qty > 0),
        picked integer not null default 0 check (picked >= 0 and picked <= qty),
        primary key (order_id, line_no)
      )`);
    this.addSql('create index seller_order_line_sku_idx on seller_order_line (seller_code, sku)');
    this.addSql(`
      create table seller_order_allocation (
        id bigserial primary key,
        order_id bigint not null references seller_order (id),
        seller_code text not null,
        sku text not null,
        lot_no text not null,
        expiry date,
        qty integer not null check (qty > 0)
      )`);
    this.addSql('create index seller_order_allocation_order_idx on seller_order_allocation (order_id)');
    this.addSql(`
      create table seller_order_event (
        id bigserial primary key,
        order_id bigint not null references seller_order (id),
        seller_code text not null,
        status text not null,
        actor text not null,
        note text,
        at timestamptz not null default now()
      )`);
    this.addSql('create index seller_order_event_order_idx on seller_order_event (order_id, id)');
    this.addSql(`
      create table seller_order_import (
        id uuid primary key default gen_random_uuid(),
        seller_code text not null references seller (seller_code),
        file_name text not null,
        format text not null check (format in ('csv', 'xlsx')),
        status text not null default 'running' check (status in ('running', 'done', 'failed')),
        total integer not null default 0,
        processed integer not null default 0,
        orders_created integer not null default 0,
        orders_existing integer not null default 0,
        orders_refused integer not null default 0,
        errors jsonb not null default '[]'::jsonb,
        created_by text not null,
        created_at timestamptz not null default now(),
        finished_at timestamptz
      )`);
    this.addSql('create index seller_order_import_seller_idx on seller_order_import (seller_code, created_at desc)');
    for (const [table, tenantArm] of Object.entries(SELLER_ORDER_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE} or ${tenantArm})`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(
      'drop table if exists seller_order_import, seller_order_event, seller_order_allocation, seller_order_line, seller_order',
    );
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Inbound shipments (ASN) of sellers into overseas warehouses, exported under 9810 (issue 12,
 * DOMAIN.md §3, §10): the shipment, its status history, its cartons (SSCC, AI 00) with their lines,
 * and damage records with their photo (kept in PostgreSQL, size-limited). The floor's count of the
 * shipment is the receiving room's (inbound_delivery/inbound_count with delivery_no = shipment_no);
 * the seller's buckets are the stock ledger's (seller_stock_movement): nothing here duplicates them.
 *
 * Every table holds a seller's rows: ENABLE + FORCE row-level security, the centre arm and the
 * tenant arm, as migration 0900 does.
 */
const CENTRE = `current_setting('app.scope', true) = 'centre'`;
const TENANT = `current_setting('app.tenant', true)`;
const ofShipment = (table: string) => `exists (select 1 from seller_shipment s where s.id = ${table}.shipment_id)`;

export const SHIPMENT_POLICIES: Record<string, string> = {
  seller_shipment: `seller_code = ${TENANT}`,
  seller_shipment_status: ofShipment('seller_shipment_status'),
  seller_shipment_carton: ofShipment('seller_shipment_carton'),
  seller_shipment_line: ofShipment('seller_shipment_line'),
  seller_shipment_damage: ofShipment('seller_shipment_damage'),
};

export const SHIPMENT_STATUSES = ['booked', 'departed', 'in_transit', 'arrived', 'receiving', 'received', 'closed'];

export class Migration20261201000920SellerShipments extends Migration {
  override async up(): Promise<void> {
    const statuses = SHIPMENT_STATUSES.map((s) => `'${s}'`).join(', ');
    this.addSql(`
      create table seller_shipment (
        id bigserial primary key,
        shipment_no text not null unique check (shipment_no ~ '^[A-Za-z0-9_-]{1,40}$'),
        seller_code text not null references seller (seller_code),
        owner_code text not null references enterprise (code),
        warehouse_code text not null references warehouse (code),
        origin_warehouse_code text not null references warehouse (code),
        carrier text,
        eta date,
        status text not null default 'booked' check (status in (${statuses})),
        -- the export inventory list (CEB603, tradeMode 9810) it left under: inventory_list.cop_no
        cop_no text,
        -- declared value in CNY (decimal string): over the per-ticket limit it needs the general declaration
        declared_value_cny numeric(18, 2),
        general_declaration boolean not null default false,
        created_by text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (warehouse_code <> origin_warehouse_code)
      )`);
    this.addSql('create index seller_shipment_seller_idx on seller_shipment (seller_code, created_at desc)');
    this.addSql('create index seller_shipment_cop_idx on seller_shipment (cop_no) where cop_no is not null');
    this.addSql(`
      create table seller_shipment_status (
        id bigserial primary key,
        shipment_id bigint not null references seller_shipment (id),
        status text not null check (status in (${statuses})),
        at timestamptz not null default now(),
        actor text not null,
        note text
      )`);
    this.addSql('create index seller_shipment_status_idx on seller_shipment_status (shipment_id, at)');
    this.addSql(`
      create table seller_shipment_carton (
        id bigserial primary key,
        shipment_id bigint not null references seller_shipment (id),
        carton_no integer not null check (carton_no > 0),
        -- an SSCC names one carton anywhere, ever (GS1 General Specifications §2.2.1)
        sscc text not null unique check (sscc ~ '^[0-9]{18}$'),
        arrived_at timestamptz,
        arrived_by text,
        unique (shipment_id, carton_no)
      )`);
    this.addSql(`
      create table seller_shipment_line (
        id bigserial primary key,
        shipment_id bigint not null references seller_shipment (id),
        carton_id bigint not null references seller_shipment_carton (id),
        line_no integer not null check (line_no > 0),
        sku text not null,
        qty integer not null check (qty > 0),
        batch text not null default '',
        expiry date,
        received integer not null default 0 check (received >= 0),
        over integer not null default 0 check (over >= 0),
        damaged integer not null default 0 check (damaged >= 0),
        -- set when the receipt is closed: expected units that never came
        short integer check (short >= 0),
        unique (shipment_id, line_no)
      )`);
    this.addSql('create index seller_shipment_line_carton_idx on seller_shipment_line (carton_id, sku)');
    this.addSql('create index seller_shipment_line_sku_idx on seller_shipment_line (shipment_id, sku)');
    this.addSql(`
      create table seller_shipment_damage (
        id uuid primary key default gen_random_uuid(),
        shipment_id bigint not null references seller_shipment (id),
        carton_id bigint references seller_shipment_carton (id),
        line_id bigint references seller_shipment_line (id),
        sku text not null,
        qty integer not null check (qty > 0),
        scan_id uuid,
        recorded_by text not null,
        recorded_at timestamptz not null default now(),
        photo bytea,
        photo_type text check (photo_type in ('image/jpeg', 'image/png')),
        photo_at timestamptz,
        check ((photo is null) = (photo_type is null)),
        check (photo is null or octet_length(photo) <= 5242880)
      )`);
    this.addSql('create index seller_shipment_damage_idx on seller_shipment_damage (shipment_id, recorded_at)');
    for (const [table, tenantArm] of Object.entries(SHIPMENT_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE} or ${tenantArm})`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(
      'drop table if exists seller_shipment_damage, seller_shipment_line, seller_shipment_carton, seller_shipment_status, seller_shipment',
    );
  }
}

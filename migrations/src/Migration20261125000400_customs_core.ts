import { Migration } from '@mikro-orm/migrations';

/**
 * Customs core (DOMAIN.md §2-§8): master data (enterprises, warehouses, zones, locations, goods,
 * account-book lines), the trade documents (orders, payments, waybills), inventory lists (one per
 * parcel), customs messages out and receipts in, 9610 summaries, returns, the append-only stock
 * ledger (book and shelf) and the trace of every event on a parcel or book line.
 */
export class Migration20261125000400CustomsCore extends Migration {
  override async up(): Promise<void> {
    // Our own document numbers (copNo of lists, returns, cancels, summaries; gate pass numbers).
    this.addSql('create sequence customs_doc_seq');
    this.addSql(`
      create table enterprise (
        code text primary key,
        name text not null,
        -- ebp platform, ebc e-commerce company, logistics, pay, iac warehouse operator, agent declaring agent
        roles text[] not null check (cardinality(roles) > 0
          and roles <@ array['ebp','ebc','logistics','pay','iac','agent','owner']::text[]),
        -- customs enterprise credit (advanced certified / general / untrusted), DOMAIN.md §8
        credit_class text not null default 'general' check (credit_class in ('advanced','general','untrusted')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table warehouse (
        code text primary key,
        name text not null,
        kind text not null check (kind in ('bonded-centre','overseas','consolidation')),
        customs_code text,
        port_code text,
        loct_no text,
        ems_no text unique,
        operator_code text references enterprise (code),
        country text,
        storage_age_limit_days integer not null default 365 check (storage_age_limit_days > 0),
        storage_age_warning_days integer not null default 30 check (storage_age_warning_days >= 0),
        created_at timestamptz not null default now(),
        -- a bonded centre is a supervised site with an account book (DOMAIN.md §6)
        check (kind <> 'bonded-centre' or (customs_code is not null and loct_no is not null and ems_no is not null))
      )`);
    this.addSql(`
      create table zone (
        warehouse_code text not null references warehouse (code),
        code text not null,
        kind text not null check (kind in ('bonded','non-bonded','inspection','returns','quarantine')),
        primary key (warehouse_code, code)
      )`);
    this.addSql(`
      create table location (
        warehouse_code text not null,
        code text not null,
        zone_code text not null,
        primary key (warehouse_code, code),
        foreign key (warehouse_code, zone_code) references zone (warehouse_code, code)
      )`);
    this.addSql(`
      create table goods (
        owner_code text not null references enterprise (code),
        sku text not null,
        gtin text,
        gcode text not null check (gcode ~ '^[0-9]{10}$'),
        name text not null,
        model text not null default '',
        unit text not null,
        declared_price numeric(19,5) not null check (declared_price >= 0),
        currency text not null default '142',
        country text not null,
        gross_grams integer check (gross_grams > 0),
        created_at timestamptz not null default now(),
        primary key (owner_code, sku)
      )`);
    this.addSql('create index goods_gtin_idx on goods (gtin)');
    this.addSql(`
      create table book_line (
        ems_no text not null references warehouse (ems_no),
        putrec_seqno integer not null check (putrec_seqno > 0),
        item_no text not null,
        gcode text not null check (gcode ~ '^[0-9]{10}$'),
        gname text not null,
        unit text not null,
        primary key (ems_no, putrec_seqno),
        unique (ems_no, item_no)
      )`);

    // Trade documents as received (DOMAIN.md §4); the doc column keeps the whole message.
    this.addSql(`
      create table trade_order (
        id bigserial primary key,
        direction text not null check (direction in ('import','export')),
        ebp_code text not null,
        order_no text not null,
        ebc_code text not null,
        buyer_id_number text,
        actural_paid numeric(19,5),
        doc jsonb not null,
        received_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (ebp_code, order_no)
      )`);
    this.addSql(`
      create table trade_payment (
        id bigserial primary key,
        direction text not null check (direction in ('import','export')),
        pay_code text not null,
        pay_transaction_id text not null,
        order_no text not null,
        doc jsonb not null,
        received_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (pay_code, pay_transaction_id)
      )`);
    this.addSql('create index trade_payment_order_idx on trade_payment (order_no)');
    this.addSql(`
      create table trade_waybill (
        id bigserial primary key,
        direction text not null check (direction in ('import','export')),
        logistics_code text not null,
        logistics_no text not null,
        order_no text not null,
        doc jsonb not null,
        received_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (logistics_code, logistics_no)
      )`);
    this.addSql('create index trade_waybill_order_idx on trade_waybill (order_no)');

    this.addSql(`
      create table customs_summary (
        id bigserial primary key,
        cop_no text not null unique,
        guid text not null unique,
        ebc_code text not null,
        agent_code text not null,
        customs_code text not null,
        loct_no text,
        period_start date not null,
        period_end date not null,
        sum_no text,
        status integer,
        status_info text,
        status_time text,
        entry_id text,
        created_by text,
        created_at timestamptz not null default now()
      )`);

    // One inventory list per parcel (logisticsNo) and order.
    this.addSql(`
      create table inventory_list (
        id bigserial primary key,
        cop_no text not null unique,
        direction text not null check (direction in ('import','export')),
        trade_mode text not null check (trade_mode in ('1210','1239','9610','9710','9810')),
        warehouse_code text not null references warehouse (code),
        ebp_code text not null,
        order_no text not null,
        ebc_code text not null,
        logistics_code text not null,
        logistics_no text not null,
        ems_no text,
        agent_code text not null,
        buyer_id_number text,
        actural_paid numeric(19,5),
        head jsonb not null,
        lines jsonb not null,
        -- draft -> declared; blocked when the three-document match or validation refuses it;
        -- rejected when customs answered 100 or an error; cancelled after an approved CEB623/605
        state text not null default 'draft' check (state in ('draft','blocked','declared','rejected','cancelled')),
        problems jsonb,
        current_guid text unique,
        declared_at timestamptz,
        declare_count integer not null default 0,
        customs_status integer,
        customs_status_info text,
        customs_status_time text,
        invt_no text,
        pre_no text,
        summary_id bigint references customs_summary (id),
        entry_id text,
        hold_reason text,
        held_by text,
        held_at timestamptz,
        packed_at timestamptz,
        packed_by text,
        gate_passed_at timestamptz,
        gate_pass_no text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (ebp_code, order_no),
        unique (logistics_code, logistics_no)
      )`);
    this.addSql('create index inventory_list_logistics_no_idx on inventory_list (logistics_no)');
    this.addSql('create index inventory_list_status_idx on inventory_list (customs_status, state)');
    this.addSql('create index inventory_list_buyer_idx on inventory_list (buyer_id_number)');
    this.addSql('create index inventory_list_invt_no_idx on inventory_list (invt_no)');

    this.addSql(`
      create table customs_return (
        id bigserial primary key,
        cop_no text not null unique,
        list_id bigint not null references inventory_list (id),
        guid text not null unique,
        reason text not null,
        lines jsonb not null,
        status integer,
        status_info text,
        status_time text,
        received_at timestamptz,
        received_by text,
        location text,
        created_by text,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table customs_cancel (
        id bigserial primary key,
        cop_no text not null unique,
        list_id bigint not null references inventory_list (id),
        guid text not null unique,
        reason text not null,
        status integer,
        status_info text,
        status_time text,
        created_by text,
        created_at timestamptz not null default now()
      )`);

    // Every message we generated, exactly as written to the single-window outbox.
    this.addSql(`
      create table customs_message (
        guid text primary key,
        message_type text not null,
        subject_kind text not null check (subject_kind in ('list','summary','return','cancel','manifest')),
        subject_id bigint not null,
        file_name text not null unique,
        xml text not null,
        created_at timestamptz not null default clock_timestamp(),
        -- set when the file is in the outbox: files are written only after the declaring
        -- transaction committed, so a receipt can never arrive for a declaration not yet stored
        written_at timestamptz
      )`);
    this.addSql('create index customs_message_unwritten_idx on customs_message (created_at) where written_at is null');
    this.addSql('create index customs_message_subject_idx on customs_message (subject_kind, subject_id)');
    // Every receipt ever received, applied or not (the full history, DOMAIN.md §4).
    this.addSql(`
      create table customs_receipt (
        id bigserial primary key,
        message_type text not null,
        guid text not null,
        return_status integer not null,
        return_time text not null,
        return_info text,
        fields jsonb not null,
        file_name text not null,
        changed_status boolean not null,
        ignored_because text,
        received_at timestamptz not null default now(),
        unique (message_type, guid, return_status, return_time)
      )`);
    this.addSql('create index customs_receipt_guid_idx on customs_receipt (guid)');

    /*
     * The stock ledger: append-only movements, balances are sums (DOMAIN.md §6).
     *  ledger 'book'  : the customs account book; every row names its customs document.
     *  ledger 'shelf' : units physically in the warehouse, by location.
     * Book equals shelf: per book line, sum(book, state <> written-off) = sum(shelf).
     */
    this.addSql(`
      create table stock_movement (
        id bigserial primary key,
        ledger text not null check (ledger in ('book','shelf')),
        warehouse_code text not null references warehouse (code),
        ems_no text,
        putrec_seqno integer,
        owner_code text not null,
        sku text not null,
        batch text not null default '',
        location text not null default '',
        customs_state text not null check (customs_state in
          ('bonded','verification-applied','gate-release-applied','written-off','non-bonded')),
        qty bigint not null check (qty <> 0),
        doc_type text not null check (doc_type in
          ('entry-verification','inventory-list','gate-release','return','cancel','pick','stocktake','putaway','inbound')),
        doc_no text not null,
        logistics_no text,
        actor text,
        note text,
        created_at timestamptz not null default now(),
        check (ledger <> 'book' or (ems_no is not null and putrec_seqno is not null)),
        foreign key (ems_no, putrec_seqno) references book_line (ems_no, putrec_seqno)
      )`);
    this.addSql('create index stock_movement_book_line_idx on stock_movement (ems_no, putrec_seqno, ledger)');
    this.addSql(
      'create index stock_movement_stock_idx on stock_movement (warehouse_code, owner_code, sku, batch, location)',
    );
    this.addSql(
      'create index stock_movement_parcel_idx on stock_movement (logistics_no) where logistics_no is not null',
    );
    this.addSql('create index stock_movement_doc_idx on stock_movement (doc_type, doc_no)');

    // Append-only: the ledger and the trace refuse updates and deletes, whoever asks.
    this.addSql(`
      create function refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only: record a new movement instead of changing one', tg_table_name
          using errcode = 'P0001';
      end $$`);
    this.addSql(`create trigger stock_movement_append_only before update or delete on stock_movement
      for each row execute function refuse_change()`);

    // Traceability (DOMAIN.md §7): EPCIS-shaped events on parcels, book lines, documents.
    this.addSql(`
      create table trace_event (
        id bigserial primary key,
        object_kind text not null check (object_kind in ('parcel','book-line','summary','stock')),
        object_id text not null,
        biz_step text not null,
        disposition text,
        read_point text,
        actor text,
        documents jsonb not null default '{}'::jsonb,
        detail jsonb not null default '{}'::jsonb,
        occurred_at timestamptz not null default now()
      )`);
    this.addSql('create index trace_event_object_idx on trace_event (object_kind, object_id, id)');
    this.addSql(`create trigger trace_event_append_only before update or delete on trace_event
      for each row execute function refuse_change()`);

    // Bulk imports run in the background and report progress.
    this.addSql(`
      create table import_job (
        id uuid primary key default gen_random_uuid(),
        kind text not null,
        total integer not null,
        processed integer not null default 0,
        accepted integer not null default 0,
        unchanged integer not null default 0,
        failed integer not null default 0,
        errors jsonb not null default '[]'::jsonb,
        state text not null default 'running' check (state in ('running','done','failed')),
        created_by text,
        created_at timestamptz not null default now(),
        finished_at timestamptz
      )`);
  }

  override async down(): Promise<void> {
    for (const table of [
      'import_job',
      'trace_event',
      'stock_movement',
      'customs_receipt',
      'customs_message',
      'customs_cancel',
      'customs_return',
      'inventory_list',
      'customs_summary',
      'trade_waybill',
      'trade_payment',
      'trade_order',
      'book_line',
      'goods',
      'location',
      'zone',
      'warehouse',
      'enterprise',
    ])
      this.addSql(`drop table if exists ${table}`);
    this.addSql('drop function if exists refuse_change()');
    this.addSql('drop sequence if exists customs_doc_seq');
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * The bonded ledger summed (issue 13 "In the warehouse now", "Book equals shelf"; DOMAIN.md §6),
 * so the customs console reads a page of book lines without summing the whole ledger.
 *
 * - `bonded_stock_balance` is `stock_movement` summed per warehouse, book line (null off the book),
 *   ledger, customs state, owner, SKU, batch and location: what a book line's drill-down, the
 *   owner and location views read. Rows that went back to zero stay (qty 0) and are left out by
 *   the partial indexes.
 * - `book_line_balance` is one row per warehouse and book line: the book by customs state and the
 *   shelf total, so book ≠ shelf is an indexed question and the page is a keyset over its key.
 * Only the statement trigger below writes them, in the statement that appends the movements, so
 * they cannot disagree with the ledger (stock_movement is append-only). Keys are written in order,
 * so two statements touching the same lines lock them in the same order (no deadlock).
 * `bonded_stock_balance` holds an owner's rows: row-level security as its ledger (migration 0900);
 * `book_line_balance` sums every owner of a line and has no owner column (the centre reads it).
 */
const CENTRE = `current_setting('app.scope', true) = 'centre'`;
const TENANT = `current_setting('app.tenant', true)`;

export const BONDED_BALANCE_POLICIES: Record<string, string | null> = {
  bonded_stock_balance: `owner_code in (select so.owner_code from seller_owner so where so.seller_code = ${TENANT})`,
};

export class Migration20261201000950BondedStockBalance extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table bonded_stock_balance (
        warehouse_code text not null,
        ems_no text,
        putrec_seqno integer,
        ledger text not null,
        customs_state text not null,
        owner_code text not null,
        sku text not null,
        batch text not null,
        location text not null,
        qty bigint not null,
        updated_at timestamptz not null default now(),
        constraint bonded_stock_balance_key unique nulls not distinct
          (warehouse_code, ems_no, putrec_seqno, ledger, customs_state, owner_code, sku, batch, location)
      )`);
    for (const [table, tenantArm] of Object.entries(BONDED_BALANCE_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (${CENTRE}${tenantArm ? ` or ${tenantArm}` : ''})`);
    }
    this.addSql(`create index bonded_stock_balance_owner_idx on bonded_stock_balance
      (warehouse_code, owner_code, ems_no, putrec_seqno) where qty <> 0`);
    this.addSql(`create index bonded_stock_balance_location_idx on bonded_stock_balance
      (warehouse_code, location) where qty <> 0 and ledger = 'shelf'`);
    // the units in the centre on no book line (book equals shelf's unbooked differences)
    this.addSql(`create index bonded_stock_balance_unbooked_idx on bonded_stock_balance
      (warehouse_code, location) where qty <> 0 and ledger = 'shelf' and ems_no is null`);

    this.addSql(`
      create table book_line_balance (
        warehouse_code text not null,
        ems_no text not null,
        putrec_seqno integer not null,
        bonded bigint not null default 0,
        verification_applied bigint not null default 0,
        gate_release_applied bigint not null default 0,
        in_warehouse bigint not null default 0,
        shelf bigint not null default 0,
        updated_at timestamptz not null default now(),
        primary key (warehouse_code, ems_no, putrec_seqno)
      )`);
    // the page: lines holding anything, in book-line order; and the lines whose book and shelf differ
    this.addSql(`create index book_line_balance_held_idx on book_line_balance (warehouse_code, ems_no, putrec_seqno)
      where in_warehouse <> 0 or shelf <> 0`);
    this.addSql(`create index book_line_balance_differing_idx on book_line_balance (warehouse_code, ems_no, putrec_seqno)
      where in_warehouse <> shelf`);

    // One statement per ledger statement: the moved rows (the transition table) are summed once per
    // key and upserted into both balances by one query (two data-modifying CTE arms), so a scan's
    // movements cost one more statement inside their own, with no round trip and no lock beyond
    // the balance rows they change. No NOTIFY: it takes a global lock at commit and would queue
    // every commit of the floor behind one another (the console hears of stock through the
    // server's domain events instead, CustomsStockAnnouncer).
    this.addSql(`
      create function bonded_stock_follow() returns trigger language plpgsql as $$
      begin
        with detail as (
          insert into bonded_stock_balance as b (warehouse_code, ems_no, putrec_seqno, ledger, customs_state, owner_code,
              sku, batch, location, qty)
            select warehouse_code, ems_no, putrec_seqno, ledger, customs_state, owner_code, sku, batch, location, sum(qty)
              from moved
             group by warehouse_code, ems_no, putrec_seqno, ledger, customs_state, owner_code, sku, batch, location
             order by warehouse_code, ems_no, putrec_seqno, ledger, customs_state, owner_code, sku, batch, location
          on conflict on constraint bonded_stock_balance_key
            do update set qty = b.qty + excluded.qty, updated_at = now()
        )
        insert into book_line_balance as l (warehouse_code, ems_no, putrec_seqno, bonded, verification_applied,
            gate_release_applied, in_warehouse, shelf)
          select warehouse_code, ems_no, putrec_seqno,
                 coalesce(sum(qty) filter (where ledger = 'book' and customs_state = 'bonded'), 0),
                 coalesce(sum(qty) filter (where ledger = 'book' and customs_state = 'verification-applied'), 0),
                 coalesce(sum(qty) filter (where ledger = 'book' and customs_state = 'gate-release-applied'), 0),
                 coalesce(sum(qty) filter (where ledger = 'book' and customs_state <> 'written-off'), 0),
                 coalesce(sum(qty) filter (where ledger = 'shelf'), 0)
            from moved
           where ems_no is not null and putrec_seqno is not null
           group by warehouse_code, ems_no, putrec_seqno
           order by warehouse_code, ems_no, putrec_seqno
        on conflict (warehouse_code, ems_no, putrec_seqno) do update set
          bonded = l.bonded + excluded.bonded,
          verification_applied = l.verification_applied + excluded.verification_applied,
          gate_release_applied = l.gate_release_applied + excluded.gate_release_applied,
          in_warehouse = l.in_warehouse + excluded.in_warehouse,
          shelf = l.shelf + excluded.shelf,
          updated_at = now();
        return null;
      end $$`);
    this.addSql(`create trigger stock_movement_follow after insert on stock_movement
      referencing new table as moved for each statement execute function bonded_stock_follow()`);

    // what the ledger already holds
    this.addSql(`insert into bonded_stock_balance (warehouse_code, ems_no, putrec_seqno, ledger, customs_state, owner_code,
        sku, batch, location, qty)
      select warehouse_code, ems_no, putrec_seqno, ledger, customs_state, owner_code, sku, batch, location, sum(qty)
        from stock_movement group by 1, 2, 3, 4, 5, 6, 7, 8, 9`);
    this.addSql(`insert into book_line_balance (warehouse_code, ems_no, putrec_seqno, bonded, verification_applied,
        gate_release_applied, in_warehouse, shelf)
      select warehouse_code, ems_no, putrec_seqno,
             coalesce(sum(qty) filter (where ledger = 'book' and customs_state = 'bonded'), 0),
             coalesce(sum(qty) filter (where ledger = 'book' and customs_state = 'verification-applied'), 0),
             coalesce(sum(qty) filter (where ledger = 'book' and customs_state = 'gate-release-applied'), 0),
             coalesce(sum(qty) filter (where ledger = 'book' and customs_state <> 'written-off'), 0),
             coalesce(sum(qty) filter (where ledger = 'shelf'), 0)
        from stock_movement where ems_no is not null and putrec_seqno is not null group by 1, 2, 3`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists stock_movement_follow on stock_movement');
    this.addSql('drop function if exists bonded_stock_follow()');
    this.addSql('drop table if exists book_line_balance, bonded_stock_balance');
  }
}

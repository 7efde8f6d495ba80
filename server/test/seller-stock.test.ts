import type { MikroORM } from '@mikro-orm/postgresql';
import { type SellerChange, ServerToClient, STOCK_BUCKETS, type StockBucket } from '@wms/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../test/support/services.js';
import { connectLive, startTestServer, type TestServer } from '../../test/support/test-server.js';
import { SellerRegistry } from '../src/modules/sellers/seller-registry.js';
import { SellerStockRepository, type StockMove } from '../src/modules/sellers/stock/seller-stock.repository.js';
import { balanceKey, balancesOf } from '../src/modules/sellers/stock/stock-buckets.rules.js';
import { ORM } from '../src/platform/database/orm.js';
import { SqlRunner, TENANT_SQL } from '../src/platform/database/sql.js';
import { DomainEvents } from '../src/platform/events/domain-events.js';
import { AppError } from '../src/platform/http/app-error.js';

/**
 * The seller's stock ledger and its buckets (issue 12) on the real PostgreSQL, as the application
 * role: a bucket never disagrees with the ledger, whatever sequence of moves is tried (refused ones
 * included), two transactions cannot take the same units, and tenant B sees none of A's stock.
 */
let t: TestServer;
let centre: SqlRunner;
let tenant: SqlRunner;
const stock = new SellerStockRepository();
const tokens: Record<string, string> = {};

const A = { ownerCode: 'OWN-A', warehouseCode: 'OW-DE1' } as const;

async function balances(): Promise<Map<string, number>> {
  const rows = await centre.transaction((sql) =>
    sql.execute<
      Array<{
        owner_code: string;
        warehouse_code: string;
        sku: string;
        bucket: StockBucket;
        lot_no: string;
        qty: number;
      }>
    >(
      'select owner_code, warehouse_code, sku, bucket, lot_no, qty::int as qty from seller_stock_balance where qty <> 0',
    ),
  );
  return new Map(
    rows.map((r) => [
      balanceKey({ ownerCode: r.owner_code, warehouseCode: r.warehouse_code, sku: r.sku, lotNo: r.lot_no }, r.bucket),
      r.qty,
    ]),
  );
}

beforeAll(async () => {
  t = await startTestServer('sellerstock', { CUSTOMS_POLL_MS: '0' }, {}, { checkAnswers: true });
  await query(
    t.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Seller A Ltd', '{owner,ebc}'),
       ('OWN-B', 'Seller B Ltd', '{owner,ebc}'), ('OWN-A2', 'Seller A second brand', '{owner}');
     insert into warehouse (code, name, kind, country, time_zone, currency) values
       ('OW-DE1', 'Overseas DE1', 'overseas', 'DE', 'Europe/Berlin', 'EUR'),
       ('OW-US1', 'Overseas US1', 'overseas', 'US', 'America/New_York', 'USD');
     insert into goods (owner_code, sku, gcode, name, unit, declared_price, country) values
       ('OWN-A', 'SKU-1', '3304990010', 'A cream', '011', 10, '142'),
       ('OWN-A', 'SKU-2', '3304990010', 'A soap', '011', 5, '142'),
       ('OWN-A2', 'SKU-1', '3304990010', 'A2 cream', '011', 9, '142'),
       ('OWN-A2', 'SKU-3', '3304990010', 'A2 lamp', '011', 9, '142'),
       ('OWN-B', 'SKU-1', '3304990010', 'B cream', '011', 11, '142')`,
  );
  const registry = new SellerRegistry(t.server.app.get<MikroORM>(ORM));
  await registry.upsert({
    sellerCode: 'SELLER-A',
    name: 'A',
    ownerCodes: ['OWN-A', 'OWN-A2'],
    warehouseCodes: ['OW-DE1', 'OW-US1'],
  });
  await registry.upsert({ sellerCode: 'SELLER-B', name: 'B', ownerCodes: ['OWN-B'], warehouseCodes: ['OW-DE1'] });
  tokens.a = await t.signIn('a', ['seller'], 'a', 'SELLER-A');
  tokens.b = await t.signIn('b', ['seller'], 'b', 'SELLER-B');
  centre = t.server.app.get(SqlRunner);
  tenant = t.server.app.get<SqlRunner>(TENANT_SQL);
});

afterAll(async () => {
  await t?.close();
});

describe('the seller stock ledger', () => {
  it('keeps every bucket equal to the ledger through any sequence of moves, refusing those that would go below zero', async () => {
    const bucket = fc.constantFrom<StockBucket | null>(...STOCK_BUCKETS, null);
    const move = fc.record({
      sku: fc.constantFrom('SKU-1', 'SKU-2'),
      lotNo: fc.constantFrom('', 'L1', 'L2'),
      from: bucket,
      to: bucket,
      qty: fc.integer({ min: 1, max: 6 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(move, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
        async (batches) => {
          run += 1;
          const before = await balances();
          const accepted: StockMove[] = [];
          let refusals = 0;
          for (const batch of batches) {
            const moves = batch
              .filter((m) => m.from !== m.to && (m.from !== null || m.to !== null))
              .map((m) => ({ ...A, ...m, event: 'stocktake.adjusted' as const, docType: 'test', docNo: `RUN-${run}` }));
            if (!moves.length) continue;
            try {
              await centre.transaction((sql) => stock.post(sql, moves, 'property'));
              accepted.push(...moves);
            } catch (error) {
              // a refusal is an answer a user can act on, and it leaves nothing behind
              expect(error).toBeInstanceOf(AppError);
              expect((error as AppError).code).toBe('CONFLICT');
              refusals += 1;
            }
          }
          const expected = new Map(before);
          for (const [k, v] of balancesOf(accepted)) {
            const next = (expected.get(k) ?? 0) + v;
            if (next === 0) expected.delete(k);
            else expected.set(k, next);
          }
          expect(await balances()).toEqual(expected);
          for (const qty of expected.values()) expect(qty).toBeGreaterThan(0);
          expect(await centre.transaction((sql) => stock.disagreements(sql))).toEqual([]);
          return refusals >= 0;
        },
      ),
      { numRuns: 25 },
    );
  });

  it('lets only one of two transactions take the same last units', async () => {
    const seed: StockMove = {
      ...A,
      sku: 'SKU-2',
      lotNo: 'RACE',
      from: null,
      to: 'available',
      qty: 3,
      event: 'receipt.over',
      docType: 'test',
      docNo: 'RACE',
    };
    await centre.transaction((sql) => stock.post(sql, [seed], 'race'));
    const take = () =>
      centre.transaction((sql) =>
        stock.post(sql, [{ ...seed, from: 'available', to: 'reserved', qty: 2, event: 'order.reserved' }], 'race'),
      );
    const outcomes = await Promise.allSettled([take(), take()]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason.message)).toMatch(/only 1 of SKU-2 \(lot RACE\) available in OW-DE1, 2 asked/);
  });

  it('refuses to change or delete a ledger row, whoever asks', async () => {
    await expect(query(t.databaseUrl, 'update seller_stock_movement set qty = qty + 1')).rejects.toThrow(/append-only/);
    await expect(query(t.databaseUrl, 'delete from seller_stock_movement')).rejects.toThrow(/append-only/);
  });

  it('gives FEFO then FIFO lots for allocation', async () => {
    await centre.transaction(async (sql) => {
      const lots = [
        { lotNo: 'OLD-NOEXP', expiry: null, days: 300 },
        { lotNo: 'NEW-EARLY', expiry: '2027-01-31', days: 5 },
        { lotNo: 'OLD-LATE', expiry: '2029-01-31', days: 200 },
      ];
      for (const l of lots)
        await stock.ensureLot(sql, {
          ...A,
          sku: 'SKU-1',
          lotNo: l.lotNo,
          expiry: l.expiry,
          arrivedAt: new Date(Date.now() - l.days * 86_400_000),
        });
      await stock.post(
        sql,
        lots.map((l) => ({
          ...A,
          sku: 'SKU-1',
          lotNo: l.lotNo,
          from: null,
          to: 'available' as const,
          qty: 4,
          event: 'receipt.over' as const,
          docType: 'test',
          docNo: 'LOTS',
        })),
        'lots',
      );
      const order = (await stock.allocatable(sql, A.ownerCode, A.warehouseCode, 'SKU-1')).map((l) => l.lotNo);
      expect(order.indexOf('NEW-EARLY')).toBeLessThan(order.indexOf('OLD-LATE'));
      expect(order.indexOf('OLD-LATE')).toBeLessThan(order.indexOf('OLD-NOEXP'));
    });
  });
});

describe('a seller’s buckets and ledger over the API', () => {
  it('shows A its buckets per warehouse and its ledger, and B none of them', async () => {
    const page = await t.api('GET', '/api/seller/buckets?warehouseCode=OW-DE1&limit=1', 'a');
    expect(page.status).toBe(200);
    const first = page.body as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ warehouseCode: 'OW-DE1', ownerCode: 'OWN-A' });
    expect(first.nextCursor).not.toBeNull();
    const next = await t.api('GET', `/api/seller/buckets?warehouseCode=OW-DE1&after=${first.nextCursor}`, 'a');
    expect((next.body as { items: Array<{ sku: string }> }).items.map((r) => r.sku)).not.toContain(first.items[0].sku);

    // every bucket the API shows is the balance, which is the ledger
    const all = (await t.api('GET', '/api/seller/buckets?limit=1000', 'a')).body as {
      items: Array<Record<StockBucket | 'onHold', number> & { sku: string; warehouseCode: string }>;
    };
    const summed = await query<{ sku: string; bucket: string; qty: number }>(
      t.databaseUrl,
      `select sku, bucket, sum(qty)::int as qty from seller_stock_balance where owner_code = 'OWN-A' group by 1, 2`,
    );
    for (const row of summed) {
      const api = all.items.find((i) => i.sku === row.sku);
      expect(api?.[row.bucket === 'on_hold' ? 'onHold' : (row.bucket as StockBucket)]).toBe(row.qty);
    }

    const summary = (await t.api('GET', '/api/seller/buckets/summary', 'a')).body as {
      warehouses: Array<{ warehouseCode: string; timeZone: string; available: number }>;
    };
    expect(summary.warehouses.map((w) => w.warehouseCode)).toEqual(['OW-DE1', 'OW-US1']);
    expect(summary.warehouses[0].timeZone).toBe('Europe/Berlin');

    const ledger = (await t.api('GET', '/api/seller/ledger?sku=SKU-1&limit=2', 'a')).body as {
      items: Array<{ id: string; siteTime: string; event: string; docNo: string }>;
      nextBefore: string | null;
    };
    expect(ledger.items).toHaveLength(2);
    expect(ledger.items[0].siteTime).toMatch(/Europe\/Berlin$/);
    expect(Number(ledger.items[0].id)).toBeGreaterThan(Number(ledger.items[1].id));
    expect(ledger.nextBefore).toBe(ledger.items[1].id);

    // B holds the same SKU code and the same warehouse: it sees nothing of A's
    const b = (await t.api('GET', '/api/seller/buckets?sku=SKU-1', 'b')).body as { items: unknown[] };
    expect(b.items).toEqual([]);
    const bLedger = (await t.api('GET', '/api/seller/ledger', 'b')).body as { items: unknown[] };
    expect(bLedger.items).toEqual([]);
    const bSummary = (await t.api('GET', '/api/seller/buckets/summary', 'b')).body as {
      warehouses: Array<{ warehouseCode: string; available: number }>;
    };
    expect(bSummary.warehouses).toEqual([expect.objectContaining({ warehouseCode: 'OW-DE1', available: 0 })]);
    // and RLS holds even for a query with no owner filter on the tenant connection
    const seen = await tenant.forTenant('SELLER-B', (sql) =>
      sql.execute<Array<{ n: number }>>('select count(*)::int as n from seller_stock_movement'),
    );
    expect(seen[0].n).toBe(0);
  });

  it('pages through every SKU of every owner and warehouse, once each, in order', async () => {
    const some = (ownerCode: string, warehouseCode: string, sku: string) => ({
      ownerCode,
      warehouseCode,
      sku,
      from: null,
      to: 'available' as const,
      qty: 2,
      event: 'receipt.over' as const,
      docType: 'test',
      docNo: 'PAGES',
    });
    await centre.transaction((sql) =>
      stock.post(
        sql,
        [
          some('OWN-A', 'OW-US1', 'SKU-1'),
          some('OWN-A', 'OW-US1', 'SKU-2'),
          some('OWN-A2', 'OW-US1', 'SKU-1'),
          some('OWN-A2', 'OW-DE1', 'SKU-3'),
          some('OWN-A2', 'OW-DE1', 'SKU-1'),
        ],
        'pages',
      ),
    );
    const key = (r: { warehouseCode: string; ownerCode: string; sku: string }) =>
      `${r.warehouseCode}/${r.ownerCode}/${r.sku}`;
    for (const filter of ['', '&warehouseCode=OW-DE1', '&warehouseCode=OW-US1', '&bucket=available']) {
      const all = (await t.api('GET', `/api/seller/buckets?limit=1000${filter}`, 'a')).body.items.map(key);
      const paged: string[] = [];
      let after: string | null = null;
      do {
        const page = (await t.api('GET', `/api/seller/buckets?limit=2${filter}${after ? `&after=${after}` : ''}`, 'a'))
          .body as {
          items: Array<{ warehouseCode: string; ownerCode: string; sku: string }>;
          nextCursor: string | null;
        };
        paged.push(...page.items.map(key));
        after = page.nextCursor;
      } while (after);
      expect(paged, filter).toEqual(all);
      expect([...all].sort(), filter).toEqual(all);
      expect(new Set(all).size).toBe(all.length);
    }
    const everything = (await t.api('GET', '/api/seller/buckets?limit=1000', 'a')).body.items.map(key);
    expect(everything).toEqual(
      expect.arrayContaining([
        'OW-DE1/OWN-A2/SKU-1',
        'OW-DE1/OWN-A2/SKU-3',
        'OW-US1/OWN-A/SKU-2',
        'OW-US1/OWN-A2/SKU-1',
      ]),
    );
  });

  it('refuses a bad query with the field named', async () => {
    const res = await t.api('GET', '/api/seller/buckets?bucket=lost', 'a');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/bucket/);
    const cursor = await t.api('GET', '/api/seller/buckets?after=garbage', 'a');
    expect(cursor.status).toBe(400);
  });
});

describe('a seller’s live news', () => {
  it('reaches that seller’s sockets only', async () => {
    const a = await connectLive(t.server.url, tokens.a);
    const b = await connectLive(t.server.url, tokens.b);
    try {
      const heard: Record<string, SellerChange[]> = { a: [], b: [] };
      a.on(ServerToClient.sellerChanged, (c: SellerChange) => heard.a.push(c));
      b.on(ServerToClient.sellerChanged, (c: SellerChange) => heard.b.push(c));
      const events = t.server.app.get(DomainEvents);
      events.emit('seller.changed', {
        sellerCode: 'SELLER-A',
        kind: 'stock',
        ref: 'SKU-1',
        at: new Date().toISOString(),
      });
      events.emit('seller.changed', {
        sellerCode: 'SELLER-B',
        kind: 'stock',
        ref: 'SKU-1',
        at: new Date().toISOString(),
      });
      await expect.poll(() => heard.a.length + heard.b.length).toBe(2);
      expect(heard.a.map((c) => c.sellerCode)).toEqual(['SELLER-A']);
      expect(heard.b.map((c) => c.sellerCode)).toEqual(['SELLER-B']);
    } finally {
      a.close();
      b.close();
    }
  });
});

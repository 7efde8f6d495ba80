import type { MikroORM } from '@mikro-orm/postgresql';
import type {
  BookLineDetail,
  BookLineStock,
  BookLinesPage,
  CustomsChange,
  InventoryTotals,
  LocationStock,
  LocationStockPage,
  StorageAgeAlert,
} from '@wms/contracts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { BOOK_LINE_COLUMNS } from '../src/modules/customs/inventory/customs-inventory.rules.js';
import { StorageAgeAlertsSweep } from '../src/modules/customs/inventory/storage-age-alerts.sweep.js';
import { SellerRegistry } from '../src/modules/sellers/seller-registry.js';
import { ORM } from '../src/platform/database/orm.js';
import { DomainEvents } from '../src/platform/events/domain-events.js';

/**
 * The customs console's inventory routes (issue 13) on the real PostgreSQL: book lines a page at a
 * time whose rows add up to the totals, filters, drill-down to units and parcels, the export with
 * the table's rows, the unbooked unit as a difference, and storage-age alerts with their recipients.
 * The ledger rows are written as the floor writes them (inserts into stock_movement), so the
 * balances come from the trigger of migration 0950.
 */
let t: TestServer;
const WH = 'BC01';
const EMS = 'T5165W000001';
/** Book lines 1…250, plus three far keys (numeric, not text order). */
const FAR = [99_999, 100_000, 1_000_000];
const LINES = 250 + FAR.length;

async function allPages(path: string, limit: number): Promise<BookLineStock[][]> {
  const pages: BookLineStock[][] = [];
  let after: string | null = null;
  do {
    const res: { status: number; body: BookLinesPage } = await t.api(
      'GET',
      `${path}&limit=${limit}${after ? `&after=${after}` : ''}`,
      'customs',
    );
    expect(res.status).toBe(200);
    pages.push(res.body.items);
    after = res.body.next;
  } while (after && pages.length < 100);
  return pages;
}

async function download(path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const token = await t.signIn('customs', ['customs']);
  const res = await fetch(`${t.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

beforeAll(async () => {
  t = await startTestServer(
    'customs_inventory',
    { CUSTOMS_POLL_MS: '0', AGEING_SWEEP_MS: '0' },
    {},
    { checkAnswers: true },
  );
  await query(
    t.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Owner A', '{owner,ebc}'), ('OWN-B', 'Owner B', '{owner,ebc}');
     insert into warehouse (code, name, kind, customs_code, loct_no, ems_no, country)
       values ('${WH}', 'Bonded centre', 'bonded-centre', '5165', 'L5165', '${EMS}', 'CN');
     insert into zone (warehouse_code, code, kind) values ('${WH}', 'ZB', 'bonded'), ('${WH}', 'ZI', 'inspection'),
       ('${WH}', 'ZQ', 'quarantine');
     insert into location (warehouse_code, code, zone_code) values ('${WH}', 'A-01', 'ZB'), ('${WH}', 'A-02', 'ZB'),
       ('${WH}', 'INS-1', 'ZI'), ('${WH}', 'Q-1', 'ZQ');
     insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit)
       select '${EMS}', n, 'SKU-' || n, case when n % 2 = 0 then '8517120000' else '3304990010' end,
         case when n % 2 = 0 then 'phone ' || n else 'cream ' || n end, '007'
       from unnest(array(select generate_series(1, 250)) || '{${FAR.join(',')}}'::int[]) n;
     -- every line: 10 units entered on the book and put on the shelf, OWN-A the odd lines, OWN-B the even
     insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no, created_at)
       select ledger, '${WH}', '${EMS}', n, case when n % 2 = 0 then 'OWN-B' else 'OWN-A' end, 'SKU-' || n, 'B1',
         case when ledger = 'book' then '' else 'A-01' end, 'bonded',
         case when ledger = 'shelf' and n = 6 then 9 else 10 end, 'entry-verification', 'INV-' || n,
         now() - interval '10 days'
       from unnest(array(select generate_series(1, 250)) || '{${FAR.join(',')}}'::int[]) n, unnest('{book,shelf}'::text[]) ledger;
     -- line 3: 2 units packed into a parcel customs holds; line 4: 1 unit in a parcel under inspection (500)
     insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code,
         logistics_code, logistics_no, agent_code, head, lines, state, customs_status, hold_reason)
       values ('COP-1', 'import', '1210', '${WH}', 'EBP', 'O-1', 'OWN-A', 'LOG', 'LP001', 'AG', '{}', '[]', 'declared', 120, 'officer hold'),
              ('COP-2', 'import', '1210', '${WH}', 'EBP', 'O-2', 'OWN-B', 'LOG', 'LP002', 'AG', '{}', '[]', 'declared', 500, null);
     insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no, logistics_no) values
       ('shelf', '${WH}', '${EMS}', 3, 'OWN-A', 'SKU-3', 'B1', 'A-01', 'bonded', -2, 'pick', 'LP001', 'LP001'),
       ('shelf', '${WH}', '${EMS}', 3, 'OWN-A', 'SKU-3', 'B1', 'PARCEL:LP001', 'bonded', 2, 'pick', 'LP001', 'LP001'),
       ('shelf', '${WH}', '${EMS}', 4, 'OWN-B', 'SKU-4', 'B1', 'A-01', 'bonded', -1, 'pick', 'LP002', 'LP002'),
       ('shelf', '${WH}', '${EMS}', 4, 'OWN-B', 'SKU-4', 'B1', 'PARCEL:LP002', 'bonded', 1, 'pick', 'LP002', 'LP002');
     -- line 5: 4 units released on the book (verification applied); line 7: 3 units moved to inspection
     insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no) values
       ('book', '${WH}', '${EMS}', 5, 'OWN-A', 'SKU-5', 'B1', '', 'bonded', -4, 'inventory-list', 'L-5'),
       ('book', '${WH}', '${EMS}', 5, 'OWN-A', 'SKU-5', 'B1', '', 'verification-applied', 4, 'inventory-list', 'L-5'),
       ('shelf', '${WH}', '${EMS}', 7, 'OWN-A', 'SKU-7', 'B1', 'A-01', 'bonded', -3, 'putaway', 'MV-7'),
       ('shelf', '${WH}', '${EMS}', 7, 'OWN-A', 'SKU-7', 'B1', 'INS-1', 'bonded', 3, 'putaway', 'MV-7');
     -- line 8: a batch in the centre for 400 days (the site's limit is 365)
     insert into stock_movement (ledger, warehouse_code, ems_no, putrec_seqno, owner_code, sku, batch, location,
         customs_state, qty, doc_type, doc_no, created_at)
       values ('shelf', '${WH}', '${EMS}', 8, 'OWN-B', 'SKU-8', 'OLD', 'A-02', 'bonded', 5, 'entry-verification', 'INV-OLD', now() - interval '400 days'),
              ('book', '${WH}', '${EMS}', 8, 'OWN-B', 'SKU-8', 'OLD', '', 'bonded', 5, 'entry-verification', 'INV-OLD', now() - interval '400 days');
     -- one unit in the centre on no book line: it came with a delivery that did not list it
     insert into stock_movement (ledger, warehouse_code, owner_code, sku, batch, location, customs_state, qty, doc_type, doc_no)
       values ('shelf', '${WH}', 'OWN-A', 'SKU-STRAY', '', 'Q-1', 'non-bonded', 1, 'inbound', 'DLV-1')`,
  );
  const registry = new SellerRegistry(t.server.app.get<MikroORM>(ORM));
  await registry.upsert({ sellerCode: 'SELLER-B', name: 'B', ownerCodes: ['OWN-B'], warehouseCodes: [WH] });
  await t.signIn('customs', ['customs']);
  await t.signIn('super', ['supervisor']);
  await t.signIn('staff', ['staff']);
  await t.signIn('seller-b', ['seller'], 'b', 'SELLER-B');
});

afterAll(async () => {
  await t?.close();
});

describe('in the warehouse now: book lines a page at a time', () => {
  it('pages every line once, in book-line order across far keys, and the rows add up to the totals', async () => {
    const pages = await allPages(`/api/customs/inventory/book-lines?warehouseCode=${WH}`, 100);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 53]);
    const lines = pages.flat();
    const seqnos = lines.map((l) => l.putrecSeqno);
    expect(seqnos).toEqual([...Array.from({ length: 250 }, (_, i) => i + 1), ...FAR]);
    for (const l of lines) {
      expect(l.book.bonded + l.book.verificationApplied + l.book.gateReleaseApplied).toBe(l.book.inWarehouse);
      expect(l.shelf.onShelf + l.shelf.inProcess + l.shelf.inspection + l.shelf.held).toBe(l.shelf.total);
      expect(l.difference).toBe(l.shelf.total - l.book.inWarehouse);
    }
    const totals: { status: number; body: InventoryTotals } = await t.api(
      'GET',
      `/api/customs/inventory/totals?warehouseCode=${WH}`,
      'customs',
    );
    expect(totals.status).toBe(200);
    const sum = (f: (l: BookLineStock) => number) => lines.reduce((s, l) => s + f(l), 0);
    expect(totals.body.bookLines).toBe(LINES);
    expect(totals.body.linesWithDifference).toBe(1);
    expect(totals.body.book).toEqual({
      bonded: sum((l) => l.book.bonded),
      verificationApplied: 4,
      gateReleaseApplied: 0,
      inWarehouse: LINES * 10 + 5,
    });
    expect(totals.body.book.inWarehouse).toBe(sum((l) => l.book.inWarehouse));
    expect(totals.body.shelf).toEqual({
      total: LINES * 10 - 1 + 5,
      onShelf: sum((l) => l.shelf.onShelf),
      inProcess: 0,
      inspection: 1 + 3,
      held: 2,
    });
    expect(totals.body.shelf.total).toBe(sum((l) => l.shelf.total));
    expect(totals.body.unbookedUnits).toBe(1);
    expect(totals.body.physicalUnits).toBe(totals.body.shelf.total + 1);
    const owners = totals.body.byOwner;
    expect(owners.map((o) => o.ownerCode)).toEqual(['OWN-A', 'OWN-B']);
    expect(owners.reduce((s, o) => s + o.inWarehouse, 0)).toBe(totals.body.book.inWarehouse);
    expect(owners.reduce((s, o) => s + o.shelf, 0)).toBe(totals.body.shelf.total);
  });

  it('filters by HS code, goods name, owner, customs state and differences, each documented', async () => {
    const seq = async (q: string) =>
      (await allPages(`/api/customs/inventory/book-lines?warehouseCode=${WH}&${q}`, 500))
        .flat()
        .map((l) => l.putrecSeqno);
    expect((await seq('gcode=8517')).every((n) => n % 2 === 0)).toBe(true);
    expect(await seq('gcode=8517')).toHaveLength(125 + 2);
    expect(await seq('gname=CREAM%2024')).toEqual(
      [24, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249].filter((n) => n % 2),
    );
    expect((await seq('ownerCode=OWN-A')).every((n) => n % 2 === 1)).toBe(true);
    expect(await seq('customsState=verification-applied')).toEqual([5]);
    expect(await seq('differences=true')).toEqual([6]);
    expect(await seq('putrecSeqno=100000')).toEqual([100_000]);
    const docs = (await (await fetch(`${t.server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get: { parameters: Array<{ name: string }> } }>;
    };
    const keys = docs.paths['/api/customs/inventory/book-lines'].get.parameters.map((p) => p.name);
    for (const k of ['warehouseCode', 'gcode', 'gname', 'ownerCode', 'customsState', 'differences', 'after', 'limit'])
      expect(keys).toContain(k);
  });

  it('answers a wrong cursor, filter, warehouse or role with an error the officer can act on', async () => {
    const bad = await t.api(
      'GET',
      `/api/customs/inventory/book-lines?warehouseCode=${WH}&after=bm90LWEtY3Vyc29y`,
      'customs',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/start again from the first page/);
    const gcode = await t.api('GET', `/api/customs/inventory/book-lines?warehouseCode=${WH}&gcode=33A`, 'customs');
    expect(gcode.status).toBe(400);
    expect(JSON.stringify(gcode.body)).toMatch(/gcode/);
    const unknown = await t.api('GET', '/api/customs/inventory/book-lines?warehouseCode=NOPE', 'customs');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/NOPE is not known/);
    const staff = await t.api('GET', `/api/customs/inventory/book-lines?warehouseCode=${WH}`, 'staff');
    expect(staff.status).toBe(403);
    expect((await t.api('GET', `/api/customs/inventory/totals?warehouseCode=${WH}`, 'super')).status).toBe(200);
  });
});

describe('drill-down from a book line', () => {
  it('shows its units by location and place, its book by owner, and the parcels holding it', async () => {
    const res: { status: number; body: BookLineDetail } = await t.api(
      'GET',
      `/api/customs/inventory/book-lines/${EMS}/3?warehouseCode=${WH}`,
      'customs',
    );
    expect(res.status).toBe(200);
    expect(res.body.line).toMatchObject({ putrecSeqno: 3, shelf: { total: 10, onShelf: 8, held: 2 }, difference: 0 });
    expect(res.body.units).toEqual([
      expect.objectContaining({ location: 'A-01', place: 'on-shelf', units: 8, logisticsNo: null, zoneKind: 'bonded' }),
      expect.objectContaining({ location: 'PARCEL:LP001', place: 'held', units: 2, logisticsNo: 'LP001' }),
    ]);
    expect(res.body.book).toEqual([{ ownerCode: 'OWN-A', customsState: 'bonded', units: 10 }]);
    expect(res.body.parcels).toEqual([
      { logisticsNo: 'LP001', copNo: 'COP-1', invtNo: null, customsStatus: 120, holdReason: 'officer hold', units: 2 },
    ]);
    const inspected: { body: BookLineDetail } = await t.api(
      'GET',
      `/api/customs/inventory/book-lines/${EMS}/4?warehouseCode=${WH}`,
      'customs',
    );
    expect(inspected.body.units.find((u) => u.logisticsNo === 'LP002')?.place).toBe('inspection');
  });

  it('tells when a line’s difference opened, with the document', async () => {
    const res: { body: BookLineDetail } = await t.api(
      'GET',
      `/api/customs/inventory/book-lines/${EMS}/6?warehouseCode=${WH}`,
      'customs',
    );
    expect(res.body.line.difference).toBe(-1);
    // the book's 10 came first (difference −10), then the shelf's 9 (−1): newest first
    expect(res.body.history.map((h) => [h.ledger, h.qty, h.difference])).toEqual([
      ['shelf', 9, -1],
      ['book', 10, -10],
    ]);
    expect(res.body.history[0].docNo).toBe('INV-6');
    const none = await t.api('GET', `/api/customs/inventory/book-lines/${EMS}/4242?warehouseCode=${WH}`, 'customs');
    expect(none.status).toBe(404);
    const other = await t.api('GET', `/api/customs/inventory/book-lines/T0000W000009/3?warehouseCode=${WH}`, 'customs');
    expect(other.status).toBe(404);
    expect(other.body.message).toMatch(/its book is T5165W000001/);
  });
});

describe('in the warehouse now: by location', () => {
  it('pages every location and parcel once with where it is, and they add up to the totals', async () => {
    const seen: LocationStock[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res: { status: number; body: LocationStockPage } = await t.api(
        'GET',
        `/api/customs/inventory/locations?warehouseCode=${WH}&limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        'customs',
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      after = res.body.next;
      if (!after) break;
    }
    expect(seen.map((l) => [l.location, l.place])).toEqual([
      ['A-01', 'on-shelf'],
      ['A-02', 'on-shelf'],
      ['INS-1', 'inspection'],
      ['PARCEL:LP001', 'held'],
      ['PARCEL:LP002', 'inspection'],
      ['Q-1', 'inspection'],
    ]);
    const totals: { body: InventoryTotals } = await t.api(
      'GET',
      `/api/customs/inventory/totals?warehouseCode=${WH}`,
      'customs',
    );
    expect(seen.reduce((n, l) => n + l.units, 0)).toBe(totals.body.shelf.total);
    expect(seen.reduce((n, l) => n + l.unbookedUnits, 0)).toBe(totals.body.unbookedUnits);
    expect(seen.find((l) => l.location === 'Q-1')).toMatchObject({
      units: 0,
      unbookedUnits: 1,
      bookLines: 0,
      owners: ['OWN-A'],
    });
    expect(seen.find((l) => l.location === 'A-01')).toMatchObject({ bookLines: LINES, owners: ['OWN-A', 'OWN-B'] });

    const parcels = await t.api(
      'GET',
      `/api/customs/inventory/locations?warehouseCode=${WH}&location=PARCEL:`,
      'customs',
    );
    expect(parcels.body.items.map((l: LocationStock) => [l.location, l.units])).toEqual([
      ['PARCEL:LP001', 2],
      ['PARCEL:LP002', 1],
    ]);
    const ownB = await t.api('GET', `/api/customs/inventory/locations?warehouseCode=${WH}&ownerCode=OWN-B`, 'customs');
    expect(ownB.body.items.map((l: LocationStock) => l.location)).toEqual(['A-01', 'A-02', 'PARCEL:LP002']);
    const bad = await t.api('GET', `/api/customs/inventory/locations?warehouseCode=${WH}&after=%27%3B--`, 'customs');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('after');
  });
});

describe('export', () => {
  it('writes every row of the filter with the table’s columns, as CSV and XLSX', async () => {
    const table = (await allPages(`/api/customs/inventory/book-lines?warehouseCode=${WH}&gcode=3304`, 100)).flat();
    const csv = await download(
      `/api/customs/inventory/book-lines/export?warehouseCode=${WH}&gcode=3304&format=csv&lang=en`,
    );
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/text\/csv/);
    const rows = csv.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe(BOOK_LINE_COLUMNS.map((c) => c.en).join(','));
    expect(rows).toHaveLength(table.length + 1);
    expect(rows.slice(1)).toEqual(table.map((l) => BOOK_LINE_COLUMNS.map((c) => String(c.value(l))).join(',')));

    const xlsx = await download(`/api/customs/inventory/book-lines/export?warehouseCode=${WH}&format=xlsx&lang=zh`);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, ...BOOK_LINE_COLUMNS.map((c) => c.zh)]);
    expect(sheet.actualRowCount).toBe(LINES + 1);
    const all = (await allPages(`/api/customs/inventory/book-lines?warehouseCode=${WH}`, 500)).flat();
    const six = all.findIndex((l) => l.putrecSeqno === 6);
    expect(sheet.getRow(six + 2).values).toEqual([undefined, ...BOOK_LINE_COLUMNS.map((c) => c.value(all[six]))]);

    const wrong = await download('/api/customs/inventory/book-lines/export?warehouseCode=NOPE&format=csv');
    expect(wrong.status).toBe(404);
  });
});

describe('book equals shelf', () => {
  it('shows the unbooked unit as a difference of its own, and the line whose shelf is short', async () => {
    const res = await t.api('GET', `/api/customs/reconciliation?warehouseCode=${WH}`, 'customs');
    expect(res.status).toBe(200);
    expect(res.body.balanced).toBe(false);
    expect(res.body.lines.map((l: BookLineStock) => [l.putrecSeqno, l.difference])).toEqual([[6, -1]]);
    expect(res.body.unbooked.units).toBe(1);
    expect(res.body.unbooked.items).toEqual([
      expect.objectContaining({
        reason: 'unexpected',
        sku: 'SKU-STRAY',
        location: 'Q-1',
        deliveryNo: 'DLV-1',
        units: 1,
      }),
    ]);
    expect(res.body.totals).toMatchObject({ bookLines: LINES, linesWithDifference: 1, unbookedUnits: 1 });
  });
});

describe('storage ageing', () => {
  it('records each alert once with whom it told, and puts it in the owning seller’s alerts', async () => {
    const sweep = t.server.app.get(StorageAgeAlertsSweep);
    const raised = await sweep.sweep();
    expect(raised.map((a) => [a.sku, a.batch, a.level])).toEqual([['SKU-8', 'OLD', 'over-limit']]);
    expect(await sweep.sweep()).toEqual([]);
    const res: { status: number; body: { items: StorageAgeAlert[] } } = await t.api(
      'GET',
      `/api/customs/ageing/alerts?warehouseCode=${WH}`,
      'customs',
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      ownerCode: 'OWN-B',
      emsNo: EMS,
      putrecSeqno: 8,
      units: 5,
      limitDays: 365,
      recipients: [
        { kind: 'customs', code: 'customs', via: 'console' },
        { kind: 'supervisor', code: 'supervisor', via: 'console' },
        { kind: 'seller', code: 'SELLER-B', via: 'portal' },
      ],
    });
    expect(res.body.items[0].ageDays).toBeGreaterThanOrEqual(400);
    expect(res.body.items[0].message).toMatch(/over the 365-day limit/);
    const seller = await t.api('GET', '/api/seller/alerts', 'seller-b');
    expect(seller.status).toBe(200);
    expect(seller.body.items.map((a: { sku: string; lotNo: string }) => [a.sku, a.lotNo])).toEqual([['SKU-8', 'OLD']]);
  });
});

describe('live: the console hears of stock moves after commit', () => {
  it('announces a burst of bookings per warehouse, none lost, and a stock-take closed at once', async () => {
    const events = t.server.app.get(DomainEvents);
    const heard: CustomsChange[] = [];
    const off = events.on('customs.changed', (c) => {
      heard.push(c);
    });
    try {
      await query(
        t.databaseUrl,
        `insert into goods (owner_code, sku, gcode, name, unit, declared_price, country)
         values ('OWN-A', 'SKU-1', '3304990010', 'cream 1', '007', 10, '142')`,
      );
      const before = await t.api('GET', `/api/customs/inventory/book-lines/${EMS}/1?warehouseCode=${WH}`, 'customs');
      for (const n of [1, 2, 3]) {
        const res = await t.api('POST', '/api/bonded/entries', 'staff', {
          warehouseCode: WH,
          docNo: `LIVE-${n}`,
          ownerCode: 'OWN-A',
          lines: [{ sku: 'SKU-1', qty: 1, location: 'A-02' }],
        });
        expect(res.status).toBe(201);
      }
      const stock = () => heard.filter((c) => c.kind === 'stock' && c.warehouseCode === WH);
      const announced = () => stock().reduce((n, c) => n + Number(c.detail?.changes ?? 0), 0);
      await expect.poll(announced, { timeout: 10_000 }).toBe(3);
      // fewer announcements than changes when they come in a burst; each one only after its commit
      expect(stock().length).toBeLessThanOrEqual(3);
      const after: { body: BookLineDetail } = await t.api(
        'GET',
        `/api/customs/inventory/book-lines/${EMS}/1?warehouseCode=${WH}`,
        'customs',
      );
      expect(after.body.line.book.inWarehouse).toBe(before.body.line.book.inWarehouse + 3);
      expect(after.body.line.shelf.total).toBe(before.body.line.shelf.total + 3);

      const started = await t.api('POST', '/api/floor/stocktakes', 'super', { warehouseCode: WH, locations: ['A-02'] });
      expect(started.status).toBe(201);
      const closed = await t.api('POST', `/api/floor/stocktakes/${started.body.stocktakeNo}/close`, 'super');
      expect(closed.status).toBe(200);
      expect(heard).toContainEqual(
        expect.objectContaining({
          kind: 'stocktake',
          ref: started.body.stocktakeNo,
          warehouseCode: WH,
          detail: { differences: closed.body.differences.length },
        }),
      );
      // nothing was counted in A-02: its every batch is a discrepancy waiting for customs
      expect(closed.body.differences.length).toBeGreaterThan(0);
    } finally {
      off();
    }
  });
});

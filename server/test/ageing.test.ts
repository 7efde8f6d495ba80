import type { MikroORM } from '@mikro-orm/postgresql';
import type { AgeingRow, SellerChange } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { AgeingRepository } from '../src/modules/sellers/ageing/ageing.repository.js';
import { AgeingAlertsSweep } from '../src/modules/sellers/ageing/ageing-alerts.sweep.js';
import { SellerRegistry } from '../src/modules/sellers/seller-registry.js';
import { SellerStockRepository, type StockMove } from '../src/modules/sellers/stock/seller-stock.repository.js';
import { APP_CONFIG, type AppConfig } from '../src/platform/config/app-config.js';
import { appDatabaseUrl } from '../src/platform/database/app-role.js';
import { ORM } from '../src/platform/database/orm.js';
import { SqlRunner } from '../src/platform/database/sql.js';
import { DomainEvents } from '../src/platform/events/domain-events.js';

/**
 * Ageing (issue 12) on the real PostgreSQL: units by age band from their lots' arrival, in the
 * bands the warehouse sets, and one alert per lot older than the alert age, raised once even when
 * two server instances sweep at the same time.
 */
let t: TestServer;
let centre: SqlRunner;
const WH = 'OW-DE1';
const DAY = 86_400_000;
const stock = new SellerStockRepository();

/** A lot of OWN-A that arrived `daysAgo` days ago, with units moved into their buckets. */
async function lot(
  sku: string,
  lotNo: string,
  daysAgo: number | null,
  moves: Array<Pick<StockMove, 'from' | 'to' | 'qty'>>,
) {
  await centre.transaction(async (sql) => {
    if (daysAgo !== null)
      await stock.ensureLot(sql, {
        ownerCode: 'OWN-A',
        warehouseCode: WH,
        sku,
        lotNo,
        arrivedAt: new Date(Date.now() - daysAgo * DAY - 3_600_000),
      });
    for (const m of moves)
      await stock.post(
        sql,
        [
          {
            ownerCode: 'OWN-A',
            warehouseCode: WH,
            sku,
            lotNo,
            ...m,
            event: 'stocktake.adjusted',
            docType: 'test',
            docNo: lotNo,
          },
        ],
        'test',
      );
  });
}

const bandsOf = (row: AgeingRow | undefined) => row?.bands.map((b) => `${b.label}:${b.qty}`);

beforeAll(async () => {
  t = await startTestServer('ageing', { CUSTOMS_POLL_MS: '0', AGEING_SWEEP_MS: '0' }, {}, { checkAnswers: true });
  await query(
    t.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Seller A Ltd', '{owner,ebc}'),
       ('OWN-B', 'Seller B Ltd', '{owner,ebc}');
     insert into warehouse (code, name, kind, country, time_zone, currency) values
       ('OW-DE1', 'Overseas DE1', 'overseas', 'DE', 'Europe/Berlin', 'EUR');
     insert into goods (owner_code, sku, gcode, name, unit, declared_price, country) values
       ('OWN-A', 'SKU-1', '3304990010', 'A cream', '011', 10, '142'),
       ('OWN-A', 'SKU-2', '3304990010', 'A soap', '011', 5, '142'),
       ('OWN-B', 'SKU-1', '3304990010', 'B cream', '011', 11, '142')`,
  );
  const registry = new SellerRegistry(t.server.app.get<MikroORM>(ORM));
  await registry.upsert({ sellerCode: 'SELLER-A', name: 'A', ownerCodes: ['OWN-A'], warehouseCodes: [WH] });
  await registry.upsert({ sellerCode: 'SELLER-B', name: 'B', ownerCodes: ['OWN-B'], warehouseCodes: [WH] });
  await t.signIn('a', ['seller'], 'a', 'SELLER-A');
  await t.signIn('b', ['seller'], 'b', 'SELLER-B');
  await t.signIn('staff', ['staff']);
  await t.signIn('super', ['supervisor']);
  centre = t.server.app.get(SqlRunner);

  await lot('SKU-1', 'L-10', 10, [{ from: null, to: 'available', qty: 5 }]);
  await lot('SKU-1', 'L-45', 45, [
    { from: null, to: 'available', qty: 3 },
    { from: 'available', to: 'reserved', qty: 3 },
  ]);
  await lot('SKU-1', 'L-100', 100, [{ from: null, to: 'unfulfillable', qty: 2 }]);
  await lot('SKU-1', 'L-200', 200, [{ from: null, to: 'available', qty: 4 }]);
  // units no longer there do not age, and units not yet arrived (inbound) neither
  await lot('SKU-2', 'L-300', 300, [
    { from: null, to: 'available', qty: 6 },
    { from: 'available', to: null, qty: 6 },
    { from: null, to: 'inbound', qty: 9 },
  ]);
  await lot('SKU-2', 'L-60', 60, [{ from: null, to: 'on_hold', qty: 1 }]);
  // a lot with no recorded arrival
  await lot('SKU-2', '', null, [{ from: null, to: 'available', qty: 7 }]);
  // B's stock of the same SKU code
  await centre.transaction(async (sql) => {
    await stock.ensureLot(sql, {
      ownerCode: 'OWN-B',
      warehouseCode: WH,
      sku: 'SKU-1',
      lotNo: 'B-OLD',
      arrivedAt: new Date(Date.now() - 500 * DAY),
    });
    await stock.post(
      sql,
      [
        {
          ownerCode: 'OWN-B',
          warehouseCode: WH,
          sku: 'SKU-1',
          lotNo: 'B-OLD',
          from: null,
          to: 'available',
          qty: 8,
          event: 'stocktake.adjusted',
          docType: 'test',
          docNo: 'B',
        },
      ],
      'test',
    );
  });
});

afterAll(async () => {
  await t?.close();
});

describe('ageing', () => {
  it('shows a seller its units per age band, per SKU and warehouse, in the warehouse’s default bands', async () => {
    const res = await t.api('GET', '/api/seller/ageing', 'a');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.warehouses).toEqual([
      {
        warehouseCode: WH,
        bands: [30, 60, 90, 180],
        alertDays: 180,
        labels: ['0–29', '30–59', '60–89', '90–179', '180+'],
      },
    ]);
    const [sku1, sku2] = res.body.items as AgeingRow[];
    expect(sku1).toMatchObject({
      warehouseCode: WH,
      ownerCode: 'OWN-A',
      sku: 'SKU-1',
      name: 'A cream',
      qty: 14,
      unknownAgeQty: 0,
      oldestAgeDays: 200,
    });
    expect(bandsOf(sku1)).toEqual(['0–29:5', '30–59:3', '60–89:0', '90–179:2', '180+:4']);
    expect(new Date(sku1.oldestArrivedAt as string).getTime()).toBeLessThan(Date.now() - 200 * DAY);
    expect(sku2).toMatchObject({ sku: 'SKU-2', qty: 8, unknownAgeQty: 7, oldestAgeDays: 60 });
    expect(bandsOf(sku2)).toEqual(['0–29:0', '30–59:0', '60–89:1', '90–179:0', '180+:0']);
    expect(res.body.items).toHaveLength(2);

    const one = await t.api('GET', `/api/seller/ageing?warehouseCode=${WH}&sku=SKU-2`, 'a');
    expect(one.body.items.map((r: AgeingRow) => r.sku)).toEqual(['SKU-2']);
    const b = await t.api('GET', '/api/seller/ageing', 'b');
    expect(b.body.items).toEqual([expect.objectContaining({ ownerCode: 'OWN-B', sku: 'SKU-1', qty: 8 })]);
  });

  it('uses the bands and alert age the warehouse’s staff set', async () => {
    expect((await t.api('GET', `/api/warehouses/${WH}/ageing`, 'staff')).body).toMatchObject({
      bands: [30, 60, 90, 180],
    });
    const staff = await t.api('PUT', `/api/warehouses/${WH}/ageing`, 'staff', { bands: [7, 30], alertDays: 40 });
    expect(staff.status).toBe(403);
    const seller = await t.api('PUT', `/api/warehouses/${WH}/ageing`, 'a', { bands: [7, 30], alertDays: 40 });
    expect(seller.status).toBe(403);
    for (const bad of [
      { bands: [30, 10], alertDays: 40 },
      { bands: [], alertDays: 40 },
      { bands: [30, 30], alertDays: 40 },
      { bands: [30], alertDays: 0 },
      { bands: [30], alertDays: 40, extra: true },
    ])
      expect((await t.api('PUT', `/api/warehouses/${WH}/ageing`, 'super', bad)).status).toBe(400);
    expect((await t.api('PUT', '/api/warehouses/NOPE/ageing', 'super', { bands: [7], alertDays: 9 })).status).toBe(404);

    const set = await t.api('PUT', `/api/warehouses/${WH}/ageing`, 'super', { bands: [7, 30], alertDays: 40 });
    expect(set.body).toEqual({ warehouseCode: WH, bands: [7, 30], alertDays: 40, labels: ['0–6', '7–29', '30+'] });
    const res = await t.api('GET', '/api/seller/ageing?sku=SKU-1', 'a');
    expect(bandsOf(res.body.items[0])).toEqual(['0–6:0', '7–29:5', '30+:9']);
  });

  it('raises one alert per lot past the alert age, once, when two instances sweep together', async () => {
    const config = t.server.app.get<AppConfig>(APP_CONFIG);
    const url = appDatabaseUrl(config).url;
    const instances = [0, 1].map(() => {
      const events = new DomainEvents();
      const heard: SellerChange[] = [];
      events.on('seller.changed', (c) => heard.push(c));
      const sql = new SqlRunner(url, 2, 'centre');
      return { sql, heard, sweep: new AgeingAlertsSweep(config, sql, new AgeingRepository(), events) };
    });
    try {
      const raised = await Promise.all(instances.map((i) => i.sweep.sweep()));
      // L-45, L-60, L-100, L-200 of A and B's B-OLD are 40 days or older with units; L-300 has none
      // left but its inbound units, and L-10 is younger
      expect(raised[0] + raised[1]).toBe(5);
      const heard = instances.flatMap((i) => i.heard);
      expect(heard.map((c) => `${c.sellerCode}:${c.kind}`).sort()).toEqual([
        'SELLER-A:alert',
        'SELLER-A:alert',
        'SELLER-A:alert',
        'SELLER-A:alert',
        'SELLER-B:alert',
      ]);
      // and again, from either: nothing new
      expect(await Promise.all(instances.map((i) => i.sweep.sweep()))).toEqual([0, 0]);
      const rows = await query<{ lot_no: string; n: number }>(
        t.databaseUrl,
        'select lot_no, count(*)::int as n from seller_alert group by lot_no order by lot_no',
      );
      expect(rows).toEqual([
        { lot_no: 'B-OLD', n: 1 },
        { lot_no: 'L-100', n: 1 },
        { lot_no: 'L-200', n: 1 },
        { lot_no: 'L-45', n: 1 },
        { lot_no: 'L-60', n: 1 },
      ]);
    } finally {
      for (const i of instances) await i.sql.close();
    }

    const alerts = await t.api('GET', '/api/seller/alerts', 'a');
    expect(alerts.status).toBe(200);
    expect(alerts.body.items.map((a: { lotNo: string }) => a.lotNo).sort()).toEqual(['L-100', 'L-200', 'L-45', 'L-60']);
    const l45 = alerts.body.items.find((a: { lotNo: string }) => a.lotNo === 'L-45');
    expect(l45).toMatchObject({ kind: 'ageing', sku: 'SKU-1', warehouseCode: WH, ageDays: 45, qty: 3, ackedAt: null });
    expect(l45.message).toMatch(/3 unit\(s\) of SKU-1, lot L-45, at OW-DE1 are 45 days old/);

    const bAlerts = await t.api('GET', '/api/seller/alerts', 'b');
    expect(bAlerts.body.items.map((a: { lotNo: string }) => a.lotNo)).toEqual(['B-OLD']);
    expect((await t.api('POST', `/api/seller/alerts/${l45.id}/ack`, 'b')).status).toBe(404);
    const acked = await t.api('POST', `/api/seller/alerts/${l45.id}/ack`, 'a');
    expect(acked.status).toBe(200);
    expect(acked.body.ackedAt).not.toBeNull();
    expect((await t.api('GET', '/api/seller/alerts?open=true', 'a')).body.items).toHaveLength(3);
    expect((await t.api('GET', '/api/seller/alerts?open=false', 'a')).body.items).toHaveLength(1);
    expect((await t.api('POST', '/api/seller/alerts/00000000-0000-4000-8000-000000000000/ack', 'a')).status).toBe(404);
  });
});

import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { ScanInput } from '@wms/contracts';
import { ScanDispatcher } from '../modules/floor/scan-dispatcher.js';
import { LedgerRepository } from '../modules/inventory/ledger.repository.js';
import { OrdersService } from '../modules/orders/orders.service.js';
import type { AuthenticatedUser } from '../platform/auth/roles.js';
import { SqlRunner } from '../platform/database/sql.js';
import { DEMO_CUSTOMS } from './customs-demo.js';
import { DEMO_OVERSEAS, DEMO_OVERSEAS_LOTS } from './demo-data.js';

const SELLER = 'SELLER-DEMO';
const STATION = 'OW-ST1';
/** Where the opening lots stand on OW-DE1's shelves (one bin per SKU). */
const BIN: Record<string, string> = { 'DEMO-SKU1': 'OW-A-01', 'DEMO-SKU2': 'OW-A-02', 'DEMO-SKU3': 'OW-A-03' };

const shipTo = (name: string, city: string, postcode: string) => ({
  name,
  line1: 'Königstraße 12',
  city,
  postcode,
  country: 'DE',
});

/**
 * SELLER-DEMO's outbound orders at OW-DE1 (issue 12) in several states, made through the real
 * paths: placed by the orders service (stock reserved in the seller's ledger), then picked,
 * packed and handed over by scans at the overseas station OW-ST1 like a worker would, one
 * cancelled by the seller. Idempotent: nothing happens when the demo's first order exists.
 */
export async function seedOrderDemo(app: INestApplication, log: (line: string) => void): Promise<void> {
  const centre = app.get(SqlRunner);
  const [seen] = await centre.transaction((sql) =>
    sql.execute<Array<{ n: number }>>(
      `select count(*)::int as n from seller_order where seller_code = ? and order_no = 'DEMO-ORD-1001'`,
      [SELLER],
    ),
  );
  if (seen.n > 0) return;
  // the opening lots on their bins (the shelf ledger the pick scans read), once
  const ledger = app.get(LedgerRepository);
  await centre.transaction(async (sql) => {
    const [shelf] = await sql.execute<Array<{ n: number }>>(
      `select count(*)::int as n from stock_movement where ledger = 'shelf' and warehouse_code = ? and owner_code = ?`,
      [DEMO_OVERSEAS.code, DEMO_CUSTOMS.ebc],
    );
    if (shelf.n > 0) return;
    await ledger.append(
      sql,
      DEMO_OVERSEAS_LOTS.map((lot) => ({
        ledger: 'shelf' as const,
        warehouseCode: DEMO_OVERSEAS.code,
        bookLine: null,
        ownerCode: DEMO_CUSTOMS.ebc,
        sku: lot.sku,
        batch: lot.lotNo,
        location: BIN[lot.sku],
        customsState: 'non-bonded' as const,
        qty: lot.qty,
        docType: 'putaway' as const,
        docNo: `OPEN-${DEMO_OVERSEAS.code}`,
        logisticsNo: null,
      })),
      'demo',
      'opening stock of the demo on its bins',
    );
  });
  const orders = app.get(OrdersService);
  const placed = await orders.placeBatch(
    SELLER,
    'seller',
    [
      {
        orderNo: 'DEMO-ORD-1001',
        to: shipTo('Anna Schmidt', 'Berlin', '10115'),
        lines: [{ sku: 'DEMO-SKU1', qty: 2 }],
      },
      {
        orderNo: 'DEMO-ORD-1002',
        to: shipTo('Jonas Weber', 'Hamburg', '20095'),
        lines: [{ sku: 'DEMO-SKU2', qty: 1 }],
      },
      {
        orderNo: 'DEMO-ORD-1003',
        to: shipTo('Lea Fischer', 'München', '80331'),
        lines: [
          { sku: 'DEMO-SKU1', qty: 1 },
          { sku: 'DEMO-SKU3', qty: 2 },
        ],
      },
      { orderNo: 'DEMO-ORD-1004', to: shipTo('Paul Wagner', 'Köln', '50667'), lines: [{ sku: 'DEMO-SKU3', qty: 1 }] },
      {
        orderNo: 'DEMO-ORD-1005',
        to: shipTo('Mia Becker', 'Frankfurt', '60311'),
        lines: [{ sku: 'DEMO-SKU2', qty: 3 }],
      },
      {
        orderNo: 'DEMO-ORD-1006',
        to: shipTo('Ben Hoffmann', 'Stuttgart', '70173'),
        lines: [{ sku: 'DEMO-SKU1', qty: 1 }],
      },
    ].map((o, index) => ({
      index,
      body: { orderNo: o.orderNo, warehouseCode: DEMO_OVERSEAS.code, shipTo: o.to, carrier: 'DHL', lines: o.lines },
    })),
    'api',
  );
  const refused = placed.filter((p) => p.outcome === 'refused');
  if (refused.length) {
    log(`order demo: ${refused.length} demo order(s) refused: ${refused.map((r) => r.errors[0]?.message).join('; ')}`);
    return;
  }
  const numbers = await centre.transaction((sql) =>
    sql.execute<Array<{ orderNo: string; fulfilmentNo: string }>>(
      `select order_no as "orderNo", fulfilment_no as "fulfilmentNo" from seller_order where seller_code = ? order by id`,
      [SELLER],
    ),
  );
  const no = (orderNo: string) => String(numbers.find((n) => n.orderNo === orderNo)?.fulfilmentNo);
  const floor = app.get(ScanDispatcher);
  const scan = async (operation: ScanInput['operation'], code: string) => {
    const answer = await floor.scan(
      {
        scanId: randomUUID(),
        operation,
        warehouseCode: DEMO_OVERSEAS.code,
        stationId: STATION,
        code,
        condition: 'good',
      },
      'demo-floor',
    );
    if (answer.outcome !== 'ok') throw new Error(`order demo: ${operation} ${code} refused: ${answer.message}`);
  };
  const pick = async (orderNo: string, lines: Array<{ sku: string; qty: number }>) => {
    await scan('pick', no(orderNo));
    for (const line of lines) {
      await scan('pick', BIN[line.sku]);
      for (let i = 0; i < line.qty; i++) await scan('pick', line.sku);
    }
  };
  // 1001 shipped, 1002 packed, 1003 being picked, 1004 cancelled, 1005 and 1006 reserved
  await pick('DEMO-ORD-1001', [{ sku: 'DEMO-SKU1', qty: 2 }]);
  await scan('pack', no('DEMO-ORD-1001'));
  await scan('pack', 'JJD000390007001001');
  await scan('gate', 'JJD000390007001001');
  await pick('DEMO-ORD-1002', [{ sku: 'DEMO-SKU2', qty: 1 }]);
  await scan('pack', no('DEMO-ORD-1002'));
  await scan('pack', 'JJD000390007001002');
  await pick('DEMO-ORD-1003', [{ sku: 'DEMO-SKU1', qty: 1 }]);
  const seller = { id: 'demo', username: 'seller', displayName: 'Demo Seller', roles: ['seller'], sellerCode: SELLER };
  await orders.cancel(seller as AuthenticatedUser, 'DEMO-ORD-1004');
  log(
    'order demo: SELLER-DEMO orders at OW-DE1: 1001 shipped, 1002 packed, 1003 picking, 1004 cancelled, 1005-1006 reserved',
  );
}

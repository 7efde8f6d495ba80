import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ScanDispatcher } from '../modules/floor/scan-dispatcher.js';
import { ShipmentsService } from '../modules/shipments/shipments.service.js';
import type { AuthenticatedUser } from '../platform/auth/roles.js';
import { SqlRunner } from '../platform/database/sql.js';
import { DEMO_CUSTOMS } from './customs-demo.js';
import { DEMO_GOODS, DEMO_OVERSEAS } from './demo-data.js';

/**
 * SELLER-DEMO's inbound shipments to OW-DE1 (issue 12), made through the same services the API
 * uses, so the portal has something to show: ASN-DEMO-0001 declared under 9810, released, and in
 * transit; ASN-DEMO-0002 arrived and being received (its first carton scanned, some units counted).
 * The customs simulator decides at its own pace: the steps after the release run in the background
 * once it has answered. Idempotent: an ASN that exists is left as it is.
 */
export const DEMO_SHIPMENTS = {
  inTransit: 'ASN-DEMO-0001',
  receiving: 'ASN-DEMO-0002',
} as const;

/** The customs simulator releases the demo shipments' export lists (keyed by orderNo = shipment no). */
export const demoShipmentOverrides = (): Record<string, 'release'> => ({
  [DEMO_SHIPMENTS.inTransit]: 'release',
  [DEMO_SHIPMENTS.receiving]: 'release',
});

const seller: AuthenticatedUser = {
  id: randomUUID(),
  username: 'seller',
  displayName: 'Demo seller',
  roles: ['seller'],
  sellerCode: 'SELLER-DEMO',
};
const [sku1, sku2, sku3] = DEMO_GOODS;

export async function seedShipmentsDemo(app: INestApplication, log: (line: string) => void): Promise<void> {
  const shipments = app.get(ShipmentsService);
  const centre = app.get(SqlRunner);
  const existing = await centre.transaction((sql) =>
    sql.execute<Array<{ shipment_no: string }>>('select shipment_no from seller_shipment where shipment_no = any(?)', [
      `{${Object.values(DEMO_SHIPMENTS).join(',')}}`,
    ]),
  );
  if (existing.length) return;
  const book = (shipmentNo: string, cartons: Array<Array<{ sku: string; qty: number }>>) =>
    shipments.create(seller, {
      shipmentNo,
      warehouseCode: DEMO_OVERSEAS.code,
      originWarehouseCode: DEMO_CUSTOMS.warehouseCode,
      carrier: 'COSCO Shipping (rail, Yiwu-Duisburg)',
      eta: new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10),
      cartons: cartons.map((lines) => ({ lines })),
    });
  await book(DEMO_SHIPMENTS.inTransit, [
    [
      { sku: sku1.sku, qty: 24 },
      { sku: sku2.sku, qty: 12 },
    ],
    [{ sku: sku3.sku, qty: 18 }],
  ]);
  const receiving = await book(DEMO_SHIPMENTS.receiving, [
    [
      { sku: sku1.sku, qty: 6 },
      { sku: sku2.sku, qty: 6 },
    ],
    [{ sku: sku3.sku, qty: 6 }],
  ]);
  for (const no of Object.values(DEMO_SHIPMENTS))
    await shipments.declare(no, 'supervisor', { trafMode: '2', pod: 'DEHAM', wrapType: '2' });
  log(
    `shipments demo: ${Object.values(DEMO_SHIPMENTS).join(', ')} booked for ${DEMO_OVERSEAS.code} and declared under 9810`,
  );
  // after the release: one in transit, one arrived and partly counted at the overseas dock
  void (async () => {
    const until = Date.now() + 120_000;
    const released = new Set<string>();
    while (released.size < 2 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 1000));
      for (const no of Object.values(DEMO_SHIPMENTS))
        if (!released.has(no) && (await shipments.staffDetail(no)).customs?.released) released.add(no);
    }
    if (!released.size) return log('shipments demo: customs did not release the demo ASNs (yet); they stay booked');
    for (const no of released) {
      await shipments.setStatus(no, { status: 'departed' }, 'supervisor');
      await shipments.setStatus(no, { status: 'in_transit' }, 'supervisor');
    }
    if (released.has(DEMO_SHIPMENTS.receiving)) {
      await shipments.setStatus(DEMO_SHIPMENTS.receiving, { status: 'arrived' }, 'supervisor');
      const floor = app.get(ScanDispatcher);
      const scan = (code: string, qty?: number) =>
        floor.scan(
          {
            scanId: randomUUID(),
            operation: 'receive',
            warehouseCode: DEMO_OVERSEAS.code,
            stationId: 'OW-DEMO-HH1',
            code,
            deliveryNo: DEMO_SHIPMENTS.receiving,
            condition: 'good',
            ...(qty ? { qty } : {}),
          },
          'staff',
        );
      await scan(`00${receiving.cartonsDetail[0].sscc}`);
      await scan(sku1.gtin, 6);
      await scan(sku2.gtin, 4);
    }
    log(
      `shipments demo: ${DEMO_SHIPMENTS.inTransit} in transit, ${DEMO_SHIPMENTS.receiving} being received at ${DEMO_OVERSEAS.code}`,
    );
  })().catch((error) => log(`shipments demo: ${String(error)}`));
}

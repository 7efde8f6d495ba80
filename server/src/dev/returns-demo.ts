import type { INestApplication } from '@nestjs/common';
import { ScanDispatcher } from '../modules/floor/scan-dispatcher.js';
import { SellerReturnsService } from '../modules/returns/seller-returns.service.js';
import { AgeingAlertsSweep } from '../modules/sellers/ageing/ageing-alerts.sweep.js';
import type { AuthenticatedUser } from '../platform/auth/roles.js';
import { AppError } from '../platform/http/app-error.js';
import { DEMO_GOODS, DEMO_OVERSEAS } from './demo-data.js';

/** The demo seller's user, as the RMAs name their creator. */
const DEMO_SELLER: AuthenticatedUser = {
  id: '00000000-0000-4000-8000-000000005e11',
  username: 'seller',
  displayName: 'Demo seller',
  roles: ['seller'],
  sellerCode: 'SELLER-DEMO',
};

const gtinOf = (sku: string) => DEMO_GOODS.find((g) => g.sku === sku)?.gtin ?? sku;

/**
 * SELLER-DEMO's returns at OW-DE1 (issue 12), and the ageing alerts of its opening lots: RMA-DEMO-0001 expected (1 face cream, 2 serums);
 * RMA-DEMO-0002 (2 body lotions, with an exchange of one) of which one unit is already graded
 * sellable at the returns desk. The grading goes through the floor's scan path like a handheld's
 * (fixed scan ids: a restart changes nothing). Scan the second unit to finish it:
 *   POST /api/floor/scans {operation:'returns', warehouseCode:'OW-DE1', code:'RMA-DEMO-0002'}, then its GTIN.
 */
export async function seedReturnsDemo(app: INestApplication, log: (line: string) => void): Promise<void> {
  const returns = app.get(SellerReturnsService);
  const made: string[] = [];
  for (const rma of [
    {
      rmaNo: 'RMA-DEMO-0001',
      warehouseCode: DEMO_OVERSEAS.code,
      orderNo: 'DEMO-WEB-1001',
      reason: 'customer changed their mind',
      lines: [
        { sku: 'DEMO-SKU1', qty: 1 },
        { sku: 'DEMO-SKU2', qty: 2 },
      ],
    },
    {
      rmaNo: 'RMA-DEMO-0002',
      warehouseCode: DEMO_OVERSEAS.code,
      orderNo: 'DEMO-WEB-1002',
      reason: 'wrong scent',
      lines: [{ sku: 'DEMO-SKU3', qty: 2 }],
      exchange: {
        shipTo: {
          name: 'Erika Mustermann',
          line1: 'Königstraße 1',
          city: 'Duisburg',
          postcode: '47051',
          country: 'DE',
        },
        lines: [{ sku: 'DEMO-SKU3', qty: 1 }],
      },
    },
  ])
    try {
      await returns.create(DEMO_SELLER, rma);
      made.push(rma.rmaNo);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error; // made at an earlier start
    }

  const floor = app.get(ScanDispatcher);
  const scan = (scanId: string, code: string) =>
    floor.scan(
      {
        scanId,
        operation: 'returns',
        warehouseCode: DEMO_OVERSEAS.code,
        stationId: 'OW-RET-DESK',
        code,
        condition: 'good',
      },
      'staff',
    );
  await scan('7e70a000-0000-4000-8000-000000000001', 'RMA-DEMO-0002');
  const graded = await scan('7e70a000-0000-4000-8000-000000000002', gtinOf('DEMO-SKU3'));
  // the opening lots were posted after the start's sweep: the 200-day lot alerts its seller now
  const alerts = await app.get(AgeingAlertsSweep).sweep();
  if (alerts) log(`ageing demo: ${alerts} lot(s) past the alert age raised their seller's alert`);
  if (made.length)
    log(
      `returns demo: ${made.join(', ')} expected at ${DEMO_OVERSEAS.code}; RMA-DEMO-0002 ${graded.outcome === 'ok' ? 'has 1 of 2 graded sellable' : `not graded (${graded.message})`}`,
    );
}

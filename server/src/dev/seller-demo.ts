import type { INestApplication } from '@nestjs/common';
import { SellerStockRepository } from '../modules/sellers/stock/seller-stock.repository.js';
import { type SqlRunner, TENANT_SQL } from '../platform/database/sql.js';
import { DEMO_CUSTOMS } from './customs-demo.js';
import { DEMO_OVERSEAS, DEMO_OVERSEAS_LOTS } from './demo-data.js';

/**
 * SELLER-DEMO's opening stock at the overseas warehouse OW-DE1 (issue 12), through the seller's
 * stock ledger like every other change: lots of several ages, so the portal's buckets and ageing
 * have something to show. Idempotent: the opening balance is posted once.
 */
export async function seedSellerDemo(app: INestApplication, log: (line: string) => void): Promise<void> {
  const tenant = app.get<SqlRunner>(TENANT_SQL);
  const stock = app.get(SellerStockRepository);
  const posted = await tenant.forTenant('SELLER-DEMO', async (sql) => {
    const [done] = await sql.execute<Array<{ n: number }>>(
      `select count(*)::int as n from seller_stock_movement where doc_type = 'opening' and doc_no = ?`,
      [`OPEN-${DEMO_OVERSEAS.code}`],
    );
    if (done.n > 0) return false;
    const ownerCode = DEMO_CUSTOMS.ebc;
    for (const lot of DEMO_OVERSEAS_LOTS)
      await stock.ensureLot(sql, {
        ownerCode,
        warehouseCode: DEMO_OVERSEAS.code,
        sku: lot.sku,
        lotNo: lot.lotNo,
        expiry: lot.expiry,
        arrivedAt: new Date(Date.now() - lot.daysAgo * 86_400_000),
      });
    await stock.post(
      sql,
      DEMO_OVERSEAS_LOTS.map((lot) => ({
        ownerCode,
        warehouseCode: DEMO_OVERSEAS.code,
        sku: lot.sku,
        lotNo: lot.lotNo,
        from: null,
        to: 'available' as const,
        qty: lot.qty,
        event: 'stocktake.adjusted' as const,
        docType: 'opening',
        docNo: `OPEN-${DEMO_OVERSEAS.code}`,
        reason: 'opening balance of the demo: stock already at the overseas warehouse',
      })),
      'demo',
    );
    return true;
  });
  if (posted)
    log(`seller demo: SELLER-DEMO opening stock at ${DEMO_OVERSEAS.code} (${DEMO_OVERSEAS_LOTS.length} lots)`);
}

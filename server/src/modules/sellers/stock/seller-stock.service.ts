import { Inject, Injectable } from '@nestjs/common';
import type { BucketRow, bucketSummary, bucketsPage, ledgerPage } from '@wms/contracts';
import { siteTime } from '@wms/contracts';
import type { z } from 'zod';
import type { AuthenticatedUser } from '../../../platform/auth/roles.js';
import { type SqlRunner, TENANT_SQL } from '../../../platform/database/sql.js';
import { AppError } from '../../../platform/http/app-error.js';
import { sellerCodeOf } from '../sellers.service.js';
import { SellerStockRepository } from './seller-stock.repository.js';
import type { BucketsQuery, LedgerQuery } from './seller-stock.schemas.js';

type Key = { warehouseCode: string; ownerCode: string; sku: string };
const cursorOf = (k: Key) => Buffer.from(JSON.stringify([k.warehouseCode, k.ownerCode, k.sku])).toString('base64url');
function parseCursor(cursor: string | undefined): Key | null {
  if (!cursor) return null;
  try {
    const [warehouseCode, ownerCode, sku] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof warehouseCode === 'string' && typeof ownerCode === 'string' && typeof sku === 'string')
      return { warehouseCode, ownerCode, sku };
  } catch {
    // answered below
  }
  throw new AppError('VALIDATION_FAILED', 'after: not a cursor this API gave out; start again without it.');
}

/** A seller's stock by bucket and its ledger (issue 12), read in the seller's tenant transaction. */
@Injectable()
export class SellerStockService {
  constructor(
    @Inject(TENANT_SQL) private readonly tenant: SqlRunner,
    private readonly stock: SellerStockRepository,
  ) {}

  /**
   * Every SKU with stock, per warehouse, all buckets on one row; the bonded-centre book balance
   * joins in as `bonded` (its own rows where the seller's goods are only in the bonded centre).
   */
  buckets(user: AuthenticatedUser, q: BucketsQuery): Promise<z.infer<typeof bucketsPage>> {
    const after = parseCursor(q.after);
    return this.tenant.forTenant(sellerCodeOf(user), async (sql) => {
      const filter = { warehouseCode: q.warehouseCode, sku: q.sku, bucket: q.bucket };
      let rows: BucketRow[] =
        q.bucket === 'bonded' ? [] : await this.stock.bucketsPage(sql, filter, q.limit + 1, after);
      if (!after && (q.bucket === undefined || q.bucket === 'bonded')) {
        // the bonded centre's book is small per seller (book lines): merged on the first page
        const bonded = await this.stock.bonded(sql, filter);
        const byKey = new Map(rows.map((r) => [`${r.warehouseCode}/${r.ownerCode}/${r.sku}`, r]));
        for (const b of bonded) {
          const hit = byKey.get(`${b.warehouseCode}/${b.ownerCode}/${b.sku}`);
          if (hit) hit.bonded = b.qty;
          else
            rows.push({
              warehouseCode: b.warehouseCode,
              ownerCode: b.ownerCode,
              sku: b.sku,
              name: b.name,
              inbound: 0,
              receiving: 0,
              available: 0,
              reserved: 0,
              unfulfillable: 0,
              onHold: 0,
              bonded: b.qty,
              updatedAt: null,
            });
        }
        rows = rows.filter((r) => q.bucket !== 'bonded' || r.bonded > 0);
        rows.sort((a, b) =>
          a.warehouseCode === b.warehouseCode
            ? a.ownerCode === b.ownerCode
              ? a.sku.localeCompare(b.sku)
              : a.ownerCode.localeCompare(b.ownerCode)
            : a.warehouseCode.localeCompare(b.warehouseCode),
        );
      }
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      return { items: page, nextCursor: more ? cursorOf(page[page.length - 1]) : null };
    });
  }

  summary(user: AuthenticatedUser): Promise<z.infer<typeof bucketSummary>> {
    return this.tenant.forTenant(sellerCodeOf(user), async (sql) => ({ warehouses: await this.stock.summary(sql) }));
  }

  ledger(user: AuthenticatedUser, q: LedgerQuery): Promise<z.infer<typeof ledgerPage>> {
    return this.tenant.forTenant(sellerCodeOf(user), async (sql) => {
      const rows = await this.stock.ledger(sql, q, q.limit + 1, q.before ?? null);
      const more = rows.length > q.limit;
      const page = (more ? rows.slice(0, q.limit) : rows).map(({ timeZone, at, ...r }) => {
        const when = new Date(at);
        return { ...r, at: when.toISOString(), siteTime: siteTime(when, timeZone) };
      });
      return { items: page, nextBefore: more ? page[page.length - 1].id : null };
    });
  }
}

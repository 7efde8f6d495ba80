import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { AppError } from '../../platform/http/app-error.js';
import type { LocationRow } from '../floor/scan.types.js';
import type * as answers from './storage.answers.js';

/** Locations, stock-takes and their counts: the tables storage owns. */
@Injectable()
export class StorageRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  transaction<T>(work: (em: Em) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }

  /** A location of the warehouse with its zone's kind, or null. */
  async location(em: Em, warehouseCode: string, text: string): Promise<LocationRow | null> {
    const rows = await em.execute<LocationRow[]>(
      `select l.code, z.kind as zone, l.purpose from location l
       join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
       where l.warehouse_code = ? and l.code = ?`,
      [warehouseCode, text],
    );
    return rows[0] ?? null;
  }

  /** Which of these codes are locations of the warehouse. */
  async knownLocations(em: Em, warehouseCode: string, codes: string[]): Promise<string[]> {
    const rows = await em.execute<Array<{ code: string }>>(
      'select code from location where warehouse_code = ? and code = any(?::text[])',
      [warehouseCode, pgArray(codes)],
    );
    return rows.map((r) => r.code);
  }

  /** The first quarantine location of the warehouse (by code), where goods off the book wait. */
  async quarantineLocation(em: Em, warehouseCode: string): Promise<string | null> {
    const rows = await em.execute<Array<{ code: string }>>(
      `select l.code from location l join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
       where l.warehouse_code = ? and z.kind = 'quarantine' order by l.code limit 1`,
      [warehouseCode],
    );
    return rows[0]?.code ?? null;
  }

  /** Where unsellable goods wait: the quarantine, else the returns area (an overseas warehouse may have no quarantine). */
  async unsellableLocation(em: Em, warehouseCode: string): Promise<string | null> {
    const rows = await em.execute<Array<{ code: string }>>(
      `select l.code from location l join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
       where l.warehouse_code = ? and z.kind in ('quarantine', 'returns')
       order by case z.kind when 'quarantine' then 0 else 1 end, l.code limit 1`,
      [warehouseCode],
    );
    return rows[0]?.code ?? null;
  }

  /** The warehouse's receiving dock (its first dock location), where an expected delivery is counted. */
  async dockLocation(em: Em, warehouseCode: string): Promise<string | null> {
    const rows = await em.execute<Array<{ code: string }>>(
      `select code from location where warehouse_code = ? and purpose = 'dock' order by code limit 1`,
      [warehouseCode],
    );
    return rows[0]?.code ?? null;
  }

  /** Whether the code is a location of the warehouse (any purpose). */
  async isLocation(em: Em, warehouseCode: string, code: string): Promise<boolean> {
    const rows = await em.execute<Array<{ code: string }>>(
      'select code from location where warehouse_code = ? and code = ?',
      [warehouseCode, code],
    );
    return rows.length > 0;
  }

  async stocktakes(warehouseCode: string, status: 'open' | 'closed') {
    return this.orm.em.execute<Answer<typeof answers.stocktakesListed>['items']>(
      `select stocktake_no as "stocktakeNo", locations, status, created_at as "createdAt" from stocktake
       where warehouse_code = ? and status = ? order by created_at desc limit 100`,
      [warehouseCode, status],
    );
  }

  async stocktake(no: string) {
    const rows = await this.orm.em.execute<Array<Answer<typeof answers.stocktakeDetail>>>(
      `select stocktake_no as "stocktakeNo", warehouse_code as "warehouseCode", locations, status, report,
         created_by as "createdBy", created_at as "createdAt", closed_at as "closedAt" from stocktake where stocktake_no = ?`,
      [no],
    );
    if (!rows.length) throw new AppError('NOT_FOUND', `stock-take ${no} is not known`);
    return rows[0];
  }

  async discrepancies(warehouseCode: string) {
    return this.orm.em.execute<Answer<typeof answers.discrepanciesListed>>(
      `select stocktake_no as "stocktakeNo", closed_at as "closedAt", closed_by as "closedBy", report->'differences' as differences
       from stocktake where warehouse_code = ? and status = 'closed' and jsonb_array_length(report->'differences') > 0
       order by closed_at desc limit 100`,
      [warehouseCode],
    );
  }
}

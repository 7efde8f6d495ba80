import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { AppError } from '../../platform/http/app-error.js';
import type * as answers from './receiving.answers.js';
import { batchDifferences, receivingReport } from './receiving.rules.js';

/** Expected deliveries and their counts: the tables receiving owns. */
@Injectable()
export class ReceivingRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  transaction<T>(work: (em: Em) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }

  /** The warehouse's account book (null: it keeps no bonded book). */
  async accountBook(em: Em, warehouseCode: string): Promise<string | null> {
    const rows = await em.execute<Array<{ ems_no: string | null }>>('select ems_no from warehouse where code = ?', [
      warehouseCode,
    ]);
    if (!rows.length) throw new AppError('VALIDATION_FAILED', `warehouse ${warehouseCode} is not set up`);
    return rows[0].ems_no;
  }

  /** The warehouse's kind: an overseas warehouse keeps no bonded book and files no entry list. */
  async warehouseKind(em: Em, warehouseCode: string): Promise<string | null> {
    const rows = await em.execute<Array<{ kind: string }>>('select kind from warehouse where code = ?', [
      warehouseCode,
    ]);
    return rows[0]?.kind ?? null;
  }

  /** The warehouse's time zone, for the times people read there. */
  async timeZone(em: Em, warehouseCode: string): Promise<string> {
    const rows = await em.execute<Array<{ time_zone: string }>>('select time_zone from warehouse where code = ?', [
      warehouseCode,
    ]);
    return rows[0]?.time_zone ?? 'Asia/Shanghai';
  }

  /** Deliveries of a warehouse still being counted (or held), newest first: what a handheld picks from. */
  async deliveries(warehouseCode: string, status: 'open' | 'held' | 'closed') {
    return this.orm.em.execute<Answer<typeof answers.deliveriesListed>['items']>(
      `select d.delivery_no as "deliveryNo", d.owner_code as "ownerCode", d.status, d.dock_location as "dockLocation",
         (select coalesce(sum((l->>'qty')::int), 0) from jsonb_array_elements(d.lines) l)::int as "expectedUnits",
         (select coalesce(sum(c.qty), 0) from inbound_count c where c.delivery_id = d.id)::int as "countedUnits"
       from inbound_delivery d where d.warehouse_code = ? and d.status = ? order by d.created_at desc limit 100`,
      [warehouseCode, status],
    );
  }

  async delivery(deliveryNo: string): Promise<Answer<typeof answers.deliveryDetail>> {
    type Detail = Answer<typeof answers.deliveryDetail>;
    const rows = await this.orm.em.execute<
      Array<{
        id: string;
        delivery_no: string;
        warehouse_code: string;
        owner_code: string;
        entry_doc_no: string | null;
        status: Detail['status'];
        lines: Detail['expected'];
        report: Detail['report'];
        dock_location: string;
      }>
    >('select * from inbound_delivery where delivery_no = ?', [deliveryNo]);
    const d = rows[0];
    if (!d)
      throw new AppError(
        'NOT_FOUND',
        `delivery ${deliveryNo} is not known: check the number (a seller's inbound shipment is received once it is marked arrived)`,
      );
    const rows2 = await this.orm.em.execute<Array<Detail['counted'][number] & { expiry: string | null }>>(
      `select sku, batch, expiry, condition, sum(qty)::int as qty from inbound_count where delivery_id = ?
       group by sku, batch, expiry, condition order by sku, batch, expiry`,
      [d.id],
    );
    // counted by SKU, batch and condition (expiry only tells the differences apart)
    const counts: Detail['counted'] = [];
    for (const r of rows2) {
      const same = counts.find((c) => c.sku === r.sku && c.batch === r.batch && c.condition === r.condition);
      if (same) same.qty += r.qty;
      else counts.push({ sku: r.sku, batch: r.batch, condition: r.condition, qty: r.qty });
    }
    return {
      deliveryNo: d.delivery_no,
      warehouseCode: d.warehouse_code,
      ownerCode: d.owner_code,
      entryDocNo: d.entry_doc_no,
      dockLocation: d.dock_location,
      status: d.status,
      expected: d.lines,
      counted: counts,
      progress: receivingReport(d.lines, counts),
      differences: batchDifferences(d.lines, rows2),
      report: d.report,
    };
  }
}

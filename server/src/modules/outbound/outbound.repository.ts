import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { AppError } from '../../platform/http/app-error.js';
import type * as answers from './outbound.answers.js';

/** Waves and pick tasks, handling units and vehicle trips: the tables outbound owns. */
@Injectable()
export class OutboundRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  transaction<T>(work: (em: Em) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }

  async wave(waveNo: string) {
    const tasks = await this.orm.em.execute<Answer<typeof answers.waveTasks>['tasks']>(
      `select id, logistics_no as "logisticsNo", sku, batch, location, qty, picked, status from pick_task
       where wave_no = ? order by location, sku, id`,
      [waveNo],
    );
    if (!tasks.length) throw new AppError('NOT_FOUND', `wave ${waveNo} is not known`);
    return { waveNo, tasks };
  }

  async trips(warehouseCode: string, status: 'loading' | 'departed') {
    return this.orm.em.execute<Answer<typeof answers.tripsListed>['items']>(
      `select trip_no as "tripNo", plate, status, release_note_no as "releaseNoteNo", created_at as "createdAt"
       from vehicle_trip where warehouse_code = ? and status = ? order by created_at desc limit 100`,
      [warehouseCode, status],
    );
  }

  async trip(tripNo: string) {
    const rows = await this.orm.em.execute<Array<Answer<typeof answers.tripDetail>>>(
      `select t.trip_no as "tripNo", t.warehouse_code as "warehouseCode", t.plate, t.status, t.release_note_no as "releaseNoteNo",
         t.vehicle_tare_kg::float as "vehicleTareKg", t.weighed_gross_kg::float as "weighedGrossKg", t.expected_kg::float as "expectedKg",
         t.departed_at as "departedAt",
         coalesce((select jsonb_agg(jsonb_build_object('sscc', u.sscc, 'kind', u.kind,
           'parcels', (select coalesce(jsonb_agg(p.logistics_no order by p.added_at), '[]'::jsonb) from handling_unit_parcel p where p.sscc = u.sscc))
           order by u.created_at) from handling_unit u where u.trip_no = t.trip_no), '[]'::jsonb) as units
       from vehicle_trip t where t.trip_no = ?`,
      [tripNo],
    );
    if (!rows.length) throw new AppError('NOT_FOUND', `vehicle trip ${tripNo} is not known`);
    return rows[0];
  }
}

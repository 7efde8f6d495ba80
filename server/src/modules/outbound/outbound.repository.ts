import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { NextPick } from '@wms/contracts';
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

  /** Waves of a warehouse with open tasks (open) or none left (done), newest first. */
  async waves(warehouseCode: string, status: 'open' | 'done') {
    return this.orm.em.execute<Answer<typeof answers.wavesListed>['items']>(
      `select wave_no as "waveNo", count(distinct logistics_no)::int as parcels, count(*)::int as tasks,
         (count(*) filter (where status = 'open'))::int as "openTasks",
         coalesce(sum(qty - picked) filter (where status = 'open'), 0)::int as "unitsLeft", min(created_at) as "createdAt"
       from pick_task where warehouse_code = ? group by wave_no
       having (count(*) filter (where status = 'open') > 0) = ?
       order by min(created_at) desc, wave_no desc limit 100`,
      [warehouseCode, status === 'open'],
    );
  }

  /**
   * The wave's next open task in walking order (by bin, then goods), with what is left of it and
   * of its parcel; null when the wave is picked. Reads in the scan's transaction, after its pick.
   */
  async nextTask(em: Em, waveNo: string): Promise<NextPick | null> {
    const query = nextTaskQuery(waveNo);
    const rows = await em.execute<NextPick[]>(query.sql, query.params);
    return rows[0] ?? null;
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

/**
 * The statement behind nextTask. With `picked`, as the wave will be once that task's new picked
 * count is written (done when it reaches the task's quantity): for the pick's own statement,
 * which does not see its own update, so the scan needs no round trip after it.
 */
export function nextTaskQuery(waveNo: string, picked?: { taskId: string; picked: number }) {
  const id = picked?.taskId ?? null;
  const n = picked?.picked ?? null;
  // the task as it will be: its picked count replaced, and gone from the open ones once done
  const pickedOf = (t: string) => `case when ${t}.id is not distinct from ?::bigint then ?::int else ${t}.picked end`;
  const stillOpen = (t: string) => `not (${t}.id is not distinct from ?::bigint and ?::int >= ${t}.qty)`;
  return {
    sql: `select t.id::text as "taskId", t.location, t.sku, t.batch, t.logistics_no as "logisticsNo",
         (t.qty - ${pickedOf('t')})::int as "left",
         (select coalesce(sum(o.qty - ${pickedOf('o')}), 0) from pick_task o
          where o.logistics_no = t.logistics_no and o.status = 'open' and ${stillOpen('o')})::int as "parcelLeft"
       from pick_task t where t.wave_no = ? and t.status = 'open' and ${stillOpen('t')}
       order by t.location, t.sku, t.id limit 1`,
    params: [id, n, id, n, id, n, waveNo, id, n],
  };
}

/**
 * nextTaskQuery for a pick being decided in the same statement: the task and its new picked
 * count come from the statement's CTE `q` (id, wave_no, picked), not from parameters.
 */
export function nextTaskAfterPick(): string {
  const id = '(select q.id from q)';
  const n = '(select q.picked from q)';
  const pickedOf = (t: string) => `case when ${t}.id = ${id} then ${n} else ${t}.picked end`;
  const stillOpen = (t: string) => `not (${t}.id = ${id} and ${n} >= ${t}.qty)`;
  return `select t.id::text as "taskId", t.location, t.sku, t.batch, t.logistics_no as "logisticsNo",
         (t.qty - ${pickedOf('t')})::int as "left",
         (select coalesce(sum(o.qty - ${pickedOf('o')}), 0) from pick_task o
          where o.logistics_no = t.logistics_no and o.status = 'open' and ${stillOpen('o')})::int as "parcelLeft"
       from pick_task t where t.wave_no = (select q.wave_no from q) and t.status = 'open' and ${stillOpen('t')}
       order by t.location, t.sku, t.id limit 1`;
}

/** A row of nextTaskQuery read back through jsonb, in the answer's own shape and key order. */
export function nextPickOf(row: NextPick | null): NextPick | null {
  if (!row) return null;
  const { taskId, location, sku, batch, logisticsNo, left, parcelLeft } = row;
  return { taskId, location, sku, batch, logisticsNo, left, parcelLeft };
}

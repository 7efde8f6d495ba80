import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { StationAnswer, StationJobKind, StationState } from '@wms/contracts';
import { ORM } from '../../platform/database/orm.js';

export interface StationJobRow {
  station_id: string;
  job: StationJobKind;
  warehouse_code: string;
  operator: string;
  delivery_no: string | null;
  stocktake_no: string | null;
  trip_no: string | null;
  current_parcel: string | null;
  set_at: Date;
}

/** A station device's event still without an outcome: the work the floor has not done yet. */
export interface PendingEvent {
  kind: 'scan' | 'weight';
  event_id: string;
  agent_id: string;
  device_id: string;
  seq: string;
  code: string | null;
  gross_grams: number | null;
}

interface StationRow {
  station_id: string;
  name: string;
  job: StationJobKind | null;
  warehouse_code: string | null;
  operator: string | null;
  delivery_no: string | null;
  stocktake_no: string | null;
  trip_no: string | null;
  current_parcel: string | null;
  set_at: Date | string | null;
}

const stationColumns = `s.station_id, s.name, j.job, j.warehouse_code, j.operator, j.delivery_no, j.stocktake_no,
  j.trip_no, j.current_parcel, j.set_at`;

export function toStationState(r: StationRow): StationState {
  return {
    stationId: r.station_id,
    name: r.name,
    job: r.job,
    warehouseCode: r.warehouse_code,
    operator: r.operator,
    deliveryNo: r.delivery_no,
    stocktakeNo: r.stocktake_no,
    tripNo: r.trip_no,
    currentParcel: r.current_parcel,
    setAt: r.set_at ? new Date(r.set_at).toISOString() : null,
  };
}

/** The station's job (station_job) and the floor's answer to each of its devices' events (station_event_outcome). */
@Injectable()
export class StationJobsRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async stationExists(stationId: string): Promise<boolean> {
    const rows = await this.orm.em.execute('select 1 from station where station_id = ?', [stationId]);
    return rows.length > 0;
  }

  async job(stationId: string): Promise<StationJobRow | null> {
    const rows = await this.orm.em.execute<StationJobRow[]>('select * from station_job where station_id = ?', [
      stationId,
    ]);
    return rows[0] ?? null;
  }

  async stations(): Promise<StationState[]> {
    const rows = await this.orm.em.execute<StationRow[]>(
      `select ${stationColumns} from station s left join station_job j on j.station_id = s.station_id order by s.station_id`,
    );
    return rows.map(toStationState);
  }

  async station(stationId: string): Promise<StationState | null> {
    const rows = await this.orm.em.execute<StationRow[]>(
      `select ${stationColumns} from station s left join station_job j on j.station_id = s.station_id where s.station_id = ?`,
      [stationId],
    );
    return rows[0] ? toStationState(rows[0]) : null;
  }

  /**
   * Sets the job; a new job starts a new shift of work at the station: the bench is cleared and
   * only events from now on are this job's. The earlier job's events without an answer are
   * answered as the earlier job's (the sweep ran them before), never taken over by the new one.
   */
  async setJob(job: Omit<StationJobRow, 'set_at' | 'current_parcel'>): Promise<StationState> {
    await this.orm.em.execute(
      `insert into station_job (station_id, job, warehouse_code, operator, delivery_no, stocktake_no, trip_no, current_parcel, set_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, null, now(), now())
       on conflict (station_id) do update set job = excluded.job, warehouse_code = excluded.warehouse_code,
         operator = excluded.operator, delivery_no = excluded.delivery_no, stocktake_no = excluded.stocktake_no,
         trip_no = excluded.trip_no, current_parcel = null, set_at = now(), updated_at = now()`,
      [job.station_id, job.job, job.warehouse_code, job.operator, job.delivery_no, job.stocktake_no, job.trip_no],
    );
    return (await this.station(job.station_id))!;
  }

  /**
   * Claims the station's events for this server instance for `ms` (renewed while it works), and
   * reads its job as it is now: null when another instance holds the claim (or no job is set). A
   * claim of a stopped instance runs out by itself.
   */
  async claim(stationId: string, instanceId: string, ms: number): Promise<StationJobRow | null> {
    const rows = await this.orm.em.execute<StationJobRow[]>(
      `update station_job set worked_by = ?, worked_until = now() + ? * interval '1 millisecond'
       where station_id = ? and (worked_by is null or worked_by = ? or worked_until < now()) returning *`,
      [instanceId, ms, stationId, instanceId],
    );
    return rows[0] ?? null;
  }

  async release(stationId: string, instanceId: string): Promise<void> {
    await this.orm.em.execute(
      'update station_job set worked_by = null, worked_until = null where station_id = ? and worked_by = ?',
      [stationId, instanceId],
    );
  }

  async setCurrentParcel(stationId: string, logisticsNo: string | null): Promise<void> {
    await this.orm.em.execute('update station_job set current_parcel = ?, updated_at = now() where station_id = ?', [
      logisticsNo,
      stationId,
    ]);
  }

  /**
   * The events of the station's current job (recorded since it was set) without an outcome, each
   * with the job's `set_at`; none when the station has no job.
   */
  async pendingOfJob(stationId: string, limit = 200): Promise<Array<PendingEvent & { set_at: Date }>> {
    return this.orm.em.execute<Array<PendingEvent & { set_at: Date }>>(
      `select x.*, j.set_at from station_job j cross join lateral (
         select 'scan' as kind, e.event_id::text, e.agent_id, e.device_id, e.seq::text, e.code, null::int as gross_grams, e.recorded_at
         from scan_event e where e.station_id = j.station_id and e.recorded_at >= j.set_at
           and not exists (select 1 from station_event_outcome o where o.event_id = e.event_id)
         union all
         select 'weight', e.event_id::text, e.agent_id, e.device_id, e.seq::text, null, e.gross_grams, e.recorded_at
         from weight_event e where e.station_id = j.station_id and e.recorded_at >= j.set_at
           and not exists (select 1 from station_event_outcome o where o.event_id = e.event_id)
       ) x where j.station_id = ? order by x.recorded_at, x.device_id, x.seq::bigint limit ?`,
      [stationId, limit],
    );
  }

  /** Stations with a job and an event since then that has no outcome: what the sweep drains. */
  async stationsWithPendingWork(): Promise<string[]> {
    const rows = await this.orm.em.execute<Array<{ station_id: string }>>(
      `select j.station_id from station_job j where
         exists (select 1 from scan_event e where e.station_id = j.station_id and e.recorded_at >= j.set_at
           and not exists (select 1 from station_event_outcome o where o.event_id = e.event_id))
         or exists (select 1 from weight_event e where e.station_id = j.station_id and e.recorded_at >= j.set_at
           and not exists (select 1 from station_event_outcome o where o.event_id = e.event_id))`,
    );
    return rows.map((r) => r.station_id);
  }

  /** The answer is kept once: a second writer of the same event (a sweep racing the listener) keeps the first. */
  async recordOutcome(answer: StationAnswer): Promise<boolean> {
    const rows = await this.orm.em.execute<Array<{ event_id: string }>>(
      `insert into station_event_outcome (event_id, station_id, kind, job, outcome, answer) values (?, ?, ?, ?, ?, ?::jsonb)
       on conflict (event_id) do nothing returning event_id`,
      [answer.eventId, answer.stationId, answer.kind, answer.job, answer.outcome, JSON.stringify(answer)],
    );
    return rows.length > 0;
  }

  /**
   * Many answers in one statement (a burst at a station without a job); returns the event ids kept
   * now. A device whose station is not registered (no `station` row) still gets its live answer:
   * its outcome is not kept (nothing to attach it to), instead of failing the whole burst.
   */
  async recordOutcomes(answers: StationAnswer[]): Promise<Set<string>> {
    if (!answers.length) return new Set();
    const rows = await this.orm.em.execute<Array<{ event_id: string }>>(
      `insert into station_event_outcome (event_id, station_id, kind, job, outcome, answer)
       select (a->>'eventId')::uuid, a->>'stationId', a->>'kind', a->>'job', a->>'outcome', a
       from jsonb_array_elements(?::jsonb) a
       where exists (select 1 from station s where s.station_id = a->>'stationId')
       on conflict (event_id) do nothing returning event_id::text`,
      [JSON.stringify(answers)],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  async answersOf(eventIds: string[]): Promise<StationAnswer[]> {
    const rows = await this.orm.em.execute<Array<{ answer: StationAnswer }>>(
      'select answer from station_event_outcome where event_id = any(?::uuid[])',
      [`{${eventIds.join(',')}}`],
    );
    return rows.map((r) => r.answer);
  }

  async lastAnswers(stationId: string, limit: number): Promise<StationAnswer[]> {
    const rows = await this.orm.em.execute<Array<{ answer: StationAnswer }>>(
      'select answer from station_event_outcome where station_id = ? order by created_at desc, event_id desc limit ?',
      [stationId, limit],
    );
    return rows.map((r) => r.answer);
  }

  /** Whether the device logs in to the broker itself (an MQTT handheld): it can be told the answer. */
  async isHandheld(deviceId: string): Promise<boolean> {
    const rows = await this.orm.em.execute(
      'select 1 from device where device_id = ? and broker_secret_hash is not null',
      [deviceId],
    );
    return rows.length > 0;
  }
}

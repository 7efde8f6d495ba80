import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import type { Sql } from '../../platform/database/sql.js';

/** What a bag or pallet's label says, read in one statement. */
export interface UnitFacts {
  sscc: string;
  kind: 'bag' | 'pallet';
  warehouse_code: string;
  warehouse_name: string;
  loct_no: string | null;
  trip_no: string | null;
  plate: string | null;
  trip_status: 'loading' | 'departed' | null;
  departed_at: Date | null;
  created_at: Date;
  parcels: number;
  /** Parcels with a weighing; the weight is known only when every parcel has one. */
  weighed: number;
  parcel_grams: string;
}

export interface UnitPrintRow {
  reprint: number;
  job_id: string;
  device_id: string;
  status: string;
}

/** The unit label prints (unit_label_print), and the facts of a unit its label shows. */
@Injectable()
export class UnitLabelsRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async printerOf(stationId: string): Promise<string | null> {
    const rows = await this.orm.em.execute<Array<{ device_id: string }>>(
      `select device_id from device where station_id = ? and kind = 'printer' and active order by device_id limit 1`,
      [stationId],
    );
    return rows[0]?.device_id ?? null;
  }

  async facts(sscc: string): Promise<UnitFacts | null> {
    const rows = await this.orm.em.execute<UnitFacts[]>(
      `select u.sscc, u.kind, u.warehouse_code, w.name as warehouse_name, w.loct_no, u.trip_no, t.plate,
         t.status as trip_status, t.departed_at, u.created_at, c.parcels, c.weighed, c.parcel_grams::text as parcel_grams
       from handling_unit u
       join warehouse w on w.code = u.warehouse_code
       left join vehicle_trip t on t.trip_no = u.trip_no
       cross join lateral (
         select count(*)::int as parcels, count(g.gross_grams)::int as weighed, coalesce(sum(g.gross_grams), 0) as parcel_grams
         from handling_unit_parcel p
         left join lateral (select gross_grams from weight_check c where c.list_id = p.list_id
                            order by c.created_at desc, c.id desc limit 1) g on true
         where p.sscc = u.sscc) c
       where u.sscc = ?`,
      [sscc],
    );
    return rows[0] ?? null;
  }

  /**
   * Claims the next print of the unit's label under the unit's row lock: the first (0) or the
   * next reprint. Returns the earlier prints too, so the caller can refuse an unasked reprint.
   */
  async claim(
    sscc: string,
    claim: (prints: UnitPrintRow[]) => {
      jobId: string;
      deviceId: string;
      stationId: string;
      reason: string | null;
      parcels: number | null;
      grossGrams: number | null;
      actor: string;
    } | null,
  ): Promise<{ reprint: number; prints: UnitPrintRow[] } | { prints: UnitPrintRow[]; refused: true }> {
    return this.orm.em.fork().transactional(async (tx) => {
      await tx.execute('select sscc from handling_unit where sscc = ? for update', [sscc]);
      const prints = await tx.execute<UnitPrintRow[]>(
        'select reprint, job_id, device_id, status from unit_label_print where sscc = ? order by reprint',
        [sscc],
      );
      const next = claim(prints);
      if (!next) return { prints, refused: true as const };
      await tx.execute(
        `insert into unit_label_print (sscc, job_id, device_id, station_id, reprint, reason, parcels, gross_grams, status, actor)
         values (?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?)`,
        [
          sscc,
          next.jobId,
          next.deviceId,
          next.stationId,
          prints.length,
          next.reason,
          next.parcels,
          next.grossGrams,
          next.actor,
        ],
      );
      return { reprint: prints.length, prints };
    });
  }

  async setStatus(tx: Sql, jobId: string, status: string, reason: string | null): Promise<void> {
    await tx.execute('update unit_label_print set status = ?, status_reason = ? where job_id = ?', [
      status,
      reason,
      jobId,
    ]);
  }

  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional((tx) => work(tx));
  }
}

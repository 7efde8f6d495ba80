import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import type * as answers from './floor.answers.js';
import type { Answer, ScanAnswer } from './floor.answers.js';

/** The floor's scan records (floor_scan, floor_session) as read back, and the supervisor's board: work in progress per operation, holds, and the refused scans of the last hour. */
@Injectable()
export class BoardRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** The answer a scan id got the first time (a repeated scan gets it again). */
  async firstAnswer(scanId: string): Promise<ScanAnswer | null> {
    const rows = await this.orm.em.execute<Array<{ response: ScanAnswer }>>(
      'select response from floor_scan where scan_id = ?',
      [scanId],
    );
    return rows[0]?.response ?? null;
  }

  async board(warehouseCode: string) {
    const em = this.orm.em.fork();
    type Board = Answer<typeof answers.floorBoard>;
    const [counts] = await em.execute<Array<Board['counts']>>(
      `select
         (select count(*)::int from inbound_delivery where warehouse_code = ? and status = 'open') as "deliveriesOpen",
         (select count(*)::int from inbound_delivery where warehouse_code = ? and status = 'held') as "deliveriesHeld",
         (select count(distinct logistics_no)::int from pick_task where warehouse_code = ? and status = 'open') as "parcelsToPick",
         (select count(*)::int from pick_task where warehouse_code = ? and status = 'short') as "shortPicks",
         (select count(*)::int from inventory_list where warehouse_code = ? and packed_at is not null and gate_passed_at is null) as "packedWaiting",
         (select count(*)::int from inventory_list where warehouse_code = ? and hold_reason is not null and gate_passed_at is null) as "held",
         (select count(*)::int from inventory_list where warehouse_code = ? and customs_status = 500 and gate_passed_at is null) as "inspection",
         (select count(*)::int from stocktake where warehouse_code = ? and status = 'open') as "stocktakesOpen"`,
      Array(8).fill(warehouseCode),
    );
    const refused = await em.execute<Board['refusedScans']>(
      `select scan_id as "scanId", operation, actor, station_id as "stationId", code, response->>'message' as message, created_at as "at"
       from floor_scan where outcome = 'refused' and created_at > now() - interval '1 hour' order by created_at desc limit 50`,
    );
    const holds = await em.execute<Board['holds']>(
      `select logistics_no as "logisticsNo", hold_reason as reason, held_by as "by", held_at as "at" from inventory_list
       where warehouse_code = ? and hold_reason is not null and gate_passed_at is null order by held_at desc limit 50`,
      [warehouseCode],
    );
    return { warehouseCode, at: new Date().toISOString(), counts, holds, refusedScans: refused };
  }
}

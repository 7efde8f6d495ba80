import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { ScanRecordedMessage } from '@wms/contracts';
import { ORM } from '../../platform/database/orm.js';

interface ScanRow {
  event_id: string;
  agent_id: string;
  device_id: string;
  station_id: string;
  seq: string;
  code: string;
  symbology: string | null;
  occurred_at: Date;
  recorded_at: Date;
}

@Injectable()
export class ScansRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** Latest scans, newest first; served from the (station_id, recorded_at) index. */
  async latest(stationId: string | undefined, limit: number): Promise<ScanRecordedMessage[]> {
    const rows = await this.orm.em.execute<ScanRow[]>(
      `select event_id, agent_id, device_id, station_id, seq, code, symbology, occurred_at, recorded_at
       from scan_event ${stationId ? 'where station_id = ?' : ''}
       order by recorded_at desc, id desc limit ?`,
      stationId ? [stationId, limit] : [limit],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      agentId: r.agent_id,
      deviceId: r.device_id,
      stationId: r.station_id,
      seq: Number(r.seq),
      code: r.code,
      symbology: r.symbology,
      occurredAt: new Date(r.occurred_at).toISOString(),
      recordedAt: new Date(r.recorded_at).toISOString(),
    }));
  }
}

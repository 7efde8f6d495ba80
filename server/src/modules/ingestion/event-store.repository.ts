import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ScanEvent } from '@wms/contracts';
import { ORM } from '../../platform/database/orm.js';

export interface RejectedRecord {
  eventId: string | null;
  agentId: string | null;
  topic: string;
  code: string;
  message: string;
  payload: string;
}

export interface CommitResult {
  /** Events stored by this commit (not seen before), with the time the server recorded them. */
  inserted: Map<string, Date>;
}

/**
 * Writes a batch of edge events in one transaction. The `ingested_event` primary key is what
 * makes a resent event a no-op: only events whose id was new get their typed row.
 */
@Injectable()
export class EventStoreRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async commit(scans: ScanEvent[], rejected: RejectedRecord[]): Promise<CommitResult> {
    const inserted = new Map<string, Date>();
    await this.orm.em.fork().transactional(async (em) => {
      if (scans.length) {
        const rows = await em.execute<Array<{ event_id: string; recorded_at: Date }>>(
          `with incoming as (
             select * from jsonb_to_recordset(?::jsonb) as t(
               event_id uuid, agent_id text, device_id text, station_id text, seq bigint,
               raw text, code text, symbology text, occurred_at timestamptz)
           ), fresh as (
             insert into ingested_event (event_id, event_type, agent_id, device_id, seq)
             select event_id, 'scan', agent_id, device_id, seq from incoming
             on conflict (event_id) do nothing
             returning event_id
           )
           insert into scan_event (event_id, agent_id, device_id, station_id, seq, raw, code, symbology, occurred_at)
           select i.event_id, i.agent_id, i.device_id, i.station_id, i.seq, decode(i.raw, 'base64'), i.code, i.symbology, i.occurred_at
           from incoming i join fresh f on f.event_id = i.event_id
           returning event_id, recorded_at`,
          [
            JSON.stringify(
              scans.map((s) => ({
                event_id: s.eventId,
                agent_id: s.agentId,
                device_id: s.deviceId,
                station_id: s.stationId,
                seq: s.seq,
                raw: s.raw,
                code: s.code,
                symbology: s.symbology,
                occurred_at: s.occurredAt,
              })),
            ),
          ],
        );
        for (const row of rows) inserted.set(row.event_id, new Date(row.recorded_at));
      }
      if (rejected.length) {
        await em.execute(
          `insert into rejected_event (event_id, agent_id, topic, code, message, payload)
           select event_id, agent_id, topic, code, message, payload
           from jsonb_to_recordset(?::jsonb) as t(event_id text, agent_id text, topic text, code text, message text, payload text)`,
          [
            JSON.stringify(
              rejected.map((r) => ({
                event_id: r.eventId,
                agent_id: r.agentId,
                topic: r.topic,
                code: r.code,
                message: r.message,
                // PostgreSQL text cannot hold NUL; keep the payload readable and lossless.
                payload: r.payload.includes('\u0000') ? `base64:${Buffer.from(r.payload).toString('base64')}` : r.payload,
              })),
            ),
          ],
        );
      }
    });
    return { inserted };
  }
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import type { Sql } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import type { traceHistory } from './trace.answers.js';

type Em = Sql;

/**
 * Traceability (DOMAIN.md §7): every physical and customs event on a parcel, book line or summary,
 * append-only, shaped after EPCIS 2.0 (bizStep from the CBV, disposition, readPoint, and the
 * business transactions: orderNo, invtNo, logisticsNo, entryId).
 */
export interface TraceEvent {
  objectKind: 'parcel' | 'book-line' | 'summary' | 'stock';
  objectId: string;
  /** CBV business step: receiving, storing, picking, packing, departing, inspecting, holding, returning, ... */
  bizStep: string;
  disposition?: string | null;
  readPoint?: string | null;
  actor?: string | null;
  documents?: Record<string, string | null | undefined>;
  detail?: Record<string, unknown>;
}

@Injectable()
export class TraceRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async record(em: Em, events: TraceEvent[]): Promise<void> {
    if (!events.length) return;
    const insert = traceInsert(events);
    await em.execute(insert.sql, insert.params);
  }

  async history(objectKind: TraceEvent['objectKind'], objectId: string, limit = 1000) {
    return this.orm.em.execute<Answer<typeof traceHistory>>(
      `select id, biz_step as "bizStep", disposition, read_point as "readPoint", actor, documents, detail,
         occurred_at as "occurredAt"
       from trace_event where object_kind = ? and object_id = ? order by id limit ?`,
      [objectKind, objectId, limit],
    );
  }
}

/** The insert of some trace events, as one statement with its parameters. */
export function traceInsert(events: TraceEvent[]) {
  return {
    sql: `insert into trace_event (object_kind, object_id, biz_step, disposition, read_point, actor, documents, detail)
       select object_kind, object_id, biz_step, disposition, read_point, actor, documents, detail
       from jsonb_to_recordset(?::jsonb) as x(object_kind text, object_id text, biz_step text, disposition text,
         read_point text, actor text, documents jsonb, detail jsonb)`,
    params: [
      JSON.stringify(
        events.map((e) => ({
          object_kind: e.objectKind,
          object_id: e.objectId,
          biz_step: e.bizStep,
          disposition: e.disposition ?? null,
          read_point: e.readPoint ?? null,
          actor: e.actor ?? null,
          documents: Object.fromEntries(Object.entries(e.documents ?? {}).filter(([, v]) => v)),
          detail: e.detail ?? {},
        })),
      ),
    ],
  };
}

import { Injectable } from '@nestjs/common';
import {
  type DeviceStatusEvent,
  type EdgeEvent,
  type ScanEvent,
  storableText,
  type TemperatureEvent,
  unsafeTextReason,
  type WeightEvent,
} from '@wms/contracts';
import { SqlRunner } from '../../platform/database/sql.js';

export interface RejectedRecord {
  eventId: string | null;
  agentId: string | null;
  topic: string;
  code: string;
  message: string;
  /** The refused message or event as received: bytes when it may not be text at all. */
  payload: string | Buffer;
}

export interface CommitResult {
  /** Events stored by this commit (not seen before), with the time the server recorded them. */
  inserted: Map<string, Date>;
}

/**
 * Writes a batch of edge events in one transaction. The `ingested_event` primary key is what
 * makes a resent event a no-op: only events whose id was new get their typed row. On plain pg
 * with prepared statements: a batch travels as one JSON parameter (a thousand events are a few
 * hundred kilobytes, which the ORM would quote into the statement's text and PostgreSQL parse).
 */
@Injectable()
export class EventStoreRepository {
  constructor(private readonly sql: SqlRunner) {}

  async commit(events: EdgeEvent[], rejected: RejectedRecord[]): Promise<CommitResult> {
    const inserted = new Map<string, Date>();
    await this.sql.transaction(async (em) => {
      if (events.length) {
        // the new ids in one row, with the commit's time (every row's committed_at is the transaction's now())
        const [fresh] = await em.execute<Array<{ ids: string[] | null; committed_at: Date }>>(
          `with i as (
             insert into ingested_event (event_id, event_type, agent_id, device_id, seq)
             select event_id, event_type, agent_id, device_id, seq
             from jsonb_to_recordset(?::jsonb) as t(event_id uuid, event_type text, agent_id text, device_id text, seq bigint)
             on conflict (event_id) do nothing
             returning event_id)
           select array_agg(event_id::text) as ids, now() as committed_at from i`,
          [
            JSON.stringify(
              events.map((e) => ({
                event_id: e.eventId,
                event_type: e.type,
                agent_id: e.agentId,
                device_id: e.deviceId,
                seq: e.seq,
              })),
            ),
          ],
        );
        // PostgreSQL writes a uuid in lower case; an agent may have sent it in upper case
        const asSent = new Map(events.map((e) => [e.eventId.toLowerCase(), e.eventId]));
        for (const id of fresh.ids ?? []) inserted.set(asSent.get(id) ?? id, fresh.committed_at);
        const isFresh = (e: EdgeEvent) => inserted.has(e.eventId);
        const common = (e: EdgeEvent) => ({
          event_id: e.eventId,
          agent_id: e.agentId,
          device_id: e.deviceId,
          station_id: e.stationId,
          seq: e.seq,
          occurred_at: e.occurredAt,
        });
        const scans = events.filter((e): e is ScanEvent => e.type === 'scan' && isFresh(e));
        if (scans.length) {
          await em.execute(
            `insert into scan_event (event_id, agent_id, device_id, station_id, seq, raw, code, symbology, occurred_at, recorded_at)
             select event_id, agent_id, device_id, station_id, seq, decode(raw, 'base64'), code, symbology, occurred_at, now()
             from jsonb_to_recordset(?::jsonb) as t(event_id uuid, agent_id text, device_id text, station_id text, seq bigint, raw text, code text, symbology text, occurred_at timestamptz)`,
            [JSON.stringify(scans.map((s) => ({ ...common(s), raw: s.raw, code: s.code, symbology: s.symbology })))],
          );
        }
        const weights = events.filter((e): e is WeightEvent => e.type === 'weight' && isFresh(e));
        if (weights.length) {
          await em.execute(
            `insert into weight_event (event_id, agent_id, device_id, station_id, seq, gross_grams, tare_grams, net_grams, protocol, raw, occurred_at, recorded_at)
             select event_id, agent_id, device_id, station_id, seq, gross_grams, tare_grams, net_grams, protocol, decode(raw, 'base64'), occurred_at, now()
             from jsonb_to_recordset(?::jsonb) as t(event_id uuid, agent_id text, device_id text, station_id text, seq bigint, gross_grams integer, tare_grams integer, net_grams integer, protocol text, raw text, occurred_at timestamptz)`,
            [
              JSON.stringify(
                weights.map((w) => ({
                  ...common(w),
                  gross_grams: w.grossGrams,
                  tare_grams: w.tareGrams,
                  net_grams: w.netGrams,
                  protocol: w.protocol,
                  raw: w.raw,
                })),
              ),
            ],
          );
        }
        const temperatures = events.filter((e): e is TemperatureEvent => e.type === 'temperature' && isFresh(e));
        if (temperatures.length) {
          await em.execute(
            `insert into temperature_reading (event_id, agent_id, device_id, station_id, seq, deci_celsius, humidity_deci_pct, protocol, raw, occurred_at, recorded_at)
             select event_id, agent_id, device_id, station_id, seq, deci_celsius, humidity_deci_pct, protocol, decode(raw, 'base64'), occurred_at, now()
             from jsonb_to_recordset(?::jsonb) as t(event_id uuid, agent_id text, device_id text, station_id text, seq bigint, deci_celsius integer, humidity_deci_pct integer, protocol text, raw text, occurred_at timestamptz)`,
            [
              JSON.stringify(
                temperatures.map((t) => ({
                  ...common(t),
                  deci_celsius: t.deciCelsius,
                  humidity_deci_pct: t.humidityDeciPct,
                  protocol: t.protocol,
                  raw: t.raw,
                })),
              ),
            ],
          );
        }
        const statuses = events.filter((e): e is DeviceStatusEvent => e.type === 'device-status' && isFresh(e));
        if (statuses.length) {
          await em.execute(
            `insert into device_status_event (event_id, agent_id, device_id, station_id, seq, status, detail, occurred_at, recorded_at)
             select event_id, agent_id, device_id, station_id, seq, status, detail, occurred_at, now()
             from jsonb_to_recordset(?::jsonb) as t(event_id uuid, agent_id text, device_id text, station_id text, seq bigint, status text, detail text, occurred_at timestamptz)`,
            [JSON.stringify(statuses.map((d) => ({ ...common(d), status: d.status, detail: d.detail ?? null })))],
          );
        }
      }
      if (rejected.length) {
        await em.execute(
          `insert into rejected_event (event_id, agent_id, topic, code, message, payload)
           select event_id, agent_id, topic, code, message, payload
           from jsonb_to_recordset(?::jsonb) as t(event_id text, agent_id text, topic text, code text, message text, payload text)`,
          [
            JSON.stringify(
              rejected.map((r) => ({
                event_id: r.eventId === null ? null : storableText(r.eventId),
                agent_id: r.agentId === null ? null : storableText(r.agentId),
                topic: storableText(r.topic),
                code: storableText(r.code),
                message: storableText(r.message),
                payload: storablePayload(r.payload),
              })),
            ),
          ],
        );
      }
    });
    return { inserted };
  }

  /**
   * Refusal records alone (after a batch failed on a row): together if they can, else one by one,
   * and a record the store still refuses is kept with its payload as plain base64.
   */
  async commitRejected(records: RejectedRecord[]): Promise<void> {
    if (!records.length) return;
    try {
      await this.commit([], records);
      return;
    } catch (error) {
      if (!isRowLevelFailure(error)) throw error;
    }
    for (const record of records) {
      try {
        await this.commit([], [record]);
      } catch (error) {
        if (!isRowLevelFailure(error)) throw error;
        const bytes = Buffer.isBuffer(record.payload) ? record.payload : Buffer.from(record.payload, 'utf8');
        await this.commit(
          [],
          [{ ...record, message: record.message.slice(0, 2000), payload: `base64:${bytes.toString('base64')}` }],
        );
      }
    }
  }
}

/**
 * A refused payload as text PostgreSQL can hold, losing nothing: kept as it is when it is valid
 * UTF-8 without NUL or lone surrogates, else `base64:` and the exact bytes.
 */
export function storablePayload(payload: string | Buffer): string {
  if (typeof payload === 'string') {
    return unsafeTextReason(payload) ? `base64:${Buffer.from(payload, 'utf8').toString('base64')}` : payload;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return `base64:${payload.toString('base64')}`;
  }
  return unsafeTextReason(text) ? `base64:${payload.toString('base64')}` : text;
}

/**
 * Errors that belong to the rows written (a value out of range, a constraint), not to the database
 * being away: SQLSTATE classes 22 (data exception), 23 (integrity constraint), 54 (program limit).
 * Only these are worth retrying event by event; anything else means "not now" for the whole batch.
 */
export function isRowLevelFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

/** What the database said about one event's row, naming the event field where PostgreSQL names a column. */
export function describeStoreFailure(error: unknown): string {
  const e = error as { code?: string; message?: string; column?: string; constraint?: string };
  const field = e.column ? e.column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : null;
  const where = field ? ` (field ${field})` : e.constraint ? ` (rule ${e.constraint})` : '';
  return `the database refused the event${where}: ${storableText(e.message ?? String(error))} [SQLSTATE ${e.code ?? '?'}]`;
}

import { Injectable } from '@nestjs/common';
import {
  type Ack,
  agentIdFromTopic,
  type EdgeEvent,
  type EventRejection,
  edgeEventSchema,
  eventBatchSchema,
  MAX_AGENT_MESSAGE_BYTES,
  topics,
} from '@wms/contracts';
import type { DomainEventMap } from '../../platform/events/domain-events.js';
import { DevicesService } from '../devices/devices.service.js';
import {
  type CommitResult,
  describeStoreFailure,
  EventStoreRepository,
  isRowLevelFailure,
  type RejectedRecord,
} from './event-store.repository.js';

export interface IncomingMessage {
  topic: string;
  payload: Buffer;
}

export type RecordedEvent =
  | { name: 'scan.recorded'; payload: DomainEventMap['scan.recorded'] }
  | { name: 'weight.recorded'; payload: DomainEventMap['weight.recorded'] }
  | { name: 'device.statusChanged'; payload: DomainEventMap['device.statusChanged'] }
  | { name: 'temperature.recorded'; payload: DomainEventMap['temperature.recorded'] };

export interface IngestionOutcome {
  /** One ack per agent that sent something, to publish after the commit. */
  acks: Map<string, Ack>;
  /** Domain events for what was stored for the first time, in arrival order. */
  recorded: RecordedEvent[];
  counts: { committed: number; duplicates: number; rejected: number };
}

const MAX_STORED_PAYLOAD = 64 * 1024;

/**
 * The ingestion rules: read each agent message, check every event on its own (schema, agent,
 * device, station), store the good ones exactly once and every refusal with its reason, and say
 * per agent what was committed. Nothing here touches MQTT or the ORM directly.
 */
@Injectable()
export class IngestionService {
  constructor(
    private readonly devices: DevicesService,
    private readonly store: EventStoreRepository,
  ) {}

  async ingest(messages: IncomingMessage[]): Promise<IngestionOutcome> {
    const acks = new Map<string, Ack>();
    const ackFor = (agentId: string) => {
      let ack = acks.get(agentId);
      if (!ack) {
        ack = { committed: [], rejected: [] };
        acks.set(agentId, ack);
      }
      return ack;
    };
    const accepted = new Map<string, EdgeEvent>();
    const rejected: RejectedRecord[] = [];
    const reject = (
      agentId: string | null,
      topic: string,
      eventId: string | null,
      code: string,
      message: string,
      payload: Buffer | (() => string),
    ) => {
      const kept = Buffer.isBuffer(payload)
        ? payload.subarray(0, MAX_STORED_PAYLOAD)
        : payload().slice(0, MAX_STORED_PAYLOAD);
      rejected.push({ agentId, topic, eventId, code, message, payload: kept });
      if (agentId && eventId) ackFor(agentId).rejected.push({ eventId, code, message });
    };
    const agentChecks = new Map<string, Promise<boolean>>();

    for (const { topic, payload } of messages) {
      const agentId = agentIdFromTopic(topic);
      if (!agentId) {
        reject(
          null,
          topic,
          null,
          'BAD_TOPIC',
          `messages must be published to wms/v1/agents/<agentId>/events, not ${topic}`,
          payload,
        );
        continue;
      }
      // Refused unread: parsing a huge message would stall every other agent's ingestion.
      if (payload.length > MAX_AGENT_MESSAGE_BYTES) {
        const message = `the message is ${payload.length} bytes, over the ${MAX_AGENT_MESSAGE_BYTES}-byte limit; send smaller batches`;
        reject(agentId, topic, null, 'PAYLOAD_TOO_LARGE', message, payload);
        ackFor(agentId).error = message;
        continue;
      }
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
      } catch (error) {
        const why = error instanceof SyntaxError ? (error as Error).message : 'it is not UTF-8 text';
        const message = `the message is not JSON (${why}); nothing in it was stored as an event`;
        reject(agentId, topic, null, 'MALFORMED_PAYLOAD', message, payload);
        ackFor(agentId).error = message;
        continue;
      }
      const batch = eventBatchSchema.safeParse(json);
      if (!batch.success) {
        const message = `the message is not an event batch: ${summarise(batch.error.issues)}`;
        reject(agentId, topic, null, 'MALFORMED_BATCH', message, payload);
        ackFor(agentId).error = message;
        continue;
      }
      if (batch.data.agentId !== agentId) {
        const message = `batch says agent ${batch.data.agentId} but was published on ${topic}`;
        reject(agentId, topic, null, 'AGENT_MISMATCH', message, payload);
        ackFor(agentId).error = message;
        continue;
      }
      if (!agentChecks.has(agentId)) agentChecks.set(agentId, this.devices.isActiveAgent(agentId));
      const agentKnown = await agentChecks.get(agentId);

      for (const raw of batch.data.events) {
        const eventId = eventIdOf(raw);
        // the event as it came, for a refusal's record (written out only then; JSON.stringify
        // escapes NUL and lone surrogates, so this text is always storable)
        const rawText = () => JSON.stringify(raw);
        if (!agentKnown) {
          reject(
            agentId,
            topic,
            eventId,
            'UNKNOWN_AGENT',
            `agent ${agentId} is not registered or is disabled: register it in the WMS before it sends events`,
            rawText,
          );
          continue;
        }
        const parsed = edgeEventSchema.safeParse(raw);
        if (!parsed.success) {
          reject(
            agentId,
            topic,
            eventId,
            'INVALID_EVENT',
            `the event is not valid: ${summarise(parsed.error.issues)}`,
            rawText,
          );
          continue;
        }
        const problem = await this.checkOrigin(agentId, parsed.data);
        if (problem) {
          reject(agentId, topic, parsed.data.eventId, problem.code, problem.message, rawText);
          continue;
        }
        // The same event twice in one go (a resend racing its original) is stored once.
        if (!accepted.has(parsed.data.eventId)) accepted.set(parsed.data.eventId, parsed.data);
      }
    }

    let events = [...accepted.values()];
    let inserted: CommitResult['inserted'];
    let storeFailed = 0;
    try {
      ({ inserted } = await this.store.commit(events, rejected));
    } catch (error) {
      if (!isRowLevelFailure(error)) throw error; // the database is away: nothing acked, agents resend
      const alone = await this.commitOneByOne(events, rejected);
      inserted = alone.inserted;
      const refused = new Set(alone.refused.map((r) => r.eventId));
      events = events.filter((e) => !refused.has(e.eventId));
      storeFailed = refused.size;
      for (const r of alone.refused)
        ackFor(r.agentId).rejected.push({ eventId: r.eventId, code: r.code, message: r.message });
    }

    const recorded: RecordedEvent[] = [];
    for (const event of events) {
      ackFor(event.agentId).committed.push(event.eventId);
      const recordedAt = inserted.get(event.eventId);
      if (recordedAt) recorded.push(toRecorded(event, recordedAt));
    }
    return {
      acks,
      recorded,
      counts: {
        committed: inserted.size,
        duplicates: events.length - inserted.size,
        rejected: rejected.length + storeFailed,
      },
    };
  }

  /**
   * The batch hit a row the database refuses (a value out of range, a constraint): each event goes
   * in its own transaction, so that one row cannot hold back the others. An event that still fails
   * is stored as rejected with what the database said; so is each refusal record on its own.
   */
  private async commitOneByOne(
    events: EdgeEvent[],
    rejected: RejectedRecord[],
  ): Promise<{ inserted: CommitResult['inserted']; refused: Array<EventRejection & { agentId: string }> }> {
    const inserted: CommitResult['inserted'] = new Map();
    const refused: Array<EventRejection & { agentId: string }> = [];
    const records = [...rejected];
    for (const event of events) {
      try {
        for (const [id, at] of (await this.store.commit([event], [])).inserted) inserted.set(id, at);
      } catch (error) {
        if (!isRowLevelFailure(error)) throw error;
        const message = describeStoreFailure(error);
        refused.push({ agentId: event.agentId, eventId: event.eventId, code: 'STORE_FAILED', message });
        records.push({
          agentId: event.agentId,
          topic: topics.agentEvents(event.agentId),
          eventId: event.eventId,
          code: 'STORE_FAILED',
          message,
          payload: JSON.stringify(event),
        });
      }
    }
    await this.store.commitRejected(records);
    return { inserted, refused };
  }

  private async checkOrigin(agentId: string, event: EdgeEvent): Promise<EventRejection | null> {
    if (event.agentId !== agentId) {
      return {
        eventId: event.eventId,
        code: 'AGENT_MISMATCH',
        message: `event says agent ${event.agentId} but came from agent ${agentId}`,
      };
    }
    const device = await this.devices.device(event.deviceId);
    if (!device?.active) {
      return {
        eventId: event.eventId,
        code: 'UNKNOWN_DEVICE',
        message: `device ${event.deviceId} is not registered (or is disabled): register it under agent ${agentId} and station ${event.stationId}`,
      };
    }
    if (device.agentId !== agentId) {
      return {
        eventId: event.eventId,
        code: 'DEVICE_AGENT_MISMATCH',
        message: `device ${event.deviceId} belongs to agent ${device.agentId}, not ${agentId}: fix the agent's device list`,
      };
    }
    const expectedKind =
      event.type === 'scan'
        ? 'scanner'
        : event.type === 'weight'
          ? 'scale'
          : event.type === 'temperature'
            ? 'sensor'
            : null;
    if (expectedKind && device.kind !== expectedKind) {
      return {
        eventId: event.eventId,
        code: 'DEVICE_KIND_MISMATCH',
        message: `device ${event.deviceId} is registered as a ${device.kind} but sent a ${event.type} event: fix its kind in the agent's device list or in the WMS`,
      };
    }
    if (device.stationId !== event.stationId) {
      return {
        eventId: event.eventId,
        code: 'STATION_MISMATCH',
        message: `device ${event.deviceId} is registered at station ${device.stationId}, not ${event.stationId}: fix the agent's device list`,
      };
    }
    return null;
  }
}

function eventIdOf(raw: unknown): string | null {
  const id = (raw as { eventId?: unknown } | null)?.eventId;
  return typeof id === 'string' && id.length <= 100 ? id : null;
}

function summarise(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function toRecorded(event: EdgeEvent, recordedAt: Date): RecordedEvent {
  const base = {
    eventId: event.eventId,
    agentId: event.agentId,
    deviceId: event.deviceId,
    stationId: event.stationId,
    seq: event.seq,
    occurredAt: event.occurredAt,
    recordedAt: recordedAt.toISOString(),
  };
  switch (event.type) {
    case 'scan':
      return { name: 'scan.recorded', payload: { ...base, code: event.code, symbology: event.symbology } };
    case 'weight':
      return {
        name: 'weight.recorded',
        payload: {
          ...base,
          grossGrams: event.grossGrams,
          tareGrams: event.tareGrams,
          netGrams: event.netGrams,
          protocol: event.protocol,
        },
      };
    case 'temperature':
      return {
        name: 'temperature.recorded',
        payload: {
          ...base,
          deciCelsius: event.deciCelsius,
          humidityDeciPct: event.humidityDeciPct,
          protocol: event.protocol,
        },
      };
    case 'device-status':
      return { name: 'device.statusChanged', payload: { ...base, status: event.status, detail: event.detail ?? null } };
  }
}

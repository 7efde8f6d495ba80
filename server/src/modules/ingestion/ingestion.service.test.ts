import { randomUUID } from 'node:crypto';
import type { EdgeEvent } from '@wms/contracts';
import { describe, expect, it } from 'vitest';
import type { DevicesService } from '../devices/devices.service.js';
import type { CommitResult, EventStoreRepository, RejectedRecord } from './event-store.repository.js';
import { IngestionService } from './ingestion.service.js';

// The fallback rules alone: the store is a stand-in that fails the way PostgreSQL does (errors
// with a SQLSTATE code); the rows it refuses are chosen by the test.
const agentId = 'agent-1';
const devices = {
  isActiveAgent: async () => true,
  device: async () => ({ active: true, agentId, kind: 'scanner', stationId: 'ST-1' }),
} as unknown as DevicesService;

function pgError(code: string, message: string, column?: string) {
  return Object.assign(new Error(message), { code, column });
}

class FakeStore {
  stored: EdgeEvent[] = [];
  rejected: RejectedRecord[] = [];
  constructor(private readonly refuse: (events: EdgeEvent[]) => Error | null) {}
  async commit(events: EdgeEvent[], rejected: RejectedRecord[]): Promise<CommitResult> {
    const error = this.refuse(events);
    if (error) throw error;
    this.stored.push(...events);
    this.rejected.push(...rejected);
    return { inserted: new Map(events.map((e) => [e.eventId, new Date()])) };
  }
  async commitRejected(records: RejectedRecord[]): Promise<void> {
    await this.commit([], records);
  }
}

const scan = (code: string, seq: number) => ({
  type: 'scan',
  eventId: randomUUID(),
  agentId,
  deviceId: 'SCN-1',
  stationId: 'ST-1',
  seq,
  occurredAt: '2026-12-01T00:00:00Z',
  raw: Buffer.from(code).toString('base64'),
  code,
  symbology: null,
});

const message = (...events: unknown[]) => ({
  topic: `wms/v1/agents/${agentId}/events`,
  payload: Buffer.from(JSON.stringify({ agentId, sentAt: '2026-12-01T00:00:00Z', events })),
});

describe('ingestion when the database refuses a row', () => {
  it('stores the others event by event and keeps the refused one as STORE_FAILED, naming the field', async () => {
    const good1 = scan('A', 1);
    const bad = scan('BAD', 2);
    const good2 = scan('C', 3);
    const store = new FakeStore((events) =>
      events.some((e) => e.eventId === bad.eventId)
        ? pgError('22003', 'value "99" is out of range for type integer', 'gross_grams')
        : null,
    );
    const service = new IngestionService(devices, store as unknown as EventStoreRepository);
    const outcome = await service.ingest([message(good1, bad, good2)]);
    expect(store.stored.map((e) => e.eventId)).toEqual([good1.eventId, good2.eventId]);
    const ack = outcome.acks.get(agentId)!;
    expect(ack.committed).toEqual([good1.eventId, good2.eventId]);
    expect(ack.rejected).toEqual([
      { eventId: bad.eventId, code: 'STORE_FAILED', message: expect.stringContaining('(field grossGrams)') },
    ]);
    expect(store.rejected).toEqual([expect.objectContaining({ eventId: bad.eventId, code: 'STORE_FAILED' })]);
    expect(outcome.recorded.map((r) => r.payload.eventId)).toEqual([good1.eventId, good2.eventId]);
    expect(outcome.counts).toEqual({ committed: 2, duplicates: 0, rejected: 1 });
  });

  it('acknowledges nothing when the database is away (connection errors), so the agents resend', async () => {
    for (const error of [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('08006', 'connection failure'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
    ]) {
      const store = new FakeStore(() => error);
      const service = new IngestionService(devices, store as unknown as EventStoreRepository);
      await expect(service.ingest([message(scan('A', 1))])).rejects.toBe(error);
    }
  });
});

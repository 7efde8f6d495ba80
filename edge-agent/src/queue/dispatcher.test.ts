import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dispatcher } from './dispatcher.js';
import { Outbox } from './outbox.js';

// Pure delivery logic: a recording sender stands in for MQTT; the outbox is a real in-memory SQLite.
class RecordingSender {
  connected = true;
  batches: Array<{ events: Array<{ eventId: string; seq: number }> }> = [];
  fail = false;
  async sendBatch(batch: { events: string[] }) {
    if (this.fail) throw new Error('offline');
    this.batches.push({ events: batch.events.map((e) => JSON.parse(e)) });
  }
}

function add(outbox: Outbox, n: number) {
  return outbox.append(
    Array.from({ length: n }, (_, i) => ({
      type: 'scan' as const,
      eventId: randomUUID(),
      agentId: 'a',
      deviceId: 'D',
      stationId: 'S',
      occurredAt: new Date().toISOString(),
      raw: '',
      code: `C${i}`,
      symbology: null,
    })),
  );
}

describe('Dispatcher', () => {
  let outbox: Outbox;
  let sender: RecordingSender;
  let dispatcher: Dispatcher;

  beforeEach(() => {
    vi.useFakeTimers();
    outbox = new Outbox(':memory:');
    sender = new RecordingSender();
    dispatcher = new Dispatcher(outbox, sender, { agentId: 'a', batchSize: 2, ackTimeoutMs: 1000 });
  });
  afterEach(() => vi.useRealTimers());

  it('sends one batch at a time, oldest first, and moves on only when acknowledged', async () => {
    const events = add(outbox, 3);
    dispatcher.pump();
    dispatcher.pump();
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.batches).toHaveLength(1);
    expect(sender.batches[0].events.map((e) => e.seq)).toEqual([1, 2]);
    dispatcher.onAck({ committed: [events[0].eventId, events[1].eventId], rejected: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.batches[1].events.map((e) => e.seq)).toEqual([3]);
    expect(outbox.stats().pending).toBe(1);
  });

  it('resends a batch the server did not acknowledge in time, and keeps the events until it does', async () => {
    const events = add(outbox, 1);
    dispatcher.pump();
    await vi.advanceTimersByTimeAsync(999);
    expect(sender.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sender.batches).toHaveLength(2);
    expect(sender.batches[1].events[0].eventId).toBe(events[0].eventId);
    expect(outbox.stats().pending).toBe(1);
    dispatcher.onAck({ committed: [events[0].eventId], rejected: [] });
    expect(outbox.stats().pending).toBe(0);
  });

  it('sends the next batch before forgetting the acknowledged one, and skips nothing after a timeout', async () => {
    const pendingAtSend: number[] = [];
    const send = sender.sendBatch.bind(sender);
    sender.sendBatch = async (batch) => {
      pendingAtSend.push(outbox.stats().pending);
      return send(batch);
    };
    const events = add(outbox, 5);
    dispatcher.pump();
    await vi.advanceTimersByTimeAsync(0);
    dispatcher.onAck({ committed: [events[0].eventId, events[1].eventId], rejected: [] });
    await vi.advanceTimersByTimeAsync(0);
    // the second batch left while the first was still in the outbox; then the first was forgotten
    expect(sender.batches.map((b) => b.events.map((e) => e.seq))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(pendingAtSend).toEqual([5, 5]);
    expect(outbox.stats().pending).toBe(3);
    // the second batch is not acknowledged: it is sent again, from the oldest event left
    await vi.advanceTimersByTimeAsync(1000);
    expect(sender.batches[2].events.map((e) => e.seq)).toEqual([3, 4]);
    dispatcher.onAck({ committed: [events[2].eventId, events[3].eventId], rejected: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.batches[3].events.map((e) => e.seq)).toEqual([5]);
    dispatcher.onAck({ committed: [events[4].eventId], rejected: [] });
    expect(outbox.stats().pending).toBe(0);
    expect(sender.batches).toHaveLength(4);
  });

  it('a partial ack does not free the slot; a rejection goes to the dead letters', async () => {
    const [a, b] = add(outbox, 2);
    dispatcher.pump();
    await vi.advanceTimersByTimeAsync(0);
    dispatcher.onAck({ committed: [a.eventId], rejected: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.batches).toHaveLength(1);
    dispatcher.onAck({ committed: [], rejected: [{ eventId: b.eventId, code: 'UNKNOWN_DEVICE', message: 'x' }] });
    expect(outbox.stats()).toEqual({ pending: 0, deadLetters: 1 });
  });

  it('holds everything while disconnected and sends after reconnect', async () => {
    sender.connected = false;
    add(outbox, 2);
    dispatcher.pump();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sender.batches).toHaveLength(0);
    sender.connected = true;
    dispatcher.pump();
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.batches).toHaveLength(1);
  });

  it('a failed publish frees the slot without losing anything', async () => {
    sender.fail = true;
    add(outbox, 1);
    dispatcher.pump();
    await vi.advanceTimersByTimeAsync(0);
    sender.fail = false;
    dispatcher.pump();
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.batches).toHaveLength(1);
    expect(outbox.stats().pending).toBe(1);
  });
});

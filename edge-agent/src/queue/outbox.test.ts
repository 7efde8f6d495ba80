import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EdgeEvent } from '@wms/contracts';
import { describe, expect, it } from 'vitest';
import { type NewEdgeEvent, Outbox } from './outbox.js';

function scan(deviceId: string, code: string): NewEdgeEvent {
  return {
    type: 'scan',
    eventId: randomUUID(),
    agentId: 'agent-01',
    deviceId,
    stationId: 'ST01',
    occurredAt: new Date().toISOString(),
    raw: Buffer.from(code).toString('base64'),
    code,
    symbology: null,
  };
}

const tempOutbox = () => join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.db');

describe('Outbox', () => {
  it('keeps the database and its journal files owner-only, also an outbox made before', () => {
    const path = tempOutbox();
    const fresh = new Outbox(path);
    fresh.append([scan('A', '1')]);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    fresh.close();

    const older = tempOutbox();
    writeFileSync(older, '');
    chmodSync(older, 0o644);
    const reopened = new Outbox(older);
    reopened.append([scan('A', '2')]);
    for (const file of [older, `${older}-wal`, `${older}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    reopened.close();
  });

  it('numbers events per device and returns them oldest first', () => {
    const outbox = new Outbox(':memory:');
    outbox.append([scan('A', '1'), scan('B', '2'), scan('A', '3')]);
    outbox.append([scan('A', '4')]);
    const pending = outbox.peekAfter(0, 10).payloads.map((p) => JSON.parse(p) as EdgeEvent);
    expect(pending.map((e) => [e.deviceId, e.seq, (e as { code: string }).code])).toEqual([
      ['A', 1, '1'],
      ['B', 1, '2'],
      ['A', 2, '3'],
      ['A', 3, '4'],
    ]);
  });

  it('keeps events and sequence numbers across a reopen', () => {
    const path = tempOutbox();
    const first = new Outbox(path);
    first.append([scan('A', '1'), scan('A', '2')]);
    first.close();
    const second = new Outbox(path);
    expect(second.stats().pending).toBe(2);
    const [third] = second.append([scan('A', '3')]);
    expect(third.seq).toBe(3);
  });

  it('forgets only what the server committed and never reuses a sequence number', () => {
    const outbox = new Outbox(':memory:');
    const [a, b] = outbox.append([scan('A', '1'), scan('A', '2')]);
    expect(outbox.forget([a.eventId, 'not-there'])).toBe(1);
    expect(outbox.peekAfter(0, 10).ids).toEqual([b.eventId]);
    outbox.forget([b.eventId]);
    expect(outbox.append([scan('A', '3')])[0].seq).toBe(3);
  });

  it('moves refused events to the dead-letter table with the reason', () => {
    const outbox = new Outbox(':memory:');
    const [a, b] = outbox.append([scan('X', '1'), scan('A', '2')]);
    outbox.deadLetter([{ eventId: a.eventId, code: 'UNKNOWN_DEVICE', message: 'device X is not registered' }]);
    expect(outbox.peekAfter(0, 10).ids).toEqual([b.eventId]);
    expect(outbox.stats()).toEqual({ pending: 1, deadLetters: 1 });
    expect(outbox.deadLetters()[0]).toMatchObject({ eventId: a.eventId, code: 'UNKNOWN_DEVICE' });
  });
});

describe('Outbox handheld reads', () => {
  it('stores the first copy of a scanId and recognises the resends, without using a sequence number', () => {
    const outbox = new Outbox(':memory:');
    const first = outbox.appendHandheldScan('S-1', scan('HH', 'A'));
    const again = outbox.appendHandheldScan('S-1', scan('HH', 'A'));
    const next = outbox.appendHandheldScan('S-2', scan('HH', 'B'));
    expect(first.event?.seq).toBe(1);
    expect(again).toEqual({ event: null, duplicateOf: { eventId: first.event!.eventId, seq: 1 } });
    expect(next.event?.seq).toBe(2);
    expect(outbox.stats().pending).toBe(2);
  });
});

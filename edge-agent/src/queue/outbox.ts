import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { EdgeEvent, EventRejection } from '@wms/contracts';

/** An event as the driver produces it; the outbox gives it its per-device sequence number. */
export type NewEdgeEvent = EdgeEvent extends infer E ? (E extends EdgeEvent ? Omit<E, 'seq'> : never) : never;

export interface OutboxStats {
  pending: number;
  deadLetters: number;
}

/**
 * The durable outbox: the source of truth for every event until the server has confirmed that it
 * committed it. SQLite in WAL mode with synchronous=FULL, so an event that `append` returned is on
 * disk and survives `kill -9` and a power cut. Events leave only through `forget` (server
 * committed) or `deadLetter` (server refused it with a reason, kept here for people to see).
 */
export class Outbox {
  private readonly db: DatabaseSync;
  private readonly insertEvent: StatementSync;
  private readonly nextSeq: StatementSync;
  private readonly selectPendingAfter: StatementSync;
  private readonly deleteEvent: StatementSync;
  private readonly insertDeadLetter: StatementSync;
  private readonly countDead: StatementSync;
  /**
   * Events in the outbox: counted once at opening, then kept by the writes below (this process is
   * the outbox's only writer). Counting the table on every ack cost time in proportion to the
   * backlog, a lot of it with a million events queued.
   */
  private pending: number;

  constructor(path: string) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // The events carry what was scanned and weighed: owner-only. SQLite gives its -wal and -shm
      // files the mode of the database file, so the file is created 0600 before SQLite opens it.
      if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    }
    this.db = new DatabaseSync(path);
    this.db.exec(`
      pragma journal_mode = wal;
      pragma synchronous = full;
      pragma busy_timeout = 5000;
      create table if not exists outbox (
        id integer primary key autoincrement,
        event_id text not null unique,
        device_id text not null,
        seq integer not null,
        payload text not null,
        created_at text not null
      );
      create table if not exists device_sequence (
        device_id text primary key,
        last_seq integer not null
      );
      create table if not exists handheld_scan (
        device_id text not null,
        scan_id text not null,
        event_id text not null,
        seq integer not null,
        received_at text not null,
        primary key (device_id, scan_id)
      );
      create table if not exists printed_job (
        device_id text not null,
        job_id text not null,
        sent_at text not null,
        primary key (device_id, job_id)
      );
      create table if not exists serial_line (
        device_id text primary key,
        at_line_start integer not null
      );
      create table if not exists dead_letter (
        event_id text primary key,
        payload text not null,
        code text not null,
        message text not null,
        rejected_at text not null
      );
    `);
    // An outbox from before this change may be world-readable: tighten it and its journal files.
    if (path !== ':memory:')
      for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
    this.insertEvent = this.db.prepare(
      'insert into outbox (event_id, device_id, seq, payload, created_at) values (?, ?, ?, ?, ?)',
    );
    this.nextSeq = this.db.prepare(
      `insert into device_sequence (device_id, last_seq) values (?, 1)
       on conflict (device_id) do update set last_seq = last_seq + 1 returning last_seq`,
    );
    this.selectPendingAfter = this.db.prepare(
      'select id, event_id, payload from outbox where id > ? order by id limit ?',
    );
    this.deleteEvent = this.db.prepare('delete from outbox where event_id = ?');
    this.insertDeadLetter = this.db.prepare(
      `insert into dead_letter (event_id, payload, code, message, rejected_at)
       select event_id, payload, ?, ?, ? from outbox where event_id = ?
       on conflict (event_id) do nothing`,
    );
    this.pending = Number((this.db.prepare('select count(*) as n from outbox').get() as { n: number }).n);
    this.countDead = this.db.prepare('select count(*) as n from dead_letter');
  }

  /**
   * Stores events in one transaction (one disk sync) and returns them with their sequence numbers.
   * `line` is where a serial scanner's byte stream stands after these events, written in the same
   * transaction: after a crash, the next start knows whether the bytes waiting begin a line.
   */
  append(events: NewEdgeEvent[], line?: { deviceId: string; atLineStart: boolean }): EdgeEvent[] {
    if (!events.length && !line) return [];
    let stored: EdgeEvent[] = [];
    this.transaction(() => {
      stored = this.appendInTransaction(events);
      if (line)
        this.db
          .prepare(
            `insert into serial_line (device_id, at_line_start) values (?, ?)
             on conflict (device_id) do update set at_line_start = excluded.at_line_start`,
          )
          .run(line.deviceId, line.atLineStart ? 1 : 0);
    });
    this.pending += stored.length;
    return stored;
  }

  private appendInTransaction(events: NewEdgeEvent[]): EdgeEvent[] {
    const stored: EdgeEvent[] = [];
    const now = new Date().toISOString();
    for (const event of events) {
      const { last_seq } = this.nextSeq.get(event.deviceId) as { last_seq: number };
      const withSeq = { ...event, seq: Number(last_seq) } as EdgeEvent;
      this.insertEvent.run(withSeq.eventId, withSeq.deviceId, withSeq.seq, JSON.stringify(withSeq), now);
      stored.push(withSeq);
    }
    return stored;
  }

  /** Whether the serial scanner's stream stood at a line start when the agent last wrote (null: never). */
  serialLineStart(deviceId: string): boolean | null {
    const row = this.db.prepare('select at_line_start from serial_line where device_id = ?').get(deviceId) as
      | { at_line_start: number }
      | undefined;
    return row ? row.at_line_start === 1 : null;
  }

  /**
   * A read from a handheld, which may publish the same read again (its own retries). The first
   * copy is stored; a repeat of (device, scanId) within a week is recognised and not stored again.
   */
  appendHandheldScan(
    scanId: string,
    event: NewEdgeEvent,
  ): { event: EdgeEvent | null; duplicateOf?: { eventId: string; seq: number } } {
    let result: { event: EdgeEvent | null; duplicateOf?: { eventId: string; seq: number } } = { event: null };
    const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
    this.transaction(() => {
      this.db.prepare('delete from handheld_scan where received_at < ?').run(weekAgo);
      const known = this.db
        .prepare('select event_id, seq from handheld_scan where device_id = ? and scan_id = ?')
        .get(event.deviceId, scanId) as { event_id: string; seq: number } | undefined;
      if (known) {
        result = { event: null, duplicateOf: { eventId: known.event_id, seq: Number(known.seq) } };
        return;
      }
      const [stored] = this.appendInTransaction([event]);
      this.db
        .prepare('insert into handheld_scan (device_id, scan_id, event_id, seq, received_at) values (?, ?, ?, ?, ?)')
        .run(event.deviceId, scanId, stored.eventId, stored.seq, new Date().toISOString());
      result = { event: stored };
    });
    if (result.event) this.pending += 1;
    return result;
  }

  /**
   * The oldest events after a position in the outbox (0: from the start), as stored (JSON text,
   * sent on as it is), and the position of the last one: what to send next while the events
   * before it are still being forgotten.
   */
  peekAfter(
    position: number,
    limit: number,
    maxBytes = Number.POSITIVE_INFINITY,
  ): { ids: string[]; payloads: string[]; position: number } {
    const all = this.selectPendingAfter.all(position, limit) as Array<{
      id: number;
      event_id: string;
      payload: string;
    }>;
    // at most maxBytes of events (always at least one): the server refuses bigger messages unread
    let bytes = 0;
    let count = 0;
    while (count < all.length && (count === 0 || bytes + all[count].payload.length + 1 <= maxBytes)) {
      bytes += all[count].payload.length + 1;
      count++;
    }
    const rows = count === all.length ? all : all.slice(0, count);
    return {
      ids: rows.map((row) => row.event_id),
      payloads: rows.map((row) => row.payload),
      position: rows.length ? Number(rows[rows.length - 1].id) : position,
    };
  }

  /** The server committed these: they may be forgotten. */
  forget(eventIds: Iterable<string>): number {
    let removed = 0;
    this.transaction(() => {
      for (const id of eventIds) removed += Number(this.deleteEvent.run(id).changes);
    });
    this.pending -= removed;
    return removed;
  }

  /** The server refused these: keep them aside with the reason, out of the sending queue. */
  deadLetter(rejections: EventRejection[]): void {
    if (!rejections.length) return;
    const now = new Date().toISOString();
    let removed = 0;
    this.transaction(() => {
      for (const r of rejections) {
        this.insertDeadLetter.run(r.code, r.message, now, r.eventId);
        removed += Number(this.deleteEvent.run(r.eventId).changes);
      }
    });
    this.pending -= removed;
  }

  /**
   * Claims a print job before its bytes go out (at most once: a job that crashed mid-send is not
   * sent again on its own; a reprint is a new, recorded job). False when it was claimed before.
   */
  claimPrintJob(deviceId: string, jobId: string): boolean {
    const result = this.db
      .prepare('insert into printed_job (device_id, job_id, sent_at) values (?, ?, ?) on conflict do nothing')
      .run(deviceId, jobId, new Date().toISOString());
    return Number(result.changes) === 1;
  }

  /** A job that could not be sent at all (printer refused before any byte went out) may be tried again. */
  releasePrintJob(deviceId: string, jobId: string): void {
    this.db.prepare('delete from printed_job where device_id = ? and job_id = ?').run(deviceId, jobId);
  }

  deadLetters(limit = 100): Array<{ eventId: string; code: string; message: string; rejectedAt: string }> {
    return (
      this.db
        .prepare('select event_id, code, message, rejected_at from dead_letter order by rejected_at desc limit ?')
        .all(limit) as Array<{ event_id: string; code: string; message: string; rejected_at: string }>
    ).map((r) => ({ eventId: r.event_id, code: r.code, message: r.message, rejectedAt: r.rejected_at }));
  }

  stats(): OutboxStats {
    return {
      pending: this.pending,
      deadLetters: Number((this.countDead.get() as { n: number }).n),
    };
  }

  close(): void {
    this.db.close();
  }

  private transaction(work: () => void): void {
    this.db.exec('begin immediate');
    try {
      work();
      this.db.exec('commit');
    } catch (error) {
      this.db.exec('rollback');
      throw error;
    }
  }
}

import { EventEmitter } from 'node:events';
import { type Ack, MAX_AGENT_MESSAGE_BYTES } from '@wms/contracts';
import type { Outbox } from './outbox.js';

/** Room under the server's message limit for the batch's head and UTF-8 growth of the JSON text. */
const BATCH_MAX_BYTES = Math.floor(MAX_AGENT_MESSAGE_BYTES / 4);

export interface BatchSender {
  readonly connected: boolean;
  /** Sends a batch whose events are given as the outbox stored them (each one JSON text). */
  sendBatch(batch: { agentId: string; sentAt: string; events: string[] }): Promise<void>;
}

export interface DispatcherOptions {
  agentId: string;
  batchSize: number;
  ackTimeoutMs: number;
}

export interface DispatcherEvents {
  delivered: [{ committed: number; rejected: number; pending: number }];
  timeout: [{ events: number }];
  rejected: [Ack['rejected']];
  warning: [string];
}

/**
 * Moves events from the outbox to the server, oldest first, one batch in flight at a time so
 * per-device order holds end to end. An event leaves the outbox only when an ack names it; a
 * batch not acknowledged in time is sent again (the server drops the duplicates). When an ack
 * completes a batch, the next batch goes out first and the acknowledged events are forgotten
 * while the server works on it.
 */
export class Dispatcher extends EventEmitter<DispatcherEvents> {
  private inFlight: { ids: Set<string>; timer: NodeJS.Timeout; position: number } | null = null;
  /**
   * Outbox position of the last event the server acknowledged in order: the next batch starts
   * after it. Back to the start (0) whenever a batch was not acknowledged, so nothing is skipped.
   */
  private sentUpTo = 0;
  private sending = false;
  private stopped = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly sender: BatchSender,
    private readonly options: DispatcherOptions,
  ) {
    super();
  }

  /** Call when something may be sent: new events, a reconnect, an ack. */
  pump(): void {
    if (this.stopped || this.inFlight || this.sending || !this.sender.connected) return;
    const {
      ids: eventIds,
      payloads: events,
      position,
    } = this.outbox.peekAfter(this.sentUpTo, this.options.batchSize, BATCH_MAX_BYTES);
    if (!events.length) return;
    const ids = new Set(eventIds);
    const timer = setTimeout(() => this.onTimeout(ids), this.options.ackTimeoutMs);
    this.inFlight = { ids, timer, position };
    this.sending = true;
    this.sender
      .sendBatch({ agentId: this.options.agentId, sentAt: new Date().toISOString(), events })
      .catch((error: Error) => {
        // Not sent (disconnected meanwhile): free the slot; the next connect pumps again.
        this.emit('warning', `batch not sent: ${error.message}`);
        this.release(ids);
      })
      .finally(() => {
        this.sending = false;
      });
  }

  onAck(ack: Ack): void {
    if (this.inFlight) {
      for (const id of ack.committed) this.inFlight.ids.delete(id);
      for (const r of ack.rejected) this.inFlight.ids.delete(r.eventId);
      if (this.inFlight.ids.size === 0) {
        this.sentUpTo = this.inFlight.position;
        this.release(this.inFlight.ids, true);
        // the next batch (after the acknowledged ones, which are still in the outbox) goes first
        this.pump();
      }
    }
    const committed = this.outbox.forget(ack.committed);
    this.outbox.deadLetter(ack.rejected);
    if (ack.rejected.length) this.emit('rejected', ack.rejected);
    if (ack.error) this.emit('warning', `server could not read a message: ${ack.error}`);
    this.emit('delivered', { committed, rejected: ack.rejected.length, pending: this.outbox.stats().pending });
    this.pump();
  }

  /** The connection dropped: whatever was in flight will be resent after reconnect. */
  onDisconnect(): void {
    if (this.inFlight) this.release(this.inFlight.ids);
  }

  /**
   * The server reconnected with a clean session: a batch in flight was dropped with its old
   * session, so it goes again now rather than after the ack timeout.
   */
  onServerBack(): void {
    if (this.inFlight) this.release(this.inFlight.ids);
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    if (this.inFlight) clearTimeout(this.inFlight.timer);
    this.inFlight = null;
  }

  private onTimeout(ids: Set<string>): void {
    if (this.inFlight?.ids !== ids) return;
    this.emit('timeout', { events: ids.size });
    this.release(ids);
    this.pump();
  }

  private release(ids: Set<string>, acknowledged = false): void {
    if (this.inFlight?.ids !== ids) return;
    clearTimeout(this.inFlight.timer);
    this.inFlight = null;
    // not acknowledged (timeout, lost connection, failed publish): start again from the oldest
    if (!acknowledged) this.sentUpTo = 0;
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { agentIdFromTopic, presenceSchema, sharedSubscription, topics } from '@wms/contracts';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { MQTT, type MqttRuntime } from '../../platform/mqtt/mqtt.module.js';
import { DevicesService } from '../devices/devices.service.js';
import { type IncomingMessage, IngestionService, type RecordedEvent } from './ingestion.service.js';

/**
 * MQTT side of ingestion: gathers agent messages for a few milliseconds, commits them as one
 * batch, then acknowledges per agent. An ack is published only after the commit; if the commit
 * fails nothing is acknowledged and the agents resend from their outboxes.
 */
@Injectable()
export class MqttIngestionConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ingestion');
  private pending: IncomingMessage[] = [];
  private pendingEvents = 0;
  private timer?: NodeJS.Timeout | NodeJS.Immediate;
  private busy = false;
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MQTT) private readonly mqtt: MqttRuntime,
    private readonly ingestion: IngestionService,
    private readonly devices: DevicesService,
    private readonly events: DomainEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const filter = topics.agentEventsFilter;
    await this.mqtt.client.subscribe(
      this.mqtt.sharedSubscriptions ? sharedSubscription(filter, this.mqtt.shareGroup) : filter,
      (topic, payload) => this.enqueue(topic, payload),
      filter,
    );
    await this.mqtt.client.subscribe(
      topics.agentPresenceFilter,
      (topic, payload) => void this.onPresence(topic, payload),
    );
    // Only now: agents resend their unacknowledged batch as soon as they see it.
    await this.mqtt.client.announcePresence();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.flushNow();
  }

  /**
   * Group commit: when idle, the message is committed at once (after the current tick, so messages
   * that arrived together go together); while a commit runs, arrivals wait and go in the next one.
   * INGEST_BATCH_WINDOW_MS adds an optional wait to gather more under light load.
   */
  private enqueue(topic: string, payload: Buffer): void {
    this.pending.push({ topic, payload });
    this.pendingEvents += estimateEvents(payload);
    if (this.pendingEvents >= this.config.INGEST_BATCH_MAX) {
      void this.flushNow();
    } else if (!this.timer && !this.busy) {
      this.timer =
        this.config.INGEST_BATCH_WINDOW_MS > 0
          ? setTimeout(() => void this.flushNow(), this.config.INGEST_BATCH_WINDOW_MS)
          : setImmediate(() => void this.flushNow());
    }
  }

  /** Flushes run one after another, so events are committed in the order they arrived. */
  private flushNow(): Promise<void> {
    this.clearTimer();
    const batch = this.pending;
    this.pending = [];
    this.pendingEvents = 0;
    if (!batch.length) return this.flushing;
    this.busy = true;
    this.flushing = this.flushing
      .then(() => this.process(batch))
      .finally(() => {
        this.busy = false;
        if (this.pending.length && !this.stopped) void this.flushNow();
      });
    return this.flushing;
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
  }

  private async process(batch: IncomingMessage[]): Promise<void> {
    let outcome: Awaited<ReturnType<IngestionService['ingest']>>;
    try {
      outcome = await this.ingestion.ingest(batch);
    } catch (error) {
      // Not acknowledged: the agents keep the events and send them again.
      this.logger.error({
        msg: 'batch not committed; agents will resend',
        messages: batch.length,
        error: String(error),
      });
      return;
    }
    for (const [agentId, ack] of outcome.acks) {
      try {
        await this.mqtt.client.publish(topics.agentAcks(agentId), JSON.stringify(ack));
      } catch (error) {
        // The events are committed; an unacknowledged resend will be recognised as a duplicate.
        this.logger.warn({ msg: 'ack not published', agentId, error: String(error) });
      }
    }
    for (const recorded of outcome.recorded) this.emitRecorded(recorded);
    if (outcome.counts.rejected) this.logger.warn({ msg: 'events rejected', ...outcome.counts });
  }

  private emitRecorded(recorded: RecordedEvent): void {
    switch (recorded.name) {
      case 'scan.recorded':
        this.events.emit(recorded.name, recorded.payload);
        break;
      case 'weight.recorded':
        this.events.emit(recorded.name, recorded.payload);
        break;
      case 'device.statusChanged':
        this.events.emit(recorded.name, recorded.payload);
        break;
      case 'temperature.recorded':
        this.events.emit(recorded.name, recorded.payload);
        break;
    }
  }

  private async onPresence(topic: string, payload: Buffer): Promise<void> {
    const agentId = agentIdFromTopic(topic);
    if (!agentId || this.stopped) return;
    let parsed: ReturnType<typeof presenceSchema.safeParse> | null;
    try {
      parsed = presenceSchema.safeParse(JSON.parse(payload.toString('utf8')));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      this.logger.warn({ msg: 'ignored malformed presence message', topic });
      return;
    }
    try {
      await this.devices.setAgentPresence(agentId, parsed.data.state, new Date(parsed.data.at));
      this.events.emit('agent.presenceChanged', { agentId, ...parsed.data });
    } catch (error) {
      this.logger.warn({ msg: 'presence not stored', agentId, error: String(error) });
    }
  }
}

/** Rough event count of a message without parsing it twice: counts `"eventId"` keys. */
function estimateEvents(payload: Buffer): number {
  let count = 0;
  let index = payload.indexOf('"eventId"');
  while (index !== -1) {
    count++;
    index = payload.indexOf('"eventId"', index + 9);
  }
  return Math.max(count, 1);
}

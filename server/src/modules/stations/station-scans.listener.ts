import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { StationAnswer } from '@wms/contracts';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { StationAnswersGateway } from './station-answers.gateway.js';
import { type PendingEvent, StationJobsRepository } from './station-jobs.repository.js';
import { StationWorkService } from './station-work.service.js';

/**
 * How long one instance's claim on a station holds without renewal (renewed at every event): a
 * crashed instance holds its stations up to this long after it died (a restart under the same
 * INSTANCE_ID takes them back at once).
 */
const CLAIM_MS = 5_000;
/** When another instance holds the station, look again after this. */
const CLAIM_RETRY_MS = 250;
/** After a failure (the database away), try the station again after this. */
const FAILURE_RETRY_MS = 1_000;

interface Lane {
  /** The station's chain of work: one event after another, in device order. */
  chain: Promise<void>;
  /** A drain is queued and has not started: a new event needs no second one. */
  queued: boolean;
  /**
   * Events that came in since the last drain, as their `*.recorded` message told them (by event
   * id): while the station has no job they are answered "no job set" from this, without reading
   * them back from the store.
   */
  unassigned: Map<string, RecordedEvent>;
}

/** An event as the ingestion commit announced it: what its "no job set" answer needs, in device order. */
type RecordedEvent = PendingEvent & { recordedAt: string };

/** The announcement as a pending event (none without an event id: the drain then reads the store). */
function announced(
  eventId: string | undefined,
  recordedAt: string | undefined,
  event: Omit<PendingEvent, 'event_id'>,
): RecordedEvent | undefined {
  if (!eventId) return undefined;
  // as the store writes a uuid (an agent may send it in upper case)
  return { ...event, event_id: eventId.toLowerCase(), recordedAt: recordedAt ?? '' };
}

/**
 * The station-scan listener (issue 11): a scan or weight a station device sent is handed to the
 * floor after its ingestion commit, in the name of the station's operator, with the event id as
 * the scan id. One promise chain per station: a station's events are applied one after another in
 * device order, never blocking ingestion or another station. The chain does not carry the events:
 * it drains what the database says has no outcome yet, so an event that arrived while the server
 * was down (or died before its answer) is applied by the same path, on start and on a slow timer.
 */
@Injectable()
export class StationScansListener implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('stations');
  private readonly lanes = new Map<string, Lane>();
  private readonly handhelds = new Map<string, { handheld: boolean; at: number }>();
  private readonly unsubscribe: Array<() => void> = [];
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: DomainEvents,
    private readonly jobs: StationJobsRepository,
    private readonly work: StationWorkService,
    private readonly answers: StationAnswersGateway,
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.events.on('scan.recorded', (scan) =>
        this.schedule(
          scan.stationId,
          announced(scan.eventId, scan.recordedAt, {
            kind: 'scan',
            agent_id: scan.agentId,
            device_id: scan.deviceId,
            seq: String(scan.seq),
            code: scan.code,
            gross_grams: null,
          }),
        ),
      ),
      this.events.on('weight.recorded', (weight) =>
        this.schedule(
          weight.stationId,
          announced(weight.eventId, weight.recordedAt, {
            kind: 'weight',
            agent_id: weight.agentId,
            device_id: weight.deviceId,
            seq: String(weight.seq),
            code: null,
            gross_grams: weight.grossGrams,
          }),
        ),
      ),
    );
  }

  /**
   * What was left undone is queued at start. Events arriving meanwhile only queue a drain of the
   * same station, which reads every unanswered event in order: the order holds either way.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), this.config.STATION_SWEEP_MS);
    this.sweepTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    for (const off of this.unsubscribe) off();
    await Promise.all([...this.lanes.values()].map((l) => l.chain));
  }

  /** Every station with a job and events since it was set that have no answer yet. */
  async sweep(): Promise<void> {
    try {
      for (const stationId of await this.jobs.stationsWithPendingWork()) this.schedule(stationId);
    } catch (error) {
      this.logger.warn({ msg: 'station sweep failed; the next one retries', error: String(error) });
    }
  }

  /** Resolves when everything queued for the station so far has been applied (tests, bench). */
  idle(stationId: string): Promise<void> {
    return this.lanes.get(stationId)?.chain ?? Promise.resolve();
  }

  /**
   * A code typed on the station screen: applied on the station's chain like a device's scan (after
   * what the devices sent before it), answered and kept the same way. The same scan id again
   * gets the first answer.
   */
  typed(stationId: string, scanId: string, code: string): Promise<StationAnswer> {
    const lane = this.laneOf(stationId);
    const run = lane.chain.then(async () => {
      const [kept] = await this.jobs.answersOf([scanId]);
      if (kept) return kept;
      const event: PendingEvent = {
        kind: 'scan',
        event_id: scanId,
        agent_id: '',
        device_id: 'screen',
        seq: '0',
        code,
        gross_grams: null,
      };
      const answer = await this.work.apply(stationId, event, await this.jobs.job(stationId));
      await this.answer(event, answer);
      return (await this.jobs.answersOf([scanId]))[0] ?? answer;
    });
    lane.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private laneOf(stationId: string): Lane {
    let lane = this.lanes.get(stationId);
    if (!lane) {
      lane = { chain: Promise.resolve(), queued: false, unassigned: new Map() };
      this.lanes.set(stationId, lane);
    }
    return lane;
  }

  private schedule(stationId: string, event?: RecordedEvent): void {
    if (this.stopped) return;
    const lane = this.laneOf(stationId);
    if (event) lane.unassigned.set(event.event_id, event);
    if (lane.queued) return;
    lane.queued = true;
    const current = lane;
    current.chain = current.chain.then(async () => {
      current.queued = false;
      try {
        await this.drain(stationId, current);
      } catch (error) {
        // the database or a device is away: the events keep no outcome; tried again in a moment
        // (and by the sweep)
        this.logger.warn({ msg: 'station work failed; retried shortly', stationId, error: String(error) });
        this.retryLater(stationId, FAILURE_RETRY_MS);
      }
    });
  }

  private async drain(stationId: string, lane: Lane): Promise<void> {
    let claimed = false;
    try {
      for (;;) {
        if (this.stopped) return;
        const pending = await this.jobs.pendingOfJob(stationId);
        if (!pending.length) {
          // in the order the store keeps them (commit time, device, sequence), as pending() reads them
          const events = [...lane.unassigned.values()].sort(
            (a, b) =>
              a.recordedAt.localeCompare(b.recordedAt) ||
              (a.device_id < b.device_id ? -1 : a.device_id > b.device_id ? 1 : 0) ||
              Number(a.seq) - Number(b.seq),
          );
          lane.unassigned.clear();
          // no job: every event is answered "no job set" live (room, handheld), no claim needed; only
          // the burst's last answer is kept, for a screen that opens later: storing one row per
          // event of a station nobody works would cost ingestion a quarter of its throughput. The
          // events were announced by their ingestion commit, new to the store (no outcome yet):
          // they are answered from that announcement, not read back.
          if (events.length && !(await this.jobs.job(stationId))) {
            const answered = await Promise.all(events.map((e) => this.work.apply(stationId, e, null)));
            await this.jobs.recordOutcomes(answered.slice(-1));
            for (const [i, answer] of answered.entries()) await this.announce(events[i], answer);
          }
          return;
        }
        lane.unassigned.clear();
        for (const event of pending) {
          if (this.stopped) return;
          // the job as it is now (a pack scan changes the parcel on the bench for the next weight),
          // claimed for this instance: if another one works the station, it drains until nothing
          // is left, and this one looks again shortly in case that one had just finished
          const current = await this.jobs.claim(stationId, this.config.INSTANCE_ID, CLAIM_MS);
          if (!current) {
            this.retryLater(stationId);
            return;
          }
          claimed = true;
          // the job was changed meanwhile: its events are read again from its start
          if (new Date(current.set_at).getTime() !== new Date(event.set_at).getTime()) break;
          await this.answer(event, await this.work.apply(stationId, event, current));
        }
      }
    } finally {
      if (claimed) await this.jobs.release(stationId, this.config.INSTANCE_ID).catch(() => undefined);
    }
  }

  /** Whether the device is an MQTT handheld, remembered for a minute (devices change rarely). */
  private async isHandheld(deviceId: string): Promise<boolean> {
    const known = this.handhelds.get(deviceId);
    if (known && known.at > Date.now() - 60_000) return known.handheld;
    const handheld = await this.jobs.isHandheld(deviceId);
    this.handhelds.set(deviceId, { handheld, at: Date.now() });
    return handheld;
  }

  private retryLater(stationId: string, ms = CLAIM_RETRY_MS): void {
    const timer = setTimeout(() => this.schedule(stationId), ms);
    timer.unref();
  }

  private async answer(event: PendingEvent, answer: StationAnswer): Promise<void> {
    if (!(await this.jobs.recordOutcome(answer))) return; // another worker answered it first
    await this.announce(event, answer);
  }

  /** The kept answer to the station's room and, for an MQTT handheld, to the device. */
  private async announce(event: PendingEvent, answer: StationAnswer): Promise<void> {
    this.events.emit('station.answered', answer);
    if (event.kind === 'scan' && event.agent_id && (await this.isHandheld(event.device_id)))
      await this.answers.toHandheld(event.agent_id, answer);
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { SqlRunner } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { StatisticsRollupRepository } from './statistics-rollup.repository.js';

const NOTICE_MS = 2000;

export interface RollupRound {
  /** Changes taken off the queue. */
  changes: number;
  /** Lists whose facts were recomputed. */
  lists: number;
  /** Rollup cells touched. */
  cells: number;
}

/**
 * Keeps the statistics rollups current (issue 13): every STATISTICS_ROLLUP_MS it takes the lists
 * the triggers noted (a declaration, a receipt, a cancel) and moves their figures, a batch per
 * transaction, until the queue is empty. One instance at a time (advisory lock; another instance
 * skips the round). A failed round leaves its changes queued: the next one retries them.
 */
@Injectable()
export class StatisticsRollupJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('statistics');
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<RollupRound> | undefined;
  private readonly listeners = new Set<(round: RollupRound) => void>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sql: SqlRunner,
    private readonly rollups: StatisticsRollupRepository,
    private readonly events: DomainEvents,
  ) {}

  private lastNotice = 0;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Tells the console the figures moved (`customs.changed`, kind statistics), at most every
   * NOTICE_MS: a busy hour of receipts would otherwise reload every open dashboard twice a second.
   */
  private notice(round: RollupRound): void {
    const send = () => {
      this.lastNotice = Date.now();
      this.noticeTimer = undefined;
      this.events.emit('customs.changed', {
        kind: 'statistics',
        ref: 'rollups',
        summary: `statistics updated: ${round.lists} lists`,
        at: new Date().toISOString(),
      });
    };
    if (this.noticeTimer) return;
    const wait = this.lastNotice + NOTICE_MS - Date.now();
    if (wait <= 0) send();
    else {
      this.noticeTimer = setTimeout(send, wait);
      this.noticeTimer.unref();
    }
  }

  onApplicationBootstrap(): void {
    if (!this.config.STATISTICS_ROLLUP_MS) return;
    void this.run();
    this.timer = setInterval(() => void this.run(), this.config.STATISTICS_ROLLUP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.noticeTimer);
    await this.running?.catch(() => undefined);
  }

  /** Called after a round that moved figures (the console's live reload hangs here). */
  onRolled(listener: (round: RollupRound) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drains the queue now; concurrent callers share one run. */
  run(): Promise<RollupRound> {
    if (this.running) return this.running;
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Rebuilds every fact and rollup from the lists in one pass (after a bulk load or a restore):
   * waits for a running round, then holds the job's lock for the rebuild.
   */
  async rebuild(): Promise<void> {
    await this.running?.catch(() => undefined);
    for (;;) {
      const done = await this.sql.transaction(async (sql) => {
        if (!(await this.rollups.claim(sql))) return false;
        await this.rollups.rebuild(sql);
        return true;
      });
      if (done) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async drain(): Promise<RollupRound> {
    const total: RollupRound = { changes: 0, lists: 0, cells: 0 };
    try {
      for (;;) {
        const round = await this.sql.transaction(async (sql) => {
          if (!(await this.rollups.claim(sql))) return null;
          const taken = await this.rollups.takeChanges(sql, this.config.STATISTICS_ROLLUP_BATCH);
          if (!taken.changes) return { changes: 0, lists: 0, cells: 0 };
          const applied = await this.rollups.apply(sql, taken.listIds);
          return { changes: taken.changes, lists: applied.saved + applied.dropped, cells: applied.cells };
        });
        if (!round) break;
        total.changes += round.changes;
        total.lists += round.lists;
        total.cells += round.cells;
        if (round.changes < this.config.STATISTICS_ROLLUP_BATCH) break;
      }
    } catch (error) {
      this.logger.warn({ msg: 'statistics rollup failed; the next round retries', error: String(error) });
    }
    if (total.lists) this.notice(total);
    if (total.changes)
      for (const listener of this.listeners)
        try {
          listener(total);
        } catch (error) {
          this.logger.warn({ msg: 'statistics listener failed', error: String(error) });
        }
    return total;
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { SqlRunner } from '../../../platform/database/sql.js';
import { DomainEvents } from '../../../platform/events/domain-events.js';
import { AgeingRepository } from './ageing.repository.js';

/**
 * The ageing alerts' sweep (issue 12): on start and then on a slow timer, every lot older than
 * its warehouse's alert age raises one alert to its seller. Safe with several server instances:
 * a sweep runs under a transaction-level advisory lock (an instance that finds it taken skips
 * that round), and the alert's unique key per lot is the backstop, so a lot alerts once.
 */
@Injectable()
export class AgeingAlertsSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ageing');
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sql: SqlRunner,
    private readonly ageing: AgeingRepository,
    private readonly events: DomainEvents,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.AGEING_SWEEP_MS) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.AGEING_SWEEP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep: how many alerts it raised (0 when another instance held the sweep). */
  sweep(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.raise().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async raise(): Promise<number> {
    try {
      const raised = await this.sql.transaction(async (sql) =>
        (await this.ageing.claimSweep(sql)) ? this.ageing.raiseAgeingAlerts(sql) : [],
      );
      const at = new Date().toISOString();
      for (const alert of raised)
        this.events.emit('seller.changed', {
          sellerCode: alert.sellerCode,
          kind: 'alert',
          ref: alert.id,
          warehouseCode: alert.warehouseCode,
          skus: [alert.sku],
          at,
        });
      return raised.length;
    } catch (error) {
      this.logger.warn({ msg: 'ageing sweep failed; the next one retries', error: String(error) });
      return 0;
    }
  }
}

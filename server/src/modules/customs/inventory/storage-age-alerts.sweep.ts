import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { StorageAgeAlert } from '@wms/contracts';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { SqlRunner } from '../../../platform/database/sql.js';
import { DomainEvents } from '../../../platform/events/domain-events.js';
import { StockViewsRepository } from '../../inventory/stock-views.repository.js';
import { ageRecipients } from './customs-inventory.rules.js';
import { type AgeingCandidate, StorageAgeAlertsRepository } from './storage-age-alerts.repository.js';

/**
 * The storage-age sweep of bonded centres (issue 13 "Storage ageing", DOMAIN.md §6): every batch at
 * its site's warning days before the limit, and again past the limit, raises one alert, recorded
 * with whom it was told: customs and the supervisors on their consoles, the owning seller in its
 * portal's alerts. On start and then on the ageing timer; one instance sweeps at a time.
 */
@Injectable()
export class StorageAgeAlertsSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('storage-age');
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<StorageAgeAlert[]> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sql: SqlRunner,
    private readonly stock: StockViewsRepository,
    private readonly alerts: StorageAgeAlertsRepository,
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

  /** One sweep: the alerts it raised (none when another instance held the sweep). */
  sweep(now = new Date()): Promise<StorageAgeAlert[]> {
    if (this.running) return this.running;
    this.running = this.raise(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async raise(now: Date): Promise<StorageAgeAlert[]> {
    try {
      const { raised, sellers } = await this.sql.transaction(async (sql) => {
        if (!(await this.alerts.claimSweep(sql))) return { raised: [], sellers: [] };
        const ids: string[] = [];
        const told: Array<{ sellerCode: string; id: string; warehouseCode: string; sku: string }> = [];
        for (const warehouseCode of await this.alerts.bondedCentres(sql)) {
          for (const a of await this.candidates(warehouseCode, now)) {
            const id = await this.alerts.raise(sql, a);
            if (!id) continue;
            const sellers = await this.alerts.tellSellers(sql, a);
            await this.alerts.setRecipients(sql, id, ageRecipients(sellers.map((s) => s.sellerCode)));
            told.push(...sellers.map((s) => ({ ...s, warehouseCode, sku: a.sku })));
            ids.push(id);
          }
        }
        return { raised: ids.length ? await this.alerts.byIds(sql, ids) : [], sellers: told };
      });
      const at = new Date().toISOString();
      for (const s of sellers)
        this.events.emit('seller.changed', {
          sellerCode: s.sellerCode,
          kind: 'alert',
          ref: s.id,
          warehouseCode: s.warehouseCode,
          skus: [s.sku],
          at,
        });
      // the console's storage-age page shows them as they are raised
      const byCentre = new Map<string, StorageAgeAlert[]>();
      for (const a of raised) byCentre.set(a.warehouseCode, [...(byCentre.get(a.warehouseCode) ?? []), a]);
      for (const [warehouseCode, alerts] of byCentre)
        this.events.emit('customs.changed', {
          kind: 'ageing',
          ref: alerts.length === 1 ? alerts[0].id : warehouseCode,
          warehouseCode,
          summary: `${alerts.length} storage-age ${alerts.length === 1 ? 'alert' : 'alerts'} in ${warehouseCode}: ${alerts
            .slice(0, 3)
            .map((a) => `${a.sku} batch ${a.batch || '-'} ${a.ageDays} days (${a.level})`)
            .join(', ')}${alerts.length > 3 ? ', …' : ''}`,
          at,
        });
      return raised;
    } catch (error) {
      this.logger.warn({ msg: 'storage-age sweep failed; the next one retries', error: String(error) });
      return [];
    }
  }

  /** The batches of a centre at warning or over its limit, as the ageing view computes them. */
  private async candidates(warehouseCode: string, now: Date): Promise<AgeingCandidate[]> {
    const items = await this.stock.ageing(warehouseCode, now);
    return items.flatMap((i) =>
      (i.level === 'warning' || i.level === 'over-limit') && i.firstEntryAt && i.ageDays !== null && i.message
        ? [
            {
              warehouseCode,
              ownerCode: i.ownerCode,
              sku: i.sku,
              batch: i.batch,
              emsNo: i.bookLine?.emsNo ?? null,
              putrecSeqno: i.bookLine?.putrecSeqno ?? null,
              level: i.level,
              units: i.units,
              firstEntryAt: i.firstEntryAt,
              ageDays: i.ageDays,
              limitDays: i.limitDays,
              message: i.message,
            },
          ]
        : [],
    );
  }
}

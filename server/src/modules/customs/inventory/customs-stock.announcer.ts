import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../../../platform/events/domain-events.js';
import { TrailingThrottle } from '../../../platform/events/trailing-throttle.js';

/** One `customs.changed` of kind `stock` per warehouse per this window at most. */
export const STOCK_ANNOUNCE_MS = 1000;

/**
 * Tells the customs console that bonded stock moved (issue 13 "Book equals shelf, live"): it hears
 * the domain events that follow the floor's and the ledger's commits (a scan done, an entry or a
 * delivery booked, a hold placed or lifted, a customs release, a gate pass, a seller's stock) and
 * emits `customs.changed` kind `stock` at most once a second per warehouse (trailing edge, so the
 * burst's last change is always announced); a stock-take's close is announced at once as kind
 * `stocktake`. It costs a scan a map look-up; the database does nothing for it (no NOTIFY, which
 * takes a global lock at commit and would queue the floor's commits one behind the other).
 * Events that name no warehouse (a parcel's hold or release) are announced for the whole centre.
 */
@Injectable()
export class CustomsStockAnnouncer implements OnModuleInit, OnModuleDestroy {
  private readonly throttle = new TrailingThrottle(STOCK_ANNOUNCE_MS, (warehouseCode, hits) =>
    this.events.emit('customs.changed', {
      kind: 'stock',
      ref: warehouseCode || 'centre',
      ...(warehouseCode ? { warehouseCode } : {}),
      summary: `${hits} stock ${hits === 1 ? 'change' : 'changes'}${warehouseCode ? ` in ${warehouseCode}` : ''}`,
      detail: { changes: hits },
      at: new Date().toISOString(),
    }),
  );
  private readonly off: Array<() => void> = [];

  constructor(private readonly events: DomainEvents) {}

  onModuleInit(): void {
    const hit = (warehouseCode: string | undefined) => this.throttle.hit(warehouseCode ?? '');
    this.off.push(
      this.events.on('floor.scanned', (e) => hit(e.warehouseCode)),
      this.events.on('stock.moved', (e) => hit(e.warehouseCode)),
      this.events.on('seller.changed', (e) => {
        if (e.kind === 'stock') hit(e.warehouseCode);
      }),
      this.events.on('parcel.holdChanged', () => hit('')),
      this.events.on('parcel.gatePassed', () => hit('')),
      this.events.on('parcel.customsStatusChanged', () => hit('')),
      this.events.on('stocktake.closed', (e) => {
        this.events.emit('customs.changed', {
          kind: 'stocktake',
          ref: e.stocktakeNo,
          warehouseCode: e.warehouseCode,
          summary: `Stock-take ${e.stocktakeNo} closed in ${e.warehouseCode}: ${e.differences} ${e.differences === 1 ? 'difference' : 'differences'} for customs`,
          detail: { differences: e.differences },
          at: e.at,
        });
        hit(e.warehouseCode);
      }),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.off.splice(0)) off();
    this.throttle.close();
  }
}

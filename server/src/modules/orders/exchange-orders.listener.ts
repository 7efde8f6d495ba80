import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { OrdersService } from './orders.service.js';

/** The replacement order of an exchange: `EX-<rmaNo>`, one per RMA (its number makes a repeat harmless). */
export const exchangeOrderNo = (rmaNo: string) => `EX-${rmaNo}`;

/**
 * Exchanges (issue 12: "a return that triggers a replacement order"): when the returns room says
 * an RMA's exchange is due, the replacement order is placed through the same path as the seller's
 * own orders, reserving its stock. The event is emitted after the return's commit; a repeat of it
 * answers the existing order. Short stock is logged and left for the seller to see on the RMA.
 */
@Injectable()
export class ExchangeOrdersListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('exchange-orders');
  private off: (() => void) | null = null;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly events: DomainEvents,
    private readonly orders: OrdersService,
  ) {}

  onModuleInit(): void {
    this.off = this.events.on('return.exchangeDue', (due) => {
      const work = this.replace(due)
        .catch((error) => this.logger.error({ msg: 'exchange order failed', rmaNo: due.rmaNo, error: String(error) }))
        .finally(() => this.pending.delete(work));
      this.pending.add(work);
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }

  /** Waits for the exchange orders being placed (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async replace(due: {
    sellerCode: string;
    rmaNo: string;
    warehouseCode: string;
    shipTo: unknown;
    lines: Array<{ sku: string; qty: number }>;
  }) {
    const orderNo = exchangeOrderNo(due.rmaNo);
    const [result] = await this.orders.placeBatch(
      due.sellerCode,
      `exchange:${due.rmaNo}`,
      [{ index: 0, body: { orderNo, warehouseCode: due.warehouseCode, shipTo: due.shipTo, lines: due.lines } }],
      'exchange',
    );
    if (result.outcome === 'refused')
      this.logger.warn({ msg: 'exchange order refused', rmaNo: due.rmaNo, orderNo, errors: result.errors });
    return result;
  }
}

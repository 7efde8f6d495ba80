import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SqlRunner } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { ReturnsRepository } from './returns.repository.js';

/** The replacement order of an RMA's exchange is numbered EX-<rmaNo> (the orders room creates it). */
const EXCHANGE_ORDER = /^EX-(.+)$/;

/**
 * An exchange's replacement order exists (the orders room announced order `EX-<rmaNo>` of the
 * seller): the RMA shows its number. The orders room creates it from 'return.exchangeDue'.
 */
@Injectable()
export class ReturnsExchangeListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('returns');
  private off: (() => void) | undefined;

  constructor(
    private readonly sql: SqlRunner,
    private readonly returns: ReturnsRepository,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.off = this.events.on('seller.changed', (change) => {
      const rma = change.kind === 'order' ? EXCHANGE_ORDER.exec(change.ref)?.[1] : undefined;
      if (rma) void this.linkReplacement(change.sellerCode, rma, change.ref);
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }

  async linkReplacement(sellerCode: string, rmaNo: string, orderNo: string): Promise<void> {
    try {
      const linked = await this.sql.transaction((sql) =>
        this.returns.setReplacementOrder(sql, sellerCode, rmaNo, orderNo),
      );
      if (linked)
        this.events.emit('seller.changed', {
          sellerCode,
          kind: 'return',
          ref: rmaNo,
          detail: { replacementOrderNo: orderNo },
          at: new Date().toISOString(),
        });
    } catch (error) {
      this.logger.warn({
        msg: 'could not link the replacement order to its RMA',
        rmaNo,
        orderNo,
        error: String(error),
      });
    }
  }
}

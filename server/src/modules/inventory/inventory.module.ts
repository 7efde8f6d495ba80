import { Module } from '@nestjs/common';
import { TraceRepository } from '../trace/trace.repository.js';
import { LedgerRepository } from './ledger.repository.js';
import { StockViewsRepository } from './stock-views.repository.js';

@Module({
  providers: [LedgerRepository, StockViewsRepository, TraceRepository],
  exports: [LedgerRepository, StockViewsRepository, TraceRepository],
})
export class InventoryModule {}

import { Module } from '@nestjs/common';
import { TraceRepository } from '../trace/trace.repository.js';
import { LedgerRepository } from './ledger.repository.js';

@Module({ providers: [LedgerRepository, TraceRepository], exports: [LedgerRepository, TraceRepository] })
export class InventoryModule {}

import { Module } from '@nestjs/common';
import { GateFactsRepository } from './gate-facts.repository.js';

/**
 * The gate rule's read model on its own, so the customs views (which the operations module
 * depends on) can show the gate's answer without a cycle between the two.
 */
@Module({ providers: [GateFactsRepository], exports: [GateFactsRepository] })
export class GateFactsModule {}

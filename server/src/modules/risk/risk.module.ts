import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { CustomsWarningsController } from './customs-warnings.controller.js';
import { RiskRepository } from './risk.repository.js';
import { RiskService } from './risk.service.js';
import { RiskAdminController } from './risk-admin.controller.js';
import { RiskEvaluator } from './risk-evaluator.js';
import { RiskFactsRepository } from './risk-facts.repository.js';

/** Risk warnings (issue 13, DOMAIN.md §8): per-site rules, the evaluator, warnings and their holds. */
@Module({
  imports: [CustomsModule, InventoryModule],
  controllers: [CustomsWarningsController, RiskAdminController],
  providers: [RiskRepository, RiskFactsRepository, RiskEvaluator, RiskService],
  exports: [RiskEvaluator, RiskService],
})
export class RiskModule {}

import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module.js';
import { ParcelsModule } from '../parcels/parcels.module.js';
import { CreditRepository } from './credit.repository.js';
import { CreditService } from './credit.service.js';
import { CreditAdminController } from './credit-admin.controller.js';
import { CreditPreselectionService } from './credit-preselection.service.js';
import { CustomsCreditController } from './customs-credit.controller.js';

/** Credit-graded inspection (issue 13): grades, rates, the WMS's pre-selection, actual against configured rates. */
@Module({
  imports: [ParcelsModule, InventoryModule],
  controllers: [CreditAdminController, CustomsCreditController],
  providers: [CreditRepository, CreditService, CreditPreselectionService],
  exports: [CreditService, CreditPreselectionService],
})
export class CreditModule {}

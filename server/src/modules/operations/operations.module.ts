import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { BondedEntryService } from './bonded-entry.service.js';
import { GateService } from './gate.service.js';
import { GateFactsModule } from './gate-facts.module.js';
import { OperationsController } from './operations.controller.js';
import { ParcelsService } from './parcels.service.js';

@Module({
  imports: [InventoryModule, CustomsModule, GateFactsModule],
  controllers: [OperationsController],
  providers: [BondedEntryService, ParcelsService, GateService],
  exports: [GateService, ParcelsService, GateFactsModule],
})
export class OperationsModule {}

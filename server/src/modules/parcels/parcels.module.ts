import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { DevicesModule } from '../devices/devices.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { GateFactsModule } from './gate-facts.module.js';
import { InspectionService } from './inspection.service.js';
import { LabelsService } from './labels.service.js';
import { ParcelsController } from './parcels.controller.js';
import { ParcelsRepository } from './parcels.repository.js';
import { WeighingService } from './weighing.service.js';

/** A parcel's own state: packed, weighed, labelled, held, out of the gate; and its events. */
@Module({
  imports: [InventoryModule, CustomsModule, DevicesModule, GateFactsModule],
  controllers: [ParcelsController],
  providers: [ParcelsRepository, WeighingService, LabelsService, InspectionService],
  exports: [ParcelsRepository, WeighingService, LabelsService, InspectionService, GateFactsModule],
})
export class ParcelsModule {}

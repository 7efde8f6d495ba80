import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { UnitLabelsController } from './unit-labels.controller.js';
import { UnitLabelsRepository } from './unit-labels.repository.js';
import { UnitLabelsService } from './unit-labels.service.js';

/** Labels of bags and pallets (the parcel label is printed by the floor's LabelsService). */
@Module({
  imports: [DevicesModule, InventoryModule],
  controllers: [UnitLabelsController],
  providers: [UnitLabelsRepository, UnitLabelsService],
  exports: [UnitLabelsService],
})
export class LabelsModule {}

import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { DevicesModule } from '../devices/devices.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { MasterDataModule } from '../masterdata/masterdata.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { BoardRepository } from './board.repository.js';
import { FloorController } from './floor.controller.js';
import { FloorService } from './floor.service.js';
import { LabelsService } from './labels.service.js';
import { LoadingService } from './loading.service.js';

@Module({
  imports: [InventoryModule, CustomsModule, DevicesModule, OperationsModule, MasterDataModule],
  controllers: [FloorController],
  providers: [FloorService, LabelsService, LoadingService, BoardRepository],
  exports: [FloorService, LabelsService, LoadingService],
})
export class FloorModule {}

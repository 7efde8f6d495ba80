import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { FloorController } from './floor.controller.js';
import { FloorService } from './floor.service.js';

@Module({
  imports: [InventoryModule, CustomsModule],
  controllers: [FloorController],
  providers: [FloorService],
})
export class FloorModule {}

import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { CustomsModule } from '../customs/customs.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { LabelsModule } from '../labels/labels.module.js';
import { MasterDataModule } from '../masterdata/masterdata.module.js';
import { ParcelsModule } from '../parcels/parcels.module.js';
import { GateService } from './gate.service.js';
import { LoadingService } from './loading.service.js';
import { OutboundController } from './outbound.controller.js';
import { OutboundRepository } from './outbound.repository.js';
import { OutboundFloorController } from './outbound-floor.controller.js';
import { PackingService } from './packing.service.js';
import { PickingService } from './picking.service.js';

/** Outbound: waves and picking, packing, bags/pallets and vehicle trips, the gate. */
@Module({
  imports: [InventoryModule, CustomsModule, MasterDataModule, ParcelsModule, LabelsModule, CreditModule],
  controllers: [OutboundFloorController, OutboundController],
  providers: [OutboundRepository, PickingService, PackingService, LoadingService, GateService],
  exports: [PickingService, PackingService, LoadingService, GateService],
})
export class OutboundModule {}

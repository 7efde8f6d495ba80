import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { MasterDataModule } from '../masterdata/masterdata.module.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { ExportChainController } from './export-chain.controller.js';
import { ExportChainService } from './export-chain.service.js';

/** The 9610 export chain at a consolidation warehouse (issue 14 point 8): arrival, master waybill, departure. */
@Module({
  imports: [CustomsModule, InventoryModule, MasterDataModule, OutboundModule],
  controllers: [ExportChainController],
  providers: [ExportChainService],
})
export class ExportChainModule {}

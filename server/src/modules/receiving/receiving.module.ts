import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { MasterDataModule } from '../masterdata/masterdata.module.js';
import { AsnReceiptModule } from '../shipments/asn-receipt.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { BondedEntryController } from './bonded-entry.controller.js';
import { BondedEntryService } from './bonded-entry.service.js';
import { ReceivingController } from './receiving.controller.js';
import { ReceivingRepository } from './receiving.repository.js';
import { ReceivingService } from './receiving.service.js';
import { ReturnsService } from './returns.service.js';

/** Receiving: expected deliveries and their count, bonded entries, and returns coming back in. */
@Module({
  imports: [InventoryModule, MasterDataModule, StorageModule, CustomsModule, AsnReceiptModule],
  controllers: [ReceivingController, BondedEntryController],
  providers: [ReceivingRepository, ReceivingService, BondedEntryService, ReturnsService],
  exports: [ReceivingService, BondedEntryService, ReturnsService],
})
export class ReceivingModule {}

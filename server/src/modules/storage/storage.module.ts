import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module.js';
import { AsnReceiptModule } from '../shipments/asn-receipt.module.js';
import { PutawayService } from './putaway.service.js';
import { StocktakeService } from './stocktake.service.js';
import { StorageController } from './storage.controller.js';
import { StorageRepository } from './storage.repository.js';

/** Storage: locations, put-away and stock-takes. */
@Module({
  imports: [InventoryModule, AsnReceiptModule],
  controllers: [StorageController],
  providers: [StorageRepository, PutawayService, StocktakeService],
  exports: [StorageRepository, PutawayService, StocktakeService],
})
export class StorageModule {}

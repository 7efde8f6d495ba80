import { Module } from '@nestjs/common';
import { BondedStockRepository } from '../../inventory/bonded-stock.repository.js';
import { InventoryModule } from '../../inventory/inventory.module.js';
import { CustomsInventoryController } from './customs-inventory.controller.js';
import { CustomsInventoryService } from './customs-inventory.service.js';
import { CustomsStockAnnouncer } from './customs-stock.announcer.js';
import { StorageAgeAlertsRepository } from './storage-age-alerts.repository.js';
import { StorageAgeAlertsSweep } from './storage-age-alerts.sweep.js';

/** The customs console's inventory (issue 13): book lines, totals, drill-down, export, storage-age alerts, live stock news. */
@Module({
  imports: [InventoryModule],
  controllers: [CustomsInventoryController],
  providers: [
    BondedStockRepository,
    CustomsInventoryService,
    CustomsStockAnnouncer,
    StorageAgeAlertsRepository,
    StorageAgeAlertsSweep,
  ],
  exports: [StorageAgeAlertsSweep],
})
export class CustomsInventoryModule {}

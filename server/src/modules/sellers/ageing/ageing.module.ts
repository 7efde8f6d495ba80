import { Module } from '@nestjs/common';
import { AgeingController } from './ageing.controller.js';
import { AgeingRepository } from './ageing.repository.js';
import { AgeingService } from './ageing.service.js';
import { AgeingAlertsSweep } from './ageing-alerts.sweep.js';
import { WarehouseAgeingController } from './warehouse-ageing.controller.js';

/** Ageing of the sellers' stock (issue 12): bands per warehouse, the seller's view, alerts and their sweep. */
@Module({
  controllers: [AgeingController, WarehouseAgeingController],
  providers: [AgeingRepository, AgeingService, AgeingAlertsSweep],
  exports: [AgeingAlertsSweep],
})
export class AgeingModule {}

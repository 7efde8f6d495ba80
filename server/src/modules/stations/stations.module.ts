import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { FloorModule } from '../floor/floor.module.js';
import { MasterDataModule } from '../masterdata/masterdata.module.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { ParcelsModule } from '../parcels/parcels.module.js';
import { ReceivingModule } from '../receiving/receiving.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { StationAnswersGateway } from './station-answers.gateway.js';
import { StationJobsRepository } from './station-jobs.repository.js';
import { StationScansListener } from './station-scans.listener.js';
import { StationWorkService } from './station-work.service.js';
import { StationJobsController } from './stations.controller.js';
import { StationsService } from './stations.service.js';

/** Stations live on the server (issue 11): their job, the station-scan listener, answers to devices. */
@Module({
  imports: [
    FloorModule,
    ReceivingModule,
    StorageModule,
    OutboundModule,
    ParcelsModule,
    CustomsModule,
    MasterDataModule,
  ],
  controllers: [StationJobsController],
  providers: [StationJobsRepository, StationWorkService, StationScansListener, StationAnswersGateway, StationsService],
  exports: [StationScansListener],
})
export class StationsModule {}

import { Module } from '@nestjs/common';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';
import { StationsController } from './stations.controller.js';

@Module({
  controllers: [StationsController],
  providers: [DevicesRepository, DevicesService],
  exports: [DevicesService],
})
export class DevicesModule {}

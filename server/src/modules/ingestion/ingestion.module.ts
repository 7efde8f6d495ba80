import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { EventStoreRepository } from './event-store.repository.js';
import { IngestionService } from './ingestion.service.js';
import { MqttIngestionConsumer } from './mqtt-ingestion.consumer.js';

@Module({
  imports: [DevicesModule],
  providers: [EventStoreRepository, IngestionService, MqttIngestionConsumer],
  exports: [IngestionService],
})
export class IngestionModule {}

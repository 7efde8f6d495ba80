import type { MikroORM } from '@mikro-orm/postgresql';
import { type DynamicModule, Module } from '@nestjs/common';
import { CreditModule } from './modules/credit/credit.module.js';
import { CustomsModule } from './modules/customs/customs.module.js';
import { CustomsInventoryModule } from './modules/customs/inventory/customs-inventory.module.js';
import { DevicesModule } from './modules/devices/devices.module.js';
import { ExportChainModule } from './modules/export-chain/export-chain.module.js';
import { FloorModule } from './modules/floor/floor.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IngestionModule } from './modules/ingestion/ingestion.module.js';
import { MasterDataModule } from './modules/masterdata/masterdata.module.js';
import { OrdersModule } from './modules/orders/orders.module.js';
import { OutboundModule } from './modules/outbound/outbound.module.js';
import { ParcelsModule } from './modules/parcels/parcels.module.js';
import { RealtimeModule } from './modules/realtime/realtime.module.js';
import { ReceivingModule } from './modules/receiving/receiving.module.js';
import { RiskModule } from './modules/risk/risk.module.js';
import { ScansModule } from './modules/scans/scans.module.js';
import { AgeingModule } from './modules/sellers/ageing/ageing.module.js';
import { SellersModule } from './modules/sellers/sellers.module.js';
import { ShipmentsModule } from './modules/shipments/shipments.module.js';
import { StationsModule } from './modules/stations/stations.module.js';
import { StatisticsModule } from './modules/statistics/statistics.module.js';
import { StorageModule } from './modules/storage/storage.module.js';
import { TraceModule } from './modules/trace/trace.module.js';
import type { AppConfig } from './platform/config/app-config.js';
import { MqttModule } from './platform/mqtt/mqtt.module.js';
import { PlatformModule } from './platform/platform.module.js';

@Module({})
export class AppModule {
  static with(config: AppConfig, orm: MikroORM): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.with(config, orm),
        MqttModule,
        DevicesModule,
        IngestionModule,
        ScansModule,
        MasterDataModule,
        CustomsModule,
        CreditModule,
        CustomsInventoryModule,
        ReceivingModule,
        StorageModule,
        ParcelsModule,
        OutboundModule,
        ExportChainModule,
        FloorModule,
        StationsModule,
        SellersModule,
        ShipmentsModule,
        OrdersModule,
        AgeingModule,
        TraceModule,
        RiskModule,
        StatisticsModule,
        RealtimeModule,
        HealthModule,
      ],
    };
  }
}

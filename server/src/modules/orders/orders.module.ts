import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { SellersModule } from '../sellers/sellers.module.js';
import { ExchangeOrdersListener } from './exchange-orders.listener.js';
import { OrderFloorController } from './order-floor.controller.js';
import { OrderFloorService } from './order-floor.service.js';
import { OrderImportsService } from './order-imports.service.js';
import { OrderLabelsService } from './order-labels.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersService } from './orders.service.js';

/**
 * Sellers' outbound orders at overseas warehouses (issue 12): the sellers' API, imports, exchange
 * replacements, and the overseas floor's pick / pack / hand-over (called by the scan dispatcher).
 */
@Module({
  imports: [InventoryModule, SellersModule, DevicesModule],
  controllers: [OrdersController, OrderFloorController],
  providers: [
    OrdersRepository,
    OrdersService,
    OrderImportsService,
    OrderFloorService,
    OrderLabelsService,
    ExchangeOrdersListener,
  ],
  exports: [OrderFloorService, OrdersService, OrderImportsService, ExchangeOrdersListener],
})
export class OrdersModule {}

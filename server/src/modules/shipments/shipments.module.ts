import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { ReceivingModule } from '../receiving/receiving.module.js';
import { SellerStockRepository } from '../sellers/stock/seller-stock.repository.js';
import { StorageModule } from '../storage/storage.module.js';
import { AsnReceiptModule } from './asn-receipt.module.js';
import { ExportDeclarationService } from './export-declaration.service.js';
import { SellerShipmentsController } from './seller-shipments.controller.js';
import { ShipmentCustomsListener } from './shipment-customs.listener.js';
import { ShipmentsController } from './shipments.controller.js';
import { ShipmentsService } from './shipments.service.js';

/**
 * Sellers' inbound shipments (ASN) to overseas warehouses under 9810 (issue 12): the seller's API,
 * the centre's declaring and tracking. Receiving abroad is the floor's (receiving, storage) with
 * AsnReceiptModule's bookkeeping.
 */
@Module({
  imports: [AsnReceiptModule, ReceivingModule, CustomsModule, StorageModule, InventoryModule],
  controllers: [SellerShipmentsController, ShipmentsController],
  providers: [ShipmentsService, ExportDeclarationService, ShipmentCustomsListener, SellerStockRepository],
})
export class ShipmentsModule {}

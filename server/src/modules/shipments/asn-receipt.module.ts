import { Module } from '@nestjs/common';
import { SellerStockRepository } from '../sellers/stock/seller-stock.repository.js';
import { AsnReceiptService } from './asn-receipt.service.js';
import { ShipmentsRepository } from './shipments.repository.js';

/**
 * What the floor's rooms (receiving, put-away) call when they work on a seller's ASN at an
 * overseas warehouse. Kept apart from ShipmentsModule, which uses receiving: no cycle.
 */
@Module({
  providers: [ShipmentsRepository, SellerStockRepository, AsnReceiptService],
  exports: [ShipmentsRepository, AsnReceiptService],
})
export class AsnReceiptModule {}

import { Module } from '@nestjs/common';
import { SellersController } from './sellers.controller.js';
import { SellersRepository } from './sellers.repository.js';
import { SellersService } from './sellers.service.js';
import { SellerStockController } from './stock/seller-stock.controller.js';
import { SellerStockRepository } from './stock/seller-stock.repository.js';
import { SellerStockService } from './stock/seller-stock.service.js';

/**
 * Sellers as tenants (issue 12): the sellers' own API on the tenant-bound connection, and the
 * seller's stock ledger every overseas flow (shipments, orders, returns) posts its moves to.
 */
@Module({
  controllers: [SellersController, SellerStockController],
  providers: [SellersRepository, SellersService, SellerStockRepository, SellerStockService],
  exports: [SellerStockRepository],
})
export class SellersModule {}

import { Module } from '@nestjs/common';
import { SellersModule } from '../sellers/sellers.module.js';
import { ReturnsRepository } from './returns.repository.js';
import { ReturnsDeskController } from './returns-desk.controller.js';
import { ReturnsDeskService } from './returns-desk.service.js';
import { ReturnsExchangeListener } from './returns-exchange.listener.js';
import { SellerReturnsController } from './seller-returns.controller.js';
import { SellerReturnsService } from './seller-returns.service.js';

/**
 * Returns at the overseas warehouse (issue 12): the seller's RMAs, the returns desk that receives
 * and grades them by scanning (the floor's 'returns' operation at an overseas warehouse), and the
 * exchange's replacement order.
 */
@Module({
  imports: [SellersModule],
  controllers: [SellerReturnsController, ReturnsDeskController],
  providers: [ReturnsRepository, ReturnsDeskService, SellerReturnsService, ReturnsExchangeListener],
  exports: [ReturnsDeskService],
})
export class ReturnsModule {}

import { Module } from '@nestjs/common';
import { SellersController } from './sellers.controller.js';
import { SellersRepository } from './sellers.repository.js';
import { SellersService } from './sellers.service.js';

/** Sellers as tenants (issue 12): the sellers' own API on the tenant-bound connection. */
@Module({ controllers: [SellersController], providers: [SellersRepository, SellersService] })
export class SellersModule {}

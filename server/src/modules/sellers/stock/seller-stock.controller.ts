import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { bucketSummary, bucketsPage, ledgerPage } from '@wms/contracts';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles, SellerApiKey } from '../../../platform/auth/auth.guard.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { type BucketsQuery, bucketsQuery, type LedgerQuery, ledgerQuery } from './seller-stock.schemas.js';
import { SellerStockService } from './seller-stock.service.js';

/** A seller's stock in buckets per warehouse, and the ledger every bucket is summed from (issue 12). */
@ApiTags('seller')
@ApiBearerAuth()
@Controller('api/seller')
export class SellerStockController {
  constructor(private readonly stock: SellerStockService) {}

  @Get('buckets')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'A page of SKUs with all their buckets, per warehouse', schema: bucketsPage })
  @ApiOperation({
    summary:
      'Your stock per warehouse and SKU in buckets: inbound, receiving, available, reserved, unfulfillable, on hold, bonded',
  })
  buckets(
    @Query({ schema: bucketsQuery }) q: BucketsQuery,
    @Req() request: AuthenticatedRequest,
  ): Promise<z.infer<typeof bucketsPage>> {
    return this.stock.buckets(request.user, q);
  }

  @Get('buckets/summary')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'Each of your warehouses with every bucket’s total', schema: bucketSummary })
  @ApiOperation({ summary: 'Your stock per warehouse and bucket (never only a sum over warehouses)' })
  summary(@Req() request: AuthenticatedRequest): Promise<z.infer<typeof bucketSummary>> {
    return this.stock.summary(request.user);
  }

  @Get('ledger')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'Your stock ledger, newest first', schema: ledgerPage })
  @ApiOperation({ summary: 'Every change of your stock: from which bucket to which, the event, document and reason' })
  ledger(
    @Query({ schema: ledgerQuery }) q: LedgerQuery,
    @Req() request: AuthenticatedRequest,
  ): Promise<z.infer<typeof ledgerPage>> {
    return this.stock.ledger(request.user, q);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles, SellerApiKey } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import {
  type ApiKeyCreate,
  apiKeyAnswer,
  apiKeyCreate,
  apiKeyCreated,
  apiKeyIdParam,
  apiKeysListed,
  type GoodsBulk,
  type GoodUpsert,
  goodQuery,
  goodsBulk,
  goodsBulkAnswer,
  goodsPageQuery,
  goodUpsert,
  sellerGood,
  sellerGoodsPage,
  sellerMe,
  sellerStock,
  skuParam,
  stockQuery,
} from './sellers.schemas.js';
import { SellersService } from './sellers.service.js';

/**
 * The sellers' API (issue 12): a seller's users, and its API keys where a route says so, see the
 * seller's own rows only; another tenant's id is "not found". API keys are the seller admin's.
 */
@ApiTags('seller')
@ApiBearerAuth()
@Controller('api/seller')
export class SellersController {
  constructor(private readonly sellers: SellersService) {}

  @Get('me')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'The seller, its warehouses and its owners', schema: sellerMe })
  @ApiOperation({ summary: 'Who you act for: your seller, the warehouses it uses and its owner enterprises' })
  me(@Req() request: AuthenticatedRequest): Promise<Answer<typeof sellerMe>> {
    return this.sellers.me(request.user);
  }

  @Get('goods')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'A page of your SKUs', schema: sellerGoodsPage })
  @ApiOperation({ summary: 'Your SKUs, a page at a time (pass nextCursor as after)' })
  goods(
    @Query({ schema: goodsPageQuery }) q: z.infer<typeof goodsPageQuery>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerGoodsPage>> {
    return this.sellers.goods(request.user, q.limit, q.after);
  }

  @Get('goods/:sku')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'The SKU', schema: sellerGood })
  @ApiOperation({ summary: 'One of your SKUs' })
  good(
    @Param('sku', { schema: skuParam }) sku: string,
    @Query({ schema: goodQuery }) q: z.infer<typeof goodQuery>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerGood>> {
    return this.sellers.good(request.user, sku, q.ownerCode);
  }

  @Put('goods/:sku')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'The SKU as stored', schema: sellerGood })
  @ApiOperation({ summary: 'Create or update one of your SKUs (a write key or a signed-in seller)' })
  putGood(
    @Param('sku', { schema: skuParam }) sku: string,
    @Body({ schema: goodUpsert }) body: GoodUpsert,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerGood>> {
    return this.sellers.putGood(request.user, sku, body);
  }

  @Post('goods/bulk')
  @HttpCode(200)
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'Each SKU written or refused with its reason', schema: goodsBulkAnswer })
  @ApiOperation({ summary: 'Create or update up to 1,000 of your SKUs at once (an import); each row answered' })
  putGoods(@Body({ schema: goodsBulk }) body: GoodsBulk, @Req() request: AuthenticatedRequest) {
    return this.sellers.putGoods(request.user, body);
  }

  @Get('stock')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'Shelf balance per warehouse, SKU and batch', schema: sellerStock })
  @ApiOperation({ summary: 'Your stock on the shelf, per warehouse, SKU and batch (from the stock ledger)' })
  stock(
    @Query({ schema: stockQuery }) q: z.infer<typeof stockQuery>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerStock>> {
    return this.sellers.stock(request.user, q);
  }

  @Get('api-keys')
  @Roles('seller_admin')
  @ApiAnswer({ description: 'Your API keys', schema: apiKeysListed })
  @ApiOperation({ summary: 'Your seller’s API keys (seller admin)' })
  apiKeys(@Req() request: AuthenticatedRequest): Promise<Answer<typeof apiKeysListed>> {
    return this.sellers.apiKeys(request.user);
  }

  @Post('api-keys')
  @Roles('seller_admin')
  @ApiAnswer({ status: 201, description: 'The new key; its secret is shown this once', schema: apiKeyCreated })
  @ApiOperation({ summary: 'Create an API key for your seller, read or read and write (seller admin)' })
  createApiKey(
    @Body({ schema: apiKeyCreate }) body: ApiKeyCreate,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof apiKeyCreated>> {
    return this.sellers.createApiKey(request.user, body);
  }

  @Post('api-keys/:id/revoke')
  @HttpCode(200)
  @Roles('seller_admin')
  @ApiAnswer({ description: 'The key, revoked: it stops working at once', schema: apiKeyAnswer })
  @ApiOperation({ summary: 'Revoke one of your API keys (seller admin)' })
  revokeApiKey(
    @Param('id', { schema: apiKeyIdParam }) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof apiKeyAnswer>> {
    return this.sellers.revokeApiKey(request.user, id);
  }
}

import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type RmaCreate, rmaCreate, rmaDetail, rmaList, rmaListQuery, rmaNo } from '@wms/contracts';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles, SellerApiKey } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { SellerReturnsService } from './seller-returns.service.js';

const rmaNoParam = rmaNo.describe('Your RMA number');
const photoIdParam = z.uuid().describe('The photo id (from the RMA’s photos)');

/** The seller's returns (issue 12): RMAs to its overseas warehouses and what came back, graded. */
@ApiTags('seller')
@ApiBearerAuth()
@Controller('api/seller/returns')
export class SellerReturnsController {
  constructor(private readonly returns: SellerReturnsService) {}

  @Post()
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @ApiSecurity('apiKey')
  @ApiAnswer({ status: 201, description: 'The RMA, expected at the warehouse', schema: rmaDetail })
  @ApiOperation({
    summary: 'Announce a return (RMA) to one of your overseas warehouses, optionally with an exchange to ship',
  })
  create(
    @Body({ schema: rmaCreate }) body: RmaCreate,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof rmaDetail>> {
    return this.returns.create(request.user, body);
  }

  @Get()
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'Your RMAs, newest first', schema: rmaList })
  @ApiOperation({ summary: 'Your returns, by status, warehouse or SKU' })
  list(
    @Query({ schema: rmaListQuery }) q: z.infer<typeof rmaListQuery>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof rmaList>> {
    return this.returns.list(request.user, q);
  }

  @Get(':rmaNo')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'The RMA: lines expected and received by grade, grades, history', schema: rmaDetail })
  @ApiOperation({ summary: 'One of your returns with what the warehouse received and how it graded it' })
  get(
    @Param('rmaNo', { schema: rmaNoParam }) no: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof rmaDetail>> {
    return this.returns.get(request.user, no);
  }

  @Get(':rmaNo/photos/:photoId')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'The photo the warehouse took of the returned goods', binary: ['image/jpeg', 'image/png'] })
  @ApiOperation({ summary: 'A photo of one of your returns, as the warehouse took it' })
  async photo(
    @Param('rmaNo', { schema: rmaNoParam }) no: string,
    @Param('photoId', { schema: photoIdParam }) photoId: string,
    @Req() request: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const found = await this.returns.photo(request.user, no, photoId);
    res.type(found.contentType).setHeader('cache-control', 'private, max-age=300');
    res.send(found.photo);
  }
}

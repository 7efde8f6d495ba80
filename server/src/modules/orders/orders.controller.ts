import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  ORDER_IMPORT_COLUMNS,
  type SellerOrderCreate,
  sellerOrderCreate,
  sellerOrderCreated,
  sellerOrderDetail,
  sellerOrderImport,
  sellerOrdersBulk,
  sellerOrdersBulkResult,
  sellerOrdersPage,
} from '@wms/contracts';
import type { Response } from 'express';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles, SellerApiKey } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { importTemplate } from './order-import.files.js';
import { OrderImportsService } from './order-imports.service.js';
import {
  importIdParam,
  importStarted,
  importTemplateAnswer,
  orderNoParam,
  ordersQuery,
  templateQuery,
} from './orders.schemas.js';
import { OrdersService } from './orders.service.js';

/** The largest import file taken (about 100,000 rows of CSV). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * A seller's outbound orders at its overseas warehouses (issue 12): create (one, in bulk, from a
 * CSV/XLSX file), follow, cancel before picking. Signed-in sellers, or the seller's API keys (read
 * for the GET routes, write for the others). Another seller's order is "not found".
 */
@ApiTags('seller')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/seller/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly imports: OrderImportsService,
  ) {}

  @Post()
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @ApiAnswer({
    status: 201,
    description: 'The order, created with its stock reserved',
    schema: sellerOrderCreated,
    alternatives: [
      { status: 200, description: 'The order existed with this very body: this is it', schema: sellerOrderCreated },
    ],
  })
  @ApiOperation({
    summary:
      'Place an order at one of your overseas warehouses: the stock is reserved now (FEFO, else FIFO) or the answer is 409 with each short line',
  })
  async create(
    @Body({ schema: sellerOrderCreate }) body: SellerOrderCreate,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Answer<typeof sellerOrderCreated>> {
    const order = await this.orders.createOne(request.user, body);
    if (!order.created) res.status(200);
    return order;
  }

  @Post('bulk')
  @HttpCode(200)
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @ApiAnswer({
    description: 'What became of each order: created, existing, or refused with why',
    schema: sellerOrdersBulkResult,
  })
  @ApiOperation({ summary: 'Place up to 1,000 orders: each stands alone (good ones are created, bad ones say why)' })
  bulk(
    @Body({ schema: sellerOrdersBulk }) body: z.infer<typeof sellerOrdersBulk>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerOrdersBulkResult>> {
    return this.orders.createBulk(request.user, body.orders);
  }

  @Post('imports')
  @HttpCode(202)
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'A .csv or .xlsx file, one row per order line' },
      },
    },
  })
  @ApiAnswer({
    status: 202,
    description: 'The import started: follow it at GET /api/seller/orders/imports/{importId}',
    schema: importStarted,
  })
  @ApiOperation({
    summary: 'Import orders from a CSV or XLSX file (the template shows the columns); it runs in the background',
  })
  startImport(
    @UploadedFile() file: { originalname: string; mimetype: string; buffer: Buffer } | undefined,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof importStarted>> {
    return this.imports.start(request.user, file);
  }

  @Get('imports/template')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiAnswer({
    description: 'The import template (the header row and an example order of two lines), as a file in base64',
    schema: importTemplateAnswer,
  })
  @ApiOperation({ summary: 'The order import template, CSV or XLSX' })
  async template(
    @Query({ schema: templateQuery }) q: z.infer<typeof templateQuery>,
  ): Promise<Answer<typeof importTemplateAnswer>> {
    const bytes = await importTemplate(q.format);
    return {
      fileName: `orders-template.${q.format}`,
      contentType:
        q.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      columns: [...ORDER_IMPORT_COLUMNS],
      content: bytes.toString('base64'),
    };
  }

  @Get('imports/:importId')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiAnswer({
    description: 'The import: progress (processed of total rows), counts and row errors',
    schema: sellerOrderImport,
  })
  @ApiOperation({ summary: 'How an order import is going: rows processed, orders created, errors by row and column' })
  importStatus(
    @Param('importId', { schema: importIdParam }) importId: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerOrderImport>> {
    return this.imports.status(request.user, importId);
  }

  @Get()
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiAnswer({ description: 'A page of your orders, newest first', schema: sellerOrdersPage })
  @ApiOperation({ summary: 'Your orders, by status, day and SKU, a page at a time' })
  list(
    @Query({ schema: ordersQuery }) q: z.infer<typeof ordersQuery>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerOrdersPage>> {
    const to = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
    return this.orders.list(request.user, { ...q, from: q.from ? `${q.from}T00:00:00Z` : undefined, to });
  }

  @Get(':orderNo')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiAnswer({
    description: 'The order: lines, allocations, status history, tracking number',
    schema: sellerOrderDetail,
  })
  @ApiOperation({ summary: 'One of your orders' })
  detail(
    @Param('orderNo', { schema: orderNoParam }) orderNo: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerOrderDetail>> {
    return this.orders.detail(request.user, orderNo);
  }

  @Post(':orderNo/cancel')
  @HttpCode(200)
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @ApiAnswer({ description: 'The order, cancelled: its stock is available again', schema: sellerOrderDetail })
  @ApiOperation({ summary: 'Cancel one of your orders before the warehouse starts picking it' })
  cancel(
    @Param('orderNo', { schema: orderNoParam }) orderNo: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerOrderDetail>> {
    return this.orders.cancel(request.user, orderNo);
  }
}

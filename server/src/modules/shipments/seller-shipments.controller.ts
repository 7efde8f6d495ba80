import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { ShipmentDetail } from '@wms/contracts';
import type { Response } from 'express';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles, SellerApiKey } from '../../platform/auth/auth.guard.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import {
  damageIdParam,
  labelsQuery,
  sellerShipmentCreate,
  shipmentDetail,
  shipmentListQuery,
  shipmentNoParam,
  shipmentsListed,
} from './shipments.schemas.js';
import { ShipmentsService } from './shipments.service.js';

/**
 * A seller's inbound shipments (ASN) to the overseas warehouses it uses (issue 12): book, follow,
 * print the box labels, see the receiving result per line and the damage photos. Another seller's
 * shipment is "not found".
 */
@ApiTags('seller')
@ApiBearerAuth()
@Controller('api/seller/shipments')
export class SellerShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post()
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @ApiSecurity('apiKey')
  @ApiAnswer({
    status: 201,
    description: 'The shipment as booked, its cartons with their SSCCs',
    schema: shipmentDetail,
  })
  @ApiOperation({
    summary:
      'Book an inbound shipment (ASN) to an overseas warehouse you use: cartons (SSCC given or given here) with SKU lines; the units show as inbound',
  })
  create(
    @Body({ schema: sellerShipmentCreate }) body: z.infer<typeof sellerShipmentCreate>,
    @Req() request: AuthenticatedRequest,
  ): Promise<ShipmentDetail> {
    return this.shipments.create(request.user, body);
  }

  @Get()
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'Your shipments, newest first, with their totals', schema: shipmentsListed })
  @ApiOperation({ summary: 'Your inbound shipments, filtered by status, warehouse or SKU' })
  list(
    @Query({ schema: shipmentListQuery }) q: z.infer<typeof shipmentListQuery>,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.shipments.list(request.user, q);
  }

  @Get(':shipmentNo')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({
    description: 'Cartons, lines (expected / received / short / over / damaged), history, customs',
    schema: shipmentDetail,
  })
  @ApiOperation({ summary: 'One of your shipments: the receiving result per line, its status history and export list' })
  detail(
    @Param('shipmentNo', { schema: shipmentNoParam }) shipmentNo: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<ShipmentDetail> {
    return this.shipments.detail(request.user, shipmentNo);
  }

  @Get(':shipmentNo/labels')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiProduces('text/plain', 'image/png')
  @ApiAnswer({
    description: 'GS1-128 SSCC box labels, one per carton: ZPL II (text/plain), or a PNG of them (image/png)',
    binary: ['text/plain', 'image/png'],
  })
  @ApiOperation({ summary: 'The box labels of your shipment’s cartons (?format=zpl or png, ?sscc= for one carton)' })
  async labels(
    @Param('shipmentNo', { schema: shipmentNoParam }) shipmentNo: string,
    @Query({ schema: labelsQuery }) q: z.infer<typeof labelsQuery>,
    @Req() request: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const labels = await this.shipments.labels(request.user, shipmentNo, q);
    res.type(labels.type).send(labels.body);
  }

  @Get(':shipmentNo/damages/:damageId/photo')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiProduces('image/jpeg', 'image/png')
  @ApiAnswer({
    description: 'The photo taken of the damage at the overseas warehouse (JPEG or PNG)',
    binary: ['image/jpeg', 'image/png'],
  })
  @ApiOperation({ summary: 'The photo of a damage recorded while receiving your shipment' })
  async photo(
    @Param('shipmentNo', { schema: shipmentNoParam }) shipmentNo: string,
    @Param('damageId', { schema: damageIdParam }) damageId: string,
    @Req() request: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const p = await this.shipments.photo(request.user, shipmentNo, damageId);
    res.type(p.type).setHeader('cache-control', 'private, max-age=300');
    res.send(p.photo);
  }
}

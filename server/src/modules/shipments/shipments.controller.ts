import { Body, Controller, Get, HttpCode, Param, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ShipmentDetail, ShipmentStatusInput } from '@wms/contracts';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import {
  damageIdParam,
  declared,
  declareInput,
  photoStored,
  shipmentDetail,
  shipmentNoParam,
  shipmentStatusInput,
} from './shipments.schemas.js';
import { PHOTO_MAX_BYTES, ShipmentsService } from './shipments.service.js';

/**
 * The centre's side of sellers' inbound shipments (issue 12): declare for export under 9810,
 * track (departed, in transit, arrived, received, closed), and photos of damages found abroad.
 */
@ApiTags('shipments')
@ApiBearerAuth()
@Controller('api/shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Get(':shipmentNo')
  @Roles('staff', 'supervisor', 'customs', 'admin')
  @ApiAnswer({ description: 'The shipment: cartons, lines, history, export list', schema: shipmentDetail })
  @ApiOperation({ summary: 'A seller’s inbound shipment, for the centre and the overseas warehouse' })
  detail(@Param('shipmentNo', { schema: shipmentNoParam }) shipmentNo: string): Promise<ShipmentDetail> {
    return this.shipments.staffDetail(shipmentNo);
  }

  @Post(':shipmentNo/declare')
  @Roles('supervisor')
  @ApiAnswer({
    status: 201,
    description: 'Declared (CEB603, 9810): the list number and the shipment',
    schema: declared,
  })
  @ApiOperation({
    summary:
      'Declare the shipment for export under 9810: its CEB303 order and CEB505 waybill, then the CEB603 export list through the customs core',
  })
  declare(
    @Param('shipmentNo', { schema: shipmentNoParam }) shipmentNo: string,
    @Body({ schema: declareInput }) body: z.infer<typeof declareInput>,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.shipments.declare(shipmentNo, request.user.username, body);
  }

  @Post(':shipmentNo/status')
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiAnswer({ description: 'The shipment after the step', schema: shipmentDetail })
  @ApiOperation({
    summary:
      'A tracking step: departed (only once customs released the export list), in_transit, arrived (opens the receipt abroad), received (closes it), closed',
  })
  status(
    @Param('shipmentNo', { schema: shipmentNoParam }) shipmentNo: string,
    @Body({ schema: shipmentStatusInput }) body: ShipmentStatusInput,
    @Req() request: AuthenticatedRequest,
  ): Promise<ShipmentDetail> {
    return this.shipments.setStatus(shipmentNo, body, request.user.username);
  }

  @Post(':shipmentNo/damages/:damageId/photo')
  @Roles('staff', 'supervisor')
  @UseInterceptors(FileInterceptor('photo', { limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 0 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { photo: { type: 'string', format: 'binary' } }, required: ['photo'] },
  })
  @ApiAnswer({ status: 201, description: 'The photo, stored with the damage', schema: photoStored })
  @ApiOperation({ summary: 'Attach a photo (JPEG or PNG, at most 5 MB) to a damage recorded while receiving' })
  photo(
    @Param('shipmentNo', { schema: shipmentNoParam }) shipmentNo: string,
    @Param('damageId', { schema: damageIdParam }) damageId: string,
    @UploadedFile() file: { buffer: Buffer; mimetype: string } | undefined,
  ) {
    return this.shipments.attachPhoto(shipmentNo, damageId, file);
  }
}

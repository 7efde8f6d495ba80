import { Controller, Get, Param, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { returnPhotoStored, returnStatus, rmaNo, rmaSummary } from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { PHOTO_MAX_BYTES } from './returns.rules.js';
import { ReturnsDeskService } from './returns-desk.service.js';

const deskQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30).describe('The overseas warehouse').meta({ example: 'OW-DE1' }),
  status: returnStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many RMAs'),
});
const photoQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30).describe('The overseas warehouse').meta({ example: 'OW-DE1' }),
  sellerCode: z.string().trim().min(1).max(40).optional().describe('The seller, when two use this RMA number'),
  sku: z.string().trim().min(1).max(30).optional().describe('The SKU in the picture, one of the RMA’s'),
});
const deskList = z.object({ items: z.array(rmaSummary.extend({ sellerCode: z.string() })) });

/**
 * The returns desk's list (staff): the RMAs expected at an overseas warehouse, open ones first.
 * The receiving itself is by scanning: the station job 'returns' or `POST /api/floor/scans` with
 * operation 'returns' (scan the RMA number or NEW-RETURN, then each item; SELLABLE, UNSELLABLE
 * or DESTROY sets the grade; DONE ends a return).
 */
@ApiTags('returns')
@ApiBearerAuth()
@Controller('api/returns')
export class ReturnsDeskController {
  constructor(private readonly desk: ReturnsDeskService) {}

  @Get()
  @Roles('staff', 'supervisor')
  @ApiAnswer({ description: 'RMAs at the warehouse with expected and received units', schema: deskList })
  @ApiOperation({ summary: 'The returns expected and received at an overseas warehouse (the desk’s list)' })
  list(@Query({ schema: deskQuery }) q: z.infer<typeof deskQuery>): Promise<Answer<typeof deskList>> {
    return this.desk.list(q.warehouseCode, q.status, q.limit);
  }

  @Post(':rmaNo/photos')
  @Roles('staff', 'supervisor')
  @UseInterceptors(FileInterceptor('photo', { limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 0 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { photo: { type: 'string', format: 'binary' } }, required: ['photo'] },
  })
  @ApiAnswer({ status: 201, description: 'The photo, kept with the RMA for its seller', schema: returnPhotoStored })
  @ApiOperation({ summary: 'Attach a photo (JPEG or PNG, at most 5 MB) of returned goods to their RMA' })
  photo(
    @Param('rmaNo', { schema: rmaNo.describe('The RMA number') }) no: string,
    @Query({ schema: photoQuery }) q: z.infer<typeof photoQuery>,
    @UploadedFile() file: { buffer: Buffer; mimetype: string } | undefined,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof returnPhotoStored>> {
    return this.desk.attachPhoto(no, q, file, request.user.username);
  }
}

import {
  Body,
  Controller,
  Delete,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  type HoldInput,
  holdInput,
  type InspectionResultInput,
  inspectionQueueQuery,
  inspectionResultInput,
  type LiftInput,
  liftInput,
  situationsQuery,
} from '@wms/contracts';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../../platform/auth/auth.guard.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { idParam, pathParams } from '../../../platform/http/zod-fields.js';
import {
  holdLifted,
  holdPlaced,
  inspectionPhotoStored,
  inspectionQueue,
  inspectionRecorded,
  situationCounts,
} from './holds.answers.js';
import { HoldsService, PHOTO_MAX_BYTES } from './holds.service.js';

const inspectionId = idParam('inspection result id');
const photoId = z.uuid().describe('The photo id');

/**
 * The customs officer's actions on parcels (issue 13): hold and lift (a reason for both, each
 * signed), the parcels by situation, and the inspection queue with the officer's results and
 * photos. Nothing here releases a parcel: release comes only from the customs receipt (800).
 */
@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs')
export class HoldsController {
  constructor(private readonly holds: HoldsService) {}

  @Post('holds')
  @ApiAnswer({ status: 201, description: 'The hold placed on the parcel, signed', schema: holdPlaced })
  @Roles('customs')
  @ApiOperation({
    summary: 'Customs officer: hold a parcel with a reason (the gate refuses it until the hold is lifted); signed',
  })
  hold(
    @Body({ schema: holdInput }) body: HoldInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof holdPlaced>> {
    return this.holds.hold(body, req.user);
  }

  @Delete('holds/:logisticsNo')
  @ApiAnswer({ description: 'The hold lifted, signed', schema: holdLifted })
  @Roles('customs', 'supervisor')
  @ApiOperation({
    summary:
      'Lift a hold with a reason (required): a customs hold by a customs officer; a weight-check hold also by a supervisor after re-weighing',
  })
  lift(
    @Param('logisticsNo', { schema: pathParams.logisticsNo }) logisticsNo: string,
    @Body({ schema: liftInput }) body: LiftInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof holdLifted>> {
    return this.holds.lift(logisticsNo, req.user, body?.reason);
  }

  @Get('parcel-situations')
  @ApiAnswer({ description: 'How many parcels are in each situation', schema: situationCounts })
  @Roles('customs', 'supervisor')
  @ApiOperation({
    summary: 'Counts of parcels held, under inspection, detained, rejected, returned and overdue in the centre',
  })
  situations(@Query({ schema: situationsQuery }) q: z.infer<typeof situationsQuery>) {
    return this.holds.situations(q.warehouseCode, q.overdueHours);
  }

  @Get('inspections')
  @ApiAnswer({ description: 'The inspection queue, oldest first', schema: inspectionQueue })
  @Roles('customs', 'supervisor')
  @ApiOperation({
    summary:
      'The inspection queue: parcels under inspection (500) or held by customs, with their signed holds and results',
  })
  queue(@Query({ schema: inspectionQueueQuery }) q: z.infer<typeof inspectionQueueQuery>) {
    return this.holds.queue(q);
  }

  @Post('inspections/:logisticsNo/results')
  @ApiAnswer({ status: 201, description: 'The result recorded, and what the WMS does now', schema: inspectionRecorded })
  @Roles('customs')
  @ApiOperation({
    summary:
      'Record an inspection result (found as declared / discrepancy, with notes), signed: a discrepancy keeps the parcel held; found as declared does not release it (the 800 receipt does)',
  })
  recordInspection(
    @Param('logisticsNo', { schema: pathParams.logisticsNo }) logisticsNo: string,
    @Body({ schema: inspectionResultInput }) body: InspectionResultInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof inspectionRecorded>> {
    return this.holds.recordInspection(logisticsNo, body, req.user);
  }

  @Post('inspection-results/:id/photos')
  @Roles('customs')
  @UseInterceptors(FileInterceptor('photo', { limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 0 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { photo: { type: 'string', format: 'binary' } }, required: ['photo'] },
  })
  @ApiAnswer({
    status: 201,
    description: 'The photo, stored with the inspection result',
    schema: inspectionPhotoStored,
  })
  @ApiOperation({ summary: 'Attach a photo (JPEG or PNG, at most 5 MB) to an inspection result' })
  photo(
    @Param('id', { schema: inspectionId }) id: string,
    @UploadedFile() file: { buffer: Buffer; mimetype: string } | undefined,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof inspectionPhotoStored>> {
    return this.holds.attachPhoto(id, file, req.user);
  }

  @Get('inspection-results/:id/photos/:photoId')
  @Roles('customs', 'supervisor')
  @ApiProduces('image/jpeg', 'image/png')
  @ApiAnswer({ description: 'The photo (JPEG or PNG)', binary: ['image/jpeg', 'image/png'] })
  @ApiOperation({ summary: 'A photo of an inspection result' })
  async photoOf(
    @Param('id', { schema: inspectionId }) id: string,
    @Param('photoId', { schema: photoId }) photo: string,
    @Res() res: Response,
  ): Promise<void> {
    const p = await this.holds.photo(id, photo);
    res.type(p.type).setHeader('cache-control', 'private, max-age=300');
    res.send(p.photo);
  }
}

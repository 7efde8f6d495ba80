import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import { LabelsService } from '../parcels/labels.service.js';
import { labelPrinted, weightChecked } from './parcels.answers.js';
import { labelInput, weighInput } from './parcels.schemas.js';
import { WeighingService } from './weighing.service.js';

/** The parcel at the packing station: weighed, labelled. (Paths under api/floor as before the rooms split.) */
@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor')
export class ParcelsController {
  constructor(
    private readonly weighing: WeighingService,
    private readonly labels: LabelsService,
  ) {}

  @Post('weighings')
  @ApiAnswer({ description: 'The weight check: within tolerance, or held with the difference', schema: weightChecked })
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Check a parcel's weight from the station scale against declared and expected; outside tolerance it is held",
  })
  weigh(
    @Body({ schema: weighInput }) body: z.infer<typeof weighInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof weightChecked>> {
    return this.weighing.weigh(body.logisticsNo, body.stationId, req.user.username);
  }

  @Post('parcels/:logisticsNo/label')
  @ApiAnswer({ description: 'The print job sent to the station printer', schema: labelPrinted })
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Print the parcel's label (SSCC as GS1-128, waybill) on the station's printer, once; a reprint needs a reason and is recorded",
  })
  label(
    @Param('logisticsNo', { schema: pathParams.logisticsNo }) logisticsNo: string,
    @Body({ schema: labelInput }) body: z.infer<typeof labelInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof labelPrinted>> {
    return this.labels.print(logisticsNo, body.stationId, req.user.username, body.reprint);
  }
}

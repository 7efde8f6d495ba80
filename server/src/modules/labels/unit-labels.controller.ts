import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { ssccParam, unitLabelInput, unitLabelPrinted } from './unit-labels.answers.js';
import { UnitLabelsService } from './unit-labels.service.js';

@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor')
export class UnitLabelsController {
  constructor(private readonly labels: UnitLabelsService) {}

  @Post('units/:sscc/label')
  @ApiAnswer({ description: 'The print job sent to the station printer', schema: unitLabelPrinted })
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Print a bag or pallet's logistic label (SSCC, destination, contents and weight as they are now); once printed, a reprint needs a reason and is recorded",
  })
  label(
    @Param('sscc', { schema: ssccParam }) sscc: string,
    @Body({ schema: unitLabelInput }) body: z.infer<typeof unitLabelInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof unitLabelPrinted>> {
    return this.labels.print(sscc, body.warehouseCode, body.stationId, req.user.username, body.reprint);
  }
}

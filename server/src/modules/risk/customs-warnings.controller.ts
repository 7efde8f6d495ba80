import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { riskWarning, riskWarnings, riskWarningsQuery, warningHeld, warningHoldInput } from '@wms/contracts';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { RiskService } from './risk.service.js';

const warningId = riskWarning.shape.id.describe('The warning id');

/** The console's risk warnings (issue 13): read them, and turn one into a hold (a hold: the console's only write here). */
@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs/warnings')
export class CustomsWarningsController {
  constructor(private readonly risk: RiskService) {}

  @Get()
  @Roles('customs', 'supervisor')
  @ApiAnswer({
    description: 'Risk warnings, newest change first, with their reason and evidence',
    schema: riskWarnings,
  })
  @ApiOperation({
    summary: 'Risk warnings: weight, value, buyer limits, split orders, returns, special goods, cold chain',
  })
  list(
    @Query({ schema: riskWarningsQuery }) q: z.infer<typeof riskWarningsQuery>,
  ): Promise<Answer<typeof riskWarnings>> {
    return this.risk.warnings(q);
  }

  @Get(':id')
  @Roles('customs', 'supervisor')
  @ApiAnswer({ description: 'One warning with its evidence', schema: riskWarning })
  get(@Param('id', { schema: warningId }) id: string): Promise<Answer<typeof riskWarning>> {
    return this.risk.warning(id);
  }

  @Post(':id/hold')
  @Roles('customs')
  @ApiAnswer({ status: 201, description: 'The warning’s parcel held, the warning marked held', schema: warningHeld })
  @ApiOperation({
    summary: 'Customs officer: turn a warning into a hold of its parcel (reason: the warning’s, or yours)',
  })
  hold(
    @Param('id', { schema: warningId }) id: string,
    @Body({ schema: warningHoldInput }) body: z.infer<typeof warningHoldInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof warningHeld>> {
    return this.risk.hold(id, req.user, body?.reason);
  }
}

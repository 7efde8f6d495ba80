import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import { GateService } from './gate.service.js';
import { type GatePass, gatePass, gatePassed, packParcel, parcelPacked } from './outbound.schemas.js';
import { PackingService } from './packing.service.js';

/** The packing station's pack and the outbound gate (paths as before the rooms split). */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('api')
export class OutboundController {
  constructor(
    private readonly packing: PackingService,
    private readonly gate: GateService,
  ) {}

  @Post('parcels/:logisticsNo/pack')
  @ApiAnswer({ status: 201, description: 'The parcel packed with the batches picked', schema: parcelPacked })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'Pick (oldest batch first) and pack a declared parcel' })
  pack(
    @Param('logisticsNo', { schema: pathParams.logisticsNo }) logisticsNo: string,
    @Body({ schema: packParcel }) body: z.infer<typeof packParcel>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof parcelPacked>> {
    return this.packing.pack(logisticsNo, req.user.username, body.readPoint ?? null);
  }

  @Post('gate/passes')
  @ApiAnswer({
    status: 201,
    description: 'The gate pass; or a refusal with the reason (customs status, hold, not packed)',
    schema: gatePassed,
  })
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      'Outbound gate: passes only a released (800), unheld, packed parcel; anything else is refused with the reason',
  })
  pass(
    @Body({ schema: gatePass }) body: GatePass,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof gatePassed>> {
    return this.gate.pass(body, req.user.username);
  }
}

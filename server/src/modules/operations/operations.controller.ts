import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import { BondedEntryService } from './bonded-entry.service.js';
import { GateService } from './gate.service.js';
import {
  type BondedEntry,
  bondedEntry,
  entryBooked,
  type GatePass,
  gatePass,
  gatePassed,
  packParcel,
  parcelPacked,
} from './operations.schemas.js';
import { ParcelsService } from './parcels.service.js';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api')
export class OperationsController {
  constructor(
    private readonly entries: BondedEntryService,
    private readonly parcels: ParcelsService,
    private readonly gate: GateService,
  ) {}

  @Post('bonded/entries')
  @ApiAnswer({
    status: 201,
    description: 'The goods booked: one book and one shelf movement per line',
    schema: entryBooked,
  })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'Receive goods into the centre against an entry document: book and shelf grow together' })
  receive(
    @Body({ schema: bondedEntry }) body: BondedEntry,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof entryBooked>> {
    return this.entries.receive(body, req.user.username);
  }

  @Post('parcels/:logisticsNo/pack')
  @ApiAnswer({ status: 201, description: 'The parcel packed with the batches picked', schema: parcelPacked })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'Pick (oldest batch first) and pack a declared parcel' })
  pack(
    @Param('logisticsNo', { schema: pathParams.logisticsNo }) logisticsNo: string,
    @Body({ schema: packParcel }) body: z.infer<typeof packParcel>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof parcelPacked>> {
    return this.parcels.pack(logisticsNo, req.user.username, body.readPoint ?? null);
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

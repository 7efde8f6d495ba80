import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import { ZodValidationPipe } from '../../platform/http/zod-validation.pipe.js';
import { BondedEntryService } from './bonded-entry.service.js';
import { GateService } from './gate.service.js';
import { type BondedEntry, bondedEntry, type GatePass, gatePass, packParcel } from './operations.schemas.js';
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
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'Receive goods into the centre against an entry document: book and shelf grow together' })
  receive(@Body(new ZodValidationPipe(bondedEntry)) body: BondedEntry, @Req() req: AuthenticatedRequest) {
    return this.entries.receive(body, req.user.username);
  }

  @Post('parcels/:logisticsNo/pack')
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'Pick (oldest batch first) and pack a declared parcel' })
  pack(
    @Param('logisticsNo') logisticsNo: string,
    @Body(new ZodValidationPipe(packParcel)) body: z.infer<typeof packParcel>,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.parcels.pack(logisticsNo, req.user.username, body.readPoint ?? null);
  }

  @Post('gate/passes')
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      'Outbound gate: passes only a released (800), unheld, packed parcel; anything else is refused with the reason',
  })
  pass(@Body(new ZodValidationPipe(gatePass)) body: GatePass, @Req() req: AuthenticatedRequest) {
    return this.gate.pass(body, req.user.username);
  }
}

import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { type BondedEntry, bondedEntry, entryBooked } from './bonded-entry.schemas.js';
import { BondedEntryService } from './bonded-entry.service.js';

/** Goods into the centre against an entry document in one step (no counted delivery). */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('api')
export class BondedEntryController {
  constructor(private readonly entries: BondedEntryService) {}

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
}

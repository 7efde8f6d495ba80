import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { entityId, scanRecordedMessage } from '@wms/contracts';
import { z } from 'zod';
import { Roles } from '../../platform/auth/auth.guard.js';
import { CENTRE_ROLES } from '../../platform/auth/roles.js';
import { type Answer, itemsOf } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { ScansRepository } from './scans.repository.js';

const latestScansQuery = z.strictObject({
  stationId: entityId.optional().describe('Only the scans of this station'),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('At most this many scans'),
});

const scansListed = itemsOf(scanRecordedMessage, 'The latest scans, newest first');

@ApiTags('scans')
@ApiBearerAuth()
@Controller('api/scans')
export class ScansController {
  constructor(private readonly scans: ScansRepository) {}

  @Get()
  // raw scans are the centre's: never a seller's (issue 12)
  @Roles(...CENTRE_ROLES)
  @ApiAnswer({ description: 'The latest scans (`items`), newest first', schema: scansListed })
  @ApiOperation({ summary: 'Latest scans, newest first' })
  async latest(
    @Query({ schema: latestScansQuery }) query: z.infer<typeof latestScansQuery>,
  ): Promise<Answer<typeof scansListed>> {
    return { items: await this.scans.latest(query.stationId, query.limit) };
  }
}

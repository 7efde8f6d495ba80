import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { entityId } from '@wms/contracts';
import { z } from 'zod';
import { ZodValidationPipe } from '../../platform/http/zod-validation.pipe.js';
import { ScansRepository } from './scans.repository.js';

const latestScansQuery = z.strictObject({
  stationId: entityId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

@ApiTags('scans')
@ApiBearerAuth()
@Controller('api/scans')
export class ScansController {
  constructor(private readonly scans: ScansRepository) {}

  @Get()
  @ApiOperation({ summary: 'Latest scans, newest first' })
  @ApiQuery({ name: 'stationId', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  async latest(@Query(new ZodValidationPipe(latestScansQuery, 'query')) query: z.infer<typeof latestScansQuery>) {
    return { items: await this.scans.latest(query.stationId, query.limit) };
  }
}

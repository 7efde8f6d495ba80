import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { returnStatus, rmaSummary } from '@wms/contracts';
import { z } from 'zod';
import { Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { ReturnsDeskService } from './returns-desk.service.js';

const deskQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30).describe('The overseas warehouse').meta({ example: 'OW-DE1' }),
  status: returnStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many RMAs'),
});
const deskList = z.object({ items: z.array(rmaSummary.extend({ sellerCode: z.string() })) });

/**
 * The returns desk's list (staff): the RMAs expected at an overseas warehouse, open ones first.
 * The receiving itself is by scanning: the station job 'returns' or `POST /api/floor/scans` with
 * operation 'returns' (scan the RMA number or NEW-RETURN, then each item; SELLABLE, UNSELLABLE
 * or DESTROY sets the grade; DONE ends a return).
 */
@ApiTags('returns')
@ApiBearerAuth()
@Controller('api/returns')
export class ReturnsDeskController {
  constructor(private readonly desk: ReturnsDeskService) {}

  @Get()
  @Roles('staff', 'supervisor')
  @ApiAnswer({ description: 'RMAs at the warehouse with expected and received units', schema: deskList })
  @ApiOperation({ summary: 'The returns expected and received at an overseas warehouse (the desk’s list)' })
  list(@Query({ schema: deskQuery }) q: z.infer<typeof deskQuery>): Promise<Answer<typeof deskList>> {
    return this.desk.list(q.warehouseCode, q.status, q.limit);
  }
}

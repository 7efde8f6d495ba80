import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditQuery, auditQuery } from '@wms/contracts';
import { Roles } from '../auth/auth.guard.js';
import type { Answer } from '../http/answer-fields.js';
import { ApiAnswer } from '../http/api-docs.js';
import { auditPage } from './audit.answers.js';
import { AuditRepository } from './audit.repository.js';

/** The customs audit log, read only: no route writes, changes or deletes it (the trail appends). */
@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs/audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @Roles('customs', 'supervisor')
  @ApiAnswer({ description: 'Audit entries, newest first', schema: auditPage })
  @ApiOperation({
    summary:
      'The audit log of every request by a customs user (reads included): who, route, params, query, when, status and outcome; filter by user, route, method, outcome and time',
  })
  find(@Query({ schema: auditQuery }) q: AuditQuery): Promise<Answer<typeof auditPage>> {
    return this.audit.find(q);
  }
}

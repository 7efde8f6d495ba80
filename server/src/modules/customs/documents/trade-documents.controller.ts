import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../../platform/auth/auth.guard.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { AppError } from '../../../platform/http/app-error.js';
import { pathParams } from '../../../platform/http/zod-fields.js';
import { type DocumentsImport, documentsImport, importJob, jobStarted, waitQuery } from './trade-documents.schemas.js';
import { TradeDocumentsService } from './trade-documents.service.js';

@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs')
export class TradeDocumentsController {
  constructor(private readonly documents: TradeDocumentsService) {}

  @Post('documents')
  @ApiAnswer({
    status: 202,
    description: 'The import job (id, total, state); with ?wait=true the finished job with its itemised errors',
    schema: z.union([jobStarted, importJob]),
  })
  @HttpCode(202)
  @Roles('admin', 'supervisor')
  @ApiOperation({
    summary:
      'Import orders, payments and waybills (CEB311/411/511 or CEB303/403/505) in bulk; returns a job whose progress GET /api/customs/imports/:id shows. ?wait=true answers when it is done.',
  })
  async import(
    @Body({ schema: documentsImport }) body: DocumentsImport,
    @Query({ schema: waitQuery }) query: z.infer<typeof waitQuery>,
    @Req() req: AuthenticatedRequest,
  ) {
    const { jobId, total, done } = await this.documents.start(body, req.user.username);
    if (query.wait === 'true' || query.wait === '1') {
      await done;
      return this.documents.job(jobId);
    }
    return { id: jobId, total, state: 'running' as const };
  }

  @Get('imports/:id')
  @ApiAnswer({
    description: 'The job: processed, accepted, unchanged, failed and the errors item by item',
    schema: importJob,
  })
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: 'Progress and itemised errors of a document import' })
  async job(@Param('id', { schema: pathParams.importId }) id: string): Promise<Answer<typeof importJob>> {
    const job = await this.documents.job(id);
    if (!job) throw new AppError('NOT_FOUND', `import ${id} is not known`);
    return job;
  }
}

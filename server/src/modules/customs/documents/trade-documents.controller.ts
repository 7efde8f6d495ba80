import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../../platform/auth/auth.guard.js';
import { AppError } from '../../../platform/http/app-error.js';
import { ZodValidationPipe } from '../../../platform/http/zod-validation.pipe.js';
import { type DocumentsImport, documentsImport, waitQuery } from './trade-documents.schemas.js';
import { TradeDocumentsService } from './trade-documents.service.js';

@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs')
export class TradeDocumentsController {
  constructor(private readonly documents: TradeDocumentsService) {}

  @Post('documents')
  @HttpCode(202)
  @Roles('admin', 'supervisor')
  @ApiOperation({
    summary:
      'Import orders, payments and waybills (CEB311/411/511 or CEB303/403/505) in bulk; returns a job whose progress GET /api/customs/imports/:id shows. ?wait=true answers when it is done.',
  })
  async import(
    @Body(new ZodValidationPipe(documentsImport)) body: DocumentsImport,
    @Query(new ZodValidationPipe(waitQuery, 'query')) query: z.infer<typeof waitQuery>,
    @Req() req: AuthenticatedRequest,
  ) {
    const { jobId, total, done } = await this.documents.start(body, req.user.username);
    if (query.wait === 'true' || query.wait === '1') {
      await done;
      return this.documents.job(jobId);
    }
    return { id: jobId, total, state: 'running' };
  }

  @Get('imports/:id')
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: 'Progress and itemised errors of a document import' })
  async job(@Param('id') id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('VALIDATION_FAILED', `"${id}" is not an import id`);
    const job = await this.documents.job(id);
    if (!job) throw new AppError('NOT_FOUND', `import ${id} is not known`);
    return job;
  }
}

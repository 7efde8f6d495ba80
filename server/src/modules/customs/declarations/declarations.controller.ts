import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../../platform/auth/auth.guard.js';
import { type Answer } from '../../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { AppError } from '../../../platform/http/app-error.js';
import { pathParams } from '../../../platform/http/zod-fields.js';
import type { GateDecision } from '../../outbound/gate.rules.js';
import { GateFactsRepository } from '../../parcels/gate-facts.repository.js';
import { TradeDocumentsRepository } from '../documents/trade-documents.repository.js';
import { jobStarted, waitQuery } from '../documents/trade-documents.schemas.js';
import { ReceiptsService } from '../receipts/receipts.service.js';
import { requiredAction } from '../rules/customs-status.js';
import { CustomsRepository, type ListRow } from './customs.repository.js';
import { declared, inboxProcessed, listAnswer, listDetail } from './declarations.answers.js';
import { type DeclarationOutcome, DeclarationsService } from './declarations.service.js';

const declareBody = z
  .strictObject({
    direction: z.enum(['import', 'export']),
    /** The orders to declare; omit and set all=true for every order not declared yet. */
    orders: z
      .array(z.strictObject({ ebpCode: z.string().min(1).max(18), orderNo: z.string().min(1).max(60) }))
      .min(1)
      .max(20_000)
      .optional(),
    all: z.boolean().optional(),
  })
  .refine((b) => Boolean(b.orders) !== Boolean(b.all), { message: 'give either orders or all: true' });

/** The list as the floor and officers see it; `gate` is the gate rule's answer (gate.rules.ts). */
export function listView(l: ListRow, gate: GateDecision): Answer<typeof listAnswer> {
  return {
    copNo: l.cop_no,
    direction: l.direction,
    tradeMode: l.trade_mode,
    warehouseCode: l.warehouse_code,
    ebpCode: l.ebp_code,
    orderNo: l.order_no,
    ebcCode: l.ebc_code,
    logisticsCode: l.logistics_code,
    logisticsNo: l.logistics_no,
    emsNo: l.ems_no,
    state: l.state,
    problems: l.problems,
    guid: l.current_guid,
    declaredAt: l.declared_at,
    declareCount: l.declare_count,
    customsStatus: l.customs_status,
    customsStatusInfo: l.customs_status_info,
    customsStatusTime: l.customs_status_time,
    requiredAction: l.hold_reason ? 'hold' : requiredAction(l.customs_status),
    gate,
    invtNo: l.invt_no,
    preNo: l.pre_no,
    entryId: l.entry_id,
    hold: l.hold_reason
      ? {
          reason: l.hold_reason,
          by: l.held_by,
          at: l.held_at,
          // the warehouse's own weight hold is not a customs hold (DOMAIN.md §8)
          kind: l.held_by === 'weight-check' ? ('warehouse-weight-check' as const) : ('customs' as const),
        }
      : null,
    packedAt: l.packed_at,
    gatePassedAt: l.gate_passed_at,
    gatePassNo: l.gate_pass_no,
    lines: l.lines.map((x) => ({ ...x.values, units: x.units, putrecSeqno: x.putrecSeqno })),
  };
}

@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs')
export class DeclarationsController {
  constructor(
    private readonly declarations: DeclarationsService,
    private readonly customs: CustomsRepository,
    private readonly receipts: ReceiptsService,
    private readonly jobs: TradeDocumentsRepository,
    private readonly gateFacts: GateFactsRepository,
  ) {}

  @Post('declarations')
  @ApiAnswer({
    status: 201,
    description: 'Declared, refused (with every mismatch) and already declared orders',
    schema: declared,
    alternatives: [
      {
        status: 202,
        description: 'With ?wait=false: the job running in the background (GET /api/customs/imports/{id})',
        schema: jobStarted,
      },
    ],
  })
  @Roles('supervisor')
  @ApiOperation({
    summary:
      'Declare inventory lists (CEB621 import / CEB603 export): three-document match first; refused orders come back with every mismatch. ?wait=false answers at once with a job whose progress GET /api/customs/imports/:id shows.',
  })
  async declare(
    @Body({ schema: declareBody }) body: z.infer<typeof declareBody>,
    @Query({ schema: waitQuery }) query: z.infer<typeof waitQuery>,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Answer<typeof declared> | Answer<typeof jobStarted>> {
    const summary = (results: DeclarationOutcome[]) => ({
      declared: results.filter((r) => r.outcome === 'declared').length,
      refused: results.filter((r) => r.outcome === 'refused').length,
      alreadyDeclared: results.filter((r) => r.outcome === 'already-declared').length,
      results,
    });
    if (query.wait !== 'false' && query.wait !== '0')
      return summary(await this.declarations.declare(body.direction, body.orders ?? null, req.user.username));
    // Thousands of orders take a while: run in the background, progress in the job (as imports do).
    const total = body.orders?.length ?? (await this.customs.pendingOrders(body.direction));
    const jobId = await this.jobs.createJob(`${body.direction}-declarations`, total, req.user.username);
    void this.declarations
      .declare(body.direction, body.orders ?? null, req.user.username, (_done, chunk) =>
        this.jobs.progressJob(
          jobId,
          {
            processed: chunk.length,
            accepted: chunk.filter((r) => r.outcome === 'declared').length,
            unchanged: chunk.filter((r) => r.outcome === 'already-declared').length,
            failed: chunk.filter((r) => r.outcome === 'refused').length,
            errors: chunk
              .filter((r) => r.outcome === 'refused')
              .map((r) => ({
                orderNo: r.orderNo,
                codes: r.mismatches?.map((m) => m.code),
                message: r.mismatches?.[0]?.message,
              })),
          },
          'running',
        ),
      )
      .then(() =>
        this.jobs.progressJob(jobId, { processed: 0, accepted: 0, unchanged: 0, failed: 0, errors: [] }, 'done'),
      )
      .catch((error) =>
        this.jobs.progressJob(
          jobId,
          {
            processed: 0,
            accepted: 0,
            unchanged: 0,
            failed: 0,
            errors: [{ code: 'INTERNAL', message: `the run stopped: ${String(error)}` }],
          },
          'failed',
        ),
      )
      .catch(() => undefined);
    res.status(202);
    return { id: jobId, total, state: 'running' as const };
  }

  @Post('inbox/process')
  @ApiAnswer({
    status: 201,
    description: 'The receipt files read and applied, and those set aside',
    schema: inboxProcessed,
  })
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: 'Read the customs inbox now (it is also read every CUSTOMS_POLL_MS)' })
  async processInbox(): Promise<Answer<typeof inboxProcessed>> {
    return this.receipts.processInbox();
  }

  @Get('lists/:copNo')
  @ApiAnswer({ description: 'The list with its messages and receipt history', schema: listDetail })
  @Roles('supervisor', 'customs', 'staff')
  @ApiOperation({ summary: 'One inventory list with its messages and the full receipt history' })
  async list(@Param('copNo', { schema: pathParams.copNo }) copNo: string): Promise<Answer<typeof listDetail>> {
    const list = await this.customs.list({ copNo });
    if (!list) throw new AppError('NOT_FOUND', `list ${copNo} is not known`);
    return {
      ...listView(list, await this.gateFacts.decision(null, list)),
      messages: await this.customs.messagesOf(list.id),
      receipts: await this.customs.receiptsOf(list.id),
    };
  }

  @Get('parcels/:logisticsNo')
  @ApiAnswer({
    description: 'The parcel: customs status, required action, whether it may pass the gate',
    schema: listAnswer,
  })
  @Roles('supervisor', 'customs', 'staff')
  @ApiOperation({ summary: 'The customs status of one parcel, by waybill number, and what to do with it' })
  async parcel(
    @Param('logisticsNo', { schema: pathParams.logisticsNo }) logisticsNo: string,
  ): Promise<Answer<typeof listAnswer>> {
    const list = await this.customs.list({ logisticsNo });
    if (!list) throw new AppError('NOT_FOUND', `parcel ${logisticsNo} is not known: no inventory list names it`);
    return listView(list, await this.gateFacts.decision(null, list));
  }
}

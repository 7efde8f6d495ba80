import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../../platform/auth/auth.guard.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { pathParams } from '../../../platform/http/zod-fields.js';
import {
  cancelInput,
  cancelWritten,
  type ReceiveReturnInput,
  type ReturnInput,
  receiveReturnInput,
  returnDeclared,
  returnInput,
  returnReceived,
  type SummaryInput,
  summariesWritten,
  summaryDetail,
  summaryInput,
} from './customs-actions.schemas.js';
import { CustomsActionsService } from './customs-actions.service.js';

@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs')
export class CustomsActionsController {
  constructor(private readonly actions: CustomsActionsService) {}

  @Post('lists/:copNo/cancel')
  @ApiAnswer({ status: 201, description: 'The cancel message written for the single window', schema: cancelWritten })
  @Roles('supervisor')
  @ApiOperation({ summary: 'Cancel a declared list that has not left (CEB623 import / CEB605 export)' })
  cancel(
    @Param('copNo', { schema: pathParams.copNo }) copNo: string,
    @Body({ schema: cancelInput }) body: z.infer<typeof cancelInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof cancelWritten>> {
    return this.actions.cancel(copNo, body.reason, req.user.username);
  }

  @Post('returns')
  @ApiAnswer({ status: 201, description: 'The return declared, with its number', schema: returnDeclared })
  @Roles('supervisor')
  @ApiOperation({ summary: 'Declare a return of a shipped import parcel (CEB625)' })
  declareReturn(
    @Body({ schema: returnInput }) body: ReturnInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof returnDeclared>> {
    return this.actions.declareReturn(body, req.user.username);
  }

  @Post('returns/:returnNo/receive')
  @ApiAnswer({
    status: 201,
    description: 'The returned goods back on the book and the returns shelf',
    schema: returnReceived,
  })
  @Roles('supervisor', 'staff')
  @ApiOperation({ summary: 'Receive an approved return back onto the book and a returns shelf' })
  receiveReturn(
    @Param('returnNo', { schema: pathParams.returnNo }) returnNo: string,
    @Body({ schema: receiveReturnInput }) body: ReceiveReturnInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof returnReceived>> {
    return this.actions.receiveReturn(returnNo, body, req.user.username);
  }

  @Post('summaries')
  @ApiAnswer({
    status: 201,
    description: 'The summary applications written, and the lists left out',
    schema: summariesWritten,
  })
  @Roles('supervisor')
  @ApiOperation({ summary: '9610 monthly summary application (CEB701) of the released export lists of a month' })
  summarise(
    @Body({ schema: summaryInput }) body: SummaryInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof summariesWritten>> {
    return this.actions.summarise(body, req.user.username);
  }

  @Get('summaries/:id')
  @ApiAnswer({ description: 'The summary with its status and lists', schema: summaryDetail })
  @Roles('supervisor', 'customs')
  summary(@Param('id', { schema: pathParams.summaryId }) id: string): Promise<Answer<typeof summaryDetail>> {
    return this.actions.summary(id);
  }
}

import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../../platform/auth/auth.guard.js';
import { ZodValidationPipe } from '../../../platform/http/zod-validation.pipe.js';
import {
  cancelInput,
  type HoldInput,
  holdInput,
  liftInput,
  type ReceiveReturnInput,
  type ReturnInput,
  receiveReturnInput,
  returnInput,
  type SummaryInput,
  summaryInput,
} from './customs-actions.schemas.js';
import { CustomsActionsService } from './customs-actions.service.js';

@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs')
export class CustomsActionsController {
  constructor(private readonly actions: CustomsActionsService) {}

  @Post('holds')
  @Roles('customs')
  @ApiOperation({ summary: 'Customs officer: hold a parcel (the gate refuses it until the hold is lifted)' })
  hold(@Body(new ZodValidationPipe(holdInput)) body: HoldInput, @Req() req: AuthenticatedRequest) {
    return this.actions.hold(body, req.user.username);
  }

  @Delete('holds/:logisticsNo')
  @Roles('customs', 'supervisor')
  @ApiOperation({
    summary:
      'Lift a hold: a customs hold by a customs officer; a weight-check hold also by a supervisor after re-weighing',
  })
  lift(
    @Param('logisticsNo') logisticsNo: string,
    @Body(new ZodValidationPipe(liftInput)) body: z.infer<typeof liftInput>,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.actions.lift(logisticsNo, req.user.username, req.user.roles.includes('customs'), body?.reason);
  }

  @Post('lists/:copNo/cancel')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Cancel a declared list that has not left (CEB623 import / CEB605 export)' })
  cancel(
    @Param('copNo') copNo: string,
    @Body(new ZodValidationPipe(cancelInput)) body: z.infer<typeof cancelInput>,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.actions.cancel(copNo, body.reason, req.user.username);
  }

  @Post('returns')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Declare a return of a shipped import parcel (CEB625)' })
  declareReturn(@Body(new ZodValidationPipe(returnInput)) body: ReturnInput, @Req() req: AuthenticatedRequest) {
    return this.actions.declareReturn(body, req.user.username);
  }

  @Post('returns/:returnNo/receive')
  @Roles('supervisor', 'staff')
  @ApiOperation({ summary: 'Receive an approved return back onto the book and a returns shelf' })
  receiveReturn(
    @Param('returnNo') returnNo: string,
    @Body(new ZodValidationPipe(receiveReturnInput)) body: ReceiveReturnInput,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.actions.receiveReturn(returnNo, body, req.user.username);
  }

  @Post('summaries')
  @Roles('supervisor')
  @ApiOperation({ summary: '9610 monthly summary application (CEB701) of the released export lists of a month' })
  summarise(@Body(new ZodValidationPipe(summaryInput)) body: SummaryInput, @Req() req: AuthenticatedRequest) {
    return this.actions.summarise(body, req.user.username);
  }

  @Get('summaries/:id')
  @Roles('supervisor', 'customs')
  summary(@Param('id') id: string) {
    return this.actions.summary(id);
  }
}

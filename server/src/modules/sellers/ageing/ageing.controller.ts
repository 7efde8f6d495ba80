import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ageingQuery, alertsQuery, sellerAgeing, sellerAlert, sellerAlerts } from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles, SellerApiKey } from '../../../platform/auth/auth.guard.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { AgeingService } from './ageing.service.js';

const alertIdParam = z.uuid().describe('The alert id');

/** The seller's ageing and alerts (issue 12). */
@ApiTags('seller')
@ApiBearerAuth()
@Controller('api/seller')
export class AgeingController {
  constructor(private readonly ageing: AgeingService) {}

  @Get('ageing')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({
    description: 'Units per age band, per SKU and warehouse, in each warehouse’s bands',
    schema: sellerAgeing,
  })
  @ApiOperation({ summary: 'How long your units have been in each warehouse: units per age band, oldest arrival' })
  get(
    @Query({ schema: ageingQuery }) q: z.infer<typeof ageingQuery>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerAgeing>> {
    return this.ageing.sellerAgeing(request.user, q);
  }

  @Get('alerts')
  @Roles('seller', 'seller_admin')
  @SellerApiKey('read')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'Your alerts, newest first', schema: sellerAlerts })
  @ApiOperation({ summary: 'Your alerts (a lot older than its warehouse’s alert age), open or acknowledged' })
  alerts(
    @Query({ schema: alertsQuery }) q: z.infer<typeof alertsQuery>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerAlerts>> {
    return this.ageing.alerts(request.user, q.open === undefined ? null : q.open === 'true', q.limit);
  }

  @Post('alerts/:id/ack')
  @HttpCode(200)
  @Roles('seller', 'seller_admin')
  @SellerApiKey('write')
  @ApiSecurity('apiKey')
  @ApiAnswer({ description: 'The alert, acknowledged (a second time changes nothing)', schema: sellerAlert })
  @ApiOperation({ summary: 'Acknowledge one of your alerts' })
  ack(
    @Param('id', { schema: alertIdParam }) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof sellerAlert>> {
    return this.ageing.ack(request.user, id);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import { deliveriesListed, deliveryClosed, deliveryCreated, deliveryDetail } from './receiving.answers.js';
import { type DeliveryInput, deliveriesQuery, deliveryInput, entryDocInput } from './receiving.schemas.js';
import { ReceivingService } from './receiving.service.js';

/** Expected deliveries: create, list, detail, close, attach the entry document. (Paths under api/floor as before the rooms split.) */
@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor')
export class ReceivingController {
  constructor(private readonly receiving: ReceivingService) {}

  @Post('deliveries')
  @ApiAnswer({ status: 201, description: 'The new delivery, open for counting', schema: deliveryCreated })
  @Roles('supervisor')
  @ApiOperation({ summary: 'An expected inbound delivery (first-line entry) to count against' })
  createDelivery(
    @Body({ schema: deliveryInput }) body: DeliveryInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof deliveryCreated>> {
    return this.receiving.createDelivery(body, req.user.username);
  }

  @Get('deliveries')
  @ApiAnswer({ description: 'The deliveries (`items`), newest first, at most 100', schema: deliveriesListed })
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'Deliveries of a warehouse by status (open: still being counted)' })
  deliveries(
    @Query({ schema: deliveriesQuery }) q: z.infer<typeof deliveriesQuery>,
  ): Promise<Answer<typeof deliveriesListed>> {
    return this.receiving.deliveries(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Get('deliveries/:no')
  @ApiAnswer({ description: 'The delivery with expected and counted lines', schema: deliveryDetail })
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'A delivery: expected, counted (good, damaged, unexpected), and its report once closed' })
  delivery(@Param('no', { schema: pathParams.documentNo }) no: string): Promise<Answer<typeof deliveryDetail>> {
    return this.receiving.delivery(no);
  }

  @Post('deliveries/:no/close')
  @ApiAnswer({
    description: 'The receiving report: booked or held, with over, short and damaged',
    schema: deliveryClosed,
  })
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({
    summary: 'End the count: book the goods (with the entry document) or hold them; over, short and damaged reported',
  })
  close(
    @Param('no', { schema: pathParams.documentNo }) no: string,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof deliveryClosed>> {
    return this.receiving.closeDelivery(no, req.user.username);
  }

  @Post('deliveries/:no/entry-document')
  @ApiAnswer({ description: 'The receiving report after booking the held goods', schema: deliveryClosed })
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Attach the entry verification list to a held delivery: its goods go onto the book' })
  attach(
    @Param('no', { schema: pathParams.documentNo }) no: string,
    @Body({ schema: entryDocInput }) body: z.infer<typeof entryDocInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof deliveryClosed>> {
    return this.receiving.closeDelivery(no, req.user.username, body.entryDocNo);
  }
}

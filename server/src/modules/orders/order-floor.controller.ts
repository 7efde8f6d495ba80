import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { floorOrders } from '@wms/contracts';
import type { z } from 'zod';
import { Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { OrderFloorService } from './order-floor.service.js';
import { floorOrdersQuery } from './orders.schemas.js';

/** The overseas warehouse's work list of sellers' orders (the scans themselves go to POST /api/floor/scans). */
@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor/seller-orders')
export class OrderFloorController {
  constructor(private readonly floor: OrderFloorService) {}

  @Get()
  @Roles('staff', 'supervisor')
  @ApiAnswer({ description: 'Orders to pick, pack or hand over, oldest first', schema: floorOrders })
  @ApiOperation({
    summary:
      'Sellers’ orders at an overseas warehouse by status (default: all not yet shipped): scan the fulfilment number at the pick or pack job',
  })
  list(@Query({ schema: floorOrdersQuery }) q: z.infer<typeof floorOrdersQuery>): Promise<Answer<typeof floorOrders>> {
    return this.floor.workList(q.warehouseCode, q.status);
  }
}

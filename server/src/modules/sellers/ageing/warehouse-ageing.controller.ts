import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type WarehouseAgeingInput, warehouseAgeing, warehouseAgeingInput } from '@wms/contracts';
import { Roles } from '../../../platform/auth/auth.guard.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { codeParam } from '../../../platform/http/zod-fields.js';
import { AgeingService } from './ageing.service.js';

const warehouseCodeParam = codeParam('warehouse code', 30).meta({ example: 'OW-DE1' });

/** The warehouse's ageing bands and alert age (issue 12): set by the centre's staff. */
@ApiTags('warehouses')
@ApiBearerAuth()
@Controller('api/warehouses')
export class WarehouseAgeingController {
  constructor(private readonly ageing: AgeingService) {}

  @Get(':code/ageing')
  @Roles('staff', 'supervisor', 'admin')
  @ApiAnswer({ description: 'The ageing bands and alert age', schema: warehouseAgeing })
  @ApiOperation({ summary: 'The warehouse’s ageing bands (days) and the age at which a lot alerts its seller' })
  get(@Param('code', { schema: warehouseCodeParam }) code: string): Promise<Answer<typeof warehouseAgeing>> {
    return this.ageing.warehouse(code);
  }

  @Put(':code/ageing')
  @Roles('supervisor', 'admin')
  @ApiAnswer({ description: 'The ageing bands and alert age as stored', schema: warehouseAgeing })
  @ApiOperation({ summary: 'Set the warehouse’s ageing bands and alert age (supervisor, admin)' })
  put(
    @Param('code', { schema: warehouseCodeParam }) code: string,
    @Body({ schema: warehouseAgeingInput }) body: WarehouseAgeingInput,
  ): Promise<Answer<typeof warehouseAgeing>> {
    return this.ageing.setWarehouse(code, body);
  }
}

import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '../../platform/auth/auth.guard.js';
import { AppError } from '../../platform/http/app-error.js';
import { ZodValidationPipe } from '../../platform/http/zod-validation.pipe.js';
import { MasterDataRepository } from './masterdata.repository.js';
import { type MasterDataImport, masterDataImport } from './masterdata.schemas.js';

/** Enterprises, warehouses with zones and locations, goods and account-book lines (issue 4 "Master data"). */
@ApiTags('master data')
@ApiBearerAuth()
@Controller('api/master-data')
export class MasterDataController {
  constructor(private readonly masterData: MasterDataRepository) {}

  @Post()
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: 'Create or update master data in bulk (upsert by business key)' })
  async importAll(@Body(new ZodValidationPipe(masterDataImport)) body: MasterDataImport) {
    await this.masterData.upsertAll(body);
    return {
      enterprises: body.enterprises.length,
      warehouses: body.warehouses.length,
      goods: body.goods.length,
      bookLines: body.bookLines.length,
    };
  }

  @Get('enterprises')
  async enterprises() {
    return { items: await this.masterData.enterprises() };
  }

  @Get('warehouses')
  async warehouses() {
    return { items: await this.masterData.warehouses() };
  }

  @Get('goods')
  async goods(
    @Query(new ZodValidationPipe(z.strictObject({ ownerCode: z.string().max(18).optional() }), 'query'))
    q: { ownerCode?: string },
  ) {
    return { items: await this.masterData.goods(q.ownerCode) };
  }

  @Get('books/:emsNo/lines')
  async bookLines(@Param('emsNo') emsNo: string) {
    const items = await this.masterData.bookLines(emsNo);
    if (!items.length) throw new AppError('NOT_FOUND', `account book ${emsNo} has no lines (or does not exist)`);
    return { items };
  }
}

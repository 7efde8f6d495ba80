import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '../../platform/auth/auth.guard.js';
import { CENTRE_ROLES } from '../../platform/auth/roles.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { AppError } from '../../platform/http/app-error.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import { MasterDataRepository } from './masterdata.repository.js';
import {
  bookLinesListed,
  enterprisesListed,
  goodsListed,
  type MasterDataImport,
  masterDataImport,
  masterDataImported,
  warehousesListed,
} from './masterdata.schemas.js';

const goodsQuery = z.strictObject({
  ownerCode: z.string().max(18).optional().describe('Only the goods of this owner (enterprise code)'),
});

/** Enterprises, warehouses with zones and locations, goods and account-book lines (issue 4 "Master data"). */
@ApiTags('master data')
@ApiBearerAuth()
@Controller('api/master-data')
export class MasterDataController {
  constructor(private readonly masterData: MasterDataRepository) {}

  @Post()
  @ApiAnswer({
    status: 201,
    description: 'How many enterprises, warehouses, goods and book lines were written',
    schema: masterDataImported,
  })
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: 'Create or update master data in bulk (upsert by business key)' })
  async importAll(
    @Body({ schema: masterDataImport }) body: MasterDataImport,
  ): Promise<Answer<typeof masterDataImported>> {
    await this.masterData.upsertAll(body);
    return {
      enterprises: body.enterprises.length,
      warehouses: body.warehouses.length,
      goods: body.goods.length,
      bookLines: body.bookLines.length,
    };
  }

  // The centre's master data: a seller reads its own through /api/seller/* (issue 12).
  @Get('enterprises')
  @Roles(...CENTRE_ROLES)
  @ApiAnswer({ description: 'The enterprises (`items`)', schema: enterprisesListed })
  async enterprises(): Promise<Answer<typeof enterprisesListed>> {
    return { items: await this.masterData.enterprises() };
  }

  @Get('warehouses')
  @Roles(...CENTRE_ROLES)
  @ApiAnswer({ description: 'The warehouses (`items`) with zones and locations', schema: warehousesListed })
  async warehouses(): Promise<Answer<typeof warehousesListed>> {
    return { items: await this.masterData.warehouses() };
  }

  @Get('goods')
  @Roles(...CENTRE_ROLES)
  @ApiAnswer({ description: 'The goods (`items`), of one owner when asked', schema: goodsListed })
  async goods(
    @Query({ schema: goodsQuery })
    q: z.infer<typeof goodsQuery>,
  ): Promise<Answer<typeof goodsListed>> {
    return { items: await this.masterData.goods(q.ownerCode) };
  }

  @Get('books/:emsNo/lines')
  @Roles(...CENTRE_ROLES)
  @ApiAnswer({ description: 'The lines (`items`) of the account book', schema: bookLinesListed })
  async bookLines(
    @Param('emsNo', { schema: pathParams.emsNo }) emsNo: string,
  ): Promise<Answer<typeof bookLinesListed>> {
    const items = await this.masterData.bookLines(emsNo);
    if (!items.length) throw new AppError('NOT_FOUND', `account book ${emsNo} has no lines (or does not exist)`);
    return { items };
  }
}

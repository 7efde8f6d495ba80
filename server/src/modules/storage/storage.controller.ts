import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import { warehouseQuery } from '../floor/floor.schemas.js';
import { StocktakeService } from './stocktake.service.js';
import {
  discrepanciesListed,
  stocktakeClosed,
  stocktakeDetail,
  stocktakeStarted,
  stocktakesListed,
} from './storage.answers.js';
import { stocktakeInput, stocktakesQuery } from './storage.schemas.js';

/** Stock-takes and their discrepancy report. (Paths under api/floor as before the rooms split.) */
@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor')
export class StorageController {
  constructor(private readonly stocktaking: StocktakeService) {}

  @Get('stocktakes')
  @ApiAnswer({ description: 'The stock-takes (`items`), newest first, at most 100', schema: stocktakesListed })
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'Stock-takes of a warehouse by status' })
  stocktakes(
    @Query({ schema: stocktakesQuery }) q: z.infer<typeof stocktakesQuery>,
  ): Promise<Answer<typeof stocktakesListed>> {
    return this.stocktaking.stocktakes(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Post('stocktakes')
  @ApiAnswer({ status: 201, description: 'The new stock-take number with its locations', schema: stocktakeStarted })
  @Roles('supervisor')
  @ApiOperation({ summary: 'Start a blind stock-take of some locations' })
  startStocktake(
    @Body({ schema: stocktakeInput }) body: z.infer<typeof stocktakeInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof stocktakeStarted>> {
    return this.stocktaking.startStocktake(body.warehouseCode, body.locations, req.user.username);
  }

  @Post('stocktakes/:no/close')
  @ApiAnswer({ description: 'The stock-take closed with its differences', schema: stocktakeClosed })
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({
    summary: 'End a stock-take: differences go to the discrepancy report for customs; nothing is adjusted',
  })
  closeStocktake(
    @Param('no', { schema: pathParams.documentNo }) no: string,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof stocktakeClosed>> {
    return this.stocktaking.closeStocktake(no, req.user.username);
  }

  @Get('stocktakes/:no')
  @ApiAnswer({ description: 'The stock-take with its locations and counts', schema: stocktakeDetail })
  @Roles('staff', 'supervisor', 'customs')
  stocktake(@Param('no', { schema: pathParams.documentNo }) no: string): Promise<Answer<typeof stocktakeDetail>> {
    return this.stocktaking.stocktake(no);
  }

  @Get('discrepancies')
  @ApiAnswer({ description: 'Counted against the ledger, per location and goods', schema: discrepanciesListed })
  @Roles('supervisor', 'customs')
  @ApiOperation({ summary: 'Stock-take differences for customs: what was counted against the ledger' })
  discrepancies(
    @Query({ schema: warehouseQuery }) q: z.infer<typeof warehouseQuery>,
  ): Promise<Answer<typeof discrepanciesListed>> {
    return this.stocktaking.discrepancies(q.warehouseCode);
  }
}

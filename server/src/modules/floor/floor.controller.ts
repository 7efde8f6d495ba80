import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { scanAnswer } from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { BoardRepository } from './board.repository.js';
import { floorBoard } from './floor.answers.js';
import { type ScanInput, scanInput, warehouseQuery } from './floor.schemas.js';
import { ScanDispatcher } from './scan-dispatcher.js';

/** The scan route and the supervisor's board. (Paths under api/floor as before the rooms split.) */
@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor')
export class FloorController {
  constructor(
    private readonly dispatcher: ScanDispatcher,
    private readonly boards: BoardRepository,
  ) {}

  @Post('scans')
  @ApiAnswer({ description: 'ok with what was done, or refused with the reason and the next step', schema: scanAnswer })
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      'One scan (receive, putaway, pick, stocktake): answered ok or refused with the reason and the next step; the same scanId again returns the same answer',
  })
  scan(
    @Body({ schema: scanInput }) body: ScanInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof scanAnswer>> {
    return this.dispatcher.scan(body, req.user.username);
  }

  @Get('board')
  @ApiAnswer({
    description: 'Work in progress per operation, holds, refused scans of the last hour',
    schema: floorBoard,
  })
  @Roles('supervisor')
  @ApiOperation({ summary: 'Supervisor board: work in progress per operation, holds, refused scans of the last hour' })
  board(@Query({ schema: warehouseQuery }) q: z.infer<typeof warehouseQuery>): Promise<Answer<typeof floorBoard>> {
    return this.boards.board(q.warehouseCode);
  }
}

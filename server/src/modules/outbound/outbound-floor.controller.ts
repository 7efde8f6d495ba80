import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { AppError } from '../../platform/http/app-error.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import { LoadingService } from './loading.service.js';
import {
  shortPicked,
  tripCreated,
  tripDeparted,
  tripDetail,
  tripsListed,
  unitCreated,
  waveBuilt,
  wavesListed,
  waveTasks,
} from './outbound.answers.js';
import {
  departInput,
  shortInput,
  tripInput,
  tripsQuery,
  unitInput,
  waveInput,
  wavesQuery,
} from './outbound.schemas.js';
import { PickingService } from './picking.service.js';

/** Waves and picking, handling units and vehicle trips. (Paths under api/floor as before the rooms split.) */
@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor')
export class OutboundFloorController {
  constructor(
    private readonly picking: PickingService,
    private readonly loading: LoadingService,
  ) {}

  @Post('units')
  @ApiAnswer({ status: 201, description: 'The new bag or pallet with its SSCC', schema: unitCreated })
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "A new bag or pallet with its SSCC, to load parcels into; with a stationId its label prints on the station's printer",
  })
  unit(
    @Body({ schema: unitInput }) body: z.infer<typeof unitInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof unitCreated>> {
    return this.loading.createUnit(body.warehouseCode, body.kind, req.user.username, body.stationId);
  }

  @Post('trips')
  @ApiAnswer({ status: 201, description: 'The new trip number, loading', schema: tripCreated })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'A vehicle trip to load bags and pallets onto' })
  createTrip(
    @Body({ schema: tripInput }) body: z.infer<typeof tripInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof tripCreated>> {
    return this.loading.createTrip(body.warehouseCode, body.plate, req.user.username);
  }

  @Get('trips')
  @ApiAnswer({ description: 'The trips (`items`), newest first, at most 100', schema: tripsListed })
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'Vehicle trips of a warehouse by status (loading, departed)' })
  trips(@Query({ schema: tripsQuery }) q: z.infer<typeof tripsQuery>): Promise<Answer<typeof tripsListed>> {
    return this.loading.trips(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Get('trips/:no')
  @ApiAnswer({
    description: 'The trip: plate, status, loaded units, weighbridge figures, release note',
    schema: tripDetail,
  })
  @Roles('staff', 'supervisor', 'customs')
  trip(@Param('no', { schema: pathParams.documentNo }) no: string): Promise<Answer<typeof tripDetail>> {
    return this.loading.trip(no);
  }

  @Post('trips/:no/depart')
  @ApiAnswer({
    description: 'The departed trip with its release note; or a refusal naming the parcels that may not leave',
    schema: tripDeparted,
  })
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      'The vehicle leaves: every parcel passes the gate rule again and the weighbridge load matches the release note, or nothing leaves',
  })
  depart(
    @Param('no', { schema: pathParams.documentNo }) no: string,
    @Body({ schema: departInput }) body: z.infer<typeof departInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof tripDeparted>> {
    return this.loading.depart(no, body, req.user.username);
  }

  @Post('waves')
  @ApiAnswer({
    status: 201,
    description: 'The wave number with its parcels, tasks and the parcels skipped with why',
    schema: waveBuilt,
  })
  @Roles('supervisor')
  @ApiOperation({ summary: 'Build a pick wave from parcels customs accepted: tasks by bin, oldest stock first' })
  wave(
    @Body({ schema: waveInput }) body: z.infer<typeof waveInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof waveBuilt>> {
    return this.picking.buildWave(body.warehouseCode, body.maxParcels, req.user.username);
  }

  @Get('waves')
  @ApiAnswer({ description: 'The waves (`items`), newest first, at most 100', schema: wavesListed })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'Waves of a warehouse: open (tasks left to pick) or done' })
  waves(@Query({ schema: wavesQuery }) q: z.infer<typeof wavesQuery>): Promise<Answer<typeof wavesListed>> {
    return this.picking.waves(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Get('waves/:no')
  @ApiAnswer({ description: 'The pick tasks of the wave in walking order', schema: waveTasks })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'The pick tasks of a wave, in walking order' })
  waveTasks(@Param('no', { schema: pathParams.documentNo }) no: string): Promise<Answer<typeof waveTasks>> {
    return this.picking.wave(no);
  }

  @Post('picks/:taskId/short')
  @ApiAnswer({ description: 'The short pick recorded and the parcel it holds back', schema: shortPicked })
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'Report a short pick: the bin does not hold what the task needs' })
  short(
    @Param('taskId', { schema: pathParams.pickTaskId }) taskId: string,
    @Body({ schema: shortInput }) body: z.infer<typeof shortInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof shortPicked>> {
    if (!/^\d{1,18}$/.test(taskId)) throw new AppError('NOT_FOUND', `pick task ${taskId} is not known`);
    return this.picking.shortPick(taskId, body.reason, req.user.username);
  }
}

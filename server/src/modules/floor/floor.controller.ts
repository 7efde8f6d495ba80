import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { scanAnswer } from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { AppError } from '../../platform/http/app-error.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import { BoardRepository } from './board.repository.js';
import {
  deliveriesListed,
  deliveryClosed,
  deliveryCreated,
  deliveryDetail,
  discrepanciesListed,
  floorBoard,
  labelPrinted,
  shortPicked,
  stocktakeClosed,
  stocktakeDetail,
  stocktakeStarted,
  stocktakesListed,
  tripCreated,
  tripDeparted,
  tripDetail,
  tripsListed,
  unitCreated,
  waveBuilt,
  waveTasks,
  weightChecked,
} from './floor.answers.js';
import {
  type DeliveryInput,
  deliveryInput,
  departInput,
  entryDocInput,
  labelInput,
  type ScanInput,
  scanInput,
  shortInput,
  stocktakeInput,
  tripInput,
  unitInput,
  waveInput,
  weighInput,
} from './floor.schemas.js';
import { FloorService } from './floor.service.js';
import { LabelsService } from './labels.service.js';
import { LoadingService } from './loading.service.js';

const warehouseQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30).describe('The warehouse code').meta({ example: 'BC01' }),
});
const deliveriesQuery = warehouseQuery.extend({
  status: z.enum(['open', 'held', 'closed']).default('open').describe('open: still being counted'),
});
const stocktakesQuery = warehouseQuery.extend({
  status: z.enum(['open', 'closed']).default('open').describe('Which stock-takes'),
});
const tripsQuery = warehouseQuery.extend({
  status: z.enum(['loading', 'departed']).default('loading').describe('Which trips'),
});

@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor')
export class FloorController {
  constructor(
    private readonly floor: FloorService,
    private readonly labels: LabelsService,
    private readonly loading: LoadingService,
    private readonly boards: BoardRepository,
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
    return this.floor.scan(body, req.user.username);
  }

  @Post('deliveries')
  @ApiAnswer({ status: 201, description: 'The new delivery, open for counting', schema: deliveryCreated })
  @Roles('supervisor')
  @ApiOperation({ summary: 'An expected inbound delivery (first-line entry) to count against' })
  createDelivery(
    @Body({ schema: deliveryInput }) body: DeliveryInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof deliveryCreated>> {
    return this.floor.createDelivery(body, req.user.username);
  }

  @Get('deliveries')
  @ApiAnswer({ description: 'The deliveries (`items`), newest first, at most 100', schema: deliveriesListed })
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'Deliveries of a warehouse by status (open: still being counted)' })
  deliveries(
    @Query({ schema: deliveriesQuery }) q: z.infer<typeof deliveriesQuery>,
  ): Promise<Answer<typeof deliveriesListed>> {
    return this.floor.deliveries(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Get('stocktakes')
  @ApiAnswer({ description: 'The stock-takes (`items`), newest first, at most 100', schema: stocktakesListed })
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'Stock-takes of a warehouse by status' })
  stocktakes(
    @Query({ schema: stocktakesQuery }) q: z.infer<typeof stocktakesQuery>,
  ): Promise<Answer<typeof stocktakesListed>> {
    return this.floor.stocktakes(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Get('deliveries/:no')
  @ApiAnswer({ description: 'The delivery with expected and counted lines', schema: deliveryDetail })
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'A delivery: expected, counted (good, damaged, unexpected), and its report once closed' })
  delivery(@Param('no', { schema: pathParams.documentNo }) no: string): Promise<Answer<typeof deliveryDetail>> {
    return this.floor.delivery(no);
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
    return this.floor.closeDelivery(no, req.user.username);
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
    return this.floor.closeDelivery(no, req.user.username, body.entryDocNo);
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
    return this.floor.buildWave(body.warehouseCode, body.maxParcels, req.user.username);
  }

  @Get('waves/:no')
  @ApiAnswer({ description: 'The pick tasks of the wave in walking order', schema: waveTasks })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'The pick tasks of a wave, in walking order' })
  waveTasks(@Param('no', { schema: pathParams.documentNo }) no: string): Promise<Answer<typeof waveTasks>> {
    return this.floor.wave(no);
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
    return this.floor.shortPick(taskId, body.reason, req.user.username);
  }

  @Post('weighings')
  @ApiAnswer({ description: 'The weight check: within tolerance, or held with the difference', schema: weightChecked })
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Check a parcel's weight from the station scale against declared and expected; outside tolerance it is held",
  })
  weigh(
    @Body({ schema: weighInput }) body: z.infer<typeof weighInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof weightChecked>> {
    return this.floor.weigh(body.logisticsNo, body.stationId, req.user.username);
  }

  @Post('parcels/:logisticsNo/label')
  @ApiAnswer({ description: 'The print job sent to the station printer', schema: labelPrinted })
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Print the parcel's label (SSCC as GS1-128, waybill) on the station's printer, once; a reprint needs a reason and is recorded",
  })
  label(
    @Param('logisticsNo', { schema: pathParams.logisticsNo }) logisticsNo: string,
    @Body({ schema: labelInput }) body: z.infer<typeof labelInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof labelPrinted>> {
    return this.labels.print(logisticsNo, body.stationId, req.user.username, body.reprint);
  }

  @Post('stocktakes')
  @ApiAnswer({ status: 201, description: 'The new stock-take number with its locations', schema: stocktakeStarted })
  @Roles('supervisor')
  @ApiOperation({ summary: 'Start a blind stock-take of some locations' })
  startStocktake(
    @Body({ schema: stocktakeInput }) body: z.infer<typeof stocktakeInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof stocktakeStarted>> {
    return this.floor.startStocktake(body.warehouseCode, body.locations, req.user.username);
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
    return this.floor.closeStocktake(no, req.user.username);
  }

  @Get('stocktakes/:no')
  @ApiAnswer({ description: 'The stock-take with its locations and counts', schema: stocktakeDetail })
  @Roles('staff', 'supervisor', 'customs')
  stocktake(@Param('no', { schema: pathParams.documentNo }) no: string): Promise<Answer<typeof stocktakeDetail>> {
    return this.floor.stocktake(no);
  }

  @Get('discrepancies')
  @ApiAnswer({ description: 'Counted against the ledger, per location and goods', schema: discrepanciesListed })
  @Roles('supervisor', 'customs')
  @ApiOperation({ summary: 'Stock-take differences for customs: what was counted against the ledger' })
  discrepancies(
    @Query({ schema: warehouseQuery }) q: z.infer<typeof warehouseQuery>,
  ): Promise<Answer<typeof discrepanciesListed>> {
    return this.floor.discrepancies(q.warehouseCode);
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

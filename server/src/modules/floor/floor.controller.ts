import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import { AppError } from '../../platform/http/app-error.js';
import { ZodValidationPipe } from '../../platform/http/zod-validation.pipe.js';
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

const warehouseQuery = z.strictObject({ warehouseCode: z.string().trim().min(1).max(30) });
const deliveriesQuery = warehouseQuery.extend({ status: z.enum(['open', 'held', 'closed']).default('open') });
const stocktakesQuery = warehouseQuery.extend({ status: z.enum(['open', 'closed']).default('open') });
const tripsQuery = warehouseQuery.extend({ status: z.enum(['loading', 'departed']).default('loading') });

@ApiTags('floor')
@ApiBearerAuth()
@Controller('api/floor')
export class FloorController {
  constructor(
    private readonly floor: FloorService,
    private readonly labels: LabelsService,
    private readonly loading: LoadingService,
  ) {}

  @Post('units')
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'A new bag or pallet with its SSCC, to load parcels into' })
  unit(@Body(new ZodValidationPipe(unitInput)) body: z.infer<typeof unitInput>, @Req() req: AuthenticatedRequest) {
    return this.loading.createUnit(body.warehouseCode, body.kind, req.user.username);
  }

  @Post('trips')
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'A vehicle trip to load bags and pallets onto' })
  createTrip(
    @Body(new ZodValidationPipe(tripInput)) body: z.infer<typeof tripInput>,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.loading.createTrip(body.warehouseCode, body.plate, req.user.username);
  }

  @Get('trips')
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'Vehicle trips of a warehouse by status (loading, departed)' })
  trips(@Query(new ZodValidationPipe(tripsQuery, 'query')) q: z.infer<typeof tripsQuery>) {
    return this.loading.trips(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Get('trips/:no')
  @Roles('staff', 'supervisor', 'customs')
  trip(@Param('no') no: string) {
    return this.loading.trip(no);
  }

  @Post('trips/:no/depart')
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      'The vehicle leaves: every parcel passes the gate rule again and the weighbridge load matches the release note, or nothing leaves',
  })
  depart(
    @Param('no') no: string,
    @Body(new ZodValidationPipe(departInput)) body: z.infer<typeof departInput>,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.loading.depart(no, body, req.user.username);
  }

  @Post('scans')
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      'One scan (receive, putaway, pick, stocktake): answered ok or refused with the reason and the next step; the same scanId again returns the same answer',
  })
  scan(@Body(new ZodValidationPipe(scanInput)) body: ScanInput, @Req() req: AuthenticatedRequest) {
    return this.floor.scan(body, req.user.username);
  }

  @Post('deliveries')
  @Roles('supervisor')
  @ApiOperation({ summary: 'An expected inbound delivery (first-line entry) to count against' })
  createDelivery(@Body(new ZodValidationPipe(deliveryInput)) body: DeliveryInput, @Req() req: AuthenticatedRequest) {
    return this.floor.createDelivery(body, req.user.username);
  }

  @Get('deliveries')
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'Deliveries of a warehouse by status (open: still being counted)' })
  deliveries(@Query(new ZodValidationPipe(deliveriesQuery, 'query')) q: z.infer<typeof deliveriesQuery>) {
    return this.floor.deliveries(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Get('stocktakes')
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'Stock-takes of a warehouse by status' })
  stocktakes(@Query(new ZodValidationPipe(stocktakesQuery, 'query')) q: z.infer<typeof stocktakesQuery>) {
    return this.floor.stocktakes(q.warehouseCode, q.status).then((items) => ({ items }));
  }

  @Get('deliveries/:no')
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({ summary: 'A delivery: expected, counted (good, damaged, unexpected), and its report once closed' })
  delivery(@Param('no') no: string) {
    return this.floor.delivery(no);
  }

  @Post('deliveries/:no/close')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({
    summary: 'End the count: book the goods (with the entry document) or hold them; over, short and damaged reported',
  })
  close(@Param('no') no: string, @Req() req: AuthenticatedRequest) {
    return this.floor.closeDelivery(no, req.user.username);
  }

  @Post('deliveries/:no/entry-document')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Attach the entry verification list to a held delivery: its goods go onto the book' })
  attach(
    @Param('no') no: string,
    @Body(new ZodValidationPipe(entryDocInput)) body: z.infer<typeof entryDocInput>,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.floor.closeDelivery(no, req.user.username, body.entryDocNo);
  }

  @Post('waves')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Build a pick wave from parcels customs accepted: tasks by bin, oldest stock first' })
  wave(@Body(new ZodValidationPipe(waveInput)) body: z.infer<typeof waveInput>, @Req() req: AuthenticatedRequest) {
    return this.floor.buildWave(body.warehouseCode, body.maxParcels, req.user.username);
  }

  @Get('waves/:no')
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'The pick tasks of a wave, in walking order' })
  waveTasks(@Param('no') no: string) {
    return this.floor.wave(no);
  }

  @Post('picks/:taskId/short')
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'Report a short pick: the bin does not hold what the task needs' })
  short(
    @Param('taskId') taskId: string,
    @Body(new ZodValidationPipe(shortInput)) body: z.infer<typeof shortInput>,
    @Req() req: AuthenticatedRequest,
  ) {
    if (!/^\d{1,18}$/.test(taskId)) throw new AppError('NOT_FOUND', `pick task ${taskId} is not known`);
    return this.floor.shortPick(taskId, body.reason, req.user.username);
  }

  @Post('weighings')
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Check a parcel's weight from the station scale against declared and expected; outside tolerance it is held",
  })
  weigh(@Body(new ZodValidationPipe(weighInput)) body: z.infer<typeof weighInput>, @Req() req: AuthenticatedRequest) {
    return this.floor.weigh(body.logisticsNo, body.stationId, req.user.username);
  }

  @Post('parcels/:logisticsNo/label')
  @HttpCode(200)
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Print the parcel's label (SSCC as GS1-128, waybill) on the station's printer, once; a reprint needs a reason and is recorded",
  })
  label(
    @Param('logisticsNo') logisticsNo: string,
    @Body(new ZodValidationPipe(labelInput)) body: z.infer<typeof labelInput>,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.labels.print(logisticsNo, body.stationId, req.user.username, body.reprint);
  }

  @Post('stocktakes')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Start a blind stock-take of some locations' })
  startStocktake(
    @Body(new ZodValidationPipe(stocktakeInput)) body: z.infer<typeof stocktakeInput>,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.floor.startStocktake(body.warehouseCode, body.locations, req.user.username);
  }

  @Post('stocktakes/:no/close')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({
    summary: 'End a stock-take: differences go to the discrepancy report for customs; nothing is adjusted',
  })
  closeStocktake(@Param('no') no: string, @Req() req: AuthenticatedRequest) {
    return this.floor.closeStocktake(no, req.user.username);
  }

  @Get('stocktakes/:no')
  @Roles('staff', 'supervisor', 'customs')
  stocktake(@Param('no') no: string) {
    return this.floor.stocktake(no);
  }

  @Get('discrepancies')
  @Roles('supervisor', 'customs')
  @ApiOperation({ summary: 'Stock-take differences for customs: what was counted against the ledger' })
  discrepancies(@Query(new ZodValidationPipe(warehouseQuery, 'query')) q: z.infer<typeof warehouseQuery>) {
    return this.floor.discrepancies(q.warehouseCode);
  }

  @Get('board')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Supervisor board: work in progress per operation, holds, refused scans of the last hour' })
  board(@Query(new ZodValidationPipe(warehouseQuery, 'query')) q: z.infer<typeof warehouseQuery>) {
    return this.floor.board(q.warehouseCode);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { entityId, type StationModeInput, stationModeInput } from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { stationAnswer, stationDetail, stationState, stationsStates } from './stations.answers.js';
import { StationsService } from './stations.service.js';

const stationIdParam = entityId.describe('The station id').meta({ example: 'ST01' });
const typedScan = z.strictObject({
  scanId: z.uuid().describe('Makes the scan idempotent: the same id again gets the first answer'),
  code: z.string().min(1).max(200).describe('The code as typed (or read by a keyboard-wedge scanner)'),
});

/**
 * Stations as server state (issue 11): the job a station's scans are for, who runs it, what it
 * answered. The station screen shows this and changes the job; it never decides a scan itself.
 */
@ApiTags('stations')
@ApiBearerAuth()
@Controller('api/floor/stations')
export class StationJobsController {
  constructor(private readonly stations: StationsService) {}

  @Get()
  @ApiAnswer({
    description: 'Every station with its job, warehouse, operator and the parcel on its bench',
    schema: stationsStates,
  })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'The stations and what each is doing' })
  async list(): Promise<Answer<typeof stationsStates>> {
    return { items: await this.stations.list() };
  }

  @Get(':id')
  @ApiAnswer({ description: 'The station with its job and its last answers (newest first)', schema: stationDetail })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: 'One station: its job and the answers the floor gave to its scans and weights' })
  get(@Param('id', { schema: stationIdParam }) id: string): Promise<Answer<typeof stationDetail>> {
    return this.stations.get(id);
  }

  @Put(':id/mode')
  @ApiAnswer({ description: 'The station with its new job', schema: stationState })
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Set the station's job (receive, putaway, pick, pack, load, gate, inspection, returns, stocktake); staff set a free station or their own, a supervisor any",
  })
  setMode(
    @Param('id', { schema: stationIdParam }) id: string,
    @Body({ schema: stationModeInput }) body: StationModeInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof stationState>> {
    return this.stations.setMode(id, body, req.user);
  }

  @Post(':id/scans')
  @HttpCode(200)
  @ApiAnswer({ description: 'What the floor decided, as the station room hears it', schema: stationAnswer })
  @Roles('staff', 'supervisor')
  @ApiOperation({ summary: "A code typed on the station screen: a scan for the station's job, like its scanner's" })
  scan(
    @Param('id', { schema: stationIdParam }) id: string,
    @Body({ schema: typedScan }) body: z.infer<typeof typedScan>,
  ): Promise<Answer<typeof stationAnswer>> {
    return this.stations.typed(id, body.scanId, body.code);
  }
}

import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { pathParams } from '../../platform/http/zod-fields.js';
import {
  type ArrivalInput,
  arrivalInput,
  type DepartureInput,
  departureInput,
  type MasterWaybillInput,
  manifestsListed,
  manifestsQuery,
  masterWaybillInput,
  reportWritten,
} from './export-chain.schemas.js';
import { ExportChainService } from './export-chain.service.js';

/** The 9610 export chain at a consolidation warehouse: arrival, master waybill, departure. */
@ApiTags('export-chain')
@ApiBearerAuth()
@Controller('api/export-chain')
export class ExportChainController {
  constructor(private readonly chain: ExportChainService) {}

  @Post('arrivals')
  @ApiAnswer({
    status: 201,
    description: 'The arrival report (CEB507) written for the single window',
    schema: reportWritten,
  })
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      'Parcels scanned in at the supervised site: report their arrival to customs (CEB507); refused, with each parcel and why, if any may not be reported',
  })
  arrive(
    @Body({ schema: arrivalInput }) body: ArrivalInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof reportWritten>> {
    return this.chain.arrive(body, req.user.username);
  }

  @Post('trips/:no/master-waybill')
  @ApiAnswer({ status: 201, description: 'The master/sub waybill list (CEB607) written', schema: reportWritten })
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary:
      "Group the trip's bags under the master waybill of their flight (CEB607): every parcel released and reported as arrived",
  })
  masterWaybill(
    @Param('no', { schema: pathParams.documentNo }) no: string,
    @Body({ schema: masterWaybillInput }) body: MasterWaybillInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof reportWritten>> {
    return this.chain.declareMasterWaybill(no, body, req.user.username);
  }

  @Post('trips/:no/departure')
  @ApiAnswer({ status: 201, description: 'The departure report (CEB509) written', schema: reportWritten })
  @Roles('staff', 'supervisor')
  @ApiOperation({
    summary: 'The trip left under its accepted master waybill: report the departure with the flight (CEB509)',
  })
  departure(
    @Param('no', { schema: pathParams.documentNo }) no: string,
    @Body({ schema: departureInput }) body: DepartureInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof reportWritten>> {
    return this.chain.declareDeparture(no, body, req.user.username);
  }

  @Get('reports')
  @ApiAnswer({
    description: 'The reports (`items`) naming a parcel or of a trip, with their customs status',
    schema: manifestsListed,
  })
  @Roles('staff', 'supervisor', 'customs')
  @ApiOperation({
    summary: 'Arrival, master waybill and departure reports of a parcel (logisticsNo) or a trip (tripNo)',
  })
  reports(
    @Query({ schema: manifestsQuery }) q: { logisticsNo?: string; tripNo?: string },
  ): Promise<Answer<typeof manifestsListed>> {
    return this.chain.manifestsOf(q);
  }
}

import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  creditGrade,
  type EnterpriseCreditInput,
  enterpriseCodeParam,
  enterpriseCreditDetail,
  enterpriseCreditInput,
  enterpriseCreditListed,
  type InspectionRatesInput,
  inspectionRatesInput,
  inspectionRatesListed,
} from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { CreditService } from './credit.service.js';

const gradeQuery = z.strictObject({ grade: creditGrade.optional().describe('Only the enterprises of this grade') });

/**
 * Configuration of credit-graded inspection (issue 13): enterprises' customs credit grades and
 * the inspection rate per grade. The centre's admins and supervisors keep them from customs'
 * published lists; the customs console only reads the rates it shows (/api/customs/inspection-rates).
 */
@ApiTags('credit')
@ApiBearerAuth()
@Controller('api/credit')
export class CreditAdminController {
  constructor(private readonly credit: CreditService) {}

  @Get('enterprises')
  @Roles('admin', 'supervisor')
  @ApiAnswer({
    description: 'The graded enterprises (`items`); any other enterprise is regular',
    schema: enterpriseCreditListed,
  })
  @ApiOperation({ summary: 'Enterprises with a customs credit grade' })
  async enterprises(
    @Query({ schema: gradeQuery }) q: z.infer<typeof gradeQuery>,
  ): Promise<Answer<typeof enterpriseCreditListed>> {
    return { items: await this.credit.enterprises(q.grade) };
  }

  @Get('enterprises/:code')
  @Roles('admin', 'supervisor')
  @ApiAnswer({
    description: 'The enterprise’s grade, since when, by whom, and its grade history',
    schema: enterpriseCreditDetail,
  })
  @ApiOperation({ summary: 'One enterprise’s customs credit grade and its history' })
  enterprise(
    @Param('code', { schema: enterpriseCodeParam }) code: string,
  ): Promise<Answer<typeof enterpriseCreditDetail>> {
    return this.credit.enterprise(code);
  }

  @Put('enterprises/:code')
  @Roles('admin', 'supervisor')
  @ApiAnswer({ description: 'The grade as stored, with its history', schema: enterpriseCreditDetail })
  @ApiOperation({
    summary:
      'Set an enterprise’s customs credit grade (admin, supervisor): from then on its lists are picked for inspection at the grade’s rate',
  })
  setGrade(
    @Param('code', { schema: enterpriseCodeParam }) code: string,
    @Body({ schema: enterpriseCreditInput }) body: EnterpriseCreditInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof enterpriseCreditDetail>> {
    return this.credit.setGrade(code, body, req.user.username);
  }

  @Get('inspection-rates')
  @Roles('admin', 'supervisor')
  @ApiAnswer({ description: 'The inspection rate of each grade, in ppm', schema: inspectionRatesListed })
  @ApiOperation({ summary: 'The configured inspection rate per credit grade (and for B2B 9710/9810 exports)' })
  rates(): Promise<Answer<typeof inspectionRatesListed>> {
    return this.credit.rates();
  }

  @Put('inspection-rates')
  @Roles('admin', 'supervisor')
  @ApiAnswer({ description: 'Every grade’s rate as stored', schema: inspectionRatesListed })
  @ApiOperation({ summary: 'Set the inspection rates of some grades, in ppm (admin, supervisor)' })
  setRates(
    @Body({ schema: inspectionRatesInput }) body: InspectionRatesInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof inspectionRatesListed>> {
    return this.credit.setRates(body, req.user.username);
  }
}

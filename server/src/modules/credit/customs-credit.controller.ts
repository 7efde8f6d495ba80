import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type InspectionRatesQuery, inspectionRatesAnswer, inspectionRatesQuery } from '@wms/contracts';
import { Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { CreditService } from './credit.service.js';

/** The customs console's view of credit-graded inspection (issue 13): it reads, never configures. */
@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs')
export class CustomsCreditController {
  constructor(private readonly credit: CreditService) {}

  @Get('inspection-rates')
  @Roles('customs', 'supervisor', 'admin')
  @ApiAnswer({
    description:
      'Actual against configured inspection rates, by credit grade and by enterprise, counted from the receipts',
    schema: inspectionRatesAnswer,
  })
  @ApiOperation({
    summary:
      'Inspection rate by credit grade and enterprise: lists declared in the period that got a 500 receipt, against the configured rate',
  })
  rates(
    @Query({ schema: inspectionRatesQuery }) q: InspectionRatesQuery,
  ): Promise<Answer<typeof inspectionRatesAnswer>> {
    return this.credit.inspectionRates(q);
  }
}

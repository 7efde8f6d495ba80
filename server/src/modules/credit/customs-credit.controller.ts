import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CREDIT_GRADE_LABELS,
  type InspectionRatesAnswer,
  type InspectionRatesExportQuery,
  type InspectionRatesQuery,
  inspectionRatesAnswer,
  inspectionRatesExportQuery,
  inspectionRatesQuery,
} from '@wms/contracts';
import type { Response } from 'express';
import { Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { EXPORT_TYPES, type ExportColumn, sendTable } from '../../platform/http/table-export.js';
import { CreditService } from './credit.service.js';

type Row = { level: string; code: string; name: string | null; grade: string } & InspectionRatesAnswer['total'];
const pct = (share: number) => Number((share * 100).toFixed(4));

/** The export's columns: the screen's two tables in one sheet, grades first (both languages in the headers). */
const COLUMNS: Array<ExportColumn<Row>> = [
  { header: 'level 层级', value: (r) => r.level, width: 12 },
  { header: 'enterprise 企业', value: (r) => r.code, width: 18 },
  { header: 'name 名称', value: (r) => r.name, width: 24 },
  { header: 'grade 信用等级', value: (r) => r.grade, width: 22 },
  { header: 'lists 清单', value: (r) => r.lists },
  { header: 'inspected 查验', value: (r) => r.inspected },
  { header: 'actual % 实际查验率', value: (r) => pct(r.actualRate) },
  { header: 'configured % 配置查验率', value: (r) => pct(r.configuredRate) },
  { header: 'bound % 范围', value: (r) => pct(r.bound) },
  { header: 'within bound 在范围内', value: (r) => r.withinBound },
];

/** The customs console's view of credit-graded inspection (issue 13): it reads, never configures. */
@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs')
export class CustomsCreditController {
  constructor(private readonly credit: CreditService) {}

  @Get('inspection-rates')
  @Roles('customs', 'supervisor')
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

  @Get('inspection-rates/export')
  @Roles('customs', 'supervisor')
  @ApiAnswer({
    description: 'The by-grade and by-enterprise rows of the inspection rates as a CSV or XLSX file',
    binary: [EXPORT_TYPES.csv.split(';')[0], EXPORT_TYPES.xlsx],
  })
  @ApiOperation({ summary: 'Inspection rates by credit grade and enterprise as a file (format=csv|xlsx)' })
  async exportRates(
    @Query({ schema: inspectionRatesExportQuery }) q: InspectionRatesExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const answer = await this.credit.inspectionRates(q);
    const label = (grade: keyof typeof CREDIT_GRADE_LABELS) =>
      `${CREDIT_GRADE_LABELS[grade].en} ${CREDIT_GRADE_LABELS[grade].zh}`;
    const rows: Row[] = [
      ...answer.grades.map((g) => ({ level: 'grade', code: '', name: null, ...g, grade: label(g.grade) })),
      ...answer.enterprises.map((e) => ({ level: 'enterprise', code: e.enterpriseCode, ...e, grade: label(e.grade) })),
    ];
    await sendTable(res, q.format, `inspection-rates-${answer.from}-${answer.to}`, COLUMNS, [rows]);
  }
}

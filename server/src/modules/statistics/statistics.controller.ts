import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  type CreditGradeTable,
  creditGradeTable,
  type HoldsByAge,
  holdsByAge,
  type StatisticsDashboard,
  type StatisticsExportQuery,
  type StatisticsFilter,
  type StatisticsTable,
  type StatisticsTableQuery,
  statisticsDashboard,
  statisticsExportQuery,
  statisticsFilter,
  statisticsTable,
  statisticsTableQuery,
} from '@wms/contracts';
import type { Response } from 'express';
import { Roles } from '../../platform/auth/auth.guard.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { sendTable } from '../../platform/http/table-export.js';
import { type ExportTable, gradesExport, holdsExport, summaryExport } from './statistics.export.js';
import { filterOf, StatisticsService } from './statistics.service.js';

const holdsQuery = statisticsFilter.omit({ from: true, to: true });

/**
 * Statistics from the declaration data for the customs console (issue 13, DOMAIN.md §11).
 * Read-only; every figure comes from the rollups, so no query scans the lists.
 */
@ApiTags('customs statistics')
@ApiBearerAuth()
@Controller('api/customs/statistics')
@Roles('customs', 'supervisor')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsService) {}

  @Get('dashboard')
  @ApiAnswer({
    description: 'Totals, the trend, trade modes, top goods, credit grades and open holds of the range',
    schema: statisticsDashboard,
  })
  @ApiOperation({ summary: 'The statistics dashboard for a range of days, a trade mode, a direction and a site' })
  dashboard(@Query({ schema: statisticsFilter }) q: StatisticsFilter): Promise<StatisticsDashboard> {
    return this.statistics.dashboard(filterOf(q));
  }

  @Get('table')
  @ApiAnswer({ description: 'One row per group with its measures and rates, and the totals', schema: statisticsTable })
  @ApiOperation({
    summary:
      'Lists, parcels, value, weight, taxes, release / rejection / inspection rates and release time, by day, month, trade mode, direction, site, platform, e-commerce company, logistics company, country, HS chapter or goods',
  })
  table(@Query({ schema: statisticsTableQuery }) q: StatisticsTableQuery): Promise<StatisticsTable> {
    return this.statistics.table(q);
  }

  @Get('credit-grades')
  @ApiAnswer({ description: 'Lists and inspections per customs credit grade', schema: creditGradeTable })
  @ApiOperation({ summary: 'The actual inspection rate by the credit grade of the e-commerce company' })
  grades(@Query({ schema: statisticsFilter }) q: StatisticsFilter): Promise<CreditGradeTable> {
    return this.statistics.grades(filterOf(q));
  }

  @Get('holds')
  @ApiAnswer({ description: 'Open holds by age band, customs and weight-check apart', schema: holdsByAge })
  @ApiOperation({ summary: 'Parcels held now, by how long they have been held' })
  holds(@Query({ schema: holdsQuery }) q: Omit<StatisticsFilter, 'from' | 'to'>): Promise<HoldsByAge> {
    return this.statistics.holds(q);
  }

  @Get('export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiAnswer({
    description: 'The table as a CSV (UTF-8 with BOM) or XLSX file, streamed',
    binary: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  })
  @ApiOperation({ summary: 'Export a statistics table (summary by any group, credit grades or holds) to CSV or XLSX' })
  async export(
    @Query({ schema: statisticsExportQuery }) q: StatisticsExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const send = <Row>(t: ExportTable<Row>) => sendTable(res, q.format, t.name, t.columns, [t.rows]);
    if (q.table === 'grades') return send(gradesExport(await this.statistics.grades(filterOf(q))));
    if (q.table === 'holds') return send(holdsExport(await this.statistics.holds(filterOf(q))));
    return send(summaryExport(await this.statistics.table(q), q.format));
  }
}

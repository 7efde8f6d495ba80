import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  bookLineDetail,
  bookLinesExportQuery,
  bookLinesPage,
  bookLinesQuery,
  inventoryTotals,
  locationStockPage,
  locationStockQuery,
  storageAgeAlerts,
  storageAgeAlertsQuery,
} from '@wms/contracts';
import type { Response } from 'express';
import { z } from 'zod';
import { Roles } from '../../../platform/auth/auth.guard.js';
import { SqlRunner } from '../../../platform/database/sql.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { sendTable } from '../../../platform/http/table-export.js';
import { pathParams } from '../../../platform/http/zod-fields.js';
import { bookLineExportColumns } from './customs-inventory.rules.js';
import { CustomsInventoryService } from './customs-inventory.service.js';
import { StorageAgeAlertsRepository } from './storage-age-alerts.repository.js';

const warehouseQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(20).describe('The bonded centre (warehouse code)').meta({
    example: 'BC01',
  }),
});

/**
 * The customs console's "In the warehouse now", "Book equals shelf" and "Storage ageing" (issue 13):
 * read-only, for customs officers and supervisors.
 */
@ApiTags('customs console')
@ApiBearerAuth()
@Controller('api/customs')
@Roles('customs', 'supervisor')
export class CustomsInventoryController {
  constructor(
    private readonly inventory: CustomsInventoryService,
    private readonly sql: SqlRunner,
    private readonly ageAlerts: StorageAgeAlertsRepository,
  ) {}

  @Get('inventory/book-lines')
  @ApiAnswer({
    description: 'A page of book lines, book against shelf, and the cursor to the next',
    schema: bookLinesPage,
  })
  @ApiOperation({
    summary:
      'Bonded stock per account-book line (emsNo, putrecSeqno, HS code, goods name): the book by customs state against the shelf by place, a page at a time; filter by HS code, name, item, owner, state or differences only',
  })
  page(@Query({ schema: bookLinesQuery }) q: z.infer<typeof bookLinesQuery>): Promise<Answer<typeof bookLinesPage>> {
    return this.inventory.page(q);
  }

  @Get('inventory/book-lines/export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiAnswer({
    description: 'Every book line of the filter with the table’s columns, as CSV or XLSX',
    binary: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  })
  @ApiOperation({ summary: 'Export the book-line table (all rows of the filter, not only a page) to CSV or XLSX' })
  async export(
    @Query({ schema: bookLinesExportQuery }) q: z.infer<typeof bookLinesExportQuery>,
    @Res() res: Response,
  ): Promise<void> {
    const pages = await this.inventory.exportPages(q);
    const day = new Date().toISOString().slice(0, 10);
    await sendTable(res, q.format, `book-lines-${q.warehouseCode}-${day}`, bookLineExportColumns(q.lang), pages);
  }

  @Get('inventory/book-lines/:emsNo/:putrecSeqno')
  @ApiAnswer({
    description: 'The line with its units by location, its book by owner and state, its parcels and differences',
    schema: bookLineDetail,
  })
  @ApiOperation({ summary: 'One book line down to its units, locations and parcels, with its history of differences' })
  line(
    @Param('emsNo', { schema: pathParams.emsNo }) emsNo: string,
    @Param('putrecSeqno', { schema: pathParams.putrecSeqno }) putrecSeqno: number,
    @Query({ schema: warehouseQuery }) q: z.infer<typeof warehouseQuery>,
  ): Promise<Answer<typeof bookLineDetail>> {
    return this.inventory.line(q.warehouseCode, emsNo, putrecSeqno);
  }

  @Get('inventory/locations')
  @ApiAnswer({
    description: 'A page of locations with their units, and the cursor to the next',
    schema: locationStockPage,
  })
  @ApiOperation({
    summary:
      'Bonded stock by location (a packed parcel is a location PARCEL:<logisticsNo>), with where it is (on the shelf, in process, inspection, held), its units on and off the book, its book lines and owners; filter by location prefix or owner',
  })
  locations(
    @Query({ schema: locationStockQuery }) q: z.infer<typeof locationStockQuery>,
  ): Promise<Answer<typeof locationStockPage>> {
    return this.inventory.locations(q);
  }

  @Get('inventory/totals')
  @ApiAnswer({ description: 'The centre’s totals, which the pages add up to', schema: inventoryTotals })
  @ApiOperation({
    summary:
      'Totals of the bonded centre: book by customs state, shelf by place, per owner, and the units on no book line',
  })
  totals(
    @Query({ schema: warehouseQuery }) q: z.infer<typeof warehouseQuery>,
  ): Promise<Answer<typeof inventoryTotals>> {
    return this.inventory.totals(q.warehouseCode);
  }

  @Get('ageing/alerts')
  @ApiAnswer({
    description: 'The storage-age alerts raised, newest first, each with whom it told',
    schema: storageAgeAlerts,
  })
  @ApiOperation({ summary: 'Storage-age alerts of a bonded centre (at warning, over the limit) and their recipients' })
  async ageAlertList(
    @Query({ schema: storageAgeAlertsQuery }) q: z.infer<typeof storageAgeAlertsQuery>,
  ): Promise<Answer<typeof storageAgeAlerts>> {
    const items = await this.sql.transaction((sql) =>
      this.ageAlerts.list(sql, q.warehouseCode, q.level ?? null, q.limit),
    );
    return { items };
  }
}

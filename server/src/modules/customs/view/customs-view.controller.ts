import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { overdueHoursField } from '@wms/contracts';
import { z } from 'zod';
import { Roles } from '../../../platform/auth/auth.guard.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../../platform/http/api-docs.js';
import { AppError } from '../../../platform/http/app-error.js';
import { pathParams } from '../../../platform/http/zod-fields.js';
import { LedgerRepository } from '../../inventory/ledger.repository.js';
import { reconciliationVerdict } from '../../inventory/reconciliation.rules.js';
import { StockViewsRepository } from '../../inventory/stock-views.repository.js';
import { GateFactsRepository } from '../../parcels/gate-facts.repository.js';
import { TraceRepository } from '../../trace/trace.repository.js';
import { CustomsRepository, PARCEL_FILTERS } from '../declarations/customs.repository.js';
import { parcelsPage } from '../declarations/declarations.answers.js';
import { listView } from '../declarations/declarations.controller.js';
import {
  ageingReport,
  bondedInventory,
  bookLineHistory,
  parcelHistory,
  reconciliationReport,
} from './customs-view.answers.js';

const warehouseQuery = z.strictObject({
  warehouseCode: z.string().min(1).max(20).describe('The warehouse code').meta({ example: 'BC01' }),
});
const inventoryQuery = warehouseQuery.extend({
  groupBy: z
    .enum(['book-line', 'hs-code', 'owner', 'location', 'state'])
    .default('book-line')
    .describe('How the stock is summed up'),
});
const reconciliationQuery = warehouseQuery.extend({
  all: z.enum(['true', 'false']).default('false').describe('true: every book line, not only those that differ'),
});
const parcelsQuery = z.strictObject({
  filter: z
    .enum(PARCEL_FILTERS)
    .describe(
      'The customs situation: held, inspection (500), detained (501–503, 599), rejected, returned (700 or a CEB625 return), overdue (in the centre longer than overdueHours), waiting, released, shipped, blocked, all',
    ),
  warehouseCode: z.string().min(1).max(20).optional().describe('Only this warehouse'),
  limit: z.coerce.number().int().min(1).max(5000).default(500).describe('At most this many parcels'),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('Skip this many (paging)'),
  overdueHours: overdueHoursField,
});

/**
 * What a customs officer checks at any time (issue 4 "Customs view"): bonded inventory, held and
 * inspected parcels, book-equals-shelf, storage age and the full history of any parcel or book
 * line. Read-only: the only thing an officer changes is a hold (see the holds endpoints).
 */
@ApiTags('customs view')
@ApiBearerAuth()
@Controller('api/customs')
@Roles('customs', 'supervisor')
export class CustomsViewController {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly stock: StockViewsRepository,
    private readonly customs: CustomsRepository,
    private readonly trace: TraceRepository,
    private readonly gateFacts: GateFactsRepository,
  ) {}

  @Get('bonded-inventory')
  @ApiAnswer({ description: 'Bonded inventory (`items`) grouped as asked', schema: bondedInventory })
  @ApiOperation({ summary: 'Bonded inventory by book line, HS code, owner, location or customs state' })
  async inventory(
    @Query({ schema: inventoryQuery }) q: z.infer<typeof inventoryQuery>,
  ): Promise<Answer<typeof bondedInventory>> {
    return {
      warehouseCode: q.warehouseCode,
      groupBy: q.groupBy,
      items: await this.stock.inventory(q.warehouseCode, q.groupBy),
    };
  }

  @Get('reconciliation')
  @ApiAnswer({
    description: 'Totals and the book lines whose book and shelf differ (all with all=true)',
    schema: reconciliationReport,
  })
  @ApiOperation({
    summary:
      'Book equals shelf (账实相符) per book line, and every unit in the centre on no book line (unexpected, over-delivered, off the book, awaiting its entry document) as a difference of its own: listed, never adjusted (all=true lists every line)',
  })
  async reconciliation(
    @Query({ schema: reconciliationQuery }) q: z.infer<typeof reconciliationQuery>,
  ): Promise<Answer<typeof reconciliationReport>> {
    const started = Date.now();
    const [totals, lines, unbooked] = await Promise.all([
      this.stock.reconciliationTotals(q.warehouseCode),
      this.stock.reconciliation(q.warehouseCode, q.all !== 'true'),
      this.stock.unbooked(q.warehouseCode),
    ]);
    const verdict = reconciliationVerdict(totals, unbooked);
    return {
      warehouseCode: q.warehouseCode,
      at: new Date().toISOString(),
      balanced: verdict.balanced,
      totals: verdict.totals,
      lines,
      unbooked: verdict.unbooked,
      tookMs: Date.now() - started,
    };
  }

  @Get('ageing')
  @ApiAnswer({ description: 'Every batch with its age, and the alerts', schema: ageingReport })
  @ApiOperation({ summary: 'Storage age of every batch in the warehouse against the site limit, with alerts' })
  async ageing(
    @Query({ schema: warehouseQuery }) q: z.infer<typeof warehouseQuery>,
  ): Promise<Answer<typeof ageingReport>> {
    const items = await this.stock.ageing(q.warehouseCode, new Date());
    return {
      warehouseCode: q.warehouseCode,
      alerts: items.filter((i) => i.level === 'warning' || i.level === 'over-limit'),
      items,
    };
  }

  @Get('parcels')
  @ApiAnswer({ description: 'The parcels (`items`) in that customs situation', schema: parcelsPage })
  @ApiOperation({
    summary:
      'Parcels by customs situation (held, inspection, detained, rejected, returned, overdue, waiting, released, shipped, blocked), a page at a time with the total',
  })
  async parcels(@Query({ schema: parcelsQuery }) q: z.infer<typeof parcelsQuery>): Promise<Answer<typeof parcelsPage>> {
    const page = await this.customs.parcels(q.filter, q.warehouseCode, q);
    const gates = await this.gateFacts.decisions(null, page.rows);
    const next = q.offset + page.rows.length;
    return {
      items: page.rows.map((l) => listView(l, gates.get(String(l.id))!)),
      total: page.total,
      offset: q.offset,
      nextOffset: next < page.total ? next : null,
    };
  }

  @Get('history/parcels/:logisticsNo')
  @ApiAnswer({ description: 'The parcel with its events, receipts and stock movements', schema: parcelHistory })
  @ApiOperation({ summary: 'Everything that happened to a parcel: trace events, receipts and stock movements' })
  async parcelHistory(
    @Param('logisticsNo', { schema: pathParams.logisticsNo }) logisticsNo: string,
  ): Promise<Answer<typeof parcelHistory>> {
    const list = await this.customs.list({ logisticsNo });
    if (!list) throw new AppError('NOT_FOUND', `parcel ${logisticsNo} is not known`);
    return {
      parcel: listView(list, await this.gateFacts.decision(null, list)),
      events: await this.trace.history('parcel', logisticsNo),
      receipts: await this.customs.receiptsOf(list.id),
      movements: await this.ledger.parcelMovements(logisticsNo),
    };
  }

  @Get('history/book-lines/:emsNo/:putrecSeqno')
  @ApiAnswer({ description: 'The movements and events of the book line', schema: bookLineHistory })
  @ApiOperation({ summary: 'Every movement of a book line, newest first, each with its customs document' })
  async bookLineHistory(
    @Param('emsNo', { schema: pathParams.emsNo }) emsNo: string,
    @Param('putrecSeqno', { schema: pathParams.putrecSeqno }) putrecSeqno: number,
  ): Promise<Answer<typeof bookLineHistory>> {
    return {
      emsNo,
      putrecSeqno,
      movements: await this.ledger.bookLineMovements(emsNo, putrecSeqno, 5000),
      events: await this.trace.history('book-line', `${emsNo}/${putrecSeqno}`),
    };
  }
}

import { Injectable } from '@nestjs/common';
import { DocNumbers } from '../../platform/database/doc-numbers.js';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { answerOk, Refusal, type ScanAnswer, type Session } from '../floor/floor.answers.js';
import { say } from '../floor/floor.messages.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import type { Found } from '../floor/scan.types.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { StorageRepository } from './storage.repository.js';
import { stocktakeDifferences } from './storage.rules.js';

/**
 * Stock-takes: a blind count of chosen locations, closed against the ledger's shelf quantities.
 * Differences go to the discrepancy report for customs; nothing is adjusted.
 */
@Injectable()
export class StocktakeService {
  constructor(
    private readonly storage: StorageRepository,
    private readonly trace: TraceRepository,
    private readonly docNumbers: DocNumbers,
    private readonly events: DomainEvents,
  ) {}

  stocktakes(warehouseCode: string, status: 'open' | 'closed') {
    return this.storage.stocktakes(warehouseCode, status);
  }

  stocktake(no: string) {
    return this.storage.stocktake(no);
  }

  discrepancies(warehouseCode: string) {
    return this.storage.discrepancies(warehouseCode);
  }

  async startStocktake(warehouseCode: string, locations: string[], actor: string) {
    return this.storage.transaction(async (em) => {
      const known = await this.storage.knownLocations(em, warehouseCode, locations);
      const missing = locations.filter((l) => !known.includes(l));
      if (missing.length)
        throw new AppError('VALIDATION_FAILED', `not locations of ${warehouseCode}: ${missing.join(', ')}`);
      const no = await this.docNumbers.next(em, 'ST');
      await em.execute(
        'insert into stocktake (stocktake_no, warehouse_code, locations, created_by) values (?, ?, ?::text[], ?)',
        [no, warehouseCode, pgArray([...new Set(locations)]), actor],
      );
      return { stocktakeNo: no, warehouseCode, locations: [...new Set(locations)] };
    });
  }

  async stocktakeScan(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    if (!input.stocktakeNo) throw new Refusal(say.noStocktake(), say.chooseStocktake());
    const rows = await em.execute<Array<{ id: string; status: string; locations: string[]; warehouse_code: string }>>(
      'select id, status, locations, warehouse_code from stocktake where stocktake_no = ?',
      [input.stocktakeNo],
    );
    const st = rows[0];
    if (!st || st.warehouse_code !== input.warehouseCode)
      throw new Refusal(say.stocktakeUnknown(input.stocktakeNo), say.chooseOpenStocktake());
    if (st.status !== 'open') throw new Refusal(say.stocktakeClosed(input.stocktakeNo), say.chooseOpenStocktake());
    const text = code.kind === 'plain' ? code.text : null;
    if (text && st.locations.includes(text)) {
      session.location = text;
      session.stocktakeNo = input.stocktakeNo;
      return answerOk(input, say.counting(text), say.scanEveryItem());
    }
    const { loc, goods } = found;
    if (loc) throw new Refusal(say.notInStocktake(loc.code, input.stocktakeNo), say.scanLocationOfCount());
    if (!session.location || session.stocktakeNo !== input.stocktakeNo)
      throw new Refusal(say.locationFirst(), say.scanCountedLocation());
    if (!goods.length) throw new Refusal(say.unknownBarcode(text ?? input.code), say.tellSupervisor());
    const g = goods[0];
    const qty = (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1;
    await em.execute(
      `insert into stocktake_count (stocktake_id, location, sku, owner_code, batch, qty, scan_id, actor) values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        st.id,
        session.location,
        g.sku,
        g.owner_code,
        code.kind === 'gs1-goods' ? code.batch : '',
        qty,
        input.scanId,
        actor,
      ],
    );
    // blind count: the expected quantity is not shown
    return answerOk(input, say.countedIn(qty, g.sku, String(session.location)), say.scanNextOrLocation());
  }

  /**
   * Ends a count: the ledger's shelf quantities against what was counted, per location, SKU and
   * batch. Differences go to the discrepancy report for customs; nothing is adjusted.
   */
  async closeStocktake(no: string, actor: string) {
    let warehouseCode = '';
    const closed = await this.storage.transaction(async (em) => {
      const rows = await em.execute<Array<{ id: string; status: string; locations: string[]; warehouse_code: string }>>(
        'select id, status, locations, warehouse_code from stocktake where stocktake_no = ? for update',
        [no],
      );
      const st = rows[0];
      if (!st) throw new AppError('NOT_FOUND', `stock-take ${no} is not known`);
      if (st.status !== 'open') throw new AppError('CONFLICT', `stock-take ${no} is already closed`);
      warehouseCode = st.warehouse_code;
      const expected = await em.execute<
        Array<{ location: string; owner_code: string; sku: string; batch: string; qty: string }>
      >(
        `select location, owner_code, sku, batch, sum(qty) as qty from stock_movement
         where ledger = 'shelf' and warehouse_code = ? and location = any(?::text[])
         group by location, owner_code, sku, batch having sum(qty) <> 0`,
        [st.warehouse_code, pgArray(st.locations)],
      );
      const counted = await em.execute<
        Array<{ location: string; owner_code: string; sku: string; batch: string; qty: number }>
      >('select location, owner_code, sku, batch, qty from stocktake_count where stocktake_id = ?', [st.id]);
      // A count without a batch matches the ledger's batches of that SKU in that location as a whole.
      const batchless = new Set(
        counted.filter((c) => c.batch === '').map((c) => `${c.location}|${c.owner_code}|${c.sku}`),
      );
      const norm = <T extends { location: string; owner_code: string; sku: string; batch: string }>(r: T) =>
        batchless.has(`${r.location}|${r.owner_code}|${r.sku}`) ? '' : r.batch;
      const differences = stocktakeDifferences(
        expected.map((e) => ({
          location: e.location,
          ownerCode: e.owner_code,
          sku: e.sku,
          batch: norm(e),
          qty: Number(e.qty),
        })),
        counted.map((c) => ({ location: c.location, ownerCode: c.owner_code, sku: c.sku, batch: norm(c), qty: c.qty })),
      );
      const report = {
        locations: st.locations.length,
        countedUnits: counted.reduce((s, c) => s + c.qty, 0),
        ledgerUnits: expected.reduce((s, e) => s + Number(e.qty), 0),
        differences,
      };
      await em.execute(
        `update stocktake set status = 'closed', report = ?::jsonb, closed_by = ?, closed_at = now() where id = ?`,
        [JSON.stringify(report), actor, st.id],
      );
      await this.trace.record(em, [
        {
          objectKind: 'stock',
          objectId: no,
          bizStep: 'stock_taking',
          disposition: differences.length ? 'discrepancy' : 'counted',
          actor,
          detail: report,
        },
      ]);
      return { stocktakeNo: no, status: 'closed' as const, ...report };
    });
    // committed: the customs console's book-equals-shelf page shows the discrepancies waiting for customs
    this.events.emit('stocktake.closed', {
      warehouseCode,
      stocktakeNo: no,
      differences: closed.differences.length,
      at: new Date().toISOString(),
    });
    return closed;
  }
}

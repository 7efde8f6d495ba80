import { Injectable } from '@nestjs/common';
import type { NextPick } from '@wms/contracts';
import { DocNumbers } from '../../platform/database/doc-numbers.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import { AppError } from '../../platform/http/app-error.js';
import { answerOk, Refusal, type ScanAnswer, type Session } from '../floor/floor.answers.js';
import { say } from '../floor/floor.messages.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import { type Found, itemsCondition, itemsParams } from '../floor/scan.types.js';
import { LedgerRepository, movementsInsert } from '../inventory/ledger.repository.js';
import { parcelLocation, transferMovements } from '../inventory/ledger-rules.js';
import { MasterDataRepository, requireWarehouse } from '../masterdata/masterdata.repository.js';
import { TraceRepository, traceInsert } from '../trace/trace.repository.js';
import { nextPickOf, nextTaskQuery, OutboundRepository } from './outbound.repository.js';
import { planWave } from './wave.rules.js';

/**
 * Waves and picking: pick tasks for declared parcels (oldest batch first, net of other open
 * tasks), the pick scan (bin, then item) and the short pick. The pick scan is one statement that
 * moves the units, traces the step and advances the task (stock_movement, epcis trace and
 * pick_task together): kept as one for the scan path's speed, owned here, by the room that runs it.
 */
@Injectable()
export class PickingService {
  constructor(
    private readonly outbound: OutboundRepository,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
    private readonly masterData: MasterDataRepository,
    private readonly docNumbers: DocNumbers,
  ) {}

  /**
   * A wave: pick tasks for parcels whose lists customs accepted (120 and on) and that are not
   * held, packed or already in a wave; units allocated oldest batch first, net of other open tasks.
   */
  async buildWave(warehouseCode: string, maxParcels: number, actor: string) {
    await requireWarehouse(this.masterData, warehouseCode);
    return this.outbound.transaction(async (em) => {
      await this.ledger.lockStock(em, warehouseCode);
      const lists = await em.execute<
        Array<{
          id: string;
          logistics_no: string;
          ems_no: string | null;
          lines: Array<{ sku: string; ownerCode: string; units: number; putrecSeqno: number | null }>;
        }>
      >(
        `select id, logistics_no, ems_no, lines from inventory_list l
         where warehouse_code = ? and direction = 'import' and state = 'declared' and customs_status in (120, 300, 399, 800)
           and hold_reason is null and packed_at is null and gate_passed_at is null
           and not exists (select 1 from pick_task t where t.list_id = l.id)
         order by declared_at, id limit ? for update skip locked`,
        [warehouseCode, maxParcels],
      );
      const waveNo = await this.docNumbers.next(em, 'WV');
      const openTasks = await em.execute<
        Array<{ owner_code: string; sku: string; batch: string; location: string; left: number }>
      >(
        `select owner_code, sku, batch, location, sum(qty - picked)::int as left from pick_task
         where warehouse_code = ? and status = 'open' group by owner_code, sku, batch, location`,
        [warehouseCode],
      );
      // every item's stock in one query, every task in one insert: the wave holds the warehouse lock
      const stock = await this.ledger.shelfBalancesOf(
        em,
        warehouseCode,
        lists.flatMap((l) => l.lines),
      );
      const plan = planWave(
        lists.map((l) => ({ id: l.id, logisticsNo: l.logistics_no, emsNo: l.ems_no, lines: l.lines })),
        stock,
        openTasks.map((t) => ({
          ownerCode: t.owner_code,
          sku: t.sku,
          batch: t.batch,
          location: t.location,
          left: t.left,
        })),
      );
      const newTasks = plan.tasks.map((t) => ({
        list_id: t.listId,
        logistics_no: t.logisticsNo,
        owner_code: t.ownerCode,
        sku: t.sku,
        ems_no: t.emsNo,
        putrec_seqno: t.putrecSeqno,
        batch: t.batch,
        location: t.location,
        qty: t.qty,
      }));
      const { skipped, parcels } = plan;
      const tasks = newTasks.length;
      if (newTasks.length)
        await em.execute(
          `insert into pick_task (wave_no, list_id, logistics_no, warehouse_code, owner_code, sku, ems_no, putrec_seqno, batch, location, qty)
           select ?, list_id, logistics_no, ?, owner_code, sku, ems_no, putrec_seqno, batch, location, qty
           from jsonb_to_recordset(?::jsonb) as x(list_id bigint, logistics_no text, owner_code text, sku text, ems_no text,
             putrec_seqno integer, batch text, location text, qty integer)`,
          [waveNo, warehouseCode, JSON.stringify(newTasks)],
        );
      await this.trace.record(em, [
        {
          objectKind: 'stock',
          objectId: waveNo,
          bizStep: 'picking',
          disposition: 'in_progress',
          actor,
          detail: { parcels, tasks, skipped: skipped.length },
        },
      ]);
      return { waveNo, parcels, tasks, skipped };
    });
  }

  wave(waveNo: string) {
    return this.outbound.wave(waveNo);
  }

  waves(warehouseCode: string, status: 'open' | 'done') {
    return this.outbound.waves(warehouseCode, status);
  }

  async pickScan(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    const text = code.kind === 'plain' ? code.text : null;
    const { loc, goods } = found;
    if (loc) {
      const open = await em.execute<Array<{ sku: string; left: number }>>(
        `select sku, sum(qty - picked)::int as left from pick_task where warehouse_code = ? and location = ? and status = 'open'
         group by sku order by sku`,
        [input.warehouseCode, loc.code],
      );
      if (!open.length) {
        delete session.location;
        throw new Refusal(say.nothingToPick(loc.code), say.nextBin());
      }
      session.location = loc.code;
      return answerOk(input, say.binTasks(loc.code, open), say.scanEachItem(), {
        location: loc.code,
        tasks: open,
      });
    }
    if (!session.location) throw new Refusal(say.binFirst(), say.scanTheBin());
    if (!goods.length) throw new Refusal(say.unknownBarcode(text ?? input.code), say.scanAgain());
    const tasks = await em.execute<
      Array<{
        id: string;
        wave_no: string;
        logistics_no: string;
        owner_code: string;
        sku: string;
        batch: string;
        qty: number;
        picked: number;
        ems_no: string | null;
        putrec_seqno: number | null;
      }>
    >(
      // the task, locked, and its item's stock lock (as LedgerRepository.lockItems takes it) in one round trip
      `with t as (
         select id, wave_no, logistics_no, owner_code, sku, batch, qty, picked, ems_no, putrec_seqno from pick_task
         where warehouse_code = ? and location = ? and status = 'open' and ${itemsCondition(goods, '')}
         order by id limit 1 for update)
       select t.*, pg_advisory_xact_lock_shared(hashtext('stock:' || ?)) is null as w,
         pg_advisory_xact_lock(hashtext('item:' || ? || '|' || t.owner_code || '|' || t.sku)) is null as i
       from t`,
      [input.warehouseCode, session.location, ...itemsParams(goods), input.warehouseCode, input.warehouseCode],
    );
    const task = tasks[0];
    if (!task) throw new Refusal(say.notFromThisBin(goods[0].sku, String(session.location)), say.putBack());
    const [{ qty: onShelf }] = await em.execute<Array<{ qty: string }>>(
      `select coalesce(sum(qty), 0) as qty from stock_movement where ledger = 'shelf' and warehouse_code = ? and location = ?
       and owner_code = ? and sku = ? and batch = ?`,
      [input.warehouseCode, session.location, task.owner_code, task.sku, task.batch],
    );
    if (Number(onShelf) <= 0) throw new Refusal(say.binEmpty(String(session.location), task.sku), say.reportShort());
    const qty = Math.min(
      task.qty - task.picked,
      Number(onShelf),
      (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1,
    );
    const movements = movementsInsert(
      transferMovements(
        input.warehouseCode,
        'pick',
        task.logistics_no,
        {
          bookLine: task.ems_no && task.putrec_seqno ? { emsNo: task.ems_no, putrecSeqno: task.putrec_seqno } : null,
          ownerCode: task.owner_code,
          sku: task.sku,
          batch: task.batch,
          location: String(session.location),
          qty,
          to: parcelLocation(task.logistics_no),
        },
        task.logistics_no,
      ),
      actor,
      null,
    );
    const trace = traceInsert([
      {
        objectKind: 'parcel',
        objectId: task.logistics_no,
        bizStep: 'picking',
        disposition: 'in_progress',
        readPoint: input.stationId,
        actor,
        documents: { logisticsNo: task.logistics_no },
        detail: { sku: task.sku, batch: task.batch, from: session.location, qty },
      },
    ]);
    const picked = task.picked + qty;
    // the wave's next task in walking order (this one while it has units left): the screen
    // advances on the answer without asking again
    const nextQuery = nextTaskQuery(task.wave_no, { taskId: task.id, picked });
    // One statement: the units move into the parcel, the step is traced, the task advances, and
    // what is left for the whole parcel comes back with the wave's next task (the statement sees
    // the tasks as they were before its own update, so this pick is taken off).
    const [row] = await em.execute<Array<{ left: number; next: NextPick | null }>>(
      `with m as (${movements.sql}), tr as (${trace.sql}),
       done as (
         update pick_task set picked = ?, status = case when ? >= qty then 'done' else status end, updated_at = now()
         where id = ? returning id),
       nt as (${nextQuery.sql})
       select (coalesce(sum(qty - picked), 0) - ?)::int as left, (select to_jsonb(nt) from nt) as next
       from pick_task where logistics_no = ? and status = 'open'`,
      [...movements.params, ...trace.params, picked, picked, task.id, ...nextQuery.params, qty, task.logistics_no],
    );
    const left = row.left;
    const next = nextPickOf(row.next);
    return answerOk(
      input,
      say.intoParcel(qty, task.sku, task.logistics_no),
      left ? say.moreForParcel(left) : say.parcelComplete(task.logistics_no),
      {
        waveNo: task.wave_no,
        taskId: task.id,
        logisticsNo: task.logistics_no,
        sku: task.sku,
        batch: task.batch,
        qty,
        taskLeft: task.qty - picked,
        parcelLeft: left,
        next,
      },
    );
  }

  async shortPick(taskId: string, reason: string, actor: string) {
    return this.outbound.transaction(async (em) => {
      const rows = await em.execute<
        Array<{
          wave_no: string;
          logistics_no: string;
          status: string;
          qty: number;
          picked: number;
          sku: string;
          location: string;
        }>
      >(
        `update pick_task set status = 'short', updated_at = now() where id = ? and status = 'open'
         returning wave_no, logistics_no, status, qty, picked, sku, location`,
        [taskId],
      );
      if (!rows.length) throw new AppError('CONFLICT', `pick task ${taskId} is not open`);
      const t = rows[0];
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: t.logistics_no,
          bizStep: 'picking',
          disposition: 'short',
          actor,
          detail: { sku: t.sku, location: t.location, missing: t.qty - t.picked, reason },
        },
      ]);
      const next = await this.outbound.nextTask(em, t.wave_no);
      return {
        taskId,
        logisticsNo: t.logistics_no,
        sku: t.sku,
        location: t.location,
        missing: t.qty - t.picked,
        reason,
        next,
      };
    });
  }
}

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
import { nextPickOf, nextTaskAfterPick, OutboundRepository } from './outbound.repository.js';
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
      // what is left to pick in the bin, read with the scan's first statement
      const open = found.extra.binTasks ?? [];
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
    const wanted = (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1;
    const next = nextTaskAfterPick();
    // One round trip: the task (locked), what its bin holds of the item (the scan's first statement
    // took the item's stock lock, so no other scan moves it now), what this pick takes, and what
    // the parcel and the wave's next task will be after it (the screen advances on the answer).
    const [task] = await em.execute<
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
        on_shelf: string;
        take: number;
        parcel_open: number;
        next: NextPick | null;
      }>
    >(
      `with t as (
         select id, wave_no, logistics_no, owner_code, sku, batch, qty, picked, ems_no, putrec_seqno from pick_task
         where warehouse_code = ? and location = ? and status = 'open' and ${itemsCondition(goods, '')}
         order by id limit 1 for update),
       h as (select coalesce(sum(m.qty), 0) as on_shelf from stock_movement m, t
             where m.ledger = 'shelf' and m.warehouse_code = ? and m.location = ? and m.owner_code = t.owner_code
               and m.sku = t.sku and m.batch = t.batch),
       q as (select t.id, t.wave_no, t.picked + greatest(least(t.qty - t.picked, h.on_shelf, ?::int), 0)::int as picked
             from t, h)
       select t.*, h.on_shelf, (q.picked - t.picked)::int as take,
         (select coalesce(sum(o.qty - o.picked), 0) from pick_task o
          where o.logistics_no = t.logistics_no and o.status = 'open')::int as parcel_open,
         (select to_jsonb(nt) from (${next}) nt) as next
       from t, h, q`,
      [input.warehouseCode, session.location, ...itemsParams(goods), input.warehouseCode, session.location, wanted],
    );
    if (!task) throw new Refusal(say.notFromThisBin(goods[0].sku, String(session.location)), say.putBack());
    if (Number(task.on_shelf) <= 0)
      throw new Refusal(say.binEmpty(String(session.location), task.sku), say.reportShort());
    const qty = task.take;
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
    // the units move into the parcel, the step is traced and the task advances with the scan record
    found.writes.push(movements, trace, {
      sql: `update pick_task set picked = ?, status = case when ? >= qty then 'done' else status end, updated_at = now()
         where id = ?`,
      params: [picked, picked, task.id],
    });
    const left = task.parcel_open - qty;
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
        next: nextPickOf(task.next),
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

import { Injectable } from '@nestjs/common';
import { AppError } from '../../platform/http/app-error.js';
import { siteTime } from '../../platform/time/site-time.js';
import type { Preselection } from '../credit/credit.rules.js';
import { CreditPreselectionService } from '../credit/credit-preselection.service.js';
import { CustomsRepository, type Em, type ListRow } from '../customs/declarations/customs.repository.js';
import { LedgerRepository } from '../inventory/ledger.repository.js';
import { allocateFifo, type PlacedLine, packMovements } from '../inventory/ledger-rules.js';
import { GateFactsRepository } from '../parcels/gate-facts.repository.js';
import { ParcelsRepository } from '../parcels/parcels.repository.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { OutboundRepository } from './outbound.repository.js';

/**
 * Picking and packing a declared parcel: its units leave their shelves (oldest batch first) and
 * are held in the parcel until it passes the gate. The book does not change: the units are still
 * in the warehouse. A packed parcel may be pre-selected for inspection by its owner's credit grade
 * (credit-preselection.service.ts): then it is held, and the answer says so.
 */
@Injectable()
export class PackingService {
  constructor(
    private readonly customs: CustomsRepository,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
    private readonly gateFacts: GateFactsRepository,
    private readonly parcels: ParcelsRepository,
    private readonly outbound: OutboundRepository,
    private readonly preselection: CreditPreselectionService,
  ) {}

  async pack(logisticsNo: string, actor: string, readPoint: string | null) {
    const packed = await this.packIn(logisticsNo, actor, readPoint);
    if (packed.inspection) this.preselection.announce(logisticsNo, packed.inspection);
    return packed;
  }

  private packIn(logisticsNo: string, actor: string, readPoint: string | null) {
    return this.outbound.transaction(async (em) => {
      const lists = await this.customs.listForUpdate(em, { logisticsNo });
      if (!lists.length)
        throw new AppError('NOT_FOUND', `parcel ${logisticsNo} is not known: no inventory list names it`);
      if (lists.length > 1)
        throw new AppError(
          'CONFLICT',
          `waybill number ${logisticsNo} is used by ${lists.length} carriers; say which one`,
        );
      const list = lists[0];
      await this.gateFacts.refuseIfShipped(em, list);
      if (list.state !== 'declared')
        throw new AppError(
          'CUSTOMS_STATE',
          `parcel ${logisticsNo} cannot be packed: its list ${list.cop_no} is ${list.state}${list.state === 'blocked' ? ' (the three-document match refused it)' : ''}`,
        );
      if (list.packed_at)
        throw new AppError('CONFLICT', `parcel ${logisticsNo} was already packed at ${siteTime(list.packed_at)}`);
      // Picked by scanning (pick tasks of a wave): packing closes the parcel once every task is done.
      const tasks = await em.execute<Array<{ status: string; left: number }>>(
        `select status, sum(qty - picked)::int as left from pick_task where list_id = ? group by status`,
        [list.id],
      );
      if (tasks.length) {
        const open = tasks.find((t) => t.status === 'open');
        const short = tasks.find((t) => t.status === 'short');
        if (open || short)
          throw new AppError(
            'CONFLICT',
            `parcel ${logisticsNo} is not fully picked: ${open ? `${open.left} unit(s) still to pick` : ''}${open && short ? ', ' : ''}${short ? `${short.left} unit(s) reported short` : ''}`,
          );
        const contents = await this.ledger.parcelContents(em, list.warehouse_code, logisticsNo);
        const inspection = await this.packed(em, list, actor, readPoint, {
          units: contents.reduce((s, c) => s + c.qty, 0),
          picked: 'by scanning',
        });
        return { logisticsNo, copNo: list.cop_no, picks: contents, inspection };
      }
      await this.ledger.lockItems(em, list.warehouse_code, list.lines);
      const picks: PlacedLine[] = [];
      const stock = await this.ledger.shelfBalancesOf(em, list.warehouse_code, list.lines);
      for (const line of list.lines) {
        const bonded = Boolean(list.ems_no && line.putrecSeqno);
        // bonded goods only from bonded zones; a copy, so this parcel's own picks can be taken off
        const balances = (stock.get(`${line.ownerCode}|${line.sku}`) ?? [])
          .filter((b) => !bonded || b.zone === 'bonded')
          .map((b) => ({ ...b }));
        // units other parcels' pick tasks have reserved are not free
        const reserved = await em.execute<Array<{ location: string; batch: string; left: number }>>(
          `select location, batch, sum(qty - picked)::int as left from pick_task
           where warehouse_code = ? and owner_code = ? and sku = ? and status = 'open' group by location, batch`,
          [list.warehouse_code, line.ownerCode, line.sku],
        );
        for (const r of reserved) {
          const b = balances.find((x) => x.location === r.location && x.batch === r.batch);
          if (b) b.qty -= r.left;
        }
        const taken = picks.filter((p) => p.sku === line.sku && p.ownerCode === line.ownerCode);
        for (const t of taken) {
          const b = balances.find((x) => x.location === t.location && x.batch === t.batch);
          if (b) b.qty -= t.qty;
        }
        const allocation = allocateFifo(balances, line.units);
        if (!allocation.ok)
          throw new AppError(
            'INSUFFICIENT_STOCK',
            `parcel ${logisticsNo}: only ${allocation.available} unit(s) of ${line.sku} on the shelves, the list needs ${line.units}; count the location or wait for stock`,
          );
        for (const p of allocation.picks)
          picks.push({
            bookLine: bonded ? { emsNo: list.ems_no!, putrecSeqno: line.putrecSeqno! } : null,
            ownerCode: line.ownerCode,
            sku: line.sku,
            ...p,
          });
      }
      await this.ledger.append(em, packMovements(list.warehouse_code, logisticsNo, picks), actor);
      const inspection = await this.packed(em, list, actor, readPoint, { picks });
      return { logisticsNo, copNo: list.cop_no, picks, inspection };
    });
  }

  /** The parcel is packed: recorded on its list and in its history; then maybe pre-selected for inspection. */
  private async packed(
    em: Em,
    list: ListRow,
    actor: string,
    readPoint: string | null,
    detail: Record<string, unknown>,
  ): Promise<Preselection | null> {
    await this.parcels.markPacked(em, list.id, actor);
    await this.trace.record(em, [
      {
        objectKind: 'parcel',
        objectId: list.logistics_no,
        bizStep: 'packing',
        disposition: 'in_progress',
        readPoint,
        actor,
        documents: { orderNo: list.order_no, copNo: list.cop_no, invtNo: list.invt_no },
        detail,
      },
    ]);
    return this.preselection.atPacking(em, list, actor, readPoint);
  }
}

import { Injectable } from '@nestjs/common';
import { pgArray } from '../../platform/database/pg-array.js';
import { type Sql as Em, SqlRunner } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { CustomsRepository } from '../customs/declarations/customs.repository.js';
import { OrderFloorService } from '../orders/order-floor.service.js';
import { gateScan } from '../outbound/gate.scan.js';
import { GateService } from '../outbound/gate.service.js';
import { LoadingService } from '../outbound/loading.service.js';
import { PackingService } from '../outbound/packing.service.js';
import { packStationScan } from '../outbound/packing-station.scan.js';
import { PickingService } from '../outbound/picking.service.js';
import { InspectionService } from '../parcels/inspection.service.js';
import { ReceivingService } from '../receiving/receiving.service.js';
import { ReturnsService } from '../receiving/returns.service.js';
import { type AfterCommit, ReturnsDeskService } from '../returns/returns-desk.service.js';
import { AsnReceiptService, type ShipmentChange } from '../shipments/asn-receipt.service.js';
import { PutawayService, putawayFirstRead } from '../storage/putaway.service.js';
import { StocktakeService } from '../storage/stocktake.service.js';
import { BoardRepository } from './board.repository.js';
import { Refusal, type ScanAnswer, type Session } from './floor.answers.js';
import { say } from './floor.messages.js';
import { interpretCode, type ScannedCode } from './floor.rules.js';
import type { ScanInput } from './floor.schemas.js';
import type { DeliveryRow, Found, GoodsRow, LocationRow, ScanExtra } from './scan.types.js';

/**
 * Warehouse operations by scanning (issue 5): the dispatcher. Every scan carries a scanId: the
 * first answer is stored with it and a repeated scan gets the same answer without doing anything
 * again. A scan that cannot be done is refused with the reason and what to do next; it is kept
 * too. The work itself is the rooms' (receiving, storage, outbound, parcels), each called inside
 * the scan's one transaction. The statements here (floor_session + location/goods/delivery in
 * `open`, floor_session + floor_scan at the commit) are multi-table on purpose: the scan path is a
 * few round trips, and the floor owns the scan bookkeeping.
 */
@Injectable()
export class ScanDispatcher {
  constructor(
    private readonly sql: SqlRunner,
    private readonly boards: BoardRepository,
    private readonly receiving: ReceivingService,
    private readonly returns: ReturnsService,
    private readonly returnsDesk: ReturnsDeskService,
    private readonly putaway: PutawayService,
    private readonly stocktake: StocktakeService,
    private readonly picking: PickingService,
    private readonly loading: LoadingService,
    private readonly inspection: InspectionService,
    private readonly packing: PackingService,
    private readonly gate: GateService,
    private readonly customs: CustomsRepository,
    private readonly asn: AsnReceiptService,
    private readonly orderFloor: OrderFloorService,
    private readonly events: DomainEvents,
  ) {}

  async scan(input: ScanInput, actor: string): Promise<ScanAnswer> {
    const code = interpretCode(input.code);
    const changes: ShipmentChange[] = [];
    // what a room announces once the scan committed (the seller events of the overseas returns desk and orders)
    const afterCommit: AfterCommit = [];
    try {
      const answer = await this.sql.transaction(async (em) => {
        const { session, existed, found } = await this.open(em, actor, input, code);
        found.shipmentChanges = changes;
        const before = JSON.stringify(session);
        let answer: ScanAnswer;
        try {
          if (code.kind === 'invalid') throw new Refusal(say.unreadable(code.reason), say.scanAgain());
          answer = await this.dispatch(em, input, code, session, actor, found, afterCommit);
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          answer = {
            scanId: input.scanId,
            operation: input.operation,
            outcome: 'refused',
            message: error.text.en,
            next: error.next.en,
            zh: { message: error.text.zh, next: error.next.zh },
            ...(error.detail ? { detail: error.detail } : {}),
          };
        }
        // every GS1 element read (those the floor does not act on too) is kept with the scan's answer
        if ((code.kind === 'gs1-goods' || code.kind === 'sscc') && code.gs1)
          answer = { ...answer, detail: { ...answer.detail, gs1: code.gs1 } };
        const after = JSON.stringify(session);
        // The scan id is the key: a scan seen before fails here, its work is rolled back, and the
        // first answer is returned below. (No look-up first: a repeat is rare, a scan is not.)
        // The room's last writes and the station's step (when it changed) go in the same statement.
        const scanInsert = `insert into floor_scan (scan_id, operation, actor, station_id, code, outcome, response)
           values (?, ?, ?, ?, ?, ?, ?::jsonb)`;
        const scanParams = [
          input.scanId,
          input.operation,
          actor,
          input.stationId,
          input.code,
          answer.outcome,
          JSON.stringify(answer),
        ];
        const ctes = found.writes.map((w, i) => ({ sql: `w${i} as (${w.sql})`, params: w.params }));
        if (!existed)
          ctes.push({
            sql: 's as (insert into floor_session (actor, station_id, operation, state) values (?, ?, ?, ?::jsonb))',
            params: [actor, input.stationId, input.operation, after],
          });
        else if (after !== before)
          ctes.push({
            sql: `s as (update floor_session set state = ?::jsonb, updated_at = now()
               where actor = ? and station_id = ? and operation = ?)`,
            params: [after, actor, input.stationId, input.operation],
          });
        await em.executeAndCommit(
          ctes.length ? `with ${ctes.map((c) => c.sql).join(', ')} ${scanInsert}` : scanInsert,
          [...ctes.flatMap((c) => c.params), ...scanParams],
        );
        // a refused scan rolled nothing back but did nothing either: nothing to tell a seller
        if (answer.outcome !== 'ok') changes.length = 0;
        return answer;
      });
      // committed: a seller whose shipment the scan moved hears it now (issue 12)
      if (changes.length) this.asn.announce(changes);
      for (const announce of afterCommit) announce();
      // the customs console's stock pages follow the floor (throttled per warehouse by their announcer)
      if (answer.outcome === 'ok')
        this.events.emit('floor.scanned', {
          warehouseCode: input.warehouseCode,
          operation: input.operation,
          stationId: input.stationId,
          at: new Date().toISOString(),
        });
      return answer;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        const first = await this.boards.firstAnswer(input.scanId);
        if (first) return first;
      }
      throw error;
    }
  }

  /**
   * The station's step in this operation, locked for this scan (two scans of one station queue
   * up), what the code names, a location or goods, and what the operation reads first: one round
   * trip. A pick of an item and a put-away into a location take their item's stock lock here,
   * before anything is read (LedgerRepository.lockItems' locks, in its order): every later
   * statement of the scan sees the item's stock as no other scan can change it.
   */
  private async open(
    em: Em,
    actor: string,
    input: ScanInput,
    code: ScannedCode,
  ): Promise<{ session: Session; existed: boolean; found: Found }> {
    const key = code.kind === 'plain' ? code.text : code.kind === 'gs1-goods' ? code.gtin : null;
    const gtins =
      key && /^\d{8,14}$/.test(key) ? [key, key.padStart(14, '0'), key.replace(/^0+/, '').padStart(13, '0')] : [];
    const op = input.operation;
    const waiting = putawayFirstRead(input, code.kind === 'gs1-goods' ? code.batch : null);
    const [row] = await em.execute<
      Array<{
        state: Session | null;
        existed: boolean;
        loc: LocationRow | null;
        goods: GoodsRow[];
        delivery: DeliveryRow | null;
        counted: ScanExtra['counted'] | null;
        bin_tasks: ScanExtra['binTasks'] | null;
        locked: boolean | null;
        waiting: unknown;
      }>
    >(
      `with s as (select state from floor_session where actor = ? and station_id = ? and operation = ? for update),
       l as (select l.code, z.kind as zone, l.purpose from location l
          join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
          where ? and l.warehouse_code = ? and l.code = ?),
       g as (select g.owner_code, g.sku, g.gtin, g.name, b.putrec_seqno, w.ems_no
            from goods g
            left join warehouse w on w.code = ?
            left join book_line b on b.ems_no = w.ems_no and b.item_no = g.sku
            where g.sku = ? or g.gtin = any(?::text[]) limit 20),
       k as (
         -- the items whose stock this scan moves: a pick's goods (not a bin), a put-away's goods in
         -- hand put into the scanned location
         select distinct ? || '|' || x.owner_code || '|' || x.sku as k from (
           select g.owner_code, g.sku from g where ? and not exists (select 1 from l)
           union all
           select s.state->'item'->>'ownerCode', s.state->'item'->>'sku' from s
           where ? and exists (select 1 from l) and s.state->'item'->>'sku' is not null) x
         where exists (select 1 from warehouse w where w.code = ? and w.kind <> 'overseas'))
       select (select state from s) as state, exists (select 1 from s) as existed,
         (select to_jsonb(l) from l) as loc,
         (select coalesce(jsonb_agg(g), '[]'::jsonb) from g) as goods,
         (select to_jsonb(d) from (select id::text, owner_code, status, warehouse_code, lines,
            exists (select 1 from seller_shipment s where s.shipment_no = inbound_delivery.delivery_no) as asn
            from inbound_delivery where ? and delivery_no = ? for share of inbound_delivery) d) as delivery,
         (select jsonb_object_agg(c.sku, jsonb_build_object('good', c.good, 'damaged', c.damaged, 'batchMismatch', c.bm))
          from (select c.sku, coalesce(sum(c.qty) filter (where c.condition = 'good'), 0)::int as good,
                  coalesce(sum(c.qty) filter (where c.condition = 'damaged'), 0)::int as damaged,
                  coalesce(sum(c.qty) filter (where c.condition = 'batch_mismatch'), 0)::int as bm
                from inbound_count c
                where ? and c.delivery_id = (select d.id from inbound_delivery d where d.delivery_no = ?)
                  and c.sku in (select g.sku from g)
                group by c.sku) c) as counted,
         (select coalesce(jsonb_agg(t order by t.sku), '[]'::jsonb) from (
            select t.sku, sum(t.qty - t.picked)::int as left from pick_task t
            where ? and t.warehouse_code = ? and t.location = ? and t.status = 'open' group by t.sku) t) as bin_tasks,
         (select count(pg_advisory_xact_lock_shared(hashtext('stock:' || ?))) + count(pg_advisory_xact_lock(hashtext('item:' || k.k)))
          from (select k from k order by k) k) > 0 as locked,
         ${waiting.sql} as waiting`,
      [
        actor,
        input.stationId,
        op,
        code.kind === 'plain',
        input.warehouseCode,
        key ?? '',
        input.warehouseCode,
        key ?? '',
        pgArray(gtins),
        input.warehouseCode,
        op === 'pick',
        op === 'putaway',
        input.warehouseCode,
        op === 'receive',
        input.deliveryNo ?? '',
        op === 'receive',
        input.deliveryNo ?? '',
        op === 'pick' && code.kind === 'plain',
        input.warehouseCode,
        key ?? '',
        input.warehouseCode,
        ...waiting.params,
      ],
    );
    return {
      session: row.state ?? {},
      existed: row.existed,
      found: {
        loc: row.loc,
        goods: key ? row.goods : [],
        delivery: row.delivery,
        shipmentChanges: [],
        writes: [],
        extra: {
          counted: row.counted ?? {},
          binTasks: row.bin_tasks ?? [],
          locked: Boolean(row.locked),
          waiting: row.waiting,
        },
      },
    };
  }

  private async dispatch(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
    after: AfterCommit,
  ): Promise<ScanAnswer> {
    // an overseas warehouse picks, packs and hands over sellers' orders: no customs parcel there
    if (await this.orderFloor.handles(em, input))
      return this.orderFloor.scan(em, input, code, session, actor, found, after);
    switch (input.operation) {
      case 'receive':
        return this.receiving.receiveScan(em, input, code, session, actor, found);
      case 'putaway':
        return this.putaway.putawayScan(em, input, code, session, actor, found);
      case 'pick':
        return this.picking.pickScan(em, input, code, session, actor, found);
      case 'stocktake':
        return this.stocktake.stocktakeScan(em, input, code, session, actor, found);
      case 'load':
        return this.loading.loadScan(em, input, code, session, actor);
      case 'returns':
        // abroad: the seller's RMA desk (no customs); in the bonded centre: the customs return
        return (await this.returnsDesk.handles(em, input.warehouseCode))
          ? this.returnsDesk.scan(em, input, code, session, actor, found.goods, after)
          : this.returns.returnsScan(em, input, code, session, actor);
      case 'inspection':
        return this.inspection.inspectionScan(em, input, code, actor);
      // the packing bench and the gate act through their rooms' own transactions (pack, gate pass)
      case 'pack':
        return packStationScan(this.packing, this.customs, input, code, actor);
      case 'gate':
        return gateScan(this.gate, input, code, actor);
    }
  }
}

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
import { PutawayService } from '../storage/putaway.service.js';
import { StocktakeService } from '../storage/stocktake.service.js';
import { BoardRepository } from './board.repository.js';
import { Refusal, type ScanAnswer, type Session } from './floor.answers.js';
import { say } from './floor.messages.js';
import { interpretCode, type ScannedCode } from './floor.rules.js';
import type { ScanInput } from './floor.schemas.js';
import type { DeliveryRow, Found, GoodsRow, LocationRow } from './scan.types.js';

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
        // The station's step is written in the same statement when it changed.
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
        if (!existed)
          await em.executeAndCommit(
            `with s as (insert into floor_session (actor, station_id, operation, state) values (?, ?, ?, ?::jsonb)) ${scanInsert}`,
            [actor, input.stationId, input.operation, after, ...scanParams],
          );
        else if (after !== before)
          await em.executeAndCommit(
            `with s as (update floor_session set state = ?::jsonb, updated_at = now()
               where actor = ? and station_id = ? and operation = ?) ${scanInsert}`,
            [after, actor, input.stationId, input.operation, ...scanParams],
          );
        else await em.executeAndCommit(scanInsert, scanParams);
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
   * up), and what the code names, a location or goods: one round trip.
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
    const [row] = await em.execute<
      Array<{
        state: Session | null;
        existed: boolean;
        loc: LocationRow | null;
        goods: GoodsRow[];
        delivery: DeliveryRow | null;
      }>
    >(
      `with s as (select state from floor_session where actor = ? and station_id = ? and operation = ? for update)
       select (select state from s) as state, exists (select 1 from s) as existed,
         (select jsonb_build_object('code', l.code, 'zone', z.kind, 'purpose', l.purpose) from location l
          join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
          where ? and l.warehouse_code = ? and l.code = ?) as loc,
         (select coalesce(jsonb_agg(x), '[]'::jsonb) from (
            select g.owner_code, g.sku, g.gtin, g.name, b.putrec_seqno, w.ems_no
            from goods g
            left join warehouse w on w.code = ?
            left join book_line b on b.ems_no = w.ems_no and b.item_no = g.sku
            where g.sku = ? or g.gtin = any(?::text[]) limit 20) x) as goods,
         (select to_jsonb(d) from (select id::text, owner_code, status, warehouse_code, lines,
            exists (select 1 from seller_shipment s where s.shipment_no = inbound_delivery.delivery_no) as asn
            from inbound_delivery where ? and delivery_no = ? for share of inbound_delivery) d) as delivery`,
      [
        actor,
        input.stationId,
        input.operation,
        code.kind === 'plain',
        input.warehouseCode,
        key ?? '',
        input.warehouseCode,
        key ?? '',
        pgArray(gtins),
        input.operation === 'receive',
        input.deliveryNo ?? '',
      ],
    );
    return {
      session: row.state ?? {},
      existed: row.existed,
      found: { loc: row.loc, goods: key ? row.goods : [], delivery: row.delivery, shipmentChanges: [] },
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

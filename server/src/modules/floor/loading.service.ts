import { Inject, Injectable } from '@nestjs/common';
import { buildSscc } from '@wms/contracts';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/http/app-error.js';
import { CustomsActionsService } from '../customs/actions/customs-actions.service.js';
import { CustomsRepository, type Em, type ListRow } from '../customs/declarations/customs.repository.js';
import { customsDate } from '../customs/declarations/inventory-list.builder.js';
import { UnitLabelsService } from '../labels/unit-labels.service.js';
import { MasterDataRepository, requireWarehouse } from '../masterdata/masterdata.repository.js';
import { failedChecks } from '../operations/gate.rules.js';
import { GateService } from '../operations/gate.service.js';
import { GateFactsRepository } from '../operations/gate-facts.repository.js';
import { TraceRepository } from '../trace/trace.repository.js';
import {
  type Answer,
  answerOk,
  Refusal,
  type ScanAnswer,
  type Session,
  type tripDetail,
  type tripsListed,
} from './floor.answers.js';
import { say } from './floor.messages.js';
import type { ScannedCode } from './floor.rules.js';
import type { ScanInput } from './floor.schemas.js';

/**
 * The end of the floor: parcels into bags and pallets, those onto a vehicle, and the vehicle out
 * under a gate release note when its weight agrees; plus the two side doors, inspection and
 * returns. Every parcel is checked against the gate rule when it is loaded and again when the
 * vehicle leaves, so nothing unreleased or held gets out inside a bag.
 */
@Injectable()
export class LoadingService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customs: CustomsRepository,
    private readonly gate: GateService,
    private readonly actions: CustomsActionsService,
    private readonly trace: TraceRepository,
    private readonly masterData: MasterDataRepository,
    private readonly gateFacts: GateFactsRepository,
    private readonly unitLabels: UnitLabelsService,
  ) {}

  private get orm() {
    return this.customs.orm;
  }

  /** A new bag or pallet; with a station, its label prints there once the unit exists (labels/). */
  async createUnit(warehouseCode: string, kind: 'bag' | 'pallet', actor: string, stationId?: string) {
    await requireWarehouse(this.masterData, warehouseCode);
    const printer = stationId ? await this.unitLabels.requirePrinter(stationId) : undefined;
    const unit = await this.orm.em.fork().transactional(async (em) => {
      const [{ serial }] = await em.execute<Array<{ serial: string }>>(`select nextval('sscc_serial_seq') as serial`);
      const sscc = buildSscc({
        extensionDigit: kind === 'bag' ? 1 : 2,
        companyPrefix: this.config.FLOOR_GS1_COMPANY_PREFIX,
        serial: BigInt(serial),
      });
      await em.execute('insert into handling_unit (sscc, warehouse_code, kind, created_by) values (?, ?, ?, ?)', [
        sscc,
        warehouseCode,
        kind,
        actor,
      ]);
      return { sscc, kind, warehouseCode };
    });
    if (!stationId) return unit;
    try {
      const label = await this.unitLabels.print(unit.sscc, warehouseCode, stationId, actor, undefined, printer);
      return { ...unit, label };
    } catch (error) {
      // the unit exists: say so, so the worker prints it again rather than making another one
      if (!(error instanceof AppError)) throw error;
      throw new AppError(
        error.code,
        `${kind} ${unit.sscc} was created, but its label did not print: ${error.message}; print it with POST /api/floor/units/${unit.sscc}/label`,
        { sscc: unit.sscc },
      );
    }
  }

  async createTrip(warehouseCode: string, plate: string, actor: string) {
    await requireWarehouse(this.masterData, warehouseCode);
    return this.orm.em.fork().transactional(async (em) => {
      const tripNo = await this.customs.nextDocNo(em, 'TR', customsDate(new Date()));
      await em.execute('insert into vehicle_trip (trip_no, warehouse_code, plate, created_by) values (?, ?, ?, ?)', [
        tripNo,
        warehouseCode,
        plate,
        actor,
      ]);
      return { tripNo, plate, status: 'loading' as const };
    });
  }

  async trips(warehouseCode: string, status: 'loading' | 'departed') {
    return this.orm.em.execute<Answer<typeof tripsListed>['items']>(
      `select trip_no as "tripNo", plate, status, release_note_no as "releaseNoteNo", created_at as "createdAt"
       from vehicle_trip where warehouse_code = ? and status = ? order by created_at desc limit 100`,
      [warehouseCode, status],
    );
  }

  async trip(tripNo: string) {
    const rows = await this.orm.em.execute<Array<Answer<typeof tripDetail>>>(
      `select t.trip_no as "tripNo", t.warehouse_code as "warehouseCode", t.plate, t.status, t.release_note_no as "releaseNoteNo",
         t.vehicle_tare_kg::float as "vehicleTareKg", t.weighed_gross_kg::float as "weighedGrossKg", t.expected_kg::float as "expectedKg",
         t.departed_at as "departedAt",
         coalesce((select jsonb_agg(jsonb_build_object('sscc', u.sscc, 'kind', u.kind,
           'parcels', (select coalesce(jsonb_agg(p.logistics_no order by p.added_at), '[]'::jsonb) from handling_unit_parcel p where p.sscc = u.sscc))
           order by u.created_at) from handling_unit u where u.trip_no = t.trip_no), '[]'::jsonb) as units
       from vehicle_trip t where t.trip_no = ?`,
      [tripNo],
    );
    if (!rows.length) throw new AppError('NOT_FOUND', `vehicle trip ${tripNo} is not known`);
    return rows[0];
  }

  // ---------------------------------------------------------------- load scans

  async loadScan(em: Em, input: ScanInput, code: ScannedCode, session: Session, actor: string): Promise<ScanAnswer> {
    if (code.kind === 'sscc') {
      const units = await em.execute<
        Array<{ sscc: string; kind: string; trip_no: string | null; trip_status: string | null }>
      >(
        `select u.sscc, u.kind, u.trip_no, t.status as trip_status from handling_unit u left join vehicle_trip t on t.trip_no = u.trip_no
         where u.sscc = ? and u.warehouse_code = ? for update of u`,
        [code.sscc, input.warehouseCode],
      );
      const unit = units[0];
      if (!unit) throw new Refusal(say.unitUnknown(code.sscc), say.scanUnitLabel());
      if (unit.trip_status === 'departed') throw new Refusal(say.unitDeparted(code.sscc), say.scanUnitLabel());
      const [{ count }] = await em.execute<Array<{ count: number }>>(
        'select count(*)::int as count from handling_unit_parcel where sscc = ?',
        [unit.sscc],
      );
      session.unit = unit.sscc;
      if (input.tripNo) {
        if (unit.trip_no && unit.trip_no !== input.tripNo)
          throw new Refusal(say.unitOnOtherTrip(unit.sscc, unit.trip_no), say.scanNextUnit());
        const trips = await em.execute<Array<{ status: string }>>(
          'select status from vehicle_trip where trip_no = ? and warehouse_code = ? for update',
          [input.tripNo, input.warehouseCode],
        );
        if (trips[0]?.status !== 'loading') throw new Refusal(say.tripNotLoading(input.tripNo), say.scanNextUnit());
        if (!unit.trip_no)
          await em.execute('update handling_unit set trip_no = ? where sscc = ?', [input.tripNo, unit.sscc]);
        await this.trace.record(em, [
          {
            objectKind: 'stock',
            objectId: unit.sscc,
            bizStep: 'loading',
            disposition: 'in_progress',
            readPoint: input.stationId,
            actor,
            documents: { tripNo: input.tripNo, sscc: unit.sscc },
            detail: { parcels: count },
          },
        ]);
        return answerOk(input, say.unitLoaded(unit.sscc, input.tripNo), say.scanNextUnit(), {
          sscc: unit.sscc,
          parcels: count,
        });
      }
      return answerOk(input, say.unit(unit.kind, unit.sscc, count), say.scanParcelsInto(), {
        sscc: unit.sscc,
        parcels: count,
      });
    }
    const text = code.kind === 'plain' ? code.text : input.code;
    if (!session.unit) throw new Refusal(say.unitFirst(), say.scanUnitLabel());
    const lists = await this.customs.listForUpdate(em, { logisticsNo: text });
    if (lists.length !== 1) throw new Refusal(say.parcelUnknown(text), say.toExceptions());
    const list = lists[0];
    await this.refuseIfShipped(em, list);
    const inUnit = await em.execute<Array<{ sscc: string }>>(
      'select sscc from handling_unit_parcel where list_id = ?',
      [list.id],
    );
    if (inUnit.length) {
      if (inUnit[0].sscc === session.unit) {
        const [{ count }] = await em.execute<Array<{ count: number }>>(
          'select count(*)::int as count from handling_unit_parcel where sscc = ?',
          [inUnit[0].sscc],
        );
        return answerOk(input, say.parcelIntoUnit(text, inUnit[0].sscc, count), say.scanNextParcel());
      }
      throw new Refusal(say.parcelInOtherUnit(text, inUnit[0].sscc), say.setAsideParcel());
    }
    // the gate rule as it stands: only a parcel that could pass the gate goes into a bag
    const decision = await this.gateFacts.decision(em, list);
    if (!decision.allowed) {
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep: 'loading',
          disposition: 'load_refused',
          readPoint: input.stationId,
          actor,
          detail: { reason: decision.reason, failed: failedChecks(decision) },
        },
      ]);
      throw new Refusal(
        { en: say.cannotLoad(decision.reason).en, zh: say.cannotLoad(decision.reasonZh).zh },
        say.setAsideParcel(),
      );
    }
    await em.execute('insert into handling_unit_parcel (list_id, sscc, logistics_no, added_by) values (?, ?, ?, ?)', [
      list.id,
      session.unit,
      list.logistics_no,
      actor,
    ]);
    await this.trace.record(em, [
      {
        objectKind: 'parcel',
        objectId: list.logistics_no,
        bizStep: 'loading',
        disposition: 'in_progress',
        readPoint: input.stationId,
        actor,
        documents: { sscc: String(session.unit) },
      },
    ]);
    const [{ count }] = await em.execute<Array<{ count: number }>>(
      'select count(*)::int as count from handling_unit_parcel where sscc = ?',
      [session.unit],
    );
    return answerOk(input, say.parcelIntoUnit(list.logistics_no, String(session.unit), count), say.scanNextParcel(), {
      sscc: session.unit,
      parcels: count,
    });
  }

  /**
   * The vehicle leaves. Every parcel on it is checked against the gate rule again; the weighbridge
   * net weight must match the release note's total (parcels as weighed, or as declared, plus the
   * bags and pallets) within the site tolerance. Then, in one transaction, every parcel is written
   * off under its gate pass and the trip is closed with its release note number. If anything is
   * wrong nothing leaves, and the refusal lists what.
   */
  async depart(
    tripNo: string,
    input: { vehicleTareKg: number; weighedGrossKg: number; readPoint?: string },
    actor: string,
  ) {
    return this.orm.em.fork().transactional(async (em) => {
      const trips = await em.execute<Array<{ status: string; warehouse_code: string; plate: string }>>(
        'select status, warehouse_code, plate from vehicle_trip where trip_no = ? for update',
        [tripNo],
      );
      const trip = trips[0];
      if (!trip) throw new AppError('NOT_FOUND', `vehicle trip ${tripNo} is not known`);
      if (trip.status !== 'loading') throw new AppError('CONFLICT', `vehicle trip ${tripNo} already left`);
      const units = await em.execute<Array<{ sscc: string; kind: 'bag' | 'pallet' }>>(
        'select sscc, kind from handling_unit where trip_no = ? order by sscc',
        [tripNo],
      );
      const parcels = await em.execute<Array<{ list_id: string; sscc: string }>>(
        'select p.list_id, p.sscc from handling_unit_parcel p join handling_unit u on u.sscc = p.sscc where u.trip_no = ? order by p.list_id',
        [tripNo],
      );
      if (!parcels.length) throw new AppError('VALIDATION_FAILED', `vehicle trip ${tripNo} carries no parcels`);
      const lists: ListRow[] = [];
      const refused: Array<{ logisticsNo: string; reason: string }> = [];
      for (const p of parcels) {
        const [list] = await this.customs.listForUpdate(em, { id: p.list_id });
        lists.push(list);
      }
      const decisions = await this.gateFacts.decisions(em, lists);
      for (const list of lists) {
        const decision = decisions.get(String(list.id))!;
        if (!decision.allowed) refused.push({ logisticsNo: list.logistics_no, reason: decision.reason });
      }
      if (refused.length)
        throw new AppError(
          'GATE_REFUSED',
          `vehicle ${trip.plate} (trip ${tripNo}) may not leave: ${refused.length} parcel(s) cannot pass: ${refused.map((r) => `${r.logisticsNo}: ${r.reason}`).join('; ')}; take them off the vehicle`,
          { refused },
        );
      const weights = await em.execute<Array<{ list_id: string; gross_grams: number }>>(
        `select distinct on (list_id) list_id, gross_grams from weight_check where list_id = any(?::bigint[]) order by list_id, created_at desc, id desc`,
        [`{${lists.map((l) => l.id).join(',')}}`],
      );
      const weighed = new Map(weights.map((w) => [String(w.list_id), w.gross_grams]));
      let parcelsKg = 0;
      for (const l of lists)
        parcelsKg += (weighed.get(String(l.id)) ?? Math.round(Number(l.head.grossWeight || 0) * 1000)) / 1000;
      const tareKg = units.reduce(
        (s, u) => s + (u.kind === 'bag' ? this.config.FLOOR_BAG_TARE_KG : this.config.FLOOR_PALLET_TARE_KG),
        0,
      );
      const expectedKg = Math.round((parcelsKg + tareKg) * 1000) / 1000;
      const netKg = Math.round((input.weighedGrossKg - input.vehicleTareKg) * 1000) / 1000;
      const toleranceKg = Math.max(
        this.config.FLOOR_VEHICLE_TOLERANCE_KG,
        (expectedKg * this.config.FLOOR_VEHICLE_TOLERANCE_PCT) / 100,
      );
      if (Math.abs(netKg - expectedKg) > toleranceKg)
        throw new AppError(
          'GATE_REFUSED',
          `vehicle ${trip.plate} (trip ${tripNo}) may not leave: the weighbridge says ${netKg} kg of load, the release note ${expectedKg} kg (${lists.length} parcels, ${units.length} bags/pallets): off by more than ${toleranceKg} kg; check the load`,
          { netKg, expectedKg, toleranceKg },
        );
      const releaseNoteNo = await this.customs.nextDocNo(em, 'HF', customsDate(new Date()));
      const passes = [];
      for (const l of lists) {
        const pass = await this.gate.writeOff(em, l, input.readPoint ?? null, actor, { releaseNoteNo, tripNo });
        passes.push({ logisticsNo: l.logistics_no, gatePassNo: pass.gatePassNo, units: pass.units });
      }
      await em.execute(
        `update vehicle_trip set status = 'departed', release_note_no = ?, vehicle_tare_kg = ?, weighed_gross_kg = ?, expected_kg = ?,
           departed_by = ?, departed_at = now() where trip_no = ?`,
        [releaseNoteNo, input.vehicleTareKg, input.weighedGrossKg, expectedKg, actor, tripNo],
      );
      await this.trace.record(em, [
        {
          objectKind: 'stock',
          objectId: tripNo,
          bizStep: 'departing',
          disposition: 'in_transit',
          readPoint: input.readPoint ?? null,
          actor,
          documents: { releaseNoteNo, tripNo, plate: trip.plate },
          detail: { parcels: lists.length, units: units.map((u) => u.sscc), netKg, expectedKg },
        },
      ]);
      return { tripNo, releaseNoteNo, plate: trip.plate, parcels: passes, netKg, expectedKg, toleranceKg };
    });
  }

  /** The closed-parcel guard (operations/shipped.rules.ts) as a scan refusal. */
  async refuseIfShipped(em: Em, list: ListRow): Promise<void> {
    const shipped = await this.gateFacts.shippedRefusalOf(em, list);
    if (shipped) throw new Refusal(shipped, say.setAsideParcel());
  }

  // ---------------------------------------------------------------- returns and inspection

  /** A returned parcel at the returns desk: scan it, inspect it, scan where it goes back. */
  async returnsScan(em: Em, input: ScanInput, code: ScannedCode, session: Session, actor: string): Promise<ScanAnswer> {
    const text = code.kind === 'plain' ? code.text : input.code;
    const loc = await em.execute<Array<{ code: string }>>(
      'select code from location where warehouse_code = ? and code = ?',
      [input.warehouseCode, text],
    );
    if (loc.length) {
      if (!session.returnNo) throw new Refusal(say.scanParcelFirst(), say.scanNextReturn());
      try {
        const received = await this.actions.receiveReturnIn(
          em,
          String(session.returnNo),
          { location: text, batch: 'RETURN' },
          actor,
        );
        delete session.returnNo;
        return answerOk(input, say.restocked(received.units, text, received.returnNo), say.scanNextReturn(), received);
      } catch (error) {
        if (error instanceof AppError)
          throw new Refusal({ en: error.message, zh: error.message }, say.scanRestockLocation());
        throw error;
      }
    }
    const rows = await em.execute<
      Array<{ cop_no: string; status: number | null; received_at: Date | null; lines: Array<{ units: number }> }>
    >(
      `select r.cop_no, r.status, r.received_at, r.lines from customs_return r join inventory_list l on l.id = r.list_id
       where l.logistics_no = ? and l.warehouse_code = ? order by r.id desc limit 1`,
      [text, input.warehouseCode],
    );
    const ret = rows[0];
    if (!ret) throw new Refusal(say.returnUnknown(text), say.keepInReturns());
    if (ret.received_at) throw new Refusal(say.returnReceived(ret.cop_no), say.scanNextReturn());
    if (ret.status !== 800)
      throw new Refusal(say.returnNotApproved(ret.cop_no, String(ret.status ?? '—')), say.waitForCustoms());
    session.returnNo = ret.cop_no;
    await this.trace.record(em, [
      {
        objectKind: 'parcel',
        objectId: text,
        bizStep: 'returning',
        disposition: 'returned_inspecting',
        readPoint: input.stationId,
        actor,
        documents: { copNo: ret.cop_no },
      },
    ]);
    const units = ret.lines.reduce((s, l) => s + l.units, 0);
    return answerOk(input, say.returnParcel(text, ret.cop_no, units), say.scanRestockLocation(), {
      returnNo: ret.cop_no,
      units,
    });
  }

  /** A parcel customs selected (500) arrives at the inspection area. */
  async inspectionScan(em: Em, input: ScanInput, code: ScannedCode, actor: string): Promise<ScanAnswer> {
    const text = code.kind === 'plain' ? code.text : input.code;
    const lists = await this.customs.listForUpdate(em, { logisticsNo: text });
    if (lists.length !== 1) throw new Refusal(say.parcelUnknown(text), say.toExceptions());
    const list = lists[0];
    await this.refuseIfShipped(em, list);
    if (list.customs_status !== 500 && !list.hold_reason)
      throw new Refusal(say.notForInspection(text, String(list.customs_status ?? '—')), say.backToFlow());
    await this.trace.record(em, [
      {
        objectKind: 'parcel',
        objectId: list.logistics_no,
        bizStep: 'inspecting',
        disposition: 'in_inspection_area',
        readPoint: input.stationId,
        actor,
        documents: { invtNo: list.invt_no, copNo: list.cop_no },
      },
    ]);
    return answerOk(input, say.inspectionArrived(text), say.waitForInspection(), {
      customsStatus: list.customs_status,
      hold: list.hold_reason,
    });
  }
}

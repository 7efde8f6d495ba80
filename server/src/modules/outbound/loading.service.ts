import { Inject, Injectable } from '@nestjs/common';
import { buildSscc } from '@wms/contracts';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { DocNumbers } from '../../platform/database/doc-numbers.js';
import { AppError } from '../../platform/http/app-error.js';
import { CustomsRepository, type Em, type ListRow } from '../customs/declarations/customs.repository.js';
import { answerOk, Refusal, type ScanAnswer, type Session } from '../floor/floor.answers.js';
import { say } from '../floor/floor.messages.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import { UnitLabelsService } from '../labels/unit-labels.service.js';
import { MasterDataRepository, requireWarehouse } from '../masterdata/masterdata.repository.js';
import { GateFactsRepository } from '../parcels/gate-facts.repository.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { failedChecks } from './gate.rules.js';
import { GateService } from './gate.service.js';
import { OutboundRepository } from './outbound.repository.js';

/**
 * The end of the floor: parcels into bags and pallets, those onto a vehicle, and the vehicle out
 * under a gate release note when its weight agrees; plus the two side doors, inspection and
 * returns. Every parcel is checked against the gate rule when it is loaded and again when the
 * vehicle leaves, so nothing unreleased or held gets out inside a bag. (Returns are received in
 * receiving/returns.service.ts, inspection arrivals in parcels/inspection.service.ts.)
 */
@Injectable()
export class LoadingService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customs: CustomsRepository,
    private readonly docNumbers: DocNumbers,
    private readonly gate: GateService,
    private readonly trace: TraceRepository,
    private readonly masterData: MasterDataRepository,
    private readonly gateFacts: GateFactsRepository,
    private readonly outbound: OutboundRepository,
    private readonly unitLabels: UnitLabelsService,
  ) {}

  /** A new bag or pallet; with a station, its label prints there once the unit exists (labels/). */
  async createUnit(warehouseCode: string, kind: 'bag' | 'pallet', actor: string, stationId?: string) {
    await requireWarehouse(this.masterData, warehouseCode);
    const printer = stationId ? await this.unitLabels.requirePrinter(stationId) : undefined;
    const unit = await this.outbound.transaction(async (em) => {
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
    return this.outbound.transaction(async (em) => {
      const tripNo = await this.docNumbers.next(em, 'TR');
      await em.execute('insert into vehicle_trip (trip_no, warehouse_code, plate, created_by) values (?, ?, ?, ?)', [
        tripNo,
        warehouseCode,
        plate,
        actor,
      ]);
      return { tripNo, plate, status: 'loading' as const };
    });
  }

  trips(warehouseCode: string, status: 'loading' | 'departed') {
    return this.outbound.trips(warehouseCode, status);
  }

  trip(tripNo: string) {
    return this.outbound.trip(tripNo);
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
    return this.outbound.transaction(async (em) => {
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
      const releaseNoteNo = await this.docNumbers.next(em, 'HF');
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

  /** The closed-parcel guard (parcels/shipped.rules.ts) as a scan refusal. */
  async refuseIfShipped(em: Em, list: ListRow): Promise<void> {
    const shipped = await this.gateFacts.shippedRefusalOf(em, list);
    if (shipped) throw new Refusal(shipped, say.setAsideParcel());
  }
}

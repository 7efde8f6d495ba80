import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { DocNumbers } from '../../platform/database/doc-numbers.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { CustomsRepository, type ListRow } from '../customs/declarations/customs.repository.js';
import { DeclarationsService } from '../customs/declarations/declarations.service.js';
import { customsTime } from '../customs/declarations/inventory-list.builder.js';
import {
  arrivalReport,
  type Carrier,
  departureReport,
  masterWaybill,
  type Site,
  type Voyage,
} from '../customs/export-chain/export-chain.messages.js';
import { ExportManifestRepository } from '../customs/export-chain/export-manifest.repository.js';
import { CebValidationError } from '../customs/messages/ceb-writer.js';
import {
  arrivalProblems,
  departureProblems,
  isRecorded,
  type ManifestKind,
  masterWaybillProblems,
} from '../customs/rules/export-chain-status.js';
import { MasterDataRepository } from '../masterdata/masterdata.repository.js';
import { LoadingService } from '../outbound/loading.service.js';
import { TraceRepository } from '../trace/trace.repository.js';
import type { ArrivalInput, DepartureInput, MasterWaybillInput } from './export-chain.schemas.js';

const MESSAGE: Record<ManifestKind, 'CEB507' | 'CEB607' | 'CEB509'> = {
  arrival: 'CEB507',
  waybill: 'CEB607',
  departure: 'CEB509',
};
const PREFIX: Record<ManifestKind, string> = { arrival: 'YD', waybill: 'ZF', departure: 'LJ' };

/** A report customs did not take (rejected or an error receipt) may be sent again; any other stands. */
const standing = (status: number | null) => status === null || (status >= 0 && status !== 100 && status !== 4);

/**
 * The 9610 export chain at a consolidation warehouse (集货仓, DOMAIN.md §2-§4), after each parcel's
 * list (CEB603): parcels scanned in at the supervised site are reported as arrived (CEB507); bagged
 * and loaded onto a trip (outbound/loading.service.ts), they are grouped under the master waybill
 * of their flight (CEB607); once the vehicle left, the departure is reported (CEB509). Each step
 * checks the one before it (rules/export-chain-status.ts) and leaves a trace on every parcel; the
 * receipts come back through customs/receipts.
 */
@Injectable()
export class ExportChainService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customs: CustomsRepository,
    private readonly manifests: ExportManifestRepository,
    private readonly declarations: DeclarationsService,
    private readonly docNumbers: DocNumbers,
    private readonly masterData: MasterDataRepository,
    private readonly loading: LoadingService,
    private readonly trace: TraceRepository,
    private readonly events: DomainEvents,
  ) {}

  /** The supervised site of a consolidation warehouse, as the reports name it. */
  private async site(warehouseCode: string): Promise<Site> {
    const w = await this.masterData.warehouse(warehouseCode);
    if (!w) throw new AppError('NOT_FOUND', `warehouse ${warehouseCode} is not known`);
    if (w.kind !== 'consolidation')
      throw new AppError(
        'VALIDATION_FAILED',
        `warehouse ${warehouseCode} is a ${w.kind}: arrival, master waybill and departure reports are sent from a consolidation warehouse`,
      );
    if (!w.customsCode || !w.loctNo)
      throw new AppError(
        'VALIDATION_FAILED',
        `warehouse ${warehouseCode} has no ${!w.customsCode ? 'customsCode' : 'loctNo'}: set the supervised site's customs district and site code in the master data first`,
      );
    const operatorCode = w.operatorCode ?? this.config.CUSTOMS_COP_CODE;
    const operator = (await this.masterData.enterprises()).find((e) => e.code === operatorCode);
    return {
      customsCode: w.customsCode,
      loctNo: w.loctNo,
      operatorCode,
      operatorName: operator?.name ?? this.config.CUSTOMS_COP_NAME,
    };
  }

  private carrierOf(lists: ListRow[]): Carrier {
    const carriers = [...new Set(lists.map((l) => l.logistics_code))];
    if (carriers.length > 1)
      throw new AppError(
        'VALIDATION_FAILED',
        `the parcels belong to ${carriers.length} carriers (${carriers.join(', ')}): report each carrier's parcels on a report of its own`,
      );
    return { logisticsCode: carriers[0], logisticsName: lists[0].head.logisticsName || carriers[0] };
  }

  /** The export list of this warehouse naming a waybill (several carriers may reuse a number). */
  private async exportList(em: Em, logisticsNo: string, warehouseCode: string): Promise<ListRow | null> {
    const lists = await this.customs.listForUpdate(em, { logisticsNo });
    return (
      lists.find((l) => l.direction === 'export' && l.warehouse_code === warehouseCode) ??
      lists.find((l) => l.direction === 'export') ??
      lists[0] ??
      null
    );
  }

  /** Records the report and its message in the caller's transaction, then traces every parcel. */
  private async write(
    em: Em,
    kind: ManifestKind,
    m: { warehouseCode: string; tripNo?: string; billNo?: string; readPoint?: string; actor: string },
    build: (copNo: string) => { head: Record<string, string>; lines: Array<Record<string, string>> },
    parcels: Array<{ list: ListRow; sscc?: string | null }>,
    documents: Record<string, string | undefined>,
  ) {
    const copNo = await this.docNumbers.next(em, PREFIX[kind]);
    const built = build(copNo);
    const id = await this.manifests.insert(
      em,
      {
        kind,
        copNo,
        warehouseCode: m.warehouseCode,
        tripNo: m.tripNo,
        billNo: m.billNo,
        head: built.head,
        createdBy: m.actor,
      },
      parcels.map((p) => ({ listId: String(p.list.id), logisticsNo: p.list.logistics_no, sscc: p.sscc })),
    );
    let written: { guid: string; fileName: string };
    try {
      written = await this.declarations.emit(em, MESSAGE[kind], built, { kind: 'manifest', id });
    } catch (error) {
      if (!(error instanceof CebValidationError)) throw error;
      throw new AppError('VALIDATION_FAILED', `${error.message}\nfix the master data or the input and send it again`, {
        problems: error.problems,
      });
    }
    await this.manifests.setMessage(em, id, written.guid, built.head);
    await this.trace.record(
      em,
      parcels.map((p) => ({
        objectKind: 'parcel' as const,
        objectId: p.list.logistics_no,
        bizStep: kind === 'arrival' ? 'arriving' : kind === 'waybill' ? 'loading' : 'departing',
        disposition: kind === 'arrival' ? 'arrived_at_site' : kind === 'waybill' ? 'master_waybill' : 'in_transit',
        readPoint: m.readPoint ?? null,
        actor: m.actor,
        documents: {
          orderNo: p.list.order_no,
          invtNo: p.list.invt_no,
          copNo,
          messageType: MESSAGE[kind],
          guid: written.guid,
          sscc: p.sscc ?? undefined,
          tripNo: m.tripNo,
          billNo: m.billNo,
          ...documents,
        },
      })),
    );
    return {
      copNo,
      messageType: MESSAGE[kind],
      guid: written.guid,
      fileName: written.fileName,
      parcels: parcels.length,
      tripNo: m.tripNo ?? null,
      billNo: m.billNo ?? null,
    };
  }

  /** After the commit: the file goes out and the console hears of it. */
  private async sent(kind: ManifestKind, warehouseCode: string, report: { copNo: string; parcels: number }) {
    await this.declarations.dispatchOutbox();
    this.events.emit('customs.changed', {
      kind: 'declaration',
      ref: report.copNo,
      warehouseCode,
      summary: `${MESSAGE[kind]} ${report.copNo} sent: ${report.parcels} parcels ${kind === 'arrival' ? 'arrived at the site' : kind === 'waybill' ? 'on the master waybill' : 'left the country'}`,
      at: new Date().toISOString(),
    });
  }

  /** Parcels scanned in at the supervised site: the arrival report (CEB507). */
  async arrive(input: ArrivalInput, actor: string) {
    const site = await this.site(input.warehouseCode);
    const report = await this.customs.orm.em.fork().transactional(async (em) => {
      // locked one after the other in waybill order, so two overlapping arrivals never deadlock
      const byNo = new Map<string, ListRow | null>();
      for (const n of [...new Set(input.logisticsNos)].sort())
        byNo.set(n, await this.exportList(em, n, input.warehouseCode));
      const found = input.logisticsNos.map((n) => ({ n, list: byNo.get(n) ?? null }));
      const arrivals = await this.manifests.latestArrivals(
        em,
        found.flatMap((f) => (f.list ? [String(f.list.id)] : [])),
      );
      const problems = arrivalProblems(
        input.warehouseCode,
        found.map(({ n, list }) => ({
          logisticsNo: n,
          list: list && {
            direction: list.direction,
            tradeMode: list.trade_mode,
            state: list.state,
            warehouseCode: list.warehouse_code,
          },
          arrivedOn: (list && arrivals.get(String(list.id))) ?? null,
        })),
      );
      if (problems.length)
        throw new AppError(
          'CUSTOMS_STATE',
          `${problems.length} of ${input.logisticsNos.length} parcels cannot be reported as arrived: ${problems.join('; ')}`,
          { problems },
        );
      const lists = found.map((f) => f.list as ListRow);
      const carrier = this.carrierOf(lists);
      return this.write(
        em,
        'arrival',
        { warehouseCode: input.warehouseCode, billNo: input.billNo, readPoint: input.readPoint, actor },
        (copNo) =>
          arrivalReport(
            {
              copNo,
              site,
              carrier,
              trafMode: input.trafMode,
              domesticTrafNo: input.domesticTrafNo,
              billNo: input.billNo,
            },
            lists.map((l) => ({ logisticsNo: l.logistics_no })),
          ),
        lists.map((list) => ({ list })),
        { domesticTrafNo: input.domesticTrafNo },
      );
    });
    await this.sent('arrival', input.warehouseCode, report);
    return report;
  }

  /** The parcels of a trip, bag by bag, with their lists, locked in this transaction. */
  private async tripParcels(em: Em, trip: Awaited<ReturnType<LoadingService['trip']>>) {
    const out: Array<{ list: ListRow; sscc: string }> = [];
    for (const unit of trip.units)
      for (const logisticsNo of unit.parcels) {
        const list = await this.exportList(em, logisticsNo, trip.warehouseCode);
        if (list) out.push({ list, sscc: unit.sscc });
      }
    return out;
  }

  /** The trip's parcels under the master waybill of their flight (CEB607). */
  async declareMasterWaybill(tripNo: string, input: MasterWaybillInput, actor: string) {
    const trip = await this.loading.trip(tripNo);
    const site = await this.site(trip.warehouseCode);
    const report = await this.customs.orm.em.fork().transactional(async (em) => {
      const existing = await this.manifests.latestOfTrip(em, tripNo, 'waybill');
      if (existing && standing(existing.status))
        throw new AppError(
          'CONFLICT',
          `trip ${tripNo} is already on master waybill ${existing.bill_no} (${existing.cop_no}, status ${existing.status ?? 'not answered yet'}); a new one may follow only if customs rejects it`,
        );
      const parcels = await this.tripParcels(em, trip);
      const arrivals = await this.manifests.latestArrivals(
        em,
        parcels.map((p) => String(p.list.id)),
      );
      const problems = masterWaybillProblems(
        parcels.map((p) => ({
          logisticsNo: p.list.logistics_no,
          sscc: p.sscc,
          invtNo: p.list.invt_no,
          listStatus: p.list.customs_status,
          arrivalStatus: arrivals.has(String(p.list.id)) ? arrivals.get(String(p.list.id))!.status : undefined,
        })),
      );
      if (problems.length)
        throw new AppError('CUSTOMS_STATE', `trip ${tripNo} cannot go on a master waybill: ${problems.join('; ')}`, {
          problems,
        });
      const carrier = this.carrierOf(parcels.map((p) => p.list));
      const voyage: Voyage = {
        trafMode: input.trafMode,
        trafName: input.trafName,
        voyageNo: input.voyageNo,
        billNo: input.billNo,
      };
      return this.write(
        em,
        'waybill',
        { warehouseCode: trip.warehouseCode, tripNo, billNo: input.billNo, actor },
        (copNo) =>
          masterWaybill(
            {
              copNo,
              site,
              carrier,
              agent: { code: this.config.CUSTOMS_COP_CODE, name: this.config.CUSTOMS_COP_NAME },
              voyage,
              plate: trip.plate,
            },
            parcels.map((p) => ({
              logisticsNo: p.list.logistics_no,
              sscc: p.sscc,
              invtNo: p.list.invt_no,
              grossGrams: Math.round(Number(p.list.head.grossWeight || 0) * 1000),
            })),
          ),
        parcels,
        { trafName: input.trafName, voyageNo: input.voyageNo },
      );
    });
    await this.sent('waybill', trip.warehouseCode, report);
    return report;
  }

  /** The vehicle left with the master waybill's parcels: the departure report (CEB509). */
  async declareDeparture(tripNo: string, input: DepartureInput, actor: string) {
    const trip = await this.loading.trip(tripNo);
    const site = await this.site(trip.warehouseCode);
    const report = await this.customs.orm.em.fork().transactional(async (em) => {
      const waybill = await this.manifests.latestOfTrip(em, tripNo, 'waybill');
      const problems = departureProblems(trip, waybill && { copNo: waybill.cop_no, status: waybill.status });
      if (problems.length)
        throw new AppError(
          'CUSTOMS_STATE',
          `the departure of trip ${tripNo} cannot be reported: ${problems.join('; ')}`,
          {
            problems,
          },
        );
      const existing = await this.manifests.latestOfTrip(em, tripNo, 'departure');
      if (existing && standing(existing.status))
        throw new AppError(
          'CONFLICT',
          `the departure of trip ${tripNo} was reported on ${existing.cop_no} (status ${existing.status ?? 'not answered yet'}${isRecorded(existing.status) ? ', recorded' : ''})`,
        );
      const w = waybill!;
      const voyage: Voyage = {
        trafMode: w.head.trafMode,
        trafName: w.head.trafName,
        voyageNo: w.head.voyageNo,
        billNo: w.head.billNo,
      };
      const onWaybill = await this.manifests.parcelsOf(em, w.id);
      const lists = await this.customs.listsById(onWaybill.map((p) => String(p.list_id)));
      const sscc = new Map(onWaybill.map((p) => [String(p.list_id), p.sscc]));
      const parcels = lists.map((list) => ({ list, sscc: sscc.get(String(list.id)) ?? null }));
      const leaveTime = input.leaveTime ?? customsTime(new Date(trip.departedAt ?? Date.now()));
      return this.write(
        em,
        'departure',
        { warehouseCode: trip.warehouseCode, tripNo, billNo: voyage.billNo, actor },
        (copNo) =>
          departureReport(
            { copNo, customsCode: site.customsCode, carrier: this.carrierOf(lists), voyage, leaveTime },
            parcels.map((p) => ({ logisticsNo: p.list.logistics_no, sscc: p.sscc })),
          ),
        parcels,
        { trafName: voyage.trafName, voyageNo: voyage.voyageNo, leaveTime },
      );
    });
    await this.sent('departure', trip.warehouseCode, report);
    return report;
  }

  manifestsOf(where: { logisticsNo?: string; tripNo?: string }) {
    return this.manifests.search(where).then((items) => ({ items }));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/http/app-error.js';
import { DeviceCommandsService } from '../devices/device-commands.service.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { LabelFontError } from './text-graphic.js';
import { buildUnitLabelZpl, UnitLabelError } from './unit-label.js';
import { sayUnitLabel } from './unit-label.messages.js';
import { type UnitFacts, UnitLabelsRepository } from './unit-labels.repository.js';

export interface UnitLabelPrint {
  sscc: string;
  jobId: string;
  reprint: number;
  deviceId: string;
  status: 'sent' | 'done' | 'failed' | 'timeout';
  reason: string | null;
  parcels: number | null;
  grossGrams: number | null;
  message: string;
  zh: { message: string };
}

/**
 * The logistic label of a bag or pallet, printed on a station's ZPL printer through its edge
 * agent: at creation (job `ULB-<sscc>`), then only as a reprint with its reason (`ULB-<sscc>-R<n>`),
 * recorded. A reprint shows the contents as they are now: once the unit is filled (or loaded), the
 * label carries the parcel count, the gross weight when every parcel was weighed, and the trip.
 */
@Injectable()
export class UnitLabelsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: UnitLabelsRepository,
    private readonly commands: DeviceCommandsService,
    private readonly trace: TraceRepository,
  ) {}

  /** The station's label printer, or a refusal that says the station has none. */
  async requirePrinter(stationId: string): Promise<string> {
    const deviceId = await this.repository.printerOf(stationId);
    if (!deviceId)
      throw new AppError(
        'VALIDATION_FAILED',
        `station ${stationId} has no label printer: choose a station with one, or register its printer`,
      );
    return deviceId;
  }

  async print(
    sscc: string,
    warehouseCode: string,
    stationId: string,
    actor: string,
    reprint?: { reason: string },
    printer?: string,
  ): Promise<UnitLabelPrint> {
    const unit = await this.repository.facts(sscc);
    if (!unit)
      throw new AppError('NOT_FOUND', `no bag or pallet has SSCC ${sscc}: check the number, or create the unit first`);
    if (unit.warehouse_code !== warehouseCode)
      throw new AppError(
        'CONFLICT',
        `${unit.kind} ${sscc} belongs to warehouse ${unit.warehouse_code}, not ${warehouseCode}: print its label there`,
      );
    if (unit.trip_status === 'departed')
      throw new AppError(
        'CONFLICT',
        `${unit.kind} ${sscc} already left on trip ${unit.trip_no}${unit.departed_at ? ` at ${unit.departed_at.toISOString()}` : ''}: its label is not printed again`,
      );
    const deviceId = printer ?? (await this.requirePrinter(stationId));
    const contents = this.contents(unit);
    const claimed = await this.repository.claim(sscc, (prints) => {
      if (prints.length && !reprint) return null;
      return {
        jobId: prints.length ? `ULB-${sscc}-R${prints.length}` : `ULB-${sscc}`,
        deviceId,
        stationId,
        reason: reprint?.reason ?? null,
        parcels: contents.parcels ?? null,
        grossGrams: contents.grossGrams ?? null,
        actor,
      };
    });
    if ('refused' in claimed) {
      const first = claimed.prints[0];
      throw new AppError(
        'CONFLICT',
        `the label of ${unit.kind} ${sscc} was already printed (${first.status}, job ${first.job_id}): a reprint must be asked for, with its reason`,
        { sscc, jobId: first.job_id },
      );
    }
    const n = claimed.reprint;
    const jobId = n ? `ULB-${sscc}-R${n}` : `ULB-${sscc}`;
    let zpl: string;
    try {
      zpl = buildUnitLabelZpl(
        {
          jobId,
          sscc,
          kind: unit.kind,
          warehouseName: unit.warehouse_name,
          destination: this.destination(unit),
          parcels: contents.parcels,
          grossGrams: contents.grossGrams,
          createdAt: new Date(unit.created_at),
          reprint: n,
        },
        { cjkFont: this.config.LABEL_CJK_FONT, timeZone: 'Asia/Shanghai' },
      );
    } catch (error) {
      const reason = (error as Error).message;
      await this.repository.transaction((tx) => this.repository.setStatus(tx, jobId, 'failed', reason));
      if (error instanceof UnitLabelError)
        throw new AppError('INVALID_VALUE', `the label of ${unit.kind} ${sscc} cannot be printed: ${reason}`);
      if (error instanceof LabelFontError) throw new AppError('DEPENDENCY_DOWN', reason);
      throw error;
    }
    // the agent prints a job id at most once; a reprint names the job it repeats when that printer has it
    const first = claimed.prints[0];
    const reprintOf = first && first.device_id === deviceId ? first.job_id : undefined;
    const record = await this.commands.send(
      deviceId,
      { type: 'print', jobId, zpl, ...(reprintOf ? { reprintOf } : {}) },
      actor,
    );
    await this.repository.transaction(async (tx) => {
      await this.repository.setStatus(tx, jobId, record.status, record.reason);
      await this.trace.record(tx, [
        {
          objectKind: 'stock',
          objectId: sscc,
          bizStep: 'packing',
          disposition: n ? 'label_reprinted' : 'label_printed',
          readPoint: stationId,
          actor,
          documents: { sscc, jobId, ...(unit.trip_no ? { tripNo: unit.trip_no } : {}) },
          detail: { status: record.status, reason: record.reason, reprintReason: reprint?.reason, ...contents },
        },
      ]);
    });
    const status = record.status as UnitLabelPrint['status'];
    const said =
      status === 'done'
        ? sayUnitLabel.printed(unit.kind, sscc, deviceId)
        : status === 'sent'
          ? sayUnitLabel.sent(unit.kind, sscc, deviceId)
          : sayUnitLabel.notPrinted(unit.kind, sscc, deviceId, record.reason);
    return {
      sscc,
      jobId,
      reprint: n,
      deviceId,
      status,
      reason: record.reason,
      parcels: contents.parcels ?? null,
      grossGrams: contents.grossGrams ?? null,
      message: said.en,
      zh: { message: said.zh },
    };
  }

  /** The trip's vehicle once the unit is on one, else the warehouse's gate (its supervised site code). */
  private destination(unit: UnitFacts): string {
    if (unit.trip_no) return `Trip ${unit.trip_no}${unit.plate ? `, vehicle ${unit.plate}` : ''}`;
    return `Gate of ${unit.warehouse_name}${unit.loct_no ? ` (${unit.loct_no})` : ''}`;
  }

  /** Count once it holds parcels; gross weight (parcels as weighed + the bag or pallet) once every one was weighed. */
  private contents(unit: UnitFacts): { parcels?: number; grossGrams?: number } {
    if (unit.parcels === 0) return {};
    const tareKg = unit.kind === 'bag' ? this.config.FLOOR_BAG_TARE_KG : this.config.FLOOR_PALLET_TARE_KG;
    if (unit.weighed < unit.parcels) return { parcels: unit.parcels };
    return { parcels: unit.parcels, grossGrams: Number(unit.parcel_grams) + Math.round(tareKg * 1000) };
  }
}

import { Injectable } from '@nestjs/common';
import type { ScanAnswer, StationAnswer } from '@wms/contracts';
import { AppError } from '../../platform/http/app-error.js';
import { CustomsRepository } from '../customs/declarations/customs.repository.js';
import type { Text } from '../floor/floor.messages.js';
import { ScanDispatcher } from '../floor/scan-dispatcher.js';
import { say } from '../floor/station.messages.js';
import { GateFactsRepository } from '../parcels/gate-facts.repository.js';
import { LabelsService } from '../parcels/labels.service.js';
import { WeighingService } from '../parcels/weighing.service.js';
import { type PendingEvent, type StationJobRow, StationJobsRepository } from './station-jobs.repository.js';

type Said = Pick<StationAnswer, 'outcome' | 'message' | 'next' | 'zh' | 'detail'>;

const said = (
  outcome: StationAnswer['outcome'],
  message: Text,
  next: Text,
  detail?: Record<string, unknown>,
): Said => ({
  outcome,
  message: message.en,
  next: next.en,
  zh: { message: message.zh, next: next.zh },
  ...(detail ? { detail } : {}),
});

const fromFloor = (a: ScanAnswer): Said => ({
  outcome: a.outcome,
  message: a.message,
  next: a.next,
  zh: a.zh,
  ...(a.detail ? { detail: a.detail } : {}),
});

/**
 * What the floor does with one event of a station device, in the name of the station's operator.
 * Each step is safe to run again after a crash: the floor scan is keyed by the event id, a parcel
 * that is packed is not packed again, a weighed one not weighed again, a label claimed once.
 */
@Injectable()
export class StationWorkService {
  constructor(
    private readonly floor: ScanDispatcher,
    private readonly weighing: WeighingService,
    private readonly labels: LabelsService,
    private readonly customs: CustomsRepository,
    private readonly gateFacts: GateFactsRepository,
    private readonly jobs: StationJobsRepository,
  ) {}

  async apply(stationId: string, event: PendingEvent, job: StationJobRow | null): Promise<StationAnswer> {
    const base = {
      eventId: event.event_id,
      stationId,
      deviceId: event.device_id,
      kind: event.kind,
      job: job?.job ?? null,
      code: event.code,
      grossGrams: event.gross_grams,
    };
    const answer = await this.decide(stationId, event, job);
    return { ...base, ...answer, at: new Date().toISOString() };
  }

  private async decide(stationId: string, event: PendingEvent, job: StationJobRow | null): Promise<Said> {
    if (event.kind === 'weight') {
      const grams = event.gross_grams ?? 0;
      if (!job) return said('noted', say.weightNoted(grams), say.chooseJob());
      if (job.job !== 'pack') return said('noted', say.weightNotForJob(grams, job.job), say.scanParcel());
      if (!job.current_parcel) return said('noted', say.weightNoted(grams), say.scanParcel());
      const done = await this.weighAndLabel(stationId, job, job.current_parcel);
      return done ?? said('noted', say.alreadyWeighed(job.current_parcel), say.nextParcel());
    }
    if (!job) return said('refused', say.noJob(), say.chooseJob());
    const floorAnswer = await this.floor.scan(
      {
        scanId: event.event_id,
        operation: job.job,
        warehouseCode: job.warehouse_code,
        stationId,
        code: event.code ?? '',
        condition: 'good',
        ...(job.delivery_no ? { deliveryNo: job.delivery_no } : {}),
        ...(job.stocktake_no ? { stocktakeNo: job.stocktake_no } : {}),
        ...(job.trip_no ? { tripNo: job.trip_no } : {}),
      },
      job.operator,
    );
    if (job.job !== 'pack' || floorAnswer.outcome !== 'ok') return fromFloor(floorAnswer);
    const logisticsNo = String(floorAnswer.detail?.logisticsNo);
    await this.jobs.setCurrentParcel(stationId, logisticsNo);
    // the parcel may already be on the scale: its stable weight is there, weigh it now
    const done = await this.weighAndLabel(stationId, { ...job, current_parcel: logisticsNo }, logisticsNo, true);
    if (!done) return fromFloor(floorAnswer);
    return { ...done, detail: { ...floorAnswer.detail, ...done.detail } };
  }

  /**
   * The parcel on the bench: weighed (if not yet) against its declared weight, then, within
   * tolerance, its label printed on the station printer (once). Null: nothing to do (no weight
   * yet, when asked from the scan; already weighed and labelled).
   */
  private async weighAndLabel(
    stationId: string,
    job: StationJobRow,
    logisticsNo: string,
    fromScan = false,
  ): Promise<Said | null> {
    const lists = await this.customs.listsByWaybill(logisticsNo);
    if (lists.length !== 1 || !lists[0].packed_at || lists[0].gate_passed_at) return null;
    const list = lists[0];
    const facts = (await this.gateFacts.factsOf(null, [list])).get(String(list.id))?.floor;
    let grossGrams: number;
    if (facts && facts.weighings > 0) {
      // weighed before (a replay after a crash, or a second scan): never weighed twice
      if (facts.lastLabelStatus !== null || !facts.latestWeighing) return null;
      if (!facts.latestWeighing.within) return null;
      grossGrams = facts.latestWeighing.grossGrams;
    } else {
      let verdict: Awaited<ReturnType<WeighingService['weigh']>>;
      try {
        verdict = await this.weighing.weigh(logisticsNo, stationId, job.operator);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        if (fromScan && error.code === 'VALIDATION_FAILED') return null; // no weight yet: put it on the scale
        return said('refused', say.weighFailed(error.message), say.putOnScale(), { logisticsNo, code: error.code });
      }
      const weighing = {
        logisticsNo,
        grossGrams: verdict.grossGrams,
        within: verdict.within,
        declaredGrams: verdict.declaredGrams,
        toleranceGrams: verdict.toleranceGrams,
      };
      if (!verdict.within) {
        await this.jobs.setCurrentParcel(stationId, null);
        return said('held', say.weightHeld(logisticsNo, verdict.message), say.toReview(), {
          ...weighing,
          held: true,
          reason: `weight check: ${verdict.message}`,
        });
      }
      grossGrams = verdict.grossGrams;
    }
    await this.jobs.setCurrentParcel(stationId, null);
    try {
      const printed = await this.labels.print(logisticsNo, stationId, job.operator);
      const detail = { logisticsNo, grossGrams, within: true, sscc: printed.sscc, jobId: printed.jobId };
      if (printed.status === 'done' || printed.status === 'sent')
        return said('ok', say.weighedLabelled(logisticsNo, grossGrams, printed.sscc), say.nextParcel(), {
          ...detail,
          label: printed.status,
        });
      const why = printed.reason ?? printed.status;
      return said('refused', say.weighedLabelFailed(logisticsNo, grossGrams, why), say.reprintFromScreen(), {
        ...detail,
        label: printed.status,
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return said('refused', say.weighedLabelFailed(logisticsNo, grossGrams, error.message), say.reprintFromScreen(), {
        logisticsNo,
        grossGrams,
        within: true,
        code: error.code,
      });
    }
  }
}

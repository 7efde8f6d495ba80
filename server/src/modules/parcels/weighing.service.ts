import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { pgArray } from '../../platform/database/pg-array.js';
import { AppError } from '../../platform/http/app-error.js';
import { CustomsRepository } from '../customs/declarations/customs.repository.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { GateFactsRepository } from './gate-facts.repository.js';
import { ParcelsRepository } from './parcels.repository.js';
import { weightVerdict } from './weight.rules.js';

/**
 * The weight check at the packing station: the newest stable weight of the station's scale against
 * the declared and the expected weight (weight.rules.ts). Out of tolerance, the parcel is held.
 */
@Injectable()
export class WeighingService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customs: CustomsRepository,
    private readonly parcels: ParcelsRepository,
    private readonly trace: TraceRepository,
    private readonly gateFacts: GateFactsRepository,
  ) {}

  async weigh(logisticsNo: string, stationId: string, actor: string) {
    const result = await this.parcels.transaction(async (em) => {
      const lists = await this.customs.listForUpdate(em, { logisticsNo });
      if (lists.length !== 1)
        throw new AppError(
          lists.length ? 'CONFLICT' : 'NOT_FOUND',
          `parcel ${logisticsNo} is ${lists.length ? 'ambiguous' : 'not known'}`,
        );
      const list = lists[0];
      await this.gateFacts.refuseIfShipped(em, list);
      const weights = await em.execute<Array<{ id: string; gross_grams: number }>>(
        // the newest recent weight that is not another parcel's: the previous parcel's weight is
        // never taken for this one (one placement on the scale weighs one parcel)
        `select e.id, e.gross_grams from weight_event e where e.station_id = ? and e.recorded_at > now() - (? * interval '1 second')
           and not exists (select 1 from weight_check c where c.weight_event_id = e.id and c.list_id <> ?)
         order by e.recorded_at desc, e.id desc limit 1`,
        [stationId, this.config.FLOOR_WEIGHT_MAX_AGE_S, list.id],
      );
      if (!weights.length)
        throw new AppError(
          'VALIDATION_FAILED',
          `no stable weight for parcel ${logisticsNo} from the scale of ${stationId} in the last ${this.config.FLOOR_WEIGHT_MAX_AGE_S} s (a weight already taken for another parcel does not count): put the parcel on the scale`,
        );
      const declaredKg = Number(list.head.grossWeight);
      const declaredGrams = Number.isFinite(declaredKg) && declaredKg > 0 ? Math.round(declaredKg * 1000) : null;
      const goods = await em.execute<Array<{ sku: string; owner_code: string; gross_grams: number | null }>>(
        'select sku, owner_code, gross_grams from goods where (owner_code, sku) in (select unnest(?::text[]), unnest(?::text[]))',
        [pgArray(list.lines.map((l) => l.ownerCode)), pgArray(list.lines.map((l) => l.sku))],
      );
      const perUnit = list.lines.map(
        (l) => goods.find((g) => g.sku === l.sku && g.owner_code === l.ownerCode)?.gross_grams ?? null,
      );
      const expectedGrams = perUnit.every((g) => g !== null)
        ? list.lines.reduce((s, l, i) => s + (perUnit[i] as number) * l.units, 0)
        : null;
      const verdict = weightVerdict({
        grossGrams: weights[0].gross_grams,
        declaredGrams,
        expectedGrams,
        toleranceGrams: this.config.FLOOR_WEIGHT_TOLERANCE_GRAMS,
        tolerancePct: this.config.FLOOR_WEIGHT_TOLERANCE_PCT,
      });
      await em.execute(
        `insert into weight_check (list_id, logistics_no, station_id, weight_event_id, gross_grams, declared_grams, expected_grams, tolerance_grams, within, actor)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          list.id,
          logisticsNo,
          stationId,
          weights[0].id,
          verdict.grossGrams,
          declaredGrams,
          expectedGrams,
          verdict.toleranceGrams,
          verdict.within,
          actor,
        ],
      );
      if (!verdict.within && !list.hold_reason)
        await this.parcels.holdBy(em, list.id, `weight check: ${verdict.message}`, 'weight-check');
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: logisticsNo,
          bizStep: verdict.within ? 'packing' : 'holding',
          disposition: verdict.within ? 'weighed' : 'weight_hold',
          readPoint: stationId,
          actor,
          documents: { logisticsNo, invtNo: list.invt_no },
          detail: { ...verdict },
        },
      ]);
      const placedHold = !verdict.within && !list.hold_reason;
      return { answer: { logisticsNo, ...verdict, held: !verdict.within }, placedHold, message: verdict.message };
    });
    // a weight hold is a hold like a customs one: the same event, after the commit
    if (result.placedHold)
      this.parcels.holdChanged(logisticsNo, true, `weight check: ${result.message}`, 'weight-check');
    return result.answer;
  }
}

import { AppError } from '../../platform/http/app-error.js';
import { sayCredit } from '../credit/credit.messages.js';
import type { CustomsRepository } from '../customs/declarations/customs.repository.js';
import { answerOk, Refusal, type ScanAnswer } from '../floor/floor.answers.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import { say } from '../floor/station.messages.js';
import type { PackingService } from './packing.service.js';

/**
 * A scan at the packing bench (the `pack` job, from a station or a handheld): packs the parcel if
 * it is not packed yet. Weighing and the label follow on the station (station-work.service.ts).
 * The answer's detail names the parcel, so the station makes it the parcel on its bench.
 */
export async function packStationScan(
  packing: PackingService,
  customs: CustomsRepository,
  input: ScanInput,
  code: ScannedCode,
  actor: string,
): Promise<ScanAnswer> {
  if (code.kind !== 'plain') throw new Refusal(say.notAParcel(), say.scanParcel());
  const logisticsNo = code.text;
  const lists = await customs.listsByWaybill(logisticsNo);
  if (lists.length === 1 && lists[0].packed_at && !lists[0].gate_passed_at)
    return answerOk(input, say.alreadyPacked(logisticsNo), say.putOnScale(), { logisticsNo, alreadyPacked: true });
  try {
    const packed = await packing.pack(logisticsNo, actor, input.stationId);
    const units = packed.picks.reduce((s, p) => s + p.qty, 0);
    // pre-selected by credit grade (issue 13): held, so it goes to the inspection area, not the scale
    if (packed.inspection)
      return answerOk(
        input,
        sayCredit.preselected(logisticsNo, packed.inspection.grade, packed.inspection.ratePpm),
        sayCredit.toInspectionArea(),
        { logisticsNo, alreadyPacked: false, held: true },
      );
    return answerOk(input, say.packed(logisticsNo, units), say.putOnScale(), { logisticsNo, alreadyPacked: false });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const zh = (error.details as { reasonZh?: string } | undefined)?.reasonZh;
    const refusal = say.cannotPack(error.message);
    throw new Refusal(zh ? { en: refusal.en, zh } : refusal, say.nextParcel(), { logisticsNo, code: error.code });
  }
}

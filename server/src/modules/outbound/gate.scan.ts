import { AppError } from '../../platform/http/app-error.js';
import { answerOk, Refusal, type ScanAnswer } from '../floor/floor.answers.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import { say } from '../floor/station.messages.js';
import type { GateService } from './gate.service.js';

/**
 * A scan at the gate (the `gate` job): the gate rule's answer for the parcel, passed (written off
 * the book under a gate pass) or refused with every reason. Bags and pallets leave with their trip.
 */
export async function gateScan(
  gate: GateService,
  input: ScanInput,
  code: ScannedCode,
  actor: string,
): Promise<ScanAnswer> {
  if (code.kind === 'sscc') throw new Refusal(say.gateUnitWithTrip(), say.nextParcel(), { sscc: code.sscc });
  if (code.kind !== 'plain') throw new Refusal(say.notAParcel(), say.scanParcel());
  try {
    const passed = await gate.pass({ logisticsNo: code.text, readPoint: input.stationId }, actor);
    return answerOk(input, say.gatePassed(passed.logisticsNo, passed.gatePassNo), say.nextParcel(), { ...passed });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const details = (error.details ?? {}) as { reasonZh?: string; checks?: unknown };
    throw new Refusal({ en: error.message, zh: details.reasonZh ?? error.message }, say.gateRefusedNext(), {
      logisticsNo: code.text,
      code: error.code,
      ...(details.checks ? { checks: details.checks } : {}),
    });
  }
}

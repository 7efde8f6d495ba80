import { Injectable } from '@nestjs/common';
import type { Sql as Em } from '../../platform/database/sql.js';
import { CustomsRepository } from '../customs/declarations/customs.repository.js';
import { answerOk, Refusal, type ScanAnswer } from '../floor/floor.answers.js';
import { say } from '../floor/floor.messages.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { GateFactsRepository } from './gate-facts.repository.js';

/**
 * A parcel customs selected (500) or that is held arrives at the inspection area: a step in the
 * parcel's own state (its hold and customs status), so it lives with the parcel.
 */
@Injectable()
export class InspectionService {
  constructor(
    private readonly customs: CustomsRepository,
    private readonly trace: TraceRepository,
    private readonly gateFacts: GateFactsRepository,
  ) {}

  /** The closed-parcel guard (parcels/shipped.rules.ts) as a scan refusal. */
  async refuseIfShipped(em: Em, list: Parameters<GateFactsRepository['shippedRefusalOf']>[1]): Promise<void> {
    const shipped = await this.gateFacts.shippedRefusalOf(em, list);
    if (shipped) throw new Refusal(shipped, say.setAsideParcel());
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

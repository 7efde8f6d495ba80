import { Injectable } from '@nestjs/common';
import type { Sql as Em } from '../../platform/database/sql.js';
import { AppError } from '../../platform/http/app-error.js';
import { CustomsActionsService } from '../customs/actions/customs-actions.service.js';
import { CustomsRepository } from '../customs/declarations/customs.repository.js';
import { isApproved } from '../customs/rules/receipt-order.js';
import { answerOk, Refusal, type ScanAnswer, type Session } from '../floor/floor.answers.js';
import { say } from '../floor/floor.messages.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import { StorageRepository } from '../storage/storage.repository.js';
import { TraceRepository } from '../trace/trace.repository.js';

/**
 * The returns desk. A return is goods coming back in: scanned, inspected and restocked under the
 * customs return (CEB625/626) it belongs to, so it lives with receiving. The return's own record
 * (customs_return) is the customs context's: read through CustomsRepository.latestReturnOf and
 * received through CustomsActionsService.receiveReturnIn, in the scan's transaction.
 */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly actions: CustomsActionsService,
    private readonly customs: CustomsRepository,
    private readonly storage: StorageRepository,
    private readonly trace: TraceRepository,
  ) {}

  /** A returned parcel at the returns desk: scan it, inspect it, scan where it goes back. */
  async returnsScan(em: Em, input: ScanInput, code: ScannedCode, session: Session, actor: string): Promise<ScanAnswer> {
    const text = code.kind === 'plain' ? code.text : input.code;
    if (await this.storage.isLocation(em, input.warehouseCode, text)) {
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
    const ret = await this.customs.latestReturnOf(em, text, input.warehouseCode);
    if (!ret) throw new Refusal(say.returnUnknown(text), say.keepInReturns());
    if (ret.received_at) throw new Refusal(say.returnReceived(ret.cop_no), say.scanNextReturn());
    if (!isApproved(ret.status))
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
}

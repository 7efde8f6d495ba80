import { Injectable } from '@nestjs/common';
import { DocNumbers } from '../../platform/database/doc-numbers.js';
import { SqlRunner, type SqlTransaction } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { CustomsRepository, type Em, type ListRow } from '../customs/declarations/customs.repository.js';
import { requiredAction } from '../customs/rules/customs-status.js';
import {
  movementsInsert,
  type ParcelContentRow,
  parcelContentsQuery,
  placedLinesOf,
} from '../inventory/ledger.repository.js';
import { gatePassMovements } from '../inventory/ledger-rules.js';
import { GateFactsRepository } from '../parcels/gate-facts.repository.js';
import { gatePassedUpdate } from '../parcels/parcels.repository.js';
import { traceInsert } from '../trace/trace.repository.js';
import { failedChecks } from './gate.rules.js';
import type { GatePass } from './outbound.schemas.js';

/** Gate passes: the rule in gate.rules.ts; passing writes the units off the book and the shelves. */
@Injectable()
export class GateService {
  constructor(
    private readonly customs: CustomsRepository,
    private readonly docNumbers: DocNumbers,
    private readonly events: DomainEvents,
    private readonly sql: SqlRunner,
    private readonly gateFacts: GateFactsRepository,
  ) {}

  async pass(input: GatePass, actor: string) {
    const result = await this.sql.transaction(async (em) => {
      let lists = await this.customs.listForUpdate(em, { logisticsNo: input.logisticsNo });
      if (input.logisticsCode) lists = lists.filter((l) => l.logistics_code === input.logisticsCode);
      if (!lists.length)
        return {
          refused: `parcel ${input.logisticsNo} is unknown: no declared list names it; take it to the exceptions desk`,
          refusedZh: `包裹 ${input.logisticsNo} 未知：没有申报清单对应此运单号，请送到异常处理台`,
        };
      if (lists.length > 1)
        return {
          refused: `waybill number ${input.logisticsNo} is used by several carriers: scan again with the carrier code`,
          refusedZh: `运单号 ${input.logisticsNo} 被多个物流企业使用：请带物流企业代码重新扫描`,
        };
      const list = lists[0];
      const decision = await this.gateFacts.decision(em, list);
      if (!decision.allowed) {
        // the refusal's trace goes with the COMMIT, in one round trip
        const refused = traceInsert([
          {
            objectKind: 'parcel',
            objectId: list.logistics_no,
            bizStep: 'departing',
            disposition: 'gate_refused',
            readPoint: input.readPoint,
            actor,
            documents: { orderNo: list.order_no, copNo: list.cop_no, invtNo: list.invt_no },
            detail: { reason: decision.reason, failed: failedChecks(decision), customsStatus: list.customs_status },
          },
        ]);
        await em.executeAndCommit(refused.sql, refused.params);
        return { refused: decision.reason, refusedZh: decision.reasonZh, list, checks: decision.checks };
      }
      const { gatePassNo, at } = await this.writeOff(em, list, input.readPoint ?? null, actor, {}, { commit: true });
      return { passed: { logisticsNo: list.logistics_no, copNo: list.cop_no, gatePassNo, at: at.toISOString() } };
    });
    if ('refused' in result && result.refused) {
      const list = result.list;
      throw new AppError('GATE_REFUSED', result.refused, {
        logisticsNo: input.logisticsNo,
        reasonZh: result.refusedZh,
        customsStatus: list?.customs_status ?? null,
        requiredAction: list ? (list.hold_reason ? 'hold' : requiredAction(list.customs_status)) : 'exception',
        ...('checks' in result && result.checks ? { checks: result.checks } : {}),
      });
    }
    const passed = (result as { passed: { logisticsNo: string; gatePassNo: string; at: string; copNo: string } })
      .passed;
    this.events.emit('parcel.gatePassed', {
      logisticsNo: passed.logisticsNo,
      gatePassNo: passed.gatePassNo,
      at: passed.at,
    });
    return passed;
  }

  /**
   * The parcel leaves: its units are written off the book and the shelves under a gate pass, in
   * the caller's transaction (the caller has checked the gate rule on the locked list). Two round
   * trips: the pass number with the parcel's contents, then the movements, the list's gate pass
   * and the trace in one statement (with the COMMIT when the caller says this is its last).
   */
  async writeOff(
    em: Em | SqlTransaction,
    list: Pick<ListRow, 'id' | 'warehouse_code' | 'logistics_no' | 'order_no' | 'cop_no' | 'invt_no'>,
    readPoint: string | null,
    actor: string,
    documents: Record<string, string> = {},
    { commit = false }: { commit?: boolean } = {},
  ): Promise<{ gatePassNo: string; at: Date; units: number }> {
    const { docNo: gatePassNo, rows } = await this.docNumbers.nextWith<ParcelContentRow>(
      em,
      'GP',
      parcelContentsQuery(list.warehouse_code, list.logistics_no),
    );
    const contents = placedLinesOf(rows, list.logistics_no);
    const at = new Date();
    const units = contents.reduce((s, c) => s + c.qty, 0);
    const movements = movementsInsert(
      gatePassMovements(list.warehouse_code, gatePassNo, list.logistics_no, contents),
      actor,
      null,
    );
    const passed = gatePassedUpdate(list.id, at, gatePassNo);
    const trace = traceInsert([
      {
        objectKind: 'parcel',
        objectId: list.logistics_no,
        bizStep: 'departing',
        disposition: 'in_transit',
        readPoint,
        actor,
        documents: { orderNo: list.order_no, copNo: list.cop_no, invtNo: list.invt_no, gatePassNo, ...documents },
        detail: { units },
      },
    ]);
    const sql = `with m as (${movements.sql}), p as (${passed.sql}), t as (${trace.sql}) select 1`;
    const params = [...movements.params, ...passed.params, ...trace.params];
    if (commit) await (em as SqlTransaction).executeAndCommit(sql, params);
    else await em.execute(sql, params);
    return { gatePassNo, at, units };
  }
}

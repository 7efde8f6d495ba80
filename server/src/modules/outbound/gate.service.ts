import { Injectable } from '@nestjs/common';
import { DocNumbers, documentDay } from '../../platform/database/doc-numbers.js';
import { SqlRunner, type SqlTransaction } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import type { Em, ListRow } from '../customs/declarations/customs.repository.js';
import { requiredAction } from '../customs/rules/customs-status.js';
import {
  movementsInsert,
  type ParcelContentRow,
  parcelContentsQuery,
  placedLinesOf,
} from '../inventory/ledger.repository.js';
import { gatePassMovements, type PlacedLine } from '../inventory/ledger-rules.js';
import { GateFactsRepository, gateFactsOf } from '../parcels/gate-facts.repository.js';
import { gatePassedUpdate } from '../parcels/parcels.repository.js';
import { traceInsert } from '../trace/trace.repository.js';
import { failedChecks, gateDecision } from './gate.rules.js';
import type { GatePass } from './outbound.schemas.js';

/** Gate passes: the rule in gate.rules.ts; passing writes the units off the book and the shelves. */
@Injectable()
export class GateService {
  constructor(
    private readonly docNumbers: DocNumbers,
    private readonly events: DomainEvents,
    private readonly sql: SqlRunner,
    private readonly gateFacts: GateFactsRepository,
  ) {}

  /**
   * A gate pass in two round trips, neither holding a lock across the other: read the parcel's
   * list and facts, decide with the gate rule, then write it off in one statement guarded by what
   * the rule read (the list still inside and as it was: status, hold, packed). When a concurrent
   * change moved those facts (a hold, another pass of the same parcel), nothing was written: read
   * and decide again, and after a few tries ask for the scan again.
   */
  async pass(input: GatePass, actor: string) {
    for (let attempt = 1; ; attempt++) {
      let lists = await this.gateFacts.gateRead(this.sql, input.logisticsNo);
      if (input.logisticsCode) lists = lists.filter((l) => l.logistics_code === input.logisticsCode);
      if (!lists.length)
        throw new AppError(
          'GATE_REFUSED',
          `parcel ${input.logisticsNo} is unknown: no declared list names it; take it to the exceptions desk`,
          {
            logisticsNo: input.logisticsNo,
            reasonZh: `包裹 ${input.logisticsNo} 未知：没有申报清单对应此运单号，请送到异常处理台`,
            customsStatus: null,
            requiredAction: 'exception',
          },
        );
      if (lists.length > 1)
        throw new AppError(
          'GATE_REFUSED',
          `waybill number ${input.logisticsNo} is used by several carriers: scan again with the carrier code`,
          {
            logisticsNo: input.logisticsNo,
            reasonZh: `运单号 ${input.logisticsNo} 被多个物流企业使用：请带物流企业代码重新扫描`,
            customsStatus: null,
            requiredAction: 'exception',
          },
        );
      const list = lists[0];
      const facts = gateFactsOf(list);
      const decision = gateDecision(list, facts.floor, facts.settings);
      if (!decision.allowed) {
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
        await this.sql.execute(refused.sql, refused.params);
        throw new AppError('GATE_REFUSED', decision.reason, {
          logisticsNo: input.logisticsNo,
          reasonZh: decision.reasonZh,
          customsStatus: list.customs_status ?? null,
          requiredAction: list.hold_reason ? 'hold' : requiredAction(list.customs_status),
          checks: decision.checks,
        });
      }
      const gatePassNo = `GP${documentDay(new Date())}${String(list.pass_seq).padStart(8, '0')}`;
      const at = new Date();
      const write = this.writeOffStatement(list, placedLinesOf(list.contents, list.logistics_no), gatePassNo, at, {
        readPoint: input.readPoint ?? null,
        actor,
        documents: {},
      });
      // the guard: still inside, and the facts the rule passed it on unchanged (a row lock, so a
      // concurrent pass or hold that committed first is seen and this one writes nothing)
      const [{ applied }] = await this.sql.execute<Array<{ applied: number }>>(
        `with g as (select id from inventory_list where id = ? and gate_passed_at is null and state = ?
             and customs_status is not distinct from ?::int and hold_reason is not distinct from ?::text
             and held_by is not distinct from ?::text and (packed_at is null) = ?::boolean for update),
         ${write.ctes}
         select count(*)::int as applied from g`,
        [
          list.id,
          list.state,
          list.customs_status,
          list.hold_reason,
          list.held_by,
          list.packed_at === null,
          ...write.params,
        ],
      );
      if (applied) {
        const passed = { logisticsNo: list.logistics_no, copNo: list.cop_no, gatePassNo, at: at.toISOString() };
        this.events.emit('parcel.gatePassed', { logisticsNo: passed.logisticsNo, gatePassNo, at: passed.at });
        return passed;
      }
      if (attempt >= 3)
        throw new AppError(
          'CONFLICT',
          `parcel ${list.logistics_no} changed while it was passing the gate (held, released or passed at the same moment): scan it again`,
          { logisticsNo: list.logistics_no, reasonZh: `包裹 ${list.logistics_no} 过卡口时状态刚刚变化：请重新扫描` },
        );
    }
  }

  /**
   * The write-off's rows as CTEs of one statement, each written only when the guard CTE `g`
   * (the list, locked) has its row: the movements, the list's gate pass and the trace.
   */
  private writeOffStatement(
    list: Pick<ListRow, 'id' | 'warehouse_code' | 'logistics_no' | 'order_no' | 'cop_no' | 'invt_no'>,
    contents: PlacedLine[],
    gatePassNo: string,
    at: Date,
    { readPoint, actor, documents }: { readPoint: string | null; actor: string; documents: Record<string, string> },
  ) {
    const units = contents.reduce((s, c) => s + c.qty, 0);
    const movements = movementsInsert(
      gatePassMovements(list.warehouse_code, gatePassNo, list.logistics_no, contents),
      actor,
      null,
    );
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
    const parts = [
      { sql: `m as (${movements.sql} where exists (select 1 from g))`, params: movements.params },
      {
        sql: `p as (update inventory_list set gate_passed_at = ?, gate_pass_no = ?, updated_at = now() where id in (select id from g))`,
        params: [at, gatePassNo],
      },
      { sql: `t as (${trace.sql} where exists (select 1 from g))`, params: trace.params },
    ];
    return { ctes: parts.map((p) => p.sql).join(',\n'), params: parts.flatMap((p) => p.params) };
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

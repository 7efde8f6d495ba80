import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import type { Sql } from '../../platform/database/sql.js';
import { AppError } from '../../platform/http/app-error.js';
import type { ListRow } from '../customs/declarations/customs.repository.js';
import { PARCEL_CONTENTS_OF_LIST, type ParcelContentRow } from '../inventory/ledger.repository.js';
import { parcelLocation } from '../inventory/ledger-rules.js';
import {
  DEFAULT_GATE_SETTINGS,
  type FloorFacts,
  type GateDecision,
  type GateFacts,
  type GateSettings,
  gateDecision,
} from '../outbound/gate.rules.js';
import { type ShipmentFacts, shippedRefusal } from './shipped.rules.js';

/** A list as the gate rule needs it, with its id and warehouse. */
export type GateList = GateFacts & { id: string | number; warehouse_code: string };

interface FactsRow {
  list_id: string;
  require_weighing: boolean | null;
  require_label: boolean | null;
  weighings: number;
  latest: {
    gross_grams: number;
    within: boolean;
    hold_lifted_by: string | null;
    hold_lift_reason: string | null;
  } | null;
  label_printed: boolean;
  last_label_status: string | null;
  trip_no: string | null;
}

const NO_FLOOR: FloorFacts = {
  weighings: 0,
  latestWeighing: null,
  labelPrinted: false,
  lastLabelStatus: null,
  tripNo: null,
};

/** What the closed-parcel guard reads of a parcel's inventory list row. */
export interface ShippedParcel {
  id: string | number;
  logistics_no: string;
  gate_passed_at: Date | string | null;
  gate_pass_no?: string | null;
}

/**
 * The gate facts of the list `l` (joined with its warehouse `w`) as columns of a select: for
 * factsOf, and for a room that reads them with the list in one statement (the gate pass).
 */
export const GATE_FACT_COLUMNS = `w.gate_requires_weighing as require_weighing, w.gate_requires_label as require_label,
         (select count(*)::int from weight_check c where c.list_id = l.id) as weighings,
         (select to_jsonb(c) from (select gross_grams, within, hold_lifted_by, hold_lift_reason from weight_check c
            where c.list_id = l.id order by c.created_at desc, c.id desc limit 1) c) as latest,
         exists (select 1 from label_print p
            left join device_command dc on dc.device_id = p.device_id and dc.job_id = p.job_id
            where p.list_id = l.id and (p.status = 'done' or dc.status = 'done')) as label_printed,
         (select case when dc.status = 'done' then 'done' else p.status end from label_print p
            left join device_command dc on dc.device_id = p.device_id and dc.job_id = p.job_id
            where p.list_id = l.id order by p.reprint desc limit 1) as last_label_status,
         (select u.trip_no from handling_unit_parcel hp join handling_unit u on u.sscc = hp.sscc
            where hp.list_id = l.id limit 1) as trip_no`;

/** A list as the gate pass reads it: the row, its gate facts, its parcel's contents, a pass number. */
export type GateRead = ListRow & GateFactColumns & { contents: ParcelContentRow[]; pass_seq: string };

/** The columns of GATE_FACT_COLUMNS as the gate rule reads them. */
export type GateFactColumns = Omit<FactsRow, 'list_id'>;

export function gateFactsOf(r: GateFactColumns): { floor: FloorFacts; settings: GateSettings } {
  return {
    settings: {
      requireWeighing: r.require_weighing ?? DEFAULT_GATE_SETTINGS.requireWeighing,
      requireLabel: r.require_label ?? DEFAULT_GATE_SETTINGS.requireLabel,
    },
    floor: {
      weighings: r.weighings,
      latestWeighing: r.latest
        ? {
            grossGrams: r.latest.gross_grams,
            within: r.latest.within,
            holdLiftedBy: r.latest.hold_lifted_by,
            holdLiftReason: r.latest.hold_lift_reason,
          }
        : null,
      labelPrinted: r.label_printed,
      lastLabelStatus: r.last_label_status,
      tripNo: r.trip_no,
    },
  };
}

/**
 * What the gate rule reads beyond the list: the parcel's weighings and label prints, the trip it
 * went on and the warehouse's gate settings, for one parcel or a page of them in one statement.
 * Read only; the floor writes these records. A print counts once the printer confirmed it, also
 * when its answer came after the server stopped waiting (the device command has it).
 */
@Injectable()
export class GateFactsRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  private on(em: Sql | null): Sql {
    return em ?? this.orm.em;
  }

  async factsOf(
    em: Sql | null,
    lists: Array<{ id: string | number }>,
  ): Promise<Map<string, { floor: FloorFacts; settings: GateSettings }>> {
    const out = new Map<string, { floor: FloorFacts; settings: GateSettings }>();
    if (!lists.length) return out;
    const rows = await this.on(em).execute<FactsRow[]>(
      `select l.id::text as list_id, ${GATE_FACT_COLUMNS}
       from inventory_list l left join warehouse w on w.code = l.warehouse_code
       where l.id = any(?::bigint[])`,
      [`{${lists.map((l) => String(l.id)).join(',')}}`],
    );
    for (const r of rows) out.set(r.list_id, gateFactsOf(r));
    return out;
  }

  /**
   * A gate pass's one read (autocommit, no locks): every list naming the waybill with its gate
   * facts, what its parcel holds (the units the pass writes off) and a gate pass number (taken
   * here so the write needs no round trip of its own; a refused or changed pass leaves a gap,
   * never a duplicate, as a rolled-back number does).
   */
  async gateRead(sql: Sql, logisticsNo: string): Promise<GateRead[]> {
    return sql.execute<GateRead[]>(
      `select l.*, ${GATE_FACT_COLUMNS},
         (select coalesce(jsonb_agg(q), '[]'::jsonb) from (${PARCEL_CONTENTS_OF_LIST}) q) as contents,
         (select nextval('customs_doc_seq')) as pass_seq
       from inventory_list l left join warehouse w on w.code = l.warehouse_code
       where l.logistics_no = ? order by l.id`,
      [parcelLocation(logisticsNo), logisticsNo],
    );
  }

  /** The gate rule's answer for each list, by list id (the parcel view, the gate, loading). */
  async decisions(em: Sql | null, lists: GateList[]): Promise<Map<string, GateDecision>> {
    const facts = await this.factsOf(em, lists);
    return new Map(
      lists.map((l) => {
        const f = facts.get(String(l.id));
        return [String(l.id), gateDecision(l, f?.floor ?? NO_FLOOR, f?.settings ?? DEFAULT_GATE_SETTINGS)];
      }),
    );
  }

  async decision(em: Sql | null, list: GateList): Promise<GateDecision> {
    return (await this.decisions(em, [list])).get(String(list.id))!;
  }

  /**
   * The closed-parcel guard (shipped.rules.ts) for an HTTP floor operation: refuses with
   * PARCEL_SHIPPED once the parcel is past the gate. Costs a look-up only for a parcel that left.
   */
  async refuseIfShipped(em: Sql | null, list: ShippedParcel): Promise<void> {
    const refusal = await this.shippedRefusalOf(em, list);
    if (refusal)
      throw new AppError('PARCEL_SHIPPED', refusal.en, { logisticsNo: list.logistics_no, reasonZh: refusal.zh });
  }

  /** Why a floor operation may not touch this parcel (it left), or null while it is inside. */
  async shippedRefusalOf(em: Sql | null, list: ShippedParcel): Promise<{ en: string; zh: string } | null> {
    if (!list.gate_passed_at) return null;
    const rows = await this.on(em).execute<Array<{ trip_no: string | null }>>(
      `select u.trip_no from handling_unit_parcel hp join handling_unit u on u.sscc = hp.sscc where hp.list_id = ? limit 1`,
      [list.id],
    );
    const parcel: ShipmentFacts = {
      logisticsNo: list.logistics_no,
      gatePassedAt: list.gate_passed_at,
      gatePassNo: list.gate_pass_no ?? null,
    };
    return shippedRefusal(parcel, rows[0]?.trip_no ?? null);
  }

  /**
   * Lifting a weight-check hold needs a re-weigh after the hold was placed (DOMAIN.md §8): the
   * lift is recorded on that weighing, with who and why, and the gate reads it there.
   */
  async acceptReweigh(
    em: Sql,
    list: { id: string | number; logistics_no: string; held_at: Date | string | null },
    by: string,
    reason: string | null,
  ): Promise<void> {
    const rows = await em.execute<Array<{ id: string }>>(
      `select id from weight_check where list_id = ? and created_at > coalesce(?::timestamptz, '-infinity')
       order by created_at desc, id desc limit 1`,
      [list.id, list.held_at ? new Date(list.held_at).toISOString() : null],
    );
    if (!rows.length)
      throw new AppError(
        'CUSTOMS_STATE',
        `parcel ${list.logistics_no} was not re-weighed since its weight-check hold: put it on the scale again, then lift the hold with the reason`,
        { reasonZh: `包裹 ${list.logistics_no} 暂扣后尚未复称：请重新过秤，再填写原因解除暂扣` },
      );
    await em.execute(
      'update weight_check set hold_lifted_at = now(), hold_lifted_by = ?, hold_lift_reason = ? where id = ?',
      [by, reason, rows[0].id],
    );
  }
}

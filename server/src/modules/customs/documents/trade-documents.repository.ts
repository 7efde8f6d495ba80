import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../../platform/database/orm.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import type { importJob } from './trade-documents.schemas.js';

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged' | 'locked';

export interface DocumentRow {
  /** Business key, e.g. `ebpCode|orderNo`. */
  key: string;
  k1: string;
  k2: string;
  orderNo: string;
  extra: Record<string, string | null>;
  doc: unknown;
}

interface TableSpec {
  table: 'trade_order' | 'trade_payment' | 'trade_waybill';
  keys: [string, string];
  extra: string[];
  /** SQL condition (on input row `i`) true when the document is already declared and may not change. */
  locked: string;
}

const TABLES: Record<'order' | 'payment' | 'waybill', TableSpec> = {
  order: {
    table: 'trade_order',
    keys: ['ebp_code', 'order_no'],
    extra: ['ebc_code', 'buyer_id_number', 'actural_paid'],
    locked: `exists (select 1 from inventory_list l where l.ebp_code = i.k1 and l.order_no = i.k2 and l.state = 'declared')`,
  },
  payment: {
    table: 'trade_payment',
    keys: ['pay_code', 'pay_transaction_id'],
    extra: [],
    locked: `exists (select 1 from inventory_list l where l.order_no = i.order_no and l.state = 'declared')`,
  },
  waybill: {
    table: 'trade_waybill',
    keys: ['logistics_code', 'logistics_no'],
    extra: [],
    locked: `exists (select 1 from inventory_list l where l.logistics_code = i.k1 and l.logistics_no = i.k2 and l.state = 'declared')`,
  },
};

@Injectable()
export class TradeDocumentsRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /**
   * Stores documents by business key in one statement per chunk. A document received again
   * unchanged is `unchanged`; a changed one replaces the stored version (`updated`) unless its
   * parcel is already declared to customs (`locked`: cancel the list first).
   */
  async upsert(
    kind: 'order' | 'payment' | 'waybill',
    direction: 'import' | 'export',
    rows: DocumentRow[],
  ): Promise<Map<string, UpsertOutcome>> {
    const spec = TABLES[kind];
    const [c1, c2] = spec.keys;
    const extraCols = spec.extra.map((c) => `, ${c}`).join('');
    const extraSel = spec.extra.map((c) => `, i.${c}`).join('');
    const extraDefs = spec.extra.map((c) => `, ${c} ${c === 'actural_paid' ? 'numeric' : 'text'}`).join('');
    const extraSet = spec.extra.map((c) => `, ${c} = excluded.${c}`).join('');
    const input = rows.map((r) => ({ k1: r.k1, k2: r.k2, order_no: r.orderNo, doc: r.doc, ...r.extra }));
    const result = await this.orm.em.execute<Array<{ outcome: UpsertOutcome; k1: string; k2: string }>>(
      `with input as (
         select * from jsonb_to_recordset(?::jsonb) as x(k1 text, k2 text, order_no text, doc jsonb${extraDefs})
       ),
       locked as (
         select i.k1, i.k2 from input i join ${spec.table} t on t.${c1} = i.k1 and t.${c2} = i.k2
         where t.doc is distinct from i.doc and ${spec.locked}
       ),
       up as (
         insert into ${spec.table} (direction, ${c1}, ${c2}${kind === 'order' ? '' : ', order_no'}, doc${extraCols})
         select ?, i.k1, i.k2${kind === 'order' ? '' : ', i.order_no'}, i.doc${extraSel} from input i
         where not exists (select 1 from locked k where k.k1 = i.k1 and k.k2 = i.k2)
         on conflict (${c1}, ${c2}) do update set doc = excluded.doc, direction = excluded.direction,
           updated_at = now()${kind === 'order' ? '' : ', order_no = excluded.order_no'}${extraSet}
         where ${spec.table}.doc is distinct from excluded.doc
         returning ${c1} as k1, ${c2} as k2, (xmax = 0) as inserted
       )
       select 'locked' as outcome, k1, k2 from locked
       union all
       select case when inserted then 'inserted' else 'updated' end, k1, k2 from up`,
      [JSON.stringify(input), direction],
    );
    const outcomes = new Map<string, UpsertOutcome>(rows.map((r) => [r.key, 'unchanged']));
    for (const r of result) outcomes.set(`${r.k1}|${r.k2}`, r.outcome);
    return outcomes;
  }

  async createJob(kind: string, total: number, createdBy: string | null): Promise<string> {
    const rows = await this.orm.em.execute<Array<{ id: string }>>(
      'insert into import_job (kind, total, created_by) values (?, ?, ?) returning id',
      [kind, total, createdBy],
    );
    return rows[0].id;
  }

  async progressJob(
    id: string,
    delta: { processed: number; accepted: number; unchanged: number; failed: number; errors: unknown[] },
    finished: 'running' | 'done' | 'failed',
  ): Promise<void> {
    await this.orm.em.execute(
      `update import_job set processed = processed + ?, accepted = accepted + ?, unchanged = unchanged + ?,
         failed = failed + ?, errors = case when jsonb_array_length(errors) < 10000 then errors || ?::jsonb else errors end,
         state = ?, finished_at = case when ? <> 'running' then now() else null end
       where id = ?`,
      [
        delta.processed,
        delta.accepted,
        delta.unchanged,
        delta.failed,
        JSON.stringify(delta.errors),
        finished,
        finished,
        id,
      ],
    );
  }

  async job(id: string) {
    const rows = await this.orm.em.execute<Array<Answer<typeof importJob>>>(
      `select id, kind, total, processed, accepted, unchanged, failed, errors, state, created_by as "createdBy",
         created_at as "createdAt", finished_at as "finishedAt"
       from import_job where id = ?`,
      [id],
    );
    return rows[0] ?? null;
  }
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { CreditGrade, CreditTable, EnterpriseCredit, GradeRate } from '@wms/contracts';
import { ORM } from '../../platform/database/orm.js';
import type { Sql } from '../../platform/database/sql.js';
import type { EnterpriseCount } from './credit.rules.js';

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const CREDIT_COLUMNS = `enterprise_code as "enterpriseCode", name, grade, ${iso('graded_at')} as "gradedAt", graded_by as "gradedBy"`;

export interface RateRow extends GradeRate {
  grade: CreditGrade;
  updatedAt: string;
  updatedBy: string | null;
}

/**
 * The credit tables of migration 0965 (enterprise_credit, enterprise_credit_change,
 * inspection_rate), and the inspection counts read from the lists and their receipts.
 */
@Injectable()
export class CreditRepository {
  constructor(@Inject(ORM) readonly orm: MikroORM) {}

  transaction<T>(work: (em: Sql) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }

  reader(): Sql {
    return this.orm.em.fork();
  }

  enterprises(sql: Sql, grade?: CreditGrade): Promise<EnterpriseCredit[]> {
    return sql.execute<EnterpriseCredit[]>(
      `select ${CREDIT_COLUMNS} from enterprise_credit where (?::text is null or grade = ?) order by enterprise_code`,
      [grade ?? null, grade ?? null],
    );
  }

  async enterprise(sql: Sql, code: string, forUpdate = false): Promise<EnterpriseCredit | null> {
    const rows = await sql.execute<EnterpriseCredit[]>(
      `select ${CREDIT_COLUMNS} from enterprise_credit where enterprise_code = ?${forUpdate ? ' for update' : ''}`,
      [code],
    );
    return rows[0] ?? null;
  }

  history(sql: Sql, code: string) {
    return sql.execute<
      Array<{
        grade: CreditGrade;
        previousGrade: CreditGrade | null;
        reason: string | null;
        gradedAt: string;
        gradedBy: string | null;
      }>
    >(
      `select grade, previous_grade as "previousGrade", reason, ${iso('graded_at')} as "gradedAt", graded_by as "gradedBy"
         from enterprise_credit_change where enterprise_code = ? order by graded_at desc, id desc limit 100`,
      [code],
    );
  }

  /** The enterprise's name where the centre knows the code: its master data, else a list that carries it. */
  async knownEnterprise(sql: Sql, code: string): Promise<{ name: string | null } | null> {
    const rows = await sql.execute<Array<{ name: string | null }>>(
      `select name from enterprise where code = ?
       union all
       select head->>'ebcName' from (select head from inventory_list where ebc_code = ? limit 1) l
       limit 1`,
      [code, code],
    );
    return rows[0] ?? null;
  }

  async setGrade(
    sql: Sql,
    e: {
      code: string;
      name: string | null;
      grade: CreditGrade;
      previous: CreditGrade | null;
      reason: string | null;
      by: string;
    },
  ): Promise<void> {
    await sql.execute(
      `insert into enterprise_credit (enterprise_code, name, grade, graded_at, graded_by) values (?, ?, ?, now(), ?)
       on conflict (enterprise_code) do update
         set name = coalesce(excluded.name, enterprise_credit.name), grade = excluded.grade,
             graded_at = excluded.graded_at, graded_by = excluded.graded_by`,
      [e.code, e.name, e.grade, e.by],
    );
    await sql.execute(
      `insert into enterprise_credit_change (enterprise_code, grade, previous_grade, reason, graded_by) values (?, ?, ?, ?, ?)`,
      [e.code, e.grade, e.previous, e.reason, e.by],
    );
  }

  rates(sql: Sql): Promise<RateRow[]> {
    return sql.execute<RateRow[]>(
      `select grade, rate_ppm as "ratePpm", b2b_rate_ppm as "b2bRatePpm", ${iso('updated_at')} as "updatedAt",
              updated_by as "updatedBy"
         from inspection_rate
        order by array_position(array['advanced_certified','certified','regular','dishonest','seriously_dishonest'], grade)`,
    );
  }

  async setRate(sql: Sql, grade: CreditGrade, rate: GradeRate, by: string): Promise<void> {
    await sql.execute(
      `insert into inspection_rate (grade, rate_ppm, b2b_rate_ppm, updated_at, updated_by) values (?, ?, ?, now(), ?)
       on conflict (grade) do update
         set rate_ppm = excluded.rate_ppm, b2b_rate_ppm = excluded.b2b_rate_ppm, updated_at = now(), updated_by = excluded.updated_by`,
      [grade, rate.ratePpm, rate.b2bRatePpm, by],
    );
  }

  /** Every grade and rate: what a selector needs (the WMS's pre-selection, the customs simulator). */
  async table(sql: Sql): Promise<CreditTable> {
    const [grades, rates] = [
      await sql.execute<Array<{ code: string; grade: CreditGrade }>>(
        'select enterprise_code as code, grade from enterprise_credit',
      ),
      await this.rates(sql),
    ];
    return {
      grades: Object.fromEntries(grades.map((g) => [g.code, g.grade])),
      rates: Object.fromEntries(rates.map((r) => [r.grade, { ratePpm: r.ratePpm, b2bRatePpm: r.b2bRatePpm }])),
    };
  }

  /** One enterprise's grade and its grade's rates: the pre-selection at packing reads only these. */
  async tableFor(sql: Sql, enterpriseCode: string): Promise<CreditTable> {
    const rows = await sql.execute<
      Array<{ grade: CreditGrade; ratePpm: number | null; b2bRatePpm: number | null; graded: boolean }>
    >(
      `select coalesce(c.grade, 'regular') as grade, c.enterprise_code is not null as graded,
              r.rate_ppm as "ratePpm", r.b2b_rate_ppm as "b2bRatePpm"
         from (select 1) one
         left join enterprise_credit c on c.enterprise_code = ?
         left join inspection_rate r on r.grade = coalesce(c.grade, 'regular')`,
      [enterpriseCode],
    );
    const row = rows[0];
    return {
      grades: row.graded ? { [enterpriseCode]: row.grade } : {},
      // a grade without a rate row takes the default (contracts DEFAULT_INSPECTION_RATES)
      rates: row.ratePpm === null ? {} : { [row.grade]: { ratePpm: row.ratePpm, b2bRatePpm: row.b2bRatePpm } },
    };
  }

  /**
   * Per enterprise: the lists declared in the period (customs time, UTC+8) that customs answered
   * (a list receipt of 100 or more, through any of the list's declarations), and of those the
   * ones that got a 500 — counted from customs_receipt, joined to its list by the declaration's
   * guid (customs_message). An enterprise without a grade row is regular.
   */
  counts(
    sql: Sql,
    q: { from: string; to: string; warehouseCode?: string; grade?: CreditGrade },
  ): Promise<EnterpriseCount[]> {
    return sql.execute<EnterpriseCount[]>(
      `with answered as (
         select l.id, l.ebc_code, l.trade_mode in ('9710', '9810') as b2b, bool_or(r.return_status = 500) as inspected
           from inventory_list l
           join customs_message m on m.subject_kind = 'list' and m.subject_id = l.id
           join customs_receipt r on r.guid = m.guid and r.return_status >= 100
          where l.declared_at >= (?::date)::timestamp at time zone 'Asia/Shanghai'
            and l.declared_at < (?::date + 1)::timestamp at time zone 'Asia/Shanghai'
            and (?::text is null or l.warehouse_code = ?)
          group by l.id, l.ebc_code, l.trade_mode)
       select a.ebc_code as "enterpriseCode", coalesce(c.name, e.name) as name, coalesce(c.grade, 'regular') as grade,
              count(*)::int as lists, (count(*) filter (where a.inspected))::int as inspected,
              (count(*) filter (where a.b2b))::int as "b2bLists"
         from answered a
         left join enterprise_credit c on c.enterprise_code = a.ebc_code
         left join enterprise e on e.code = a.ebc_code
        where (?::text is null or coalesce(c.grade, 'regular') = ?)
        group by a.ebc_code, c.name, e.name, c.grade
        order by a.ebc_code`,
      [q.from, q.to, q.warehouseCode ?? null, q.warehouseCode ?? null, q.grade ?? null, q.grade ?? null],
    );
  }
}

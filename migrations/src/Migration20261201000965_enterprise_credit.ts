import { Migration } from '@mikro-orm/migrations';

/**
 * Credit-graded inspection (issue 13, DOMAIN.md §8).
 *
 * - `enterprise_credit`: the customs credit grade of an enterprise, keyed by the code the lists
 *   carry (`inventory_list.ebc_code`, the e-commerce company that owns the goods), with since when
 *   and who set it. The five grades of the customs enterprise credit rules in force from
 *   2026-04-01: 高级认证 advanced_certified, 认证 certified, 常规 regular, 失信 dishonest,
 *   严重失信 seriously_dishonest. An enterprise without a row is regular. No foreign key to
 *   `enterprise`: customs grades enterprises the centre may not have in its master data yet, and
 *   the statistics join this table by the code alone.
 * - `enterprise_credit_change`: every grade ever set, append-only (who, when, why).
 * - `inspection_rate`: the share of lists picked for inspection per grade, in parts per million,
 *   with an optional lower rate for B2B exports (9710/9810, DOMAIN.md §8 "lower inspection rates
 *   for honest B2B exporters"); null means the grade's own rate.
 *
 * Defaults (DOMAIN.md §8, published practice: advanced certified firms under 20 % of the regular
 * rate, dishonest ones 80 % or more; 2019 averages 0.57 % vs 84.76 %):
 *   regular 3 %; advanced certified 0.5 % (under 20 % of 3 % = 0.6 %); certified 1.5 % (between);
 *   dishonest 80 %; seriously dishonest 95 % (no published figure: above dishonest).
 *   B2B: advanced certified 0.3 %, certified 1 %, regular 2 %; none for the dishonest grades.
 * The same defaults are `DEFAULT_INSPECTION_RATES` in contracts/src/credit.ts.
 *
 * `enterprise_credit` is the centre's: under row-level security with no tenant arm (a seller
 * never reads another enterprise's grade). `enterprise.credit_class` (migration 0400, the old
 * three classes) is superseded by this table; its values are carried over once here.
 */
export const CREDIT_POLICIES: Record<string, string | null> = {
  enterprise_credit: null,
  enterprise_credit_change: null,
};

const GRADES = `('advanced_certified','certified','regular','dishonest','seriously_dishonest')`;

export class Migration20261201000965EnterpriseCredit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table enterprise_credit (
        enterprise_code text primary key,
        name text,
        grade text not null check (grade in ${GRADES}),
        graded_at timestamptz not null default now(),
        graded_by text
      )`);
    this.addSql('create index enterprise_credit_grade_idx on enterprise_credit (grade)');
    this.addSql(`
      create table enterprise_credit_change (
        id bigserial primary key,
        enterprise_code text not null,
        grade text not null check (grade in ${GRADES}),
        previous_grade text check (previous_grade in ${GRADES}),
        reason text,
        graded_at timestamptz not null default now(),
        graded_by text
      )`);
    this.addSql(
      'create index enterprise_credit_change_code_idx on enterprise_credit_change (enterprise_code, graded_at desc)',
    );
    this.addSql(`
      create table inspection_rate (
        grade text primary key check (grade in ${GRADES}),
        rate_ppm integer not null check (rate_ppm between 0 and 1000000),
        b2b_rate_ppm integer check (b2b_rate_ppm between 0 and 1000000),
        updated_at timestamptz not null default now(),
        updated_by text
      )`);
    this.addSql(`insert into inspection_rate (grade, rate_ppm, b2b_rate_ppm, updated_by) values
      ('advanced_certified', 5000, 3000, 'migration 0965'),
      ('certified', 15000, 10000, 'migration 0965'),
      ('regular', 30000, 20000, 'migration 0965'),
      ('dishonest', 800000, null, 'migration 0965'),
      ('seriously_dishonest', 950000, null, 'migration 0965')`);
    // the old classes, once: advanced -> advanced certified, untrusted -> dishonest (general is regular, the default)
    this.addSql(`insert into enterprise_credit (enterprise_code, name, grade, graded_by)
      select code, name, case credit_class when 'advanced' then 'advanced_certified' else 'dishonest' end, 'migration 0965'
        from enterprise where credit_class in ('advanced', 'untrusted')`);
    // the inspection rates read lists by declaration period and by enterprise (credit.repository.ts)
    this.addSql('create index inventory_list_declared_idx on inventory_list (declared_at)');
    this.addSql('create index inventory_list_ebc_declared_idx on inventory_list (ebc_code, declared_at)');
    for (const table of Object.keys(CREDIT_POLICIES)) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_tenancy on ${table} using (current_setting('app.scope', true) = 'centre')`);
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists inventory_list_ebc_declared_idx, inventory_list_declared_idx');
    this.addSql('drop table if exists inspection_rate, enterprise_credit_change, enterprise_credit');
  }
}

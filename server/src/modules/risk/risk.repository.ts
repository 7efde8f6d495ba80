import { Injectable } from '@nestjs/common';
import {
  RISK_RULES,
  type RiskRuleName,
  type RiskRuleParams,
  type RiskWarning,
  type RiskWarningsQuery,
  riskRuleParams,
} from '@wms/contracts';
import { type Sql, SqlRunner } from '../../platform/database/sql.js';
import type { WarningDraft } from './rules/warning.js';

export interface RuleRow {
  rule: RiskRuleName;
  enabled: boolean;
  params: Record<string, unknown>;
  updated_by: string;
  updated_at: Date;
}

/** A site's rules: each one on or off, with its parameters (the defaults where the site set none). */
export type SiteRules = { [K in RiskRuleName]: { enabled: boolean; params: RiskRuleParams[K] } };

/** The stored rows over the defaults (pure): a row whose parameters no longer parse keeps the defaults. */
export function siteRules(rows: RuleRow[]): SiteRules {
  const out = {} as Record<RiskRuleName, { enabled: boolean; params: unknown }>;
  for (const rule of RISK_RULES) {
    const row = rows.find((r) => r.rule === rule);
    const parsed = riskRuleParams[rule].safeParse(row?.params ?? {});
    out[rule] = {
      enabled: row?.enabled ?? true,
      params: parsed.success ? parsed.data : riskRuleParams[rule].parse({}),
    };
  }
  return out as SiteRules;
}

/** Counts on the warnings page stop here (the answer then reads "at least"). */
export const COUNT_CAP = 1000;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

interface WarningRow {
  id: string;
  warehouse_code: string;
  rule: RiskRuleName;
  subject_kind: RiskWarning['subjectKind'];
  subject_id: string;
  logistics_no: string | null;
  severity: RiskWarning['severity'];
  reason: string;
  evidence: Record<string, unknown>;
  status: RiskWarning['status'];
  occurrences: number;
  raised_at: Date;
  updated_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

const toWarning = (r: WarningRow): RiskWarning => ({
  id: r.id,
  warehouseCode: r.warehouse_code,
  rule: r.rule,
  subjectKind: r.subject_kind,
  subjectId: r.subject_id,
  logisticsNo: r.logistics_no,
  severity: r.severity,
  reason: r.reason,
  evidence: r.evidence,
  status: r.status,
  occurrences: r.occurrences,
  raisedAt: iso(r.raised_at)!,
  updatedAt: iso(r.updated_at)!,
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
  decisionNote: r.decision_note,
});

/** The risk context's own tables: rules per site, warnings, the evaluator's cursors, probes and excursions. */
@Injectable()
export class RiskRepository {
  constructor(readonly sql: SqlRunner) {}

  /** One evaluator at a time across server instances (the unique key per subject is the backstop). */
  async claim(sql: Sql): Promise<boolean> {
    const [row] = await sql.execute<Array<{ claimed: boolean }>>(
      `select pg_try_advisory_xact_lock(hashtext('wms.risk-evaluator')) as claimed`,
    );
    return row.claimed;
  }

  async cursor(sql: Sql, source: string): Promise<number> {
    const [row] = await sql.execute<Array<{ last_id: string }>>('select last_id from risk_cursor where source = ?', [
      source,
    ]);
    return row ? Number(row.last_id) : 0;
  }

  async advance(sql: Sql, source: string, lastId: number): Promise<void> {
    await sql.execute(
      `insert into risk_cursor (source, last_id) values (?, ?)
       on conflict (source) do update set last_id = greatest(risk_cursor.last_id, excluded.last_id), updated_at = now()`,
      [source, lastId],
    );
  }

  async ruleRows(sql: Sql, warehouseCode: string): Promise<RuleRow[]> {
    return sql.execute<RuleRow[]>(
      'select rule, enabled, params, updated_by, updated_at from risk_rule where warehouse_code = ?',
      [warehouseCode],
    );
  }

  async warehouseExists(sql: Sql, code: string): Promise<boolean> {
    return (await sql.execute<unknown[]>('select 1 from warehouse where code = ?', [code])).length > 0;
  }

  async saveRule(
    sql: Sql,
    warehouseCode: string,
    rule: RiskRuleName,
    enabled: boolean,
    params: Record<string, unknown>,
    by: string,
  ): Promise<void> {
    await sql.execute(
      `insert into risk_rule (warehouse_code, rule, enabled, params, updated_by) values (?, ?, ?, ?::jsonb, ?)
       on conflict (warehouse_code, rule) do update set enabled = excluded.enabled, params = excluded.params,
         updated_by = excluded.updated_by, updated_at = now()`,
      [warehouseCode, rule, enabled, JSON.stringify(params), by],
    );
  }

  /**
   * Raises the warning, or updates the one already there for the same site, rule and subject
   * (new evidence, one more occurrence). Unchanged evidence changes nothing and answers null. A
   * dismissed warning opens again only when it turns high (a buyer now over the limit).
   */
  async raise(sql: Sql, warehouseCode: string, w: WarningDraft): Promise<{ id: string; created: boolean } | null> {
    const [row] = await sql.execute<Array<{ id: string; created: boolean }>>(
      `insert into risk_warning (warehouse_code, rule, subject_kind, subject_id, logistics_no, severity, reason, evidence)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
       on conflict (warehouse_code, rule, subject_kind, subject_id) do update set
         logistics_no = coalesce(excluded.logistics_no, risk_warning.logistics_no),
         severity = excluded.severity, reason = excluded.reason, evidence = excluded.evidence,
         occurrences = risk_warning.occurrences + 1, updated_at = now(),
         status = case when risk_warning.status = 'dismissed' and excluded.severity = 'high'
           and risk_warning.severity <> 'high' then 'open' else risk_warning.status end
       where risk_warning.evidence is distinct from excluded.evidence
       returning id, (xmax = 0) as created`,
      [
        warehouseCode,
        w.rule,
        w.subjectKind,
        w.subjectId,
        w.logisticsNo,
        w.severity,
        w.reason,
        JSON.stringify(w.evidence),
      ],
    );
    return row ?? null;
  }

  async list(sql: Sql, q: RiskWarningsQuery): Promise<{ items: RiskWarning[]; total: number; open: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['rule', q.rule],
      ['warehouse_code', q.warehouseCode],
      ['logistics_no', q.logisticsNo],
    ] as const)
      if (value) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    const filtered = (status: string | undefined) => {
      const all = status ? [...where, 'status = ?'] : where;
      return { sql: all.length ? `where ${all.join(' and ')}` : '', params: status ? [...params, status] : params };
    };
    const page = filtered(q.status);
    const rows = await sql.execute<WarningRow[]>(
      `select * from risk_warning ${page.sql} order by updated_at desc, id limit ? offset ?`,
      [...page.params, q.limit, q.offset],
    );
    // counted up to COUNT_CAP: a page says "1,000 or more" rather than counting every warning ever raised
    const open = filtered('open');
    const [counts] = await sql.execute<Array<{ total: number; open: number }>>(
      `select (select count(*) from (select 1 from risk_warning ${page.sql} limit ${COUNT_CAP}) t)::int as total,
              (select count(*) from (select 1 from risk_warning ${open.sql} limit ${COUNT_CAP}) o)::int as open`,
      [...page.params, ...open.params],
    );
    return { items: rows.map(toWarning), total: counts.total, open: counts.open };
  }

  async get(sql: Sql, id: string, forUpdate = false): Promise<RiskWarning | null> {
    const [row] = await sql.execute<WarningRow[]>(
      `select * from risk_warning where id = ?${forUpdate ? ' for update' : ''}`,
      [id],
    );
    return row ? toWarning(row) : null;
  }

  async decide(sql: Sql, id: string, status: 'held' | 'dismissed', by: string, note: string): Promise<RiskWarning> {
    const [row] = await sql.execute<WarningRow[]>(
      `update risk_warning set status = ?, decided_by = ?, decided_at = now(), decision_note = ?, updated_at = now()
       where id = ? returning *`,
      [status, by, note, id],
    );
    return toWarning(row);
  }

  async placeSensor(sql: Sql, deviceId: string, warehouseCode: string, zoneCode: string): Promise<void> {
    await sql.execute(
      `insert into temperature_sensor (device_id, warehouse_code, zone_code) values (?, ?, ?)
       on conflict (device_id) do update set warehouse_code = excluded.warehouse_code, zone_code = excluded.zone_code`,
      [deviceId, warehouseCode, zoneCode],
    );
  }

  /** Stores an excursion as it stands; answers whether it still needs its trace event (breached, not recorded yet). */
  async saveExcursion(
    sql: Sql,
    e: {
      deviceId: string;
      warehouseCode: string;
      zoneCode: string;
      minDeciC: number;
      maxDeciC: number;
      startedAt: string;
      lastAt: string;
      endedAt: string | null;
      peakDeciC: number;
      readings: number;
      breach: boolean;
    },
  ): Promise<{ id: string; toRecord: boolean }> {
    const [row] = await sql.execute<Array<{ id: string; recorded_at: Date | null }>>(
      `insert into temperature_excursion (device_id, warehouse_code, zone_code, min_deci_c, max_deci_c, started_at, last_at, ended_at, peak_deci_c, readings)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (device_id, started_at) do update set last_at = excluded.last_at, ended_at = excluded.ended_at,
         peak_deci_c = excluded.peak_deci_c, readings = excluded.readings
       returning id, recorded_at`,
      [
        e.deviceId,
        e.warehouseCode,
        e.zoneCode,
        e.minDeciC,
        e.maxDeciC,
        e.startedAt,
        e.lastAt,
        e.endedAt,
        e.peakDeciC,
        e.readings,
      ],
    );
    return { id: row.id, toRecord: e.breach && row.recorded_at === null };
  }

  async excursionRecorded(sql: Sql, id: string): Promise<void> {
    await sql.execute('update temperature_excursion set recorded_at = now() where id = ?', [id]);
  }
}

import { Injectable } from '@nestjs/common';
import {
  RISK_RULES,
  type RiskRuleInput,
  type RiskRuleName,
  type RiskWarning,
  type RiskWarningsQuery,
  riskRuleParams,
} from '@wms/contracts';
import type { AuthenticatedUser } from '../../platform/auth/roles.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { HoldsService } from '../customs/holds/holds.service.js';
import { RiskRepository, siteRules } from './risk.repository.js';
import { type Announced, RiskEvaluator } from './risk-evaluator.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Risk warnings for the customs officer (issue 13): reading them, turning one into a hold with
 * one action (the customs hold path: signed by the officer, traced, announced), dismissing one
 * (a supervisor), and each site's rules (admin, supervisor: never the console).
 */
@Injectable()
export class RiskService {
  constructor(
    private readonly risk: RiskRepository,
    private readonly holds: HoldsService,
    private readonly events: DomainEvents,
    evaluator: RiskEvaluator,
  ) {
    evaluator.onWarnings((warnings) => this.announce(warnings));
  }

  /** Each new or changed warning, live to the console (after its commit): kind `warning`, with a summary. */
  private announce(warnings: Announced[]): void {
    const at = new Date().toISOString();
    for (const w of warnings)
      this.events.emit('customs.changed', {
        kind: 'warning',
        ref: w.id,
        warehouseCode: w.warehouseCode,
        summary: w.reason,
        detail: { rule: w.rule, logisticsNo: w.logisticsNo, raised: w.created },
        at,
      });
  }

  warnings(q: RiskWarningsQuery) {
    return this.risk.sql.transaction((sql) => this.risk.list(sql, q));
  }

  async warning(id: string): Promise<RiskWarning> {
    const warning = await this.risk.sql.transaction((sql) => this.risk.get(sql, id));
    if (!warning) throw new AppError('NOT_FOUND', `warning ${id} is not known`);
    return warning;
  }

  /** One action: the warning's parcel held (reason: the warning's, unless the officer gives one), the warning marked held. */
  async hold(id: string, user: AuthenticatedUser, reason?: string) {
    const officer = user.username;
    const warning = await this.warning(id);
    if (warning.status === 'held')
      throw new AppError(
        'CONFLICT',
        `warning ${id} was already turned into a hold by ${warning.decidedBy} (parcel ${warning.logisticsNo})`,
      );
    if (!warning.logisticsNo)
      throw new AppError(
        'CUSTOMS_STATE',
        `warning ${id} is about ${warning.subjectKind} ${warning.subjectId}, not one parcel: find the parcels concerned in its evidence and hold them from the parcels page`,
      );
    const why = reason ?? `risk warning (${warning.rule}): ${warning.reason}`.slice(0, 500);
    const held = await this.holds.hold({ logisticsNo: warning.logisticsNo, reason: why }, user);
    const decided = await this.risk.sql.transaction((sql) => this.risk.decide(sql, id, 'held', officer, why));
    this.announce([
      {
        id,
        created: false,
        rule: decided.rule,
        warehouseCode: decided.warehouseCode,
        logisticsNo: decided.logisticsNo,
        reason: `held by ${officer}: ${decided.reason}`,
      },
    ]);
    return { warning: decided, logisticsNo: held.logisticsNo, held: true as const, reason: why };
  }

  async dismiss(id: string, supervisor: string, note: string): Promise<RiskWarning> {
    const decided = await this.risk.sql.transaction(async (sql) => {
      const warning = await this.risk.get(sql, id, true);
      if (!warning) throw new AppError('NOT_FOUND', `warning ${id} is not known`);
      if (warning.status !== 'open')
        throw new AppError(
          'CONFLICT',
          `warning ${id} is ${warning.status} already (by ${warning.decidedBy}); only an open warning is dismissed`,
        );
      return this.risk.decide(sql, id, 'dismissed', supervisor, note);
    });
    this.announce([
      {
        id,
        created: false,
        rule: decided.rule,
        warehouseCode: decided.warehouseCode,
        logisticsNo: decided.logisticsNo,
        reason: `dismissed by ${supervisor}: ${decided.reason}`,
      },
    ]);
    return decided;
  }

  async rules(warehouseCode: string) {
    return this.risk.sql.transaction(async (sql) => {
      if (!(await this.risk.warehouseExists(sql, warehouseCode)))
        throw new AppError('NOT_FOUND', `warehouse ${warehouseCode} is not known`);
      const rows = await this.risk.ruleRows(sql, warehouseCode);
      const effective = siteRules(rows);
      return {
        warehouseCode,
        rules: RISK_RULES.map((rule) => {
          const row = rows.find((r) => r.rule === rule);
          return {
            warehouseCode,
            rule,
            enabled: effective[rule].enabled,
            params: effective[rule].params as Record<string, unknown>,
            configured: Boolean(row),
            updatedBy: row?.updated_by ?? null,
            updatedAt: iso(row?.updated_at ?? null),
          };
        }),
      };
    });
  }

  async setRule(warehouseCode: string, rule: string, input: RiskRuleInput, by: string) {
    if (!(RISK_RULES as readonly string[]).includes(rule))
      throw new AppError('NOT_FOUND', `there is no risk rule "${rule}"; the rules are ${RISK_RULES.join(', ')}`);
    const name = rule as RiskRuleName;
    const parsed = riskRuleParams[name].safeParse(input.params);
    if (!parsed.success)
      throw new AppError(
        'VALIDATION_FAILED',
        `the parameters of rule ${name} are not valid: ${parsed.error.issues.map((i) => `params.${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    if (name === 'cold-chain') {
      const p = parsed.data as { minDeciC: number; maxDeciC: number };
      if (p.minDeciC > p.maxDeciC)
        throw new AppError(
          'VALIDATION_FAILED',
          `params.minDeciC (${p.minDeciC}) must not be above params.maxDeciC (${p.maxDeciC})`,
        );
    }
    await this.risk.sql.transaction(async (sql) => {
      if (!(await this.risk.warehouseExists(sql, warehouseCode)))
        throw new AppError('NOT_FOUND', `warehouse ${warehouseCode} is not known`);
      await this.risk.saveRule(sql, warehouseCode, name, input.enabled, parsed.data as Record<string, unknown>, by);
    });
    const all = await this.rules(warehouseCode);
    return all.rules.find((r) => r.rule === name)!;
  }

  async placeSensor(deviceId: string, warehouseCode: string, zoneCode: string) {
    await this.risk.sql.transaction(async (sql) => {
      const [device] = await sql.execute<Array<{ kind: string }>>('select kind from device where device_id = ?', [
        deviceId,
      ]);
      if (!device)
        throw new AppError(
          'NOT_FOUND',
          `device ${deviceId} is not registered: register it (kind sensor) under its agent first`,
        );
      if (device.kind !== 'sensor')
        throw new AppError('VALIDATION_FAILED', `device ${deviceId} is a ${device.kind}, not a temperature sensor`);
      const zone = await sql.execute<unknown[]>('select 1 from zone where warehouse_code = ? and code = ?', [
        warehouseCode,
        zoneCode,
      ]);
      if (!zone.length) throw new AppError('NOT_FOUND', `zone ${zoneCode} of warehouse ${warehouseCode} is not known`);
      await this.risk.placeSensor(sql, deviceId, warehouseCode, zoneCode);
    });
    return { deviceId, warehouseCode, zoneCode };
  }
}

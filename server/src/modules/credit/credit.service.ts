import { Injectable } from '@nestjs/common';
import {
  CREDIT_GRADE_LABELS,
  type CreditGrade,
  type CreditTable,
  type EnterpriseCreditInput,
  type InspectionRatesAnswer,
  type InspectionRatesInput,
  type InspectionRatesQuery,
  percentOfPpm,
} from '@wms/contracts';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { CreditRepository } from './credit.repository.js';
import { inspectionRates } from './credit.rules.js';

const DAY_MS = 86_400_000;
/** Today in customs time (UTC+8), as the receipts' returnTime and the console's period filters read it. */
const customsDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Enterprise credit grades and the inspection rate per grade (issue 13, DOMAIN.md §8): set by the
 * centre's admins and supervisors from customs' published lists, read by the WMS's pre-selection
 * and the customs simulator, and shown to customs as actual against configured rates.
 */
@Injectable()
export class CreditService {
  constructor(
    private readonly credit: CreditRepository,
    private readonly events: DomainEvents,
  ) {}

  enterprises(grade?: CreditGrade) {
    return this.credit.enterprises(this.credit.reader(), grade);
  }

  async enterprise(code: string) {
    const sql = this.credit.reader();
    const current = await this.credit.enterprise(sql, code);
    if (!current)
      throw new AppError(
        'NOT_FOUND',
        `enterprise ${code} has no credit grade here: it counts as regular (常规); set one with PUT /api/credit/enterprises/${code}`,
      );
    return { ...current, history: await this.credit.history(sql, code) };
  }

  async setGrade(code: string, input: EnterpriseCreditInput, actor: string) {
    const changed = await this.credit.transaction(async (sql) => {
      const known = await this.credit.knownEnterprise(sql, code);
      if (!known)
        throw new AppError(
          'NOT_FOUND',
          `enterprise ${code} is not known: no enterprise in the master data and no inventory list carries this code; check the code (the ebcCode on the lists) or import the enterprise first (POST /api/master-data)`,
        );
      const current = await this.credit.enterprise(sql, code, true);
      if (current?.grade === input.grade && (!input.name || input.name === current.name)) return false;
      await this.credit.setGrade(sql, {
        code,
        name: input.name ?? current?.name ?? known.name,
        grade: input.grade,
        previous: current?.grade ?? null,
        reason: input.reason ?? null,
        by: actor,
      });
      return true;
    });
    if (changed) {
      this.events.emit('credit.changed', { kind: 'grade', enterpriseCode: code });
      this.events.emit('customs.changed', {
        kind: 'credit',
        ref: code,
        summary: `${code}: ${CREDIT_GRADE_LABELS[input.grade].en} ${CREDIT_GRADE_LABELS[input.grade].zh}`,
        at: new Date().toISOString(),
      });
    }
    return this.enterprise(code);
  }

  async rates() {
    return { items: await this.credit.rates(this.credit.reader()) };
  }

  async setRates(input: InspectionRatesInput, actor: string) {
    for (const [grade, rate] of Object.entries(input.rates)) {
      if (rate.b2bRatePpm !== null && rate.b2bRatePpm > rate.ratePpm)
        throw new AppError(
          'VALIDATION_FAILED',
          `${CREDIT_GRADE_LABELS[grade as CreditGrade].en}: the B2B rate (${percentOfPpm(rate.b2bRatePpm)}) is the lower rate for 9710/9810 exports and cannot be above the grade's rate (${percentOfPpm(rate.ratePpm)}); send b2bRatePpm <= ratePpm, or null for none`,
        );
    }
    await this.credit.transaction(async (sql) => {
      for (const [grade, rate] of Object.entries(input.rates))
        await this.credit.setRate(sql, grade as CreditGrade, rate, actor);
    });
    this.events.emit('credit.changed', { kind: 'rates' });
    this.events.emit('customs.changed', {
      kind: 'credit',
      ref: 'inspection-rates',
      summary: Object.entries(input.rates)
        .map(([g, r]) => `${CREDIT_GRADE_LABELS[g as CreditGrade].en} ${percentOfPpm(r.ratePpm)}`)
        .join(', '),
      at: new Date().toISOString(),
    });
    return this.rates();
  }

  /** Every grade and rate, for a selector (the dev stack hands it to the customs simulator). */
  table(): Promise<CreditTable> {
    return this.credit.table(this.credit.reader());
  }

  /** Actual against configured inspection rates by grade and by enterprise (the customs console). */
  async inspectionRates(q: InspectionRatesQuery): Promise<InspectionRatesAnswer> {
    const to = q.to ?? customsDay(Date.now());
    const from = q.from ?? customsDay(Date.parse(to) - 30 * DAY_MS);
    if (from > to)
      throw new AppError('VALIDATION_FAILED', `the period starts (from ${from}) after it ends (to ${to}): swap them`);
    if (Date.parse(to) - Date.parse(from) > 366 * DAY_MS)
      throw new AppError(
        'VALIDATION_FAILED',
        `from ${from} to ${to} is more than a year: ask for a year or less at a time`,
      );
    const sql = this.credit.reader();
    const [counts, rates] = [await this.credit.counts(sql, { ...q, from, to }), await this.credit.rates(sql)];
    const figures = inspectionRates(counts, Object.fromEntries(rates.map((r) => [r.grade, r])));
    return {
      from,
      to,
      warehouseCode: q.warehouseCode ?? null,
      ...figures,
      grades: q.grade ? figures.grades.filter((g) => g.grade === q.grade) : figures.grades,
    };
  }
}

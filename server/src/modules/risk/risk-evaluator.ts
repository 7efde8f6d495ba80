import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import type { SqlTransaction } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { RiskRepository, type SiteRules, siteRules } from './risk.repository.js';
import { type NewList, RiskFactsRepository } from './risk-facts.repository.js';
import { buyerLimit, frequentReturns, sharedParty } from './rules/buyer.rules.js';
import { coldChainWarning, effectiveRange, excursions } from './rules/cold-chain.rules.js';
import { lowValue, weightDeviation } from './rules/parcel.rules.js';
import { isSpecialGoods, missingSteps } from './rules/special-goods.rules.js';
import type { WarningDraft } from './rules/warning.js';

/** A warning raised or changed by a run, announced after its commit. */
export interface Announced {
  id: string;
  created: boolean;
  rule: string;
  warehouseCode: string;
  logisticsNo: string | null;
  reason: string;
}

/**
 * Ids a transaction may still be writing below the newest committed one: every run reads this
 * far back again (a warning is unique per subject, so a fact read twice changes nothing).
 */
const OVERLAP = 200;
/** Most ids of one source taken in one run (the rest follow in the next). */
const CHUNK = 2000;
/**
 * A database that already holds more rows of a source than this when the evaluator first meets
 * it (a site switching risk on over years of history) is evaluated from its newest row on.
 */
const NO_BACKFILL_ABOVE = 10_000;

/**
 * The risk evaluator (issue 13): reads the facts that arrived since its last run — weight checks,
 * lists (declarations with their orders and payments), returns, trace steps, temperature
 * readings — runs the site's rules on them and stores the warnings. It runs right after the
 * domain events that announce such facts (after their commit, off the scan's hot path: the
 * event only schedules a run), and on a timer as the backstop. One run at a time across
 * instances (an advisory lock); the warnings are announced after the run's commit.
 */
@Injectable()
export class RiskEvaluator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('risk');
  private timer: ReturnType<typeof setInterval> | undefined;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<Announced[]> | undefined;
  private again = false;
  private readonly unsubscribe: Array<() => void> = [];
  /** Listeners that hear each run's warnings (the service announces them to the console). */
  private readonly listeners: Array<(warnings: Announced[]) => void> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly risk: RiskRepository,
    private readonly facts: RiskFactsRepository,
    private readonly trace: TraceRepository,
    private readonly events: DomainEvents,
  ) {}

  onApplicationBootstrap(): void {
    const nudge = () => this.nudge();
    this.unsubscribe.push(
      this.events.on('parcel.holdChanged', nudge),
      this.events.on('parcel.customsStatusChanged', nudge),
      this.events.on('parcel.gatePassed', nudge),
      this.events.on('temperature.recorded', nudge),
      this.events.on('import.progressed', nudge),
    );
    if (this.config.RISK_SWEEP_MS) {
      this.timer = setInterval(() => void this.run(), this.config.RISK_SWEEP_MS);
      this.timer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    for (const off of this.unsubscribe) off();
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await this.running?.catch(() => undefined);
  }

  onWarnings(listener: (warnings: Announced[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * A fact arrived: run shortly (events arriving together make one run). The floor's scans are not
   * listened to: their facts (trace steps) wait for the timer, so a busy shift's scans never queue
   * evaluation runs behind them.
   */
  nudge(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.run();
    }, 200);
    this.soon.unref();
  }

  /** One run (a run already under way is followed by one more, so nothing that arrived meanwhile waits for the timer). */
  run(): Promise<Announced[]> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.evaluate().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    });
    return this.running;
  }

  private async evaluate(): Promise<Announced[]> {
    let announced: Announced[] = [];
    try {
      announced = await this.risk.sql.transaction(async (sql) => {
        if (!(await this.risk.claim(sql))) return [];
        const out: Announced[] = [];
        const rules = new Map<string, SiteRules>();
        const rulesOf = async (warehouseCode: string) => {
          let r = rules.get(warehouseCode);
          if (!r) {
            r = siteRules(await this.risk.ruleRows(sql, warehouseCode));
            rules.set(warehouseCode, r);
          }
          return r;
        };
        const raise = async (warehouseCode: string, draft: WarningDraft | null) => {
          if (!draft) return;
          const saved = await this.risk.raise(sql, warehouseCode, draft);
          if (saved)
            out.push({
              ...saved,
              rule: draft.rule,
              warehouseCode,
              logisticsNo: draft.logisticsNo,
              reason: draft.reason,
            });
        };
        await this.source(sql, 'weight_check', async (from, to) => {
          for (const check of await this.facts.weightChecks(sql, from, to)) {
            const r = (await rulesOf(check.warehouseCode))['weight-deviation'];
            if (r.enabled) await raise(check.warehouseCode, weightDeviation(check, r.params));
          }
        });
        await this.source(sql, 'inventory_list', async (from, to) => {
          for (const list of await this.facts.lists(sql, from, to))
            await this.onList(sql, list, await rulesOf(list.warehouseCode), raise);
        });
        await this.source(sql, 'customs_return', async (from, to) => {
          for (const r of await this.facts.returns(sql, from, to)) {
            const rule = (await rulesOf(r.warehouse_code))['frequent-returns'];
            if (!rule.enabled) continue;
            if (r.buyer_id_number)
              await raise(
                r.warehouse_code,
                frequentReturns(
                  await this.facts.returnHistory(sql, 'buyer', r.buyer_id_number, rule.params.windowDays),
                  rule.params,
                ),
              );
            if (r.consignee)
              await raise(
                r.warehouse_code,
                frequentReturns(
                  await this.facts.returnHistory(sql, 'consignee', r.consignee, rule.params.windowDays),
                  rule.params,
                ),
              );
          }
        });
        await this.source(sql, 'trace_event', async (from, to) => {
          for (const logisticsNo of await this.facts.tracedParcels(sql, from, to)) {
            const parcel = await this.facts.parcelGoods(sql, logisticsNo);
            if (!parcel) continue;
            const rule = (await rulesOf(parcel.warehouseCode))['special-goods'];
            // ordinary goods are left alone before their steps are read
            if (!rule.enabled || !parcel.lines.some((l) => isSpecialGoods(l, rule.params))) continue;
            const seen = await this.facts.stepsOf(sql, logisticsNo, parcel.lines);
            await raise(parcel.warehouseCode, missingSteps({ logisticsNo, lines: parcel.lines }, seen, rule.params));
          }
        });
        await this.source(sql, 'temperature_reading', async (from, to) => {
          await this.onReadings(sql, from, to, rulesOf, raise);
        });
        return out;
      });
    } catch (error) {
      this.logger.warn({ msg: 'risk evaluation failed; the next run retries', error: String(error) });
      return [];
    }
    if (announced.length) for (const listener of this.listeners) listener(announced);
    return announced;
  }

  /** Reads one source from its cursor (with the overlap) to its newest id, in chunks, and moves the cursor. */
  private async source(
    sql: SqlTransaction,
    table: 'weight_check' | 'inventory_list' | 'customs_return' | 'trace_event' | 'temperature_reading',
    work: (fromId: number, toId: number) => Promise<void>,
  ): Promise<void> {
    const cursor = await this.risk.cursor(sql, table);
    const newest = await this.facts.newest(sql, table);
    if (newest <= cursor) return;
    if (cursor === 0 && newest > NO_BACKFILL_ABOVE) {
      await this.risk.advance(sql, table, newest);
      return;
    }
    const to = Math.min(newest, cursor + CHUNK);
    await work(Math.max(0, cursor - OVERLAP), to);
    await this.risk.advance(sql, table, to);
    if (to < newest) this.again = true;
  }

  private async onList(
    sql: SqlTransaction,
    list: NewList,
    rules: SiteRules,
    raise: (warehouseCode: string, draft: WarningDraft | null) => Promise<void>,
  ): Promise<void> {
    const wh = list.warehouseCode;
    const low = rules['low-value'];
    if (low.enabled && list.lines.length) {
      const refs = await this.facts.priceReferences(
        sql,
        wh,
        [...new Set(list.lines.map((l) => l.gcode).filter(Boolean))],
        low.params.windowDays,
      );
      await raise(wh, lowValue(list, refs, low.params));
    }
    if (list.direction !== 'import' || !list.buyerIdNumber) return;
    const limit = rules['buyer-limit'];
    if (limit.enabled) {
      const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
      const history = await this.facts.buyerYear(sql, list.buyerIdNumber, year);
      if (history) await raise(wh, buyerLimit(history, limit.params));
    }
    const consignee = rules['shared-consignee'];
    const parties = await this.facts.partiesOf(sql, list.ebpCode, list.orderNo);
    if (consignee.enabled) {
      if (list.consigneeAddress)
        await raise(
          wh,
          sharedParty(
            await this.facts.consigneeParty(sql, 'address', list.consigneeAddress, consignee.params.windowDays),
            consignee.params,
          ),
        );
      if (parties.phone)
        await raise(
          wh,
          sharedParty(
            await this.facts.consigneeParty(sql, 'phone', parties.phone, consignee.params.windowDays),
            consignee.params,
          ),
        );
    }
    const payer = rules['shared-payer'];
    if (payer.enabled && parties.payer)
      await raise(
        wh,
        sharedParty(await this.facts.payerParty(sql, parties.payer, payer.params.windowDays), payer.params),
      );
  }

  private async onReadings(
    sql: SqlTransaction,
    from: number,
    to: number,
    rulesOf: (warehouseCode: string) => Promise<SiteRules>,
    raise: (warehouseCode: string, draft: WarningDraft | null) => Promise<void>,
  ): Promise<void> {
    for (const sensor of await this.facts.sensorsWithReadings(sql, from, to)) {
      const rule = (await rulesOf(sensor.warehouse_code))['cold-chain'];
      if (!rule.enabled) continue;
      const goods = await this.facts.zoneGoodsRanges(sql, sensor.warehouse_code, sensor.zone_code);
      const range = effectiveRange(
        { minDeciC: sensor.temp_min_deci_c, maxDeciC: sensor.temp_max_deci_c },
        goods,
        rule.params,
      );
      // from the start of an excursion still open, else a little before the first new reading
      const open = await this.facts.openExcursionStart(sql, sensor.device_id);
      const lookBack = new Date(new Date(sensor.first_at).getTime() - 60_000);
      const since = open && open < lookBack ? open : lookBack;
      const readings = await this.facts.readings(sql, sensor.device_id, since);
      const place = { deviceId: sensor.device_id, warehouseCode: sensor.warehouse_code, zoneCode: sensor.zone_code };
      for (const excursion of excursions(readings, range, rule.params.maxExcursionS)) {
        const saved = await this.risk.saveExcursion(sql, {
          ...place,
          ...excursion,
          minDeciC: range.minDeciC,
          maxDeciC: range.maxDeciC,
        });
        if (saved.toRecord) {
          // the excursion is a recorded event (DOMAIN.md §8), on the zone's stock
          await this.trace.record(sql, [
            {
              objectKind: 'stock',
              objectId: `${sensor.warehouse_code}/${sensor.zone_code}`,
              bizStep: 'storing',
              disposition: 'temperature_excursion',
              readPoint: sensor.device_id,
              actor: 'cold-chain',
              documents: { excursionId: saved.id },
              detail: { range, ...excursion },
            },
          ]);
          await this.risk.excursionRecorded(sql, saved.id);
        }
        await raise(sensor.warehouse_code, coldChainWarning(place, range, excursion, rule.params.maxExcursionS));
      }
    }
  }
}

import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { pgArray } from '../../platform/database/pg-array.js';
import { SqlRunner } from '../../platform/database/sql.js';
import { AppError } from '../../platform/http/app-error.js';
import { CustomsRepository, type Em } from '../customs/declarations/customs.repository.js';
import { customsDate } from '../customs/declarations/inventory-list.builder.js';
import { LedgerRepository, movementsInsert } from '../inventory/ledger.repository.js';
import {
  allocateFifo,
  type BookLineRef,
  entryMovements,
  heldInboundMovements,
  parcelLocation,
  transferMovements,
} from '../inventory/ledger-rules.js';
import { MasterDataRepository, requireWarehouse } from '../masterdata/masterdata.repository.js';
import { GateService } from '../operations/gate.service.js';
import { GateFactsRepository } from '../operations/gate-facts.repository.js';
import { ParcelsService } from '../operations/parcels.service.js';
import { gateScan } from '../stations/gate.scan.js';
import { packStationScan } from '../stations/pack-station.scan.js';
import { TraceRepository, traceInsert } from '../trace/trace.repository.js';
import type * as answers from './floor.answers.js';
import { type Answer, answerOk, Refusal, type ScanAnswer, type Session } from './floor.answers.js';
import { say } from './floor.messages.js';
import {
  interpretCode,
  putawayRefusal,
  type ScannedCode,
  stocktakeDifferences,
  weightVerdict,
  type ZoneKind,
} from './floor.rules.js';
import type { DeliveryInput, ScanInput } from './floor.schemas.js';
import { LoadingService } from './loading.service.js';

interface GoodsRow {
  owner_code: string;
  sku: string;
  gtin: string | null;
  name: string;
  putrec_seqno: number | null;
  /** The warehouse's account book (null off the book). */
  ems_no: string | null;
}

/** `(owner, sku)` of the goods a scan named, as plain equality when there is one (the index's shape). */
function itemsCondition(goods: Array<{ owner_code: string; sku: string }>, alias = 'm.'): string {
  return goods.length === 1
    ? `${alias}owner_code = ? and ${alias}sku = ?`
    : `(${alias}owner_code, ${alias}sku) in (select unnest(?::text[]), unnest(?::text[]))`;
}
function itemsParams(goods: Array<{ owner_code: string; sku: string }>): string[] {
  return goods.length === 1
    ? [goods[0].owner_code, goods[0].sku]
    : [pgArray(goods.map((g) => g.owner_code)), pgArray(goods.map((g) => g.sku))];
}

/** What a scanned code names: a location, goods, both or neither. */
interface Found {
  loc: LocationRow | null;
  goods: GoodsRow[];
  /** receive: the delivery named in the scan, share-locked until the scan commits. */
  delivery: DeliveryRow | null;
}

interface DeliveryRow {
  id: string;
  owner_code: string;
  status: string;
  warehouse_code: string;
  lines: Array<{ sku: string; qty: number }>;
}

interface LocationRow {
  code: string;
  zone: ZoneKind;
  purpose: string;
}

/**
 * Warehouse operations by scanning (issue 5). Every scan carries a scanId: the first answer is
 * stored with it and a repeated scan gets the same answer without doing anything again. A scan
 * that cannot be done is refused with the reason and what to do next; it is kept too. Every
 * movement goes through the same ledger as the customs core, so the record customs sees is the
 * floor itself.
 */
@Injectable()
export class FloorService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customs: CustomsRepository,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
    private readonly loading: LoadingService,
    private readonly sql: SqlRunner,
    private readonly masterData: MasterDataRepository,
    private readonly gateFacts: GateFactsRepository,
    private readonly parcels: ParcelsService,
    private readonly gate: GateService,
  ) {}

  private get orm() {
    return this.customs.orm;
  }

  // ---------------------------------------------------------------- scans

  async scan(input: ScanInput, actor: string): Promise<ScanAnswer> {
    const code = interpretCode(input.code);
    try {
      return await this.sql.transaction(async (em) => {
        const { session, existed, found } = await this.open(em, actor, input, code);
        const before = JSON.stringify(session);
        let answer: ScanAnswer;
        try {
          if (code.kind === 'invalid') throw new Refusal(say.unreadable(code.reason), say.scanAgain());
          answer = await this.dispatch(em, input, code, session, actor, found);
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          answer = {
            scanId: input.scanId,
            operation: input.operation,
            outcome: 'refused',
            message: error.text.en,
            next: error.next.en,
            zh: { message: error.text.zh, next: error.next.zh },
            ...(error.detail ? { detail: error.detail } : {}),
          };
        }
        const after = JSON.stringify(session);
        // The scan id is the key: a scan seen before fails here, its work is rolled back, and the
        // first answer is returned below. (No look-up first: a repeat is rare, a scan is not.)
        // The station's step is written in the same statement when it changed.
        const scanInsert = `insert into floor_scan (scan_id, operation, actor, station_id, code, outcome, response)
           values (?, ?, ?, ?, ?, ?, ?::jsonb)`;
        const scanParams = [
          input.scanId,
          input.operation,
          actor,
          input.stationId,
          input.code,
          answer.outcome,
          JSON.stringify(answer),
        ];
        if (!existed)
          await em.executeAndCommit(
            `with s as (insert into floor_session (actor, station_id, operation, state) values (?, ?, ?, ?::jsonb)) ${scanInsert}`,
            [actor, input.stationId, input.operation, after, ...scanParams],
          );
        else if (after !== before)
          await em.executeAndCommit(
            `with s as (update floor_session set state = ?::jsonb, updated_at = now()
               where actor = ? and station_id = ? and operation = ?) ${scanInsert}`,
            [after, actor, input.stationId, input.operation, ...scanParams],
          );
        else await em.executeAndCommit(scanInsert, scanParams);
        return answer;
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        const rows = await this.orm.em.execute<Array<{ response: ScanAnswer }>>(
          'select response from floor_scan where scan_id = ?',
          [input.scanId],
        );
        if (rows.length) return rows[0].response;
      }
      throw error;
    }
  }

  /**
   * The station's step in this operation, locked for this scan (two scans of one station queue
   * up), and what the code names, a location or goods: one round trip.
   */
  private async open(
    em: Em,
    actor: string,
    input: ScanInput,
    code: ScannedCode,
  ): Promise<{ session: Session; existed: boolean; found: Found }> {
    const key = code.kind === 'plain' ? code.text : code.kind === 'gs1-goods' ? code.gtin : null;
    const gtins =
      key && /^\d{8,14}$/.test(key) ? [key, key.padStart(14, '0'), key.replace(/^0+/, '').padStart(13, '0')] : [];
    const [row] = await em.execute<
      Array<{
        state: Session | null;
        existed: boolean;
        loc: LocationRow | null;
        goods: GoodsRow[];
        delivery: DeliveryRow | null;
      }>
    >(
      `with s as (select state from floor_session where actor = ? and station_id = ? and operation = ? for update)
       select (select state from s) as state, exists (select 1 from s) as existed,
         (select jsonb_build_object('code', l.code, 'zone', z.kind, 'purpose', l.purpose) from location l
          join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
          where ? and l.warehouse_code = ? and l.code = ?) as loc,
         (select coalesce(jsonb_agg(x), '[]'::jsonb) from (
            select g.owner_code, g.sku, g.gtin, g.name, b.putrec_seqno, w.ems_no
            from goods g
            left join warehouse w on w.code = ?
            left join book_line b on b.ems_no = w.ems_no and b.item_no = g.sku
            where g.sku = ? or g.gtin = any(?::text[]) limit 20) x) as goods,
         (select to_jsonb(d) from (select id::text, owner_code, status, warehouse_code, lines from inbound_delivery
            where ? and delivery_no = ? for share) d) as delivery`,
      [
        actor,
        input.stationId,
        input.operation,
        code.kind === 'plain',
        input.warehouseCode,
        key ?? '',
        input.warehouseCode,
        key ?? '',
        pgArray(gtins),
        input.operation === 'receive',
        input.deliveryNo ?? '',
      ],
    );
    return {
      session: row.state ?? {},
      existed: row.existed,
      found: { loc: row.loc, goods: key ? row.goods : [], delivery: row.delivery },
    };
  }

  private dispatch(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    switch (input.operation) {
      case 'receive':
        return this.receiveScan(em, input, code, session, actor, found);
      case 'putaway':
        return this.putawayScan(em, input, code, session, actor, found);
      case 'pick':
        return this.pickScan(em, input, code, session, actor, found);
      case 'stocktake':
        return this.stocktakeScan(em, input, code, session, actor, found);
      case 'load':
        return this.loading.loadScan(em, input, code, session, actor);
      case 'returns':
        return this.loading.returnsScan(em, input, code, session, actor);
      case 'inspection':
        return this.loading.inspectionScan(em, input, code, actor);
      case 'pack':
        return packStationScan(this.parcels, this.customs, input, code, actor);
      case 'gate':
        return gateScan(this.gate, input, code, actor);
    }
  }

  private async location(em: Em, warehouseCode: string, text: string): Promise<LocationRow | null> {
    const rows = await em.execute<LocationRow[]>(
      `select l.code, z.kind as zone, l.purpose from location l
       join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
       where l.warehouse_code = ? and l.code = ?`,
      [warehouseCode, text],
    );
    return rows[0] ?? null;
  }

  private async emsNo(em: Em, warehouseCode: string): Promise<string | null> {
    const rows = await em.execute<Array<{ ems_no: string | null }>>('select ems_no from warehouse where code = ?', [
      warehouseCode,
    ]);
    if (!rows.length) throw new AppError('VALIDATION_FAILED', `warehouse ${warehouseCode} is not set up`);
    return rows[0].ems_no;
  }

  private bookLine(ems: string | null, g: GoodsRow): BookLineRef | null {
    return ems && g.putrec_seqno ? { emsNo: ems, putrecSeqno: g.putrec_seqno } : null;
  }

  // ---------------------------------------------------------------- receive

  async createDelivery(input: DeliveryInput, actor: string) {
    await requireWarehouse(this.masterData, input.warehouseCode);
    return this.orm.em.fork().transactional(async (em) => {
      const dock = await this.location(em, input.warehouseCode, input.dockLocation);
      if (!dock)
        throw new AppError(
          'VALIDATION_FAILED',
          `location ${input.dockLocation} does not exist in ${input.warehouseCode}`,
        );
      const known = await em.execute<Array<{ sku: string }>>(
        'select sku from goods where owner_code = ? and sku = any(?::text[])',
        [input.ownerCode, pgArray(input.lines.map((l) => l.sku))],
      );
      const missing = input.lines.map((l) => l.sku).filter((s) => !known.some((k) => k.sku === s));
      if (missing.length)
        throw new AppError(
          'VALIDATION_FAILED',
          `goods not in the master of ${input.ownerCode}: ${missing.join(', ')}; add them first`,
        );
      const rows = await em.execute<Array<{ id: string }>>(
        `insert into inbound_delivery (warehouse_code, delivery_no, owner_code, entry_doc_no, dock_location, lines, created_by)
         values (?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (delivery_no) do nothing returning id`,
        [
          input.warehouseCode,
          input.deliveryNo,
          input.ownerCode,
          input.entryDocNo ?? null,
          input.dockLocation,
          JSON.stringify(input.lines),
          actor,
        ],
      );
      if (!rows.length) throw new AppError('CONFLICT', `delivery ${input.deliveryNo} already exists`);
      return { deliveryNo: input.deliveryNo, status: 'open' as const, lines: input.lines.length };
    });
  }

  /** The delivery being counted (read, share-locked, with the scan's first statement), if open here. */
  private openDelivery(d: DeliveryRow | null, deliveryNo: string | undefined, warehouseCode: string): DeliveryRow {
    if (!deliveryNo) throw new Refusal(say.noDelivery(), say.chooseDelivery());
    if (!d) throw new Refusal(say.deliveryUnknown(deliveryNo), say.checkPaperwork());
    if (d.warehouse_code !== warehouseCode)
      throw new Refusal(say.deliveryOtherWarehouse(deliveryNo, d.warehouse_code), say.chooseDeliveryHere());
    if (d.status !== 'open') throw new Refusal(say.deliveryNotOpen(deliveryNo, d.status), say.chooseOpenDelivery());
    return d;
  }

  private async receiveScan(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    const delivery = this.openDelivery(found.delivery, input.deliveryNo, input.warehouseCode);
    if (code.kind === 'sscc') {
      session.pallet = code.sscc;
      session.deliveryNo = input.deliveryNo;
      return answerOk(input, say.pallet(code.sscc), say.scanCartons());
    }
    const goods = found.goods.filter((g) => g.owner_code === delivery.owner_code);
    const text = code.kind === 'plain' ? code.text : code.kind === 'gs1-goods' ? code.gtin : '';
    if (!goods.length) throw new Refusal(say.notGoodsOf(text, delivery.owner_code), say.setAsideNext());
    const g = goods[0];
    const batch = code.kind === 'gs1-goods' ? code.batch : '';
    const expiry = code.kind === 'gs1-goods' ? code.expiry : null;
    const qty = (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1;
    const pallet = session.deliveryNo === input.deliveryNo ? ((session.pallet as string | undefined) ?? null) : null;
    const expected = delivery.lines.filter((l) => l.sku === g.sku).reduce((s, l) => s + l.qty, 0);
    const condition = expected === 0 ? 'unexpected' : input.condition;
    // counted so far, this scan included (the statement does not see its own insert: it is added)
    const [{ counted }] = await em.execute<Array<{ counted: number }>>(
      `with added as (
         insert into inbound_count (delivery_id, sku, batch, expiry, pallet_sscc, condition, qty, scan_id, actor)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning qty, condition)
       select ((select coalesce(sum(qty), 0) from inbound_count where delivery_id = ? and sku = ? and condition = 'good')
         + (select coalesce(sum(qty), 0) from added where condition = 'good'))::int as counted`,
      [delivery.id, g.sku, batch, expiry, pallet, condition, qty, input.scanId, actor, delivery.id, g.sku],
    );
    if (condition === 'unexpected')
      throw new Refusal(say.unexpected(g.sku, String(input.deliveryNo)), say.toQuarantine(), { sku: g.sku, qty });
    const detail = { sku: g.sku, name: g.name, batch, expiry, qty, counted, expected, pallet };
    if (condition === 'damaged') return answerOk(input, say.damaged(qty, g.sku), say.toDamaged(), detail);
    if (counted > expected)
      return answerOk(input, say.over(g.sku, counted, expected), say.scanNextItem(), {
        ...detail,
        over: counted - expected,
      });
    return answerOk(input, say.counted(g.sku, counted, expected), say.scanNextItem(), detail);
  }

  /** Deliveries of a warehouse still being counted (or held), newest first: what a handheld picks from. */
  async deliveries(warehouseCode: string, status: 'open' | 'held' | 'closed') {
    return this.orm.em.execute<Answer<typeof answers.deliveriesListed>['items']>(
      `select d.delivery_no as "deliveryNo", d.owner_code as "ownerCode", d.status, d.dock_location as "dockLocation",
         (select coalesce(sum((l->>'qty')::int), 0) from jsonb_array_elements(d.lines) l)::int as "expectedUnits",
         (select coalesce(sum(c.qty), 0) from inbound_count c where c.delivery_id = d.id)::int as "countedUnits"
       from inbound_delivery d where d.warehouse_code = ? and d.status = ? order by d.created_at desc limit 100`,
      [warehouseCode, status],
    );
  }

  async stocktakes(warehouseCode: string, status: 'open' | 'closed') {
    return this.orm.em.execute<Answer<typeof answers.stocktakesListed>['items']>(
      `select stocktake_no as "stocktakeNo", locations, status, created_at as "createdAt" from stocktake
       where warehouse_code = ? and status = ? order by created_at desc limit 100`,
      [warehouseCode, status],
    );
  }

  async delivery(deliveryNo: string): Promise<Answer<typeof answers.deliveryDetail>> {
    type Detail = Answer<typeof answers.deliveryDetail>;
    const rows = await this.orm.em.execute<
      Array<{
        id: string;
        delivery_no: string;
        warehouse_code: string;
        owner_code: string;
        entry_doc_no: string | null;
        status: Detail['status'];
        lines: Detail['expected'];
        report: Detail['report'];
        dock_location: string;
      }>
    >('select * from inbound_delivery where delivery_no = ?', [deliveryNo]);
    const d = rows[0];
    if (!d) throw new AppError('NOT_FOUND', `delivery ${deliveryNo} is not known`);
    const counts = await this.orm.em.execute<Detail['counted']>(
      `select sku, batch, condition, sum(qty)::int as qty from inbound_count where delivery_id = ? group by sku, batch, condition order by sku, batch`,
      [d.id],
    );
    return {
      deliveryNo: d.delivery_no,
      warehouseCode: d.warehouse_code,
      ownerCode: d.owner_code,
      entryDocNo: d.entry_doc_no,
      dockLocation: d.dock_location,
      status: d.status,
      expected: d.lines,
      counted: counts,
      report: d.report,
    };
  }

  /**
   * Ends the count. With an entry verification list the goods go onto the book at the dock (good
   * units up to what is expected; damaged units to quarantine, still on their book line); over and
   * unexpected units go to quarantine off the book. Without the list, nothing is booked: the
   * delivery is held until the list is attached.
   */
  async closeDelivery(deliveryNo: string, actor: string, entryDocNo?: string) {
    return this.orm.em.fork().transactional(async (em) => {
      const rows = await em.execute<
        Array<{
          id: string;
          warehouse_code: string;
          owner_code: string;
          entry_doc_no: string | null;
          status: string;
          dock_location: string;
          lines: Array<{ sku: string; qty: number }>;
        }>
      >('select * from inbound_delivery where delivery_no = ? for update', [deliveryNo]);
      const d = rows[0];
      if (!d) throw new AppError('NOT_FOUND', `delivery ${deliveryNo} is not known`);
      if (d.status === 'closed') throw new AppError('CONFLICT', `delivery ${deliveryNo} was already closed and booked`);
      const doc = entryDocNo ?? d.entry_doc_no;
      if (entryDocNo) await em.execute('update inbound_delivery set entry_doc_no = ? where id = ?', [entryDocNo, d.id]);
      const counts = await em.execute<
        Array<{ sku: string; batch: string; condition: 'good' | 'damaged' | 'unexpected'; qty: number }>
      >(
        `select sku, batch, condition, sum(qty)::int as qty from inbound_count where delivery_id = ?
         group by sku, batch, condition order by sku, batch`,
        [d.id],
      );
      const skus = [...new Set([...d.lines.map((l) => l.sku), ...counts.map((c) => c.sku)])].sort();
      const report = skus.map((sku) => {
        const expected = d.lines.filter((l) => l.sku === sku).reduce((s, l) => s + l.qty, 0);
        const sum = (c: string) =>
          counts.filter((x) => x.sku === sku && x.condition === c).reduce((s, x) => s + x.qty, 0);
        const good = sum('good');
        const damaged = sum('damaged');
        const unexpected = sum('unexpected');
        return {
          sku,
          expected,
          good,
          damaged,
          unexpected,
          over: Math.max(0, good - expected),
          short: Math.max(0, expected - good - damaged),
        };
      });
      if (!doc) {
        await em.execute(`update inbound_delivery set status = 'held', report = ?::jsonb where id = ?`, [
          JSON.stringify(report),
          d.id,
        ]);
        return {
          deliveryNo,
          status: 'held' as const,
          message: `no entry verification list for ${deliveryNo}: the goods stay on hold at ${d.dock_location} until it is attached`,
          report,
        };
      }
      const ems = await this.emsNo(em, d.warehouse_code);
      const quarantine = await em.execute<Array<{ code: string }>>(
        `select l.code from location l join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
         where l.warehouse_code = ? and z.kind = 'quarantine' order by l.code limit 1`,
        [d.warehouse_code],
      );
      const needsQuarantine = report.some((r) => r.damaged || r.unexpected || r.over);
      if (needsQuarantine && !quarantine.length)
        throw new AppError(
          'VALIDATION_FAILED',
          `warehouse ${d.warehouse_code} has no quarantine location for damaged, over or unexpected goods`,
        );
      const goodsRows = await em.execute<Array<{ sku: string; putrec_seqno: number | null }>>(
        `select g.sku, b.putrec_seqno from goods g left join book_line b on b.ems_no = ? and b.item_no = g.sku
         where g.owner_code = ? and g.sku = any(?::text[])`,
        [ems, d.owner_code, pgArray(skus)],
      );
      const seqOf = new Map(goodsRows.map((g) => [g.sku, g.putrec_seqno]));
      const movements = [];
      for (const r of report) {
        const seq = seqOf.get(r.sku) ?? null;
        const bookLine = ems && seq ? { emsNo: ems, putrecSeqno: seq } : null;
        let goodLeft = Math.min(r.good, r.expected);
        let overLeft = r.over;
        for (const c of counts.filter((x) => x.sku === r.sku)) {
          const base = { ownerCode: d.owner_code, sku: r.sku, batch: c.batch };
          if (c.condition === 'unexpected' || (ems && !bookLine)) {
            movements.push(
              ...heldInboundMovements(d.warehouse_code, deliveryNo, {
                ...base,
                bookLine: null,
                location: quarantine[0].code,
                qty: c.qty,
              }),
            );
            continue;
          }
          if (c.condition === 'damaged') {
            movements.push(
              ...entryMovements(d.warehouse_code, doc, [
                { ...base, bookLine, location: quarantine[0].code, qty: c.qty },
              ]),
            );
            continue;
          }
          const booked = Math.min(goodLeft, c.qty);
          goodLeft -= booked;
          if (booked)
            movements.push(
              ...entryMovements(d.warehouse_code, doc, [{ ...base, bookLine, location: d.dock_location, qty: booked }]),
            );
          const over = Math.min(overLeft, c.qty - booked);
          overLeft -= over;
          if (over)
            movements.push(
              ...heldInboundMovements(d.warehouse_code, deliveryNo, {
                ...base,
                bookLine: null,
                location: quarantine[0].code,
                qty: over,
              }),
            );
        }
      }
      await this.ledger.append(em, movements, actor);
      await em.execute(
        `update inbound_delivery set status = 'closed', report = ?::jsonb, closed_by = ?, closed_at = now() where id = ?`,
        [JSON.stringify(report), actor, d.id],
      );
      await this.trace.record(em, [
        {
          objectKind: 'stock',
          objectId: deliveryNo,
          bizStep: 'receiving',
          disposition: 'in_progress',
          actor,
          documents: { deliveryNo, entryDocNo: doc },
          detail: { report },
        },
      ]);
      return { deliveryNo, status: 'closed' as const, entryDocNo: doc, report };
    });
  }

  // ---------------------------------------------------------------- put-away

  /**
   * New goods for the zone: an empty storage location of the right zone. At most 200 candidates
   * are looked at, from a point of the zone that depends on the goods (the same goods are sent the
   * same way; different goods spread out), so the answer costs the same in a warehouse of any
   * size; in a nearly full zone there may be no suggestion, and the worker picks one.
   */
  private async emptyLocation(em: Em, warehouseCode: string, bonded: boolean, sku: string): Promise<string | null> {
    const zone = bonded ? 'bonded' : 'non-bonded';
    const start = createHash('sha1')
      .update(sku)
      .digest('base64')
      .replace(/[^A-Z0-9]/gi, '')
      .slice(0, 2)
      .toUpperCase();
    const pick = (from: string) =>
      em.execute<Array<{ code: string }>>(
        `select c.code from (
           select l.code from location l join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code and z.kind = ?
           where l.warehouse_code = ? and l.purpose = 'storage' and l.code >= ? order by l.code limit 200) c
         where not exists (select 1 from stock_movement m where m.ledger = 'shelf' and m.warehouse_code = ?
                           and m.location = c.code group by m.location having sum(m.qty) <> 0)
         order by c.code limit 1`,
        [zone, warehouseCode, from, warehouseCode],
      );
    const found = (await pick(start))[0] ?? (await pick(''))[0];
    return found?.code ?? null;
  }

  private async putawayScan(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    const text = code.kind === 'plain' ? code.text : null;
    const { loc, goods } = found;
    if (loc) {
      const item = session.item as
        | { ownerCode: string; sku: string; batch: string; qty: number; from: string; bonded: boolean }
        | undefined;
      if (!item) {
        session.location = loc.code;
        return answerOk(input, say.location(loc.code), say.scanGoodsForHere());
      }
      return this.putaway(em, input, item, loc, session, actor);
    }
    if (!goods.length)
      throw new Refusal(
        say.neitherLocationNorGoods(text ?? input.code, input.warehouseCode),
        say.scanLocationOrGoods(),
      );
    const ems = goods[0].ems_no;
    const batch = code.kind === 'gs1-goods' ? code.batch : null;
    // the goods waiting at a dock or staging location, oldest first
    // the goods waiting at a dock or staging location, oldest first, and where the same goods
    // already are in the right zone (the suggestion), in one round trip
    const waiting = await em.execute<
      Array<{
        owner_code: string;
        sku: string;
        batch: string;
        location: string;
        qty: string;
        suggestion: string | null;
      }>
    >(
      `with w as (
         select m.owner_code, m.sku, m.batch, m.location, sum(m.qty) as qty from stock_movement m
         join location l on l.warehouse_code = m.warehouse_code and l.code = m.location and l.purpose in ('dock', 'staging')
         where m.ledger = 'shelf' and m.warehouse_code = ? and ${itemsCondition(goods)}
           ${batch ? 'and m.batch = ?' : ''}
         group by m.owner_code, m.sku, m.batch, m.location having sum(m.qty) > 0 order by min(m.created_at) limit 1)
       select w.*, (
         select m.location from stock_movement m
         join location l on l.warehouse_code = m.warehouse_code and l.code = m.location and l.purpose = 'storage'
         join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
           and z.kind = case when exists (select 1 from book_line b join warehouse wh on wh.ems_no = b.ems_no
                                          where wh.code = ? and b.item_no = w.sku) then 'bonded' else 'non-bonded' end
         where m.ledger = 'shelf' and m.warehouse_code = ? and m.owner_code = w.owner_code and m.sku = w.sku
         group by m.location having sum(m.qty) > 0 order by sum(m.qty) desc limit 1) as suggestion
       from w`,
      [input.warehouseCode, ...itemsParams(goods), ...(batch ? [batch] : []), input.warehouseCode, input.warehouseCode],
    );
    if (!waiting.length) throw new Refusal(say.nothingWaiting(goods[0].sku, batch), say.scanFromDock());
    const w = waiting[0];
    const g = goods.find((x) => x.owner_code === w.owner_code && x.sku === w.sku)!;
    const bonded = Boolean(this.bookLine(ems, g));
    const qty = Math.min(Number(w.qty), (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1);
    const item = {
      ownerCode: w.owner_code,
      sku: w.sku,
      batch: w.batch,
      qty,
      from: w.location,
      bonded,
      putrecSeqno: g.putrec_seqno,
      emsNo: ems,
    };
    if (session.location) {
      const target = await this.location(em, input.warehouseCode, String(session.location));
      if (target) return this.putaway(em, input, item, target, session, actor);
    }
    session.item = item;
    const suggestion = w.suggestion ?? (await this.emptyLocation(em, input.warehouseCode, bonded, w.sku));
    return answerOk(
      input,
      say.takenFrom(qty, w.sku, w.batch, w.location),
      suggestion ? say.putItIn(suggestion) : say.scanWhereYouPut(),
      { sku: w.sku, qty, suggestion },
    );
  }

  private async putaway(
    em: Em,
    input: ScanInput,
    item: {
      ownerCode: string;
      sku: string;
      batch: string;
      qty: number;
      from: string;
      bonded: boolean;
      putrecSeqno?: number | null;
      emsNo?: string | null;
    },
    loc: LocationRow,
    session: Session,
    actor: string,
  ): Promise<ScanAnswer> {
    const refusal = putawayRefusal({ bonded: item.bonded, sku: item.sku }, loc);
    if (refusal) throw new Refusal(refusal, say.scanRightZone());
    const ems = item.emsNo ?? null;
    await this.ledger.lockItems(em, input.warehouseCode, [item]);
    const bookLine = ems && item.putrecSeqno && item.bonded ? { emsNo: ems, putrecSeqno: item.putrecSeqno } : null;
    const docNo = `PA-${input.scanId}`;
    const held = await this.ledger.appendTracedIfHeld(
      em,
      {
        warehouseCode: input.warehouseCode,
        location: item.from,
        ownerCode: item.ownerCode,
        sku: item.sku,
        batch: item.batch,
        qty: item.qty,
      },
      transferMovements(input.warehouseCode, 'putaway', docNo, {
        bookLine,
        ownerCode: item.ownerCode,
        sku: item.sku,
        batch: item.batch,
        location: item.from,
        qty: item.qty,
        to: loc.code,
      }),
      actor,
      [
        {
          objectKind: 'stock',
          objectId: `${item.ownerCode}/${item.sku}/${item.batch}`,
          bizStep: 'storing',
          disposition: 'sellable_not_accessible',
          readPoint: input.stationId,
          actor,
          documents: { docNo },
          detail: { from: item.from, to: loc.code, qty: item.qty },
        },
      ],
    );
    if (held < item.qty) {
      delete session.item;
      throw new Refusal(say.onlyLeft(String(held), item.sku, item.from), say.scanGoodsAgain());
    }
    delete session.item;
    delete session.location;
    return answerOk(input, say.putIn(item.qty, item.sku, loc.code), say.scanNextGoodsOrLocation(), {
      sku: item.sku,
      qty: item.qty,
      to: loc.code,
    });
  }

  // ---------------------------------------------------------------- pick

  /**
   * A wave: pick tasks for parcels whose lists customs accepted (120 and on) and that are not
   * held, packed or already in a wave; units allocated oldest batch first, net of other open tasks.
   */
  async buildWave(warehouseCode: string, maxParcels: number, actor: string) {
    await requireWarehouse(this.masterData, warehouseCode);
    return this.orm.em.fork().transactional(async (em) => {
      await this.ledger.lockStock(em, warehouseCode);
      const lists = await em.execute<
        Array<{
          id: string;
          logistics_no: string;
          ems_no: string | null;
          lines: Array<{ sku: string; ownerCode: string; units: number; putrecSeqno: number | null }>;
        }>
      >(
        `select id, logistics_no, ems_no, lines from inventory_list l
         where warehouse_code = ? and direction = 'import' and state = 'declared' and customs_status in (120, 300, 399, 800)
           and hold_reason is null and packed_at is null and gate_passed_at is null
           and not exists (select 1 from pick_task t where t.list_id = l.id)
         order by declared_at, id limit ? for update skip locked`,
        [warehouseCode, maxParcels],
      );
      const waveNo = await this.customs.nextDocNo(em, 'WV', customsDate(new Date()));
      const reserved = new Map<string, number>();
      const openTasks = await em.execute<
        Array<{ owner_code: string; sku: string; batch: string; location: string; left: number }>
      >(
        `select owner_code, sku, batch, location, sum(qty - picked)::int as left from pick_task
         where warehouse_code = ? and status = 'open' group by owner_code, sku, batch, location`,
        [warehouseCode],
      );
      const rkey = (o: string, s: string, b: string, l: string) => [o, s, b, l].join('\u0000');
      for (const t of openTasks) reserved.set(rkey(t.owner_code, t.sku, t.batch, t.location), t.left);
      const skipped: Array<{ logisticsNo: string; reason: string }> = [];
      let tasks = 0;
      let parcels = 0;
      // every item's stock in one query, every task in one insert: the wave holds the warehouse lock
      const stock = await this.ledger.shelfBalancesOf(
        em,
        warehouseCode,
        lists.flatMap((l) => l.lines),
      );
      const newTasks: Array<Record<string, unknown>> = [];
      for (const list of lists) {
        const planned: Array<{
          ownerCode: string;
          sku: string;
          batch: string;
          location: string;
          qty: number;
          putrecSeqno: number | null;
        }> = [];
        let shortOf: string | null = null;
        for (const line of list.lines) {
          const bonded = Boolean(list.ems_no && line.putrecSeqno);
          const balances = (stock.get(`${line.ownerCode}|${line.sku}`) ?? [])
            .filter((b) => !bonded || b.zone === 'bonded')
            .map((b) => {
              const k = rkey(line.ownerCode, line.sku, b.batch, b.location);
              const taken =
                (reserved.get(k) ?? 0) +
                planned
                  .filter((p) => rkey(p.ownerCode, p.sku, p.batch, p.location) === k)
                  .reduce((s, p) => s + p.qty, 0);
              return { ...b, qty: b.qty - taken };
            });
          const allocation = allocateFifo(balances, line.units);
          if (!allocation.ok) {
            shortOf = `only ${allocation.available} × ${line.sku} free on the shelves, ${line.units} needed`;
            break;
          }
          for (const p of allocation.picks)
            planned.push({ ownerCode: line.ownerCode, sku: line.sku, putrecSeqno: line.putrecSeqno, ...p });
        }
        if (shortOf) {
          skipped.push({ logisticsNo: list.logistics_no, reason: shortOf });
          continue;
        }
        for (const p of planned) {
          newTasks.push({
            list_id: list.id,
            logistics_no: list.logistics_no,
            owner_code: p.ownerCode,
            sku: p.sku,
            ems_no: list.ems_no,
            putrec_seqno: p.putrecSeqno,
            batch: p.batch,
            location: p.location,
            qty: p.qty,
          });
          const k = rkey(p.ownerCode, p.sku, p.batch, p.location);
          reserved.set(k, (reserved.get(k) ?? 0) + p.qty);
          tasks++;
        }
        parcels++;
      }
      if (newTasks.length)
        await em.execute(
          `insert into pick_task (wave_no, list_id, logistics_no, warehouse_code, owner_code, sku, ems_no, putrec_seqno, batch, location, qty)
           select ?, list_id, logistics_no, ?, owner_code, sku, ems_no, putrec_seqno, batch, location, qty
           from jsonb_to_recordset(?::jsonb) as x(list_id bigint, logistics_no text, owner_code text, sku text, ems_no text,
             putrec_seqno integer, batch text, location text, qty integer)`,
          [waveNo, warehouseCode, JSON.stringify(newTasks)],
        );
      await this.trace.record(em, [
        {
          objectKind: 'stock',
          objectId: waveNo,
          bizStep: 'picking',
          disposition: 'in_progress',
          actor,
          detail: { parcels, tasks, skipped: skipped.length },
        },
      ]);
      return { waveNo, parcels, tasks, skipped };
    });
  }

  async wave(waveNo: string) {
    const tasks = await this.orm.em.execute<Answer<typeof answers.waveTasks>['tasks']>(
      `select id, logistics_no as "logisticsNo", sku, batch, location, qty, picked, status from pick_task
       where wave_no = ? order by location, sku, id`,
      [waveNo],
    );
    if (!tasks.length) throw new AppError('NOT_FOUND', `wave ${waveNo} is not known`);
    return { waveNo, tasks };
  }

  private async pickScan(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    const text = code.kind === 'plain' ? code.text : null;
    const { loc, goods } = found;
    if (loc) {
      const open = await em.execute<Array<{ sku: string; left: number }>>(
        `select sku, sum(qty - picked)::int as left from pick_task where warehouse_code = ? and location = ? and status = 'open'
         group by sku order by sku`,
        [input.warehouseCode, loc.code],
      );
      if (!open.length) {
        delete session.location;
        throw new Refusal(say.nothingToPick(loc.code), say.nextBin());
      }
      session.location = loc.code;
      return answerOk(input, say.binTasks(loc.code, open), say.scanEachItem(), {
        location: loc.code,
        tasks: open,
      });
    }
    if (!session.location) throw new Refusal(say.binFirst(), say.scanTheBin());
    if (!goods.length) throw new Refusal(say.unknownBarcode(text ?? input.code), say.scanAgain());
    const tasks = await em.execute<
      Array<{
        id: string;
        logistics_no: string;
        owner_code: string;
        sku: string;
        batch: string;
        qty: number;
        picked: number;
        ems_no: string | null;
        putrec_seqno: number | null;
      }>
    >(
      // the task, locked, and its item's stock lock (as LedgerRepository.lockItems takes it) in one round trip
      `with t as (
         select id, logistics_no, owner_code, sku, batch, qty, picked, ems_no, putrec_seqno from pick_task
         where warehouse_code = ? and location = ? and status = 'open' and ${itemsCondition(goods, '')}
         order by id limit 1 for update)
       select t.*, pg_advisory_xact_lock_shared(hashtext('stock:' || ?)) is null as w,
         pg_advisory_xact_lock(hashtext('item:' || ? || '|' || t.owner_code || '|' || t.sku)) is null as i
       from t`,
      [input.warehouseCode, session.location, ...itemsParams(goods), input.warehouseCode, input.warehouseCode],
    );
    const task = tasks[0];
    if (!task) throw new Refusal(say.notFromThisBin(goods[0].sku, String(session.location)), say.putBack());
    const [{ qty: onShelf }] = await em.execute<Array<{ qty: string }>>(
      `select coalesce(sum(qty), 0) as qty from stock_movement where ledger = 'shelf' and warehouse_code = ? and location = ?
       and owner_code = ? and sku = ? and batch = ?`,
      [input.warehouseCode, session.location, task.owner_code, task.sku, task.batch],
    );
    if (Number(onShelf) <= 0) throw new Refusal(say.binEmpty(String(session.location), task.sku), say.reportShort());
    const qty = Math.min(
      task.qty - task.picked,
      Number(onShelf),
      (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1,
    );
    const movements = movementsInsert(
      transferMovements(
        input.warehouseCode,
        'pick',
        task.logistics_no,
        {
          bookLine: task.ems_no && task.putrec_seqno ? { emsNo: task.ems_no, putrecSeqno: task.putrec_seqno } : null,
          ownerCode: task.owner_code,
          sku: task.sku,
          batch: task.batch,
          location: String(session.location),
          qty,
          to: parcelLocation(task.logistics_no),
        },
        task.logistics_no,
      ),
      actor,
      null,
    );
    const trace = traceInsert([
      {
        objectKind: 'parcel',
        objectId: task.logistics_no,
        bizStep: 'picking',
        disposition: 'in_progress',
        readPoint: input.stationId,
        actor,
        documents: { logisticsNo: task.logistics_no },
        detail: { sku: task.sku, batch: task.batch, from: session.location, qty },
      },
    ]);
    const picked = task.picked + qty;
    // One statement: the units move into the parcel, the step is traced, the task advances, and
    // what is left for the whole parcel comes back (the statement sees the tasks as they were
    // before its own update, so this pick is taken off).
    const [{ left }] = await em.execute<Array<{ left: number }>>(
      `with m as (${movements.sql}), tr as (${trace.sql}),
       done as (
         update pick_task set picked = ?, status = case when ? >= qty then 'done' else status end, updated_at = now()
         where id = ? returning id)
       select (coalesce(sum(qty - picked), 0) - ?)::int as left from pick_task where logistics_no = ? and status = 'open'`,
      [...movements.params, ...trace.params, picked, picked, task.id, qty, task.logistics_no],
    );
    return answerOk(
      input,
      say.intoParcel(qty, task.sku, task.logistics_no),
      left ? say.moreForParcel(left) : say.parcelComplete(task.logistics_no),
      { logisticsNo: task.logistics_no, sku: task.sku, qty, parcelLeft: left },
    );
  }

  async shortPick(taskId: string, reason: string, actor: string) {
    return this.orm.em.fork().transactional(async (em) => {
      const rows = await em.execute<
        Array<{ logistics_no: string; status: string; qty: number; picked: number; sku: string; location: string }>
      >(
        `update pick_task set status = 'short', updated_at = now() where id = ? and status = 'open'
         returning logistics_no, status, qty, picked, sku, location`,
        [taskId],
      );
      if (!rows.length) throw new AppError('CONFLICT', `pick task ${taskId} is not open`);
      const t = rows[0];
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: t.logistics_no,
          bizStep: 'picking',
          disposition: 'short',
          actor,
          detail: { sku: t.sku, location: t.location, missing: t.qty - t.picked, reason },
        },
      ]);
      return { taskId, logisticsNo: t.logistics_no, sku: t.sku, location: t.location, missing: t.qty - t.picked };
    });
  }

  // ---------------------------------------------------------------- weigh

  async weigh(logisticsNo: string, stationId: string, actor: string) {
    return this.orm.em.fork().transactional(async (em) => {
      const lists = await this.customs.listForUpdate(em, { logisticsNo });
      if (lists.length !== 1)
        throw new AppError(
          lists.length ? 'CONFLICT' : 'NOT_FOUND',
          `parcel ${logisticsNo} is ${lists.length ? 'ambiguous' : 'not known'}`,
        );
      const list = lists[0];
      await this.gateFacts.refuseIfShipped(em, list);
      const weights = await em.execute<Array<{ id: string; gross_grams: number }>>(
        // the newest recent weight that is not another parcel's: the previous parcel's weight is
        // never taken for this one (one placement on the scale weighs one parcel)
        `select e.id, e.gross_grams from weight_event e where e.station_id = ? and e.recorded_at > now() - (? * interval '1 second')
           and not exists (select 1 from weight_check c where c.weight_event_id = e.id and c.list_id <> ?)
         order by e.recorded_at desc, e.id desc limit 1`,
        [stationId, this.config.FLOOR_WEIGHT_MAX_AGE_S, list.id],
      );
      if (!weights.length)
        throw new AppError(
          'VALIDATION_FAILED',
          `no stable weight for parcel ${logisticsNo} from the scale of ${stationId} in the last ${this.config.FLOOR_WEIGHT_MAX_AGE_S} s (a weight already taken for another parcel does not count): put the parcel on the scale`,
        );
      const declaredKg = Number(list.head.grossWeight);
      const declaredGrams = Number.isFinite(declaredKg) && declaredKg > 0 ? Math.round(declaredKg * 1000) : null;
      const goods = await em.execute<Array<{ sku: string; owner_code: string; gross_grams: number | null }>>(
        'select sku, owner_code, gross_grams from goods where (owner_code, sku) in (select unnest(?::text[]), unnest(?::text[]))',
        [pgArray(list.lines.map((l) => l.ownerCode)), pgArray(list.lines.map((l) => l.sku))],
      );
      const perUnit = list.lines.map(
        (l) => goods.find((g) => g.sku === l.sku && g.owner_code === l.ownerCode)?.gross_grams ?? null,
      );
      const expectedGrams = perUnit.every((g) => g !== null)
        ? list.lines.reduce((s, l, i) => s + (perUnit[i] as number) * l.units, 0)
        : null;
      const verdict = weightVerdict({
        grossGrams: weights[0].gross_grams,
        declaredGrams,
        expectedGrams,
        toleranceGrams: this.config.FLOOR_WEIGHT_TOLERANCE_GRAMS,
        tolerancePct: this.config.FLOOR_WEIGHT_TOLERANCE_PCT,
      });
      await em.execute(
        `insert into weight_check (list_id, logistics_no, station_id, weight_event_id, gross_grams, declared_grams, expected_grams, tolerance_grams, within, actor)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          list.id,
          logisticsNo,
          stationId,
          weights[0].id,
          verdict.grossGrams,
          declaredGrams,
          expectedGrams,
          verdict.toleranceGrams,
          verdict.within,
          actor,
        ],
      );
      if (!verdict.within && !list.hold_reason)
        await this.customs.updateList(em, list.id, {
          hold_reason: `weight check: ${verdict.message}`,
          held_by: 'weight-check',
          held_at: new Date(),
        });
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: logisticsNo,
          bizStep: verdict.within ? 'packing' : 'holding',
          disposition: verdict.within ? 'weighed' : 'weight_hold',
          readPoint: stationId,
          actor,
          documents: { logisticsNo, invtNo: list.invt_no },
          detail: { ...verdict },
        },
      ]);
      return { logisticsNo, ...verdict, held: !verdict.within };
    });
  }

  // ---------------------------------------------------------------- stock-take

  async startStocktake(warehouseCode: string, locations: string[], actor: string) {
    return this.orm.em.fork().transactional(async (em) => {
      const known = await em.execute<Array<{ code: string }>>(
        'select code from location where warehouse_code = ? and code = any(?::text[])',
        [warehouseCode, pgArray(locations)],
      );
      const missing = locations.filter((l) => !known.some((k) => k.code === l));
      if (missing.length)
        throw new AppError('VALIDATION_FAILED', `not locations of ${warehouseCode}: ${missing.join(', ')}`);
      const no = await this.customs.nextDocNo(em, 'ST', customsDate(new Date()));
      await em.execute(
        'insert into stocktake (stocktake_no, warehouse_code, locations, created_by) values (?, ?, ?::text[], ?)',
        [no, warehouseCode, pgArray([...new Set(locations)]), actor],
      );
      return { stocktakeNo: no, warehouseCode, locations: [...new Set(locations)] };
    });
  }

  private async stocktakeScan(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    if (!input.stocktakeNo) throw new Refusal(say.noStocktake(), say.chooseStocktake());
    const rows = await em.execute<Array<{ id: string; status: string; locations: string[]; warehouse_code: string }>>(
      'select id, status, locations, warehouse_code from stocktake where stocktake_no = ?',
      [input.stocktakeNo],
    );
    const st = rows[0];
    if (!st || st.warehouse_code !== input.warehouseCode)
      throw new Refusal(say.stocktakeUnknown(input.stocktakeNo), say.chooseOpenStocktake());
    if (st.status !== 'open') throw new Refusal(say.stocktakeClosed(input.stocktakeNo), say.chooseOpenStocktake());
    const text = code.kind === 'plain' ? code.text : null;
    if (text && st.locations.includes(text)) {
      session.location = text;
      session.stocktakeNo = input.stocktakeNo;
      return answerOk(input, say.counting(text), say.scanEveryItem());
    }
    const { loc, goods } = found;
    if (loc) throw new Refusal(say.notInStocktake(loc.code, input.stocktakeNo), say.scanLocationOfCount());
    if (!session.location || session.stocktakeNo !== input.stocktakeNo)
      throw new Refusal(say.locationFirst(), say.scanCountedLocation());
    if (!goods.length) throw new Refusal(say.unknownBarcode(text ?? input.code), say.tellSupervisor());
    const g = goods[0];
    const qty = (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1;
    await em.execute(
      `insert into stocktake_count (stocktake_id, location, sku, owner_code, batch, qty, scan_id, actor) values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        st.id,
        session.location,
        g.sku,
        g.owner_code,
        code.kind === 'gs1-goods' ? code.batch : '',
        qty,
        input.scanId,
        actor,
      ],
    );
    // blind count: the expected quantity is not shown
    return answerOk(input, say.countedIn(qty, g.sku, String(session.location)), say.scanNextOrLocation());
  }

  /**
   * Ends a count: the ledger's shelf quantities against what was counted, per location, SKU and
   * batch. Differences go to the discrepancy report for customs; nothing is adjusted.
   */
  async closeStocktake(no: string, actor: string) {
    return this.orm.em.fork().transactional(async (em) => {
      const rows = await em.execute<Array<{ id: string; status: string; locations: string[]; warehouse_code: string }>>(
        'select id, status, locations, warehouse_code from stocktake where stocktake_no = ? for update',
        [no],
      );
      const st = rows[0];
      if (!st) throw new AppError('NOT_FOUND', `stock-take ${no} is not known`);
      if (st.status !== 'open') throw new AppError('CONFLICT', `stock-take ${no} is already closed`);
      const expected = await em.execute<
        Array<{ location: string; owner_code: string; sku: string; batch: string; qty: string }>
      >(
        `select location, owner_code, sku, batch, sum(qty) as qty from stock_movement
         where ledger = 'shelf' and warehouse_code = ? and location = any(?::text[])
         group by location, owner_code, sku, batch having sum(qty) <> 0`,
        [st.warehouse_code, pgArray(st.locations)],
      );
      const counted = await em.execute<
        Array<{ location: string; owner_code: string; sku: string; batch: string; qty: number }>
      >('select location, owner_code, sku, batch, qty from stocktake_count where stocktake_id = ?', [st.id]);
      // A count without a batch matches the ledger's batches of that SKU in that location as a whole.
      const batchless = new Set(
        counted.filter((c) => c.batch === '').map((c) => `${c.location}|${c.owner_code}|${c.sku}`),
      );
      const norm = <T extends { location: string; owner_code: string; sku: string; batch: string }>(r: T) =>
        batchless.has(`${r.location}|${r.owner_code}|${r.sku}`) ? '' : r.batch;
      const differences = stocktakeDifferences(
        expected.map((e) => ({
          location: e.location,
          ownerCode: e.owner_code,
          sku: e.sku,
          batch: norm(e),
          qty: Number(e.qty),
        })),
        counted.map((c) => ({ location: c.location, ownerCode: c.owner_code, sku: c.sku, batch: norm(c), qty: c.qty })),
      );
      const report = {
        locations: st.locations.length,
        countedUnits: counted.reduce((s, c) => s + c.qty, 0),
        ledgerUnits: expected.reduce((s, e) => s + Number(e.qty), 0),
        differences,
      };
      await em.execute(
        `update stocktake set status = 'closed', report = ?::jsonb, closed_by = ?, closed_at = now() where id = ?`,
        [JSON.stringify(report), actor, st.id],
      );
      await this.trace.record(em, [
        {
          objectKind: 'stock',
          objectId: no,
          bizStep: 'stock_taking',
          disposition: differences.length ? 'discrepancy' : 'counted',
          actor,
          detail: report,
        },
      ]);
      return { stocktakeNo: no, status: 'closed' as const, ...report };
    });
  }

  async stocktake(no: string) {
    const rows = await this.orm.em.execute<Array<Answer<typeof answers.stocktakeDetail>>>(
      `select stocktake_no as "stocktakeNo", warehouse_code as "warehouseCode", locations, status, report,
         created_by as "createdBy", created_at as "createdAt", closed_at as "closedAt" from stocktake where stocktake_no = ?`,
      [no],
    );
    if (!rows.length) throw new AppError('NOT_FOUND', `stock-take ${no} is not known`);
    return rows[0];
  }

  async discrepancies(warehouseCode: string) {
    return this.orm.em.execute<Answer<typeof answers.discrepanciesListed>>(
      `select stocktake_no as "stocktakeNo", closed_at as "closedAt", closed_by as "closedBy", report->'differences' as differences
       from stocktake where warehouse_code = ? and status = 'closed' and jsonb_array_length(report->'differences') > 0
       order by closed_at desc limit 100`,
      [warehouseCode],
    );
  }
}

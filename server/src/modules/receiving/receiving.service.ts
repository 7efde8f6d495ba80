import { Injectable } from '@nestjs/common';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { siteTime } from '../../platform/time/site-time.js';
import { answerOk, Refusal, type ScanAnswer, type Session } from '../floor/floor.answers.js';
import { say } from '../floor/floor.messages.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import type { DeliveryRow, Found } from '../floor/scan.types.js';
import { LedgerRepository } from '../inventory/ledger.repository.js';
import { entryMovements, heldInboundMovements } from '../inventory/ledger-rules.js';
import { MasterDataRepository, requireWarehouse } from '../masterdata/masterdata.repository.js';
import { DAMAGED_COMMAND, sayAsn } from '../shipments/asn.messages.js';
import { AsnReceiptService, type ShipmentChange } from '../shipments/asn-receipt.service.js';
import { StorageRepository } from '../storage/storage.repository.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { ReceivingRepository } from './receiving.repository.js';
import {
  batchDifferences,
  type CountCondition,
  type ExpectedLine,
  receivedAs,
  receivingReport,
} from './receiving.rules.js';
import type { DeliveryInput } from './receiving.schemas.js';

/**
 * Receiving: expected deliveries, the count by scanning at the dock, and the close that books the
 * goods against the entry verification list (the report's rules in receiving.rules.ts).
 */
@Injectable()
export class ReceivingService {
  constructor(
    private readonly receiving: ReceivingRepository,
    private readonly storage: StorageRepository,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
    private readonly masterData: MasterDataRepository,
    private readonly asn: AsnReceiptService,
    private readonly events: DomainEvents,
  ) {}

  /**
   * An expected delivery opened by another room in its own transaction (a seller's ASN arriving at
   * an overseas warehouse): the same receipt the floor counts. Opening it twice changes nothing.
   */
  async openExpected(
    em: Em,
    d: {
      warehouseCode: string;
      deliveryNo: string;
      ownerCode: string;
      dockLocation: string;
      lines: Array<{ sku: string; qty: number }>;
      actor: string;
    },
  ): Promise<void> {
    await em.execute(
      `insert into inbound_delivery (warehouse_code, delivery_no, owner_code, dock_location, lines, created_by)
       values (?, ?, ?, ?, ?::jsonb, ?) on conflict (delivery_no) do nothing`,
      [d.warehouseCode, d.deliveryNo, d.ownerCode, d.dockLocation, JSON.stringify(d.lines), d.actor],
    );
  }

  async createDelivery(input: DeliveryInput, actor: string) {
    await requireWarehouse(this.masterData, input.warehouseCode);
    return this.receiving.transaction(async (em) => {
      const dock = await this.storage.location(em, input.warehouseCode, input.dockLocation);
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

  async receiveScan(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    const delivery = this.openDelivery(found.delivery, input.deliveryNo, input.warehouseCode);
    if (code.kind === 'sscc') {
      if (delivery.asn) {
        // a seller's carton: arrived, and what it holds is on the screen
        const carton = await this.asn.cartonScanned(
          em,
          String(input.deliveryNo),
          code.sscc,
          actor,
          found.shipmentChanges,
        );
        session.pallet = code.sscc;
        session.deliveryNo = input.deliveryNo;
        const contents = carton.lines.map((l) => `${l.expected} × ${l.sku}`).join(', ');
        return answerOk(
          input,
          sayAsn.carton(code.sscc, carton.cartonNo, carton.shipmentNo, contents),
          sayAsn.scanItems(),
          { ...carton, carton: code.sscc },
        );
      }
      session.pallet = code.sscc;
      session.deliveryNo = input.deliveryNo;
      return answerOk(input, say.pallet(code.sscc), say.scanCartons());
    }
    if (code.kind === 'plain' && DAMAGED_COMMAND.test(code.text)) {
      // a station's scanner has no condition key: the command barcode marks the next item damaged
      session.damagedNext = input.deliveryNo;
      return answerOk(input, sayAsn.damagedNext(), sayAsn.scanDamaged(), { damagedNext: true });
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
    const damagedNext = session.damagedNext !== undefined && session.damagedNext === input.deliveryNo;
    if (session.damagedNext !== undefined) delete session.damagedNext;
    const as = receivedAs(delivery.lines, {
      sku: g.sku,
      batch,
      expiry,
      condition: damagedNext ? 'damaged' : input.condition,
    });
    const condition = as.condition;
    // a seller's ASN: the units move the seller's buckets, against the carton's line (before the
    // count is written: a shipment that is not being received refuses the scan with nothing kept)
    const asn =
      delivery.asn && condition !== 'unexpected'
        ? await this.asn.counted(
            em,
            {
              shipmentNo: String(input.deliveryNo),
              sscc: pallet,
              sku: g.sku,
              qty,
              condition: condition === 'damaged' ? 'damaged' : 'good',
              scanId: input.scanId,
              actor,
            },
            found.shipmentChanges,
          )
        : null;
    // the SKU's line as counted so far (read with the scan's first statement), this scan
    // included, so the screen shows expected against counted without asking again; the count is
    // written with the scan record
    const before = found.extra.counted?.[g.sku] ?? { good: 0, damaged: 0, batchMismatch: 0 };
    const line = {
      good: before.good + (condition === 'good' ? qty : 0),
      damaged: before.damaged + (condition === 'damaged' ? qty : 0),
      batchMismatch: before.batchMismatch + (condition === 'batch_mismatch' ? qty : 0),
    };
    found.writes.push({
      sql: `insert into inbound_count (delivery_id, sku, batch, expiry, pallet_sscc, condition, qty, scan_id, actor)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [delivery.id, g.sku, batch, expiry, pallet, condition, qty, input.scanId, actor],
    });
    const counted = line.good;
    if (condition === 'unexpected')
      throw new Refusal(say.unexpected(g.sku, String(input.deliveryNo)), say.toQuarantine(), { sku: g.sku, qty });
    const detail = {
      sku: g.sku,
      name: g.name,
      batch,
      expiry,
      qty,
      condition,
      counted,
      expected,
      pallet,
      line: { sku: g.sku, expected, ...line },
      ...(asn ? { shipmentNo: asn.shipmentNo, asnLine: asn.line, damageId: asn.damageId } : {}),
    };
    if (as.condition === 'batch_mismatch') {
      const words =
        as.differs === 'batch'
          ? say.batchMismatch(batch, as.expectedBatch)
          : say.expiryMismatch(expiry ?? '', as.expectedExpiry ?? '');
      return answerOk(input, words, say.setAsideNext(), {
        ...detail,
        difference: { differs: as.differs, expectedBatch: as.expectedBatch, expectedExpiry: as.expectedExpiry },
      });
    }
    if (condition === 'damaged')
      return answerOk(
        input,
        asn ? sayAsn.damagedRecorded(qty, g.sku) : say.damaged(qty, g.sku),
        say.toDamaged(),
        detail,
      );
    if (counted > expected)
      return answerOk(input, say.over(g.sku, counted, expected), say.scanNextItem(), {
        ...detail,
        over: counted - expected,
      });
    return answerOk(input, say.counted(g.sku, counted, expected), say.scanNextItem(), detail);
  }

  /** Deliveries of a warehouse still being counted (or held), newest first: what a handheld picks from. */
  deliveries(warehouseCode: string, status: 'open' | 'held' | 'closed') {
    return this.receiving.deliveries(warehouseCode, status);
  }

  delivery(deliveryNo: string) {
    return this.receiving.delivery(deliveryNo);
  }

  /**
   * Ends the count. With an entry verification list the goods go onto the book at the dock (good
   * units up to what is expected; damaged units to quarantine, still on their book line); over and
   * unexpected units go to quarantine off the book. Without the list, nothing is booked: the
   * delivery is held until the list is attached.
   */
  async closeDelivery(deliveryNo: string, actor: string, entryDocNo?: string) {
    const changes: ShipmentChange[] = [];
    let warehouseCode: string | undefined;
    const closed = await this.receiving.transaction(async (em) => {
      const rows = await em.execute<
        Array<{
          id: string;
          warehouse_code: string;
          owner_code: string;
          entry_doc_no: string | null;
          status: string;
          dock_location: string;
          lines: ExpectedLine[];
        }>
      >('select * from inbound_delivery where delivery_no = ? for update', [deliveryNo]);
      const d = rows[0];
      if (!d) throw new AppError('NOT_FOUND', `delivery ${deliveryNo} is not known`);
      if (d.status === 'closed') throw new AppError('CONFLICT', `delivery ${deliveryNo} was already closed and booked`);
      warehouseCode = d.warehouse_code;
      const doc = entryDocNo ?? d.entry_doc_no;
      if (entryDocNo) await em.execute('update inbound_delivery set entry_doc_no = ? where id = ?', [entryDocNo, d.id]);
      const counts = await em.execute<
        Array<{ sku: string; batch: string; expiry: string | null; condition: CountCondition; qty: number }>
      >(
        `select sku, batch, expiry, condition, sum(qty)::int as qty from inbound_count where delivery_id = ?
         group by sku, batch, expiry, condition order by sku, batch, expiry`,
        [d.id],
      );
      const report = receivingReport(d.lines, counts);
      const differences = batchDifferences(d.lines, counts);
      const skus = report.map((r) => r.sku);
      if ((await this.receiving.warehouseKind(em, d.warehouse_code)) === 'overseas')
        return this.closeOverseas(em, d, counts, report, differences, actor, changes);
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
          differences,
        };
      }
      const ems = await this.receiving.accountBook(em, d.warehouse_code);
      const quarantine = await this.storage.quarantineLocation(em, d.warehouse_code);
      const needsQuarantine = report.some((r) => r.damaged || r.unexpected || r.over || r.batchMismatch);
      if (needsQuarantine && !quarantine)
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
          // unexpected goods and another batch than expected are held off the book for the supervisor
          if (c.condition === 'unexpected' || c.condition === 'batch_mismatch' || (ems && !bookLine)) {
            movements.push(
              ...heldInboundMovements(d.warehouse_code, deliveryNo, {
                ...base,
                bookLine: null,
                location: quarantine!,
                qty: c.qty,
              }),
            );
            continue;
          }
          if (c.condition === 'damaged') {
            movements.push(
              ...entryMovements(d.warehouse_code, doc, [{ ...base, bookLine, location: quarantine!, qty: c.qty }]),
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
                location: quarantine!,
                qty: over,
              }),
            );
        }
      }
      await this.ledger.append(em, movements, actor);
      const [{ closed_at }] = await em.execute<Array<{ closed_at: Date }>>(
        `update inbound_delivery set status = 'closed', report = ?::jsonb, closed_by = ?, closed_at = now() where id = ?
         returning closed_at`,
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
          detail: { report, differences },
        },
      ]);
      const closedAt = new Date(closed_at);
      return {
        deliveryNo,
        status: 'closed' as const,
        entryDocNo: doc,
        closedAt: closedAt.toISOString(),
        message: `delivery ${deliveryNo} closed at ${siteTime(closedAt)} and booked against ${doc}`,
        report,
        differences,
      };
    });
    if (changes.length) this.asn.announce(changes);
    if (warehouseCode && closed.status === 'closed')
      this.events.emit('stock.moved', {
        warehouseCode,
        docType: 'delivery',
        docNo: deliveryNo,
        at: new Date().toISOString(),
      });
    return closed;
  }

  /**
   * The close at an overseas warehouse: no bonded book, no entry verification list, no customs
   * state (DOMAIN.md §6 is the bonded centre's). Good units, over ones included, wait at the dock
   * for put-away; damaged ones go to quarantine (or the returns area); units of SKUs not expected
   * are held there too. A seller's ASN writes its shortfall off in the same transaction.
   */
  private async closeOverseas(
    em: Em,
    d: { id: string; warehouse_code: string; owner_code: string; dock_location: string; lines: ExpectedLine[] },
    counts: Array<{ sku: string; batch: string; expiry: string | null; condition: CountCondition; qty: number }>,
    report: ReturnType<typeof receivingReport>,
    differences: ReturnType<typeof batchDifferences>,
    actor: string,
    changes: ShipmentChange[],
  ) {
    const deliveryNo = String(
      (
        await em.execute<Array<{ delivery_no: string }>>('select delivery_no from inbound_delivery where id = ?', [
          d.id,
        ])
      )[0].delivery_no,
    );
    const aside = counts.filter((c) => c.condition === 'damaged' || c.condition === 'unexpected');
    const unsellable = aside.length ? await this.storage.unsellableLocation(em, d.warehouse_code) : null;
    if (aside.length && !unsellable)
      throw new AppError(
        'VALIDATION_FAILED',
        `warehouse ${d.warehouse_code} has no quarantine or returns location for damaged or unexpected goods: add one first`,
      );
    const movements = counts.flatMap((c) =>
      heldInboundMovements(d.warehouse_code, deliveryNo, {
        ownerCode: d.owner_code,
        sku: c.sku,
        batch: c.batch,
        bookLine: null,
        location: c.condition === 'damaged' || c.condition === 'unexpected' ? (unsellable as string) : d.dock_location,
        qty: c.qty,
      }),
    );
    await this.ledger.append(em, movements, actor);
    const asn = await this.asn.closed(em, deliveryNo, actor, changes);
    const [{ closed_at }] = await em.execute<Array<{ closed_at: Date }>>(
      `update inbound_delivery set status = 'closed', report = ?::jsonb, closed_by = ?, closed_at = now() where id = ?
       returning closed_at`,
      [JSON.stringify(report), actor, d.id],
    );
    await this.trace.record(em, [
      {
        objectKind: 'stock',
        objectId: deliveryNo,
        bizStep: 'receiving',
        disposition: 'in_progress',
        actor,
        documents: { deliveryNo },
        detail: { report, differences, ...(asn ? { short: asn.short } : {}) },
      },
    ]);
    const closedAt = new Date(closed_at);
    return {
      deliveryNo,
      status: 'closed' as const,
      entryDocNo: null,
      closedAt: closedAt.toISOString(),
      message: `delivery ${deliveryNo} closed at ${siteTime(closedAt, await this.receiving.timeZone(em, d.warehouse_code))}: the goods wait at ${d.dock_location} for put-away`,
      report,
      differences,
    };
  }
}

import { Injectable } from '@nestjs/common';
import type { ShipmentStatus } from '@wms/contracts';
import type { Sql } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { Refusal } from '../floor/floor.answers.js';
import { SellerStockRepository, type StockMove } from '../sellers/stock/seller-stock.repository.js';
import { sayAsn } from './asn.messages.js';
import { countMoves, lineFor, lineResult, shortAtClose } from './shipment.rules.js';
import { type LineRow, type ShipmentRow, ShipmentsRepository } from './shipments.repository.js';

/** A seller's shipment that changed in a transaction: announced once it has committed. */
export interface ShipmentChange {
  sellerCode: string;
  shipmentNo: string;
  warehouseCode: string;
  skus?: string[];
  detail?: Record<string, unknown>;
}

const RECEIVABLE: ShipmentStatus[] = ['arrived', 'receiving'];

const lineView = (l: LineRow) => ({
  lineNo: l.line_no,
  sscc: l.carton_sscc,
  sku: l.sku,
  expected: l.qty,
  received: l.received,
  over: l.over,
  damaged: l.damaged,
  ...lineResult({ expected: l.qty, received: l.received, over: l.over, damaged: l.damaged, short: l.short }),
});

/**
 * Receiving a seller's ASN at the overseas warehouse, as the floor's receiving and put-away rooms
 * call it inside their scan's transaction (issue 12, DOMAIN.md §10): the carton's SSCC marks it
 * arrived, each counted unit moves the seller's buckets (inbound -> receiving, damaged ->
 * unfulfillable, over from outside), the close writes the shortfall off, and a put-away there
 * makes the units available as a lot. The floor's own count (inbound_count) stays receiving's.
 */
@Injectable()
export class AsnReceiptService {
  constructor(
    private readonly shipments: ShipmentsRepository,
    private readonly stock: SellerStockRepository,
    private readonly events: DomainEvents,
  ) {}

  /** After the commit: the seller's screen fills in (its own socket room only). */
  announce(changes: ShipmentChange[]): void {
    const at = new Date().toISOString();
    const seen = new Set<string>();
    for (const c of changes) {
      const key = `${c.sellerCode}|${c.shipmentNo}|${JSON.stringify(c.detail ?? {})}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.events.emit('seller.changed', {
        sellerCode: c.sellerCode,
        kind: 'shipment',
        ref: c.shipmentNo,
        warehouseCode: c.warehouseCode,
        ...(c.skus ? { skus: c.skus } : {}),
        ...(c.detail ? { detail: c.detail } : {}),
        at,
      });
      if (c.skus?.length)
        this.events.emit('seller.changed', {
          sellerCode: c.sellerCode,
          kind: 'stock',
          ref: c.skus[0],
          warehouseCode: c.warehouseCode,
          skus: c.skus,
          at,
        });
    }
  }

  private async receivable(sql: Sql, shipmentNo: string): Promise<ShipmentRow> {
    const s = await this.shipments.shipment(sql, shipmentNo, true);
    if (!s) throw new Refusal(sayAsn.notReceivable(shipmentNo, 'unknown'), sayAsn.markArrived());
    if (!RECEIVABLE.includes(s.status))
      throw new Refusal(sayAsn.notReceivable(shipmentNo, s.status), sayAsn.markArrived());
    return s;
  }

  private async startReceiving(sql: Sql, s: ShipmentRow, actor: string) {
    if (s.status === 'arrived') {
      await this.shipments.setStatus(sql, s.id, 'receiving', actor, null);
      s.status = 'receiving';
    }
  }

  /** An SSCC scanned against the shipment: the carton arrived; what it holds. */
  async cartonScanned(sql: Sql, shipmentNo: string, sscc: string, actor: string, changes: ShipmentChange[]) {
    const s = await this.receivable(sql, shipmentNo);
    const carton = await this.shipments.cartonArrived(sql, s.id, sscc, actor);
    if (!carton) throw new Refusal(sayAsn.notACarton(sscc, shipmentNo), sayAsn.checkLabel(), { sscc, shipmentNo });
    await this.startReceiving(sql, s, actor);
    const lines = (await this.shipments.lines(sql, s.id)).filter((l) => l.carton_sscc === sscc).map(lineView);
    changes.push({
      sellerCode: s.seller_code,
      shipmentNo,
      warehouseCode: s.warehouse_code,
      detail: { sscc, arrivedAt: new Date(carton.arrived_at).toISOString() },
    });
    return { cartonNo: carton.carton_no, sscc, shipmentNo, lines };
  }

  /**
   * Counted units of a SKU (good or damaged) against the shipment's lines: the line of the
   * scanned carton first (shipment.rules.ts lineFor). Null: the SKU is on no line (the floor
   * counts it as unexpected and holds it).
   */
  async counted(
    sql: Sql,
    c: {
      shipmentNo: string;
      sscc: string | null;
      sku: string;
      qty: number;
      condition: 'good' | 'damaged';
      scanId: string;
      actor: string;
    },
    changes: ShipmentChange[],
  ) {
    const s = await this.receivable(sql, c.shipmentNo);
    const lines = await this.shipments.lines(sql, s.id, true);
    const line = lineFor(
      lines.map((l) => ({ ...l, expected: l.qty, cartonSscc: l.carton_sscc, lineNo: l.line_no })),
      c.sku,
      c.sscc,
    );
    if (!line) return null;
    await this.startReceiving(sql, s, c.actor);
    const { line: after, moves } = countMoves(line, c.qty, c.condition);
    await this.shipments.updateLine(sql, line.id, after);
    await this.stock.post(
      sql,
      moves.map(
        (m): StockMove => ({
          ownerCode: s.owner_code,
          warehouseCode: s.warehouse_code,
          sku: c.sku,
          lotNo: s.shipment_no,
          from: m.from,
          to: m.to,
          qty: m.qty,
          event: m.event,
          docType: 'shipment',
          docNo: s.shipment_no,
          reason: c.sscc ? `carton ${c.sscc}` : undefined,
        }),
      ),
      c.actor,
    );
    let damageId: string | null = null;
    if (c.condition === 'damaged')
      damageId = await this.shipments.recordDamage(sql, {
        shipmentId: s.id,
        cartonId: line.carton_id,
        lineId: line.id,
        sku: c.sku,
        qty: c.qty,
        scanId: c.scanId,
        actor: c.actor,
      });
    const result = lineView({ ...line, ...after });
    changes.push({
      sellerCode: s.seller_code,
      shipmentNo: s.shipment_no,
      warehouseCode: s.warehouse_code,
      skus: [c.sku],
      detail: { line: result, ...(damageId ? { damageId } : {}) },
    });
    return { shipmentNo: s.shipment_no, line: result, damageId };
  }

  /**
   * The receipt is closed (receiving's close, in its transaction): what each line still expects
   * never came ('inbound' -> out, 'receipt.short'), and the shipment is received.
   */
  async closed(sql: Sql, shipmentNo: string, actor: string, changes: ShipmentChange[]) {
    const s = await this.shipments.shipment(sql, shipmentNo, true);
    if (!s) return null;
    const lines = await this.shipments.lines(sql, s.id, true);
    const shorts = lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      short: shortAtClose({ expected: l.qty, received: l.received, over: l.over, damaged: l.damaged }),
    }));
    await this.shipments.setShort(sql, shorts);
    const bySku = new Map<string, number>();
    for (const x of shorts) if (x.short) bySku.set(x.sku, (bySku.get(x.sku) ?? 0) + x.short);
    await this.stock.post(
      sql,
      [...bySku].map(([sku, qty]) => ({
        ownerCode: s.owner_code,
        warehouseCode: s.warehouse_code,
        sku,
        lotNo: s.shipment_no,
        from: 'inbound' as const,
        to: null,
        qty,
        event: 'receipt.short' as const,
        docType: 'shipment',
        docNo: s.shipment_no,
        reason: 'expected on the ASN, not received',
      })),
      actor,
    );
    if (s.status !== 'received') await this.shipments.setStatus(sql, s.id, 'received', actor, null);
    changes.push({
      sellerCode: s.seller_code,
      shipmentNo,
      warehouseCode: s.warehouse_code,
      skus: [...new Set(lines.map((l) => l.sku))],
      detail: { status: 'received' },
    });
    return { shipmentNo, short: [...bySku].map(([sku, qty]) => ({ sku, qty })) };
  }

  /**
   * Units put away at an overseas warehouse: what was counted of the owner's SKU there moves
   * 'receiving' -> 'available', oldest receipt first, each shipment's units a lot (arrived when its
   * first carton was scanned, expiry from the GS1 AI 17 scanned, else the ASN's). No-op elsewhere.
   */
  async putAway(
    sql: Sql,
    p: {
      warehouseCode: string;
      ownerCode: string;
      sku: string;
      qty: number;
      docNo: string;
      actor: string;
      /** The expiry on the label scanned at the put-away (GS1 AI 17), over what the receipt knew. */
      expiry?: string;
    },
    changes: ShipmentChange[],
  ) {
    const lots = await this.shipments.receivingLots(sql, p.ownerCode, p.warehouseCode, p.sku);
    let left = p.qty;
    const moves: StockMove[] = [];
    for (const lot of lots) {
      if (!left) break;
      const qty = Math.min(left, lot.qty);
      left -= qty;
      await this.stock.ensureLot(sql, {
        ownerCode: p.ownerCode,
        warehouseCode: p.warehouseCode,
        sku: p.sku,
        lotNo: lot.lot_no,
        expiry: p.expiry ?? lot.expiry,
        ...(lot.arrived_at ? { arrivedAt: new Date(lot.arrived_at) } : {}),
      });
      moves.push({
        ownerCode: p.ownerCode,
        warehouseCode: p.warehouseCode,
        sku: p.sku,
        lotNo: lot.lot_no,
        from: 'receiving',
        to: 'available',
        qty,
        event: 'putaway.done',
        docType: 'putaway',
        docNo: p.docNo,
      });
    }
    await this.stock.post(sql, moves, p.actor);
    const shipmentNos = [
      ...new Set(lots.filter((l) => moves.some((m) => m.lotNo === l.lot_no)).map((l) => l.shipment_no)),
    ];
    for (const no of shipmentNos) {
      if (!no) continue;
      const s = await this.shipments.shipment(sql, no);
      if (s)
        changes.push({
          sellerCode: s.seller_code,
          shipmentNo: no,
          warehouseCode: s.warehouse_code,
          skus: [p.sku],
          detail: { putAway: { sku: p.sku, qty: p.qty } },
        });
    }
    return moves.reduce((n, m) => n + m.qty, 0);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { SqlRunner } from '../../platform/database/sql.js';
import { AppError } from '../../platform/http/app-error.js';
import { DeclarationsService } from '../customs/declarations/declarations.service.js';
import { TradeDocumentsRepository } from '../customs/documents/trade-documents.repository.js';
import { exportOrder, exportWaybill } from '../customs/documents/trade-documents.schemas.js';
import { customsCountry } from './customs-country.js';
import { fenOfPrice, fenText } from './shipment.rules.js';
import type { ShipmentRow } from './shipments.repository.js';
import { ShipmentsRepository } from './shipments.repository.js';
import type { DeclareInput } from './shipments.schemas.js';

/**
 * A shipment's export under 9810 (DOMAIN.md §3, §10) through the customs core's own export path:
 * its CEB303 export order and CEB505 waybill are stored as the trade documents of the shipment
 * (orderNo = logisticsNo = shipmentNo), then declared as a CEB603 export inventory list by the
 * declarations service, which checks, numbers and writes it to the single window's outbox. The
 * customs receipts that follow (CEB604) drive the list's status; the shipment reads it by copNo.
 */
@Injectable()
export class ExportDeclarationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly centre: SqlRunner,
    private readonly shipments: ShipmentsRepository,
    private readonly documents: TradeDocumentsRepository,
    private readonly declarations: DeclarationsService,
  ) {}

  async declare(s: ShipmentRow, actor: string, carrier: DeclareInput) {
    const facts = await this.centre.transaction(async (sql) => {
      const lines = await this.shipments.lines(sql, s.id);
      const skus = [...new Set(lines.map((l) => l.sku))];
      const goods = await this.shipments.goods(sql, [s.owner_code], skus);
      const [owner] = await sql.execute<Array<{ name: string }>>('select name from enterprise where code = ?', [
        s.owner_code,
      ]);
      const [target] = await sql.execute<Array<{ country: string | null }>>(
        'select country from warehouse where code = ?',
        [s.warehouse_code],
      );
      return { lines, goods, ownerName: owner?.name ?? s.owner_code, country: target?.country ?? null };
    });
    const country = customsCountry(facts.country);
    if (!country)
      throw new AppError(
        'VALIDATION_FAILED',
        `warehouse ${s.warehouse_code} has country ${facts.country ?? '(none)'}, which has no customs country code here: set the warehouse's country (ISO 3166, e.g. DE)`,
      );
    const units = new Map<string, number>();
    for (const l of facts.lines) units.set(l.sku, (units.get(l.sku) ?? 0) + l.qty);
    const bySku = new Map(facts.goods.map((g) => [g.sku, g]));
    let gnum = 0;
    let goodsFen = 0n;
    let grams = 0;
    const orderLines = [...units].map(([sku, qty]) => {
      const g = bySku.get(sku);
      if (!g) throw new AppError('VALIDATION_FAILED', `SKU ${sku} of the shipment is no longer in the goods master`);
      const priceFen = fenOfPrice(g.declared_price);
      goodsFen += priceFen * BigInt(qty);
      grams += (g.gross_grams ?? 0) * qty;
      return {
        gnum: ++gnum,
        itemNo: sku,
        itemName: g.name,
        ...(g.gtin ? { barCode: g.gtin } : {}),
        unit: g.unit,
        currency: '142',
        qty: String(qty),
        price: fenText(priceFen),
        totalPrice: fenText(priceFen * BigInt(qty)),
      };
    });
    const logisticsCode = carrier.logisticsCode ?? this.config.CUSTOMS_COP_CODE;
    const order = exportOrder.parse({
      tradeMode: '9810',
      warehouseCode: s.origin_warehouse_code,
      orderNo: s.shipment_no,
      ebpCode: s.owner_code,
      ebpName: facts.ownerName,
      ebcCode: s.owner_code,
      ebcName: facts.ownerName,
      goodsValue: fenText(goodsFen),
      country,
      note: `ASN ${s.shipment_no} to overseas warehouse ${s.warehouse_code}${s.general_declaration ? '; over CNY 5,000: general declaration (H2018) required' : ''}`,
      lines: orderLines,
    });
    const waybill = exportWaybill.parse({
      logisticsCode,
      logisticsName: carrier.logisticsName ?? s.carrier ?? this.config.CUSTOMS_COP_NAME,
      logisticsNo: s.shipment_no,
      orderNo: s.shipment_no,
      grossWeight: (Math.max(grams, 1) / 1000).toFixed(3),
      packNo: (await this.centre.transaction((sql) => this.shipments.cartons(sql, s.id))).length,
      trafMode: carrier.trafMode,
      ...(carrier.trafName ? { trafName: carrier.trafName } : {}),
      ...(carrier.voyageNo ? { voyageNo: carrier.voyageNo } : {}),
      ...(carrier.billNo ? { billNo: carrier.billNo } : {}),
      pod: carrier.pod,
      wrapType: carrier.wrapType,
      ebcCode: s.owner_code,
      ebcName: facts.ownerName,
    });
    const orderOutcome = await this.documents.upsert('order', 'export', [
      {
        key: `${order.ebpCode}|${order.orderNo}`,
        k1: order.ebpCode,
        k2: order.orderNo,
        orderNo: order.orderNo,
        doc: order as unknown as Record<string, unknown>,
        extra: { ebc_code: order.ebcCode, buyer_id_number: null, actural_paid: null },
      },
    ]);
    if (orderOutcome.get(`${order.ebpCode}|${order.orderNo}`) === 'locked')
      throw new AppError('CONFLICT', `shipment ${s.shipment_no} was declared already with other contents`);
    await this.documents.upsert('waybill', 'export', [
      {
        key: `${waybill.logisticsCode}|${waybill.logisticsNo}`,
        k1: waybill.logisticsCode,
        k2: waybill.logisticsNo,
        orderNo: waybill.orderNo,
        doc: waybill as unknown as Record<string, unknown>,
        extra: {},
      },
    ]);
    const [outcome] = await this.declarations.declare(
      'export',
      [{ ebpCode: order.ebpCode, orderNo: order.orderNo }],
      actor,
    );
    if (!outcome || outcome.outcome === 'refused' || !outcome.copNo)
      throw new AppError(
        'CONFLICT',
        `shipment ${s.shipment_no} could not be declared: ${(outcome?.mismatches ?? []).map((m) => m.message).join('; ') || 'no list was made'}`,
        { mismatches: outcome?.mismatches ?? [] },
      );
    return {
      copNo: outcome.copNo,
      outcome: outcome.outcome,
      tradeMode: '9810',
      messageType: 'CEB603',
      goodsValueCny: fenText(goodsFen),
      generalDeclaration: s.general_declaration,
      ...(s.general_declaration
        ? {
            note: 'over CNY 5,000 a ticket: the export also goes through the general declaration (H2018, DOMAIN.md §10)',
          }
        : {}),
    };
  }
}

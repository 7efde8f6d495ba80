import type { INestApplication } from '@nestjs/common';
import { DeclarationsService } from '../modules/customs/declarations/declarations.service.js';
import { TradeDocumentsService } from '../modules/customs/documents/trade-documents.service.js';
import { MasterDataRepository } from '../modules/masterdata/masterdata.repository.js';
import { masterDataImport } from '../modules/masterdata/masterdata.schemas.js';
import { BondedEntryService } from '../modules/receiving/bonded-entry.service.js';
import { AppError } from '../platform/http/app-error.js';
import { DEMO_GOODS, DEMO_OVERSEAS, DEMO_PARCELS, DEMO_SELLER_TWO_GOODS, DEMO_ZONES, kgText } from './demo-data.js';

/**
 * Demo data for `npm start`, so the customs loop has something to show: a B-type bonded centre
 * with its account book, docks, bins and customs areas, 600 bonded units on three book lines, and
 * twelve consumer orders with payments and waybills (declared weights that match their units,
 * see demo-data.ts), declared to the customs simulator. Idempotent: a restart adds nothing.
 */
export const DEMO_CUSTOMS = {
  warehouseCode: 'BC01',
  emsNo: 'T5165W000001',
  ebp: 'PLAT000001',
  ebc: 'SELLER-DEMO',
  logistics: 'LOGI000001',
  pay: 'PAY0000001',
  operator: '3105960001',
};

export async function seedCustomsDemo(app: INestApplication, log: (line: string) => void): Promise<void> {
  const d = DEMO_CUSTOMS;
  await app.get(MasterDataRepository).upsertAll(
    masterDataImport.parse({
      enterprises: [
        { code: d.ebp, name: 'Demo Platform', roles: ['ebp'] },
        { code: d.ebc, name: 'Demo Seller', roles: ['ebc', 'owner'], creditClass: 'general' },
        { code: 'SELLER-TWO', name: 'Second Demo Seller', roles: ['ebc', 'owner'], creditClass: 'general' },
        { code: d.logistics, name: 'Demo Express', roles: ['logistics'] },
        { code: d.pay, name: 'Demo Pay', roles: ['pay'] },
        { code: d.operator, name: 'Demo Centre Operator', roles: ['iac', 'agent'] },
      ],
      warehouses: [
        {
          code: d.warehouseCode,
          name: 'Demo B-type bonded logistics centre',
          kind: 'bonded-centre',
          customsCode: '5165',
          loctNo: '5165W01',
          emsNo: d.emsNo,
          operatorCode: d.operator,
          zones: DEMO_ZONES,
        },
        {
          code: DEMO_OVERSEAS.code,
          name: DEMO_OVERSEAS.name,
          kind: 'overseas',
          country: DEMO_OVERSEAS.country,
          timeZone: DEMO_OVERSEAS.timeZone,
          currency: DEMO_OVERSEAS.currency,
          overseasCustomsReg: DEMO_OVERSEAS.overseasCustomsReg,
          // abroad: no customs gate rules of the bonded centre
          gateRequiresWeighing: false,
          gateRequiresLabel: true,
          zones: DEMO_OVERSEAS.zones,
        },
      ],
      goods: DEMO_GOODS.map((g) => ({
        ownerCode: d.ebc,
        sku: g.sku,
        gtin: g.gtin,
        gcode: '3304990010',
        name: g.name,
        model: g.model,
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: g.unitGrams,
      })).concat(
        DEMO_SELLER_TWO_GOODS.map((g) => ({
          ownerCode: 'SELLER-TWO',
          sku: g.sku,
          gtin: g.gtin,
          gcode: '6912000000',
          name: g.name,
          model: g.model,
          unit: '011',
          declaredPrice: '25.00',
          country: '142',
          grossGrams: g.grossGrams,
        })),
      ),
      bookLines: DEMO_GOODS.map((g, i) => ({
        emsNo: d.emsNo,
        putrecSeqno: i + 1,
        itemNo: g.sku,
        gcode: '3304990010',
        gname: g.gname,
        unit: '011',
      })),
    }),
  );
  try {
    await app.get(BondedEntryService).receive(
      {
        warehouseCode: d.warehouseCode,
        docNo: 'QD5165DEMO0001',
        ownerCode: d.ebc,
        lines: DEMO_GOODS.map((g) => ({ sku: g.sku, batch: g.stockBatch, qty: 200, location: g.shelf })),
      },
      'demo',
    );
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
  }
  const orders = DEMO_PARCELS.map((parcel, i) => {
    const qty = parcel.units;
    const goods = qty * 9900;
    const tax = Math.round(goods * 0.091);
    const paid = goods + 1000 + tax;
    const money = (cents: number) => (cents / 100).toFixed(2);
    const buyer = { name: `演示买家${i + 1}`, id: `1101011990010${String(1000 + i).padStart(5, '0')}` };
    const orderNo = parcel.orderNo;
    return {
      order: {
        tradeMode: '1210',
        warehouseCode: d.warehouseCode,
        orderNo,
        ebpCode: d.ebp,
        ebpName: 'Demo Platform',
        ebcCode: d.ebc,
        ebcName: 'Demo Seller',
        goodsValue: money(goods),
        freight: '10.00',
        discount: '0',
        taxTotal: money(tax),
        acturalPaid: money(paid),
        buyerRegNo: `demo${i}`,
        buyerName: buyer.name,
        buyerTelephone: '13800000000',
        buyerIdNumber: buyer.id,
        payCode: d.pay,
        payName: 'Demo Pay',
        payTransactionId: `DEMO-PT-${i + 1}`,
        consignee: buyer.name,
        consigneeTelephone: '13800000000',
        consigneeAddress: `上海市浦东新区演示路${i + 1}号`,
        lines: [
          {
            gnum: 1,
            itemNo: parcel.sku,
            itemName: DEMO_GOODS.find((g) => g.sku === parcel.sku)!.name,
            unit: '011',
            qty: String(qty),
            price: '99.00',
            totalPrice: money(goods),
          },
        ],
      },
      payment: {
        payCode: d.pay,
        payName: 'Demo Pay',
        payTransactionId: `DEMO-PT-${i + 1}`,
        orderNo,
        ebpCode: d.ebp,
        ebpName: 'Demo Platform',
        payerIdNumber: buyer.id,
        payerName: buyer.name,
        amountPaid: money(paid),
        payTime: '20261120100000',
      },
      waybill: {
        logisticsCode: d.logistics,
        logisticsName: 'Demo Express',
        logisticsNo: parcel.logisticsNo,
        orderNo,
        weight: kgText(parcel.declaredGrams),
        consignee: buyer.name,
        consigneeTelephone: '13800000000',
        consigneeAddress: `上海市浦东新区演示路${i + 1}号`,
      },
    };
  });
  const imported = await app.get(TradeDocumentsService).start(
    {
      direction: 'import',
      orders: orders.map((o) => o.order),
      payments: orders.map((o) => o.payment),
      waybills: orders.map((o) => o.waybill),
    },
    'demo',
  );
  await imported.done;
  const results = await app.get(DeclarationsService).declare('import', null, 'demo');
  const declared = results.filter((r) => r.outcome === 'declared').length;
  log(
    `customs demo: bonded centre ${d.warehouseCode} (book ${d.emsNo}), 600 bonded units, 12 orders${declared ? `, ${declared} lists declared to the customs simulator` : ''}`,
  );
}

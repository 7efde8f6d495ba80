import type { INestApplication } from '@nestjs/common';
import { DeclarationsService } from '../modules/customs/declarations/declarations.service.js';
import { TradeDocumentsService } from '../modules/customs/documents/trade-documents.service.js';
import { MasterDataRepository } from '../modules/masterdata/masterdata.repository.js';
import { masterDataImport } from '../modules/masterdata/masterdata.schemas.js';
import { BondedEntryService } from '../modules/operations/bonded-entry.service.js';
import { AppError } from '../platform/http/app-error.js';

/**
 * Demo data for `npm start`, so the customs loop has something to show: a B-type bonded centre
 * with its account book, 600 bonded units on three book lines, and twelve consumer orders with
 * payments and waybills, declared to the customs simulator. Idempotent: a restart adds nothing.
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
          zones: [
            { code: 'BZ', kind: 'bonded', locations: ['A-01-01', 'A-01-02', 'A-01-03'] },
            { code: 'INS', kind: 'inspection', locations: ['INS-01'] },
            { code: 'RET', kind: 'returns', locations: ['RET-01'] },
            { code: 'QT', kind: 'quarantine', locations: ['QT-01'] },
          ],
        },
      ],
      goods: [1, 2, 3].map((n) => ({
        ownerCode: d.ebc,
        sku: `DEMO-SKU${n}`,
        gtin: `0690000000${String(n).padStart(3, '0')}`,
        gcode: '3304990010',
        name: `Face cream ${n}`,
        model: '50ml',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 300,
      })),
      bookLines: [1, 2, 3].map((n) => ({
        emsNo: d.emsNo,
        putrecSeqno: n,
        itemNo: `DEMO-SKU${n}`,
        gcode: '3304990010',
        gname: `面霜 ${n}`,
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
        lines: [1, 2, 3].map((n) => ({ sku: `DEMO-SKU${n}`, batch: 'B2026', qty: 200, location: `A-01-0${n}` })),
      },
      'demo',
    );
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
  }
  const orders = Array.from({ length: 12 }, (_, i) => {
    const qty = (i % 3) + 1;
    const goods = qty * 9900;
    const tax = Math.round(goods * 0.091);
    const paid = goods + 1000 + tax;
    const money = (cents: number) => (cents / 100).toFixed(2);
    const buyer = { name: `演示买家${i + 1}`, id: `1101011990010${String(1000 + i).padStart(5, '0')}` };
    const orderNo = `DEMO-SO-${String(i + 1).padStart(4, '0')}`;
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
            itemNo: `DEMO-SKU${(i % 3) + 1}`,
            itemName: 'Face cream',
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
        logisticsNo: `DEMOYT${String(i + 1).padStart(8, '0')}`,
        orderNo,
        weight: '0.9',
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

import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from './money.js';
import {
  type ImportOrder,
  type InventoryListDraft,
  matchBatch,
  matchDocuments,
  type Payment,
  type Waybill,
} from './three-document-match.js';

function documents() {
  const order: ImportOrder = {
    orderNo: 'SO-2026-0001',
    ebpCode: '3301964J31',
    ebcCode: '3301960AAA',
    goodsValue: '198.00',
    freight: '10.00',
    discount: '8.00',
    taxTotal: '19.80',
    acturalPaid: '219.80',
    buyerName: '张三',
    buyerIdNumber: '110101199001011234',
    payCode: '312226T001',
    payTransactionId: 'PAY-778899',
    consignee: '张三',
    consigneeTelephone: '13800000000',
    consigneeAddress: '上海市浦东新区 1 号',
    lines: [
      { gnum: 1, itemNo: 'SKU-1', itemName: 'Milk powder', qty: '2', price: '49.50', totalPrice: '99.00' },
      { gnum: 2, itemNo: 'SKU-2', itemName: 'Vitamins', qty: '3', price: '33.00', totalPrice: '99.00' },
    ],
  };
  const payment: Payment = {
    payCode: '312226T001',
    payTransactionId: 'PAY-778899',
    orderNo: 'SO-2026-0001',
    amountPaid: '219.80',
    payerName: '张三',
    payerIdNumber: '110101199001011234',
  };
  const waybill: Waybill = {
    logisticsCode: '3122480063',
    logisticsNo: 'YT1234567890',
    orderNo: 'SO-2026-0001',
    consignee: '张三',
    consigneeTelephone: '13800000000',
    consigneeAddress: '上海市浦东新区 1 号',
  };
  const list: InventoryListDraft = {
    orderNo: 'SO-2026-0001',
    ebpCode: '3301964J31',
    ebcCode: '3301960AAA',
    logisticsCode: '3122480063',
    logisticsNo: 'YT1234567890',
    lines: [
      { gnum: 1, itemNo: 'SKU-1', qty: '2', price: '49.50', totalPrice: '99.00' },
      { gnum: 2, itemNo: 'SKU-2', qty: '3', price: '33.00', totalPrice: '99.00' },
    ],
  };
  return { order, payment, waybill, list };
}

const codes = (r: ReturnType<typeof matchDocuments>) => (r.ok ? [] : r.mismatches.map((m) => m.code));

describe('three-document match (DOMAIN.md §5)', () => {
  it('passes matching documents', () => {
    expect(matchDocuments(documents())).toEqual({ ok: true });
  });

  type Docs = ReturnType<typeof documents>;
  const spoilers: Array<[string, (d: Docs) => void, string[]]> = [
    [
      'list names another order',
      (d) => {
        d.list.orderNo = 'SO-X';
      },
      ['LIST_ORDER_NO'],
    ],
    [
      'list names another platform',
      (d) => {
        d.list.ebpCode = 'OTHER';
      },
      ['LIST_EBP_CODE'],
    ],
    [
      'list names another e-commerce company',
      (d) => {
        d.list.ebcCode = 'OTHER';
      },
      ['LIST_EBC_CODE'],
    ],
    [
      'payment from another payment company',
      (d) => {
        d.payment.payCode = 'OTHER';
      },
      ['PAY_CODE'],
    ],
    [
      'payment transaction differs',
      (d) => {
        d.payment.payTransactionId = 'OTHER';
      },
      ['PAY_TRANSACTION_ID'],
    ],
    [
      'payment for another order',
      (d) => {
        d.payment.orderNo = 'OTHER';
      },
      ['PAYMENT_ORDER_NO'],
    ],
    [
      'payer is not the buyer',
      (d) => {
        d.payment.payerName = '李四';
      },
      ['PAYER_NAME'],
    ],
    [
      "payer's ID differs",
      (d) => {
        d.payment.payerIdNumber = '1';
      },
      ['PAYER_ID'],
    ],
    [
      'waybill number differs',
      (d) => {
        d.list.logisticsNo = 'YT0';
      },
      ['LIST_LOGISTICS_NO'],
    ],
    [
      'carrier differs',
      (d) => {
        d.list.logisticsCode = 'X';
      },
      ['LIST_LOGISTICS_CODE'],
    ],
    [
      'waybill for another order',
      (d) => {
        d.waybill.orderNo = 'X';
      },
      ['WAYBILL_ORDER_NO'],
    ],
    [
      'consignee name differs',
      (d) => {
        d.waybill.consignee = '王五';
      },
      ['CONSIGNEE_NAME'],
    ],
    [
      'consignee phone differs',
      (d) => {
        d.waybill.consigneeTelephone = '1';
      },
      ['CONSIGNEE_PHONE'],
    ],
    [
      'consignee address differs',
      (d) => {
        d.waybill.consigneeAddress = 'x';
      },
      ['CONSIGNEE_ADDRESS'],
    ],
    [
      'acturalPaid does not add up',
      (d) => {
        d.order.acturalPaid = '209.80';
        d.payment.amountPaid = '209.80';
      },
      ['ACTURAL_PAID'],
    ],
    [
      'payment amount differs',
      (d) => {
        d.payment.amountPaid = '219.00';
      },
      ['AMOUNT_PAID'],
    ],
    [
      'list quantity differs',
      (d) => {
        d.list.lines[0].qty = '3';
        d.list.lines[0].totalPrice = '148.50';
      },
      ['LIST_LINE_QTY', 'LIST_LINE_TOTALPRICE'],
    ],
    [
      'list price differs',
      (d) => {
        d.list.lines[1].price = '30.00';
      },
      ['LIST_LINE_PRICE'],
    ],
    [
      'list has an item not ordered',
      (d) => {
        d.list.lines[1].itemNo = 'SKU-9';
      },
      ['LIST_LINE_NOT_ORDERED', 'ORDER_LINE_NOT_LISTED'],
    ],
    [
      'line total is not qty × price',
      (d) => {
        d.order.lines[0].totalPrice = '98.00';
        d.list.lines[0].totalPrice = '98.00';
      },
      ['ORDER_LINE_TOTAL', 'GOODS_VALUE'],
    ],
  ];

  it.each(spoilers)('refuses when the %s, saying exactly that', (_name, spoil, expected) => {
    const d = documents();
    spoil(d);
    expect(codes(matchDocuments(d))).toEqual(expected);
  });

  it('collects every mismatch at once, each with an operator-readable message', () => {
    const d = documents();
    d.payment.amountPaid = '199.00';
    d.waybill.consigneeTelephone = '13900000000';
    const result = matchDocuments(d);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.mismatches.map((m) => m.message)).toEqual([
        'order SO-2026-0001: the consignee\'s phone differs between order and waybill (expected "13800000000", got "13900000000")',
        'order SO-2026-0001: the payment amount differs from the order acturalPaid (expected "219.80", got "199.00")',
      ]);
    }
  });

  it('applies the per-order and per-buyer-year limits', () => {
    const d = documents();
    expect(codes(matchDocuments(d, { perOrderCny: '200', perBuyerYearCny: '26000' }))).toEqual(['ORDER_LIMIT']);
    expect(codes(matchDocuments(d, undefined, { buyerYearToDate: '25900.00' }))).toEqual(['BUYER_YEAR_LIMIT']);
  });

  it('reports missing payment, waybill and order in a batch, per order', () => {
    const d = documents();
    const results = matchBatch([d.list, { ...d.list, orderNo: 'SO-MISSING' }], {
      orders: [d.order],
      payments: [],
      waybills: [d.waybill],
    });
    expect(codes(results.get('SO-2026-0001')!)).toEqual(['PAYMENT_MISSING']);
    expect(codes(results.get('SO-MISSING')!)).toEqual(['ORDER_MISSING']);
  });

  it('keeps money exact', () => {
    expect(formatDecimal(parseDecimal('0.1') + parseDecimal('0.2'))).toBe('0.30');
    expect(() => parseDecimal('1.2.3')).toThrowError(/not a decimal/);
  });
});

import { formatDecimal, MoneyFormatError, multiply, parseDecimal } from './money.js';

/**
 * The three-document match (三单对碰) checked before an import inventory list (CEB621) is declared:
 * every rule of DOMAIN.md §5, over the order (CEB311), the payment (CEB411), the waybill (CEB511)
 * and the list itself. Field names are the standard's (reference/ceb-fields.txt), including its
 * spelling `acturalPaid`. All mismatches are collected, never only the first.
 */
export interface OrderLine {
  gnum: number;
  itemNo: string;
  itemName: string;
  qty: string;
  price: string;
  totalPrice: string;
}

export interface ImportOrder {
  orderNo: string;
  ebpCode: string;
  ebcCode: string;
  goodsValue: string;
  freight: string;
  discount: string;
  taxTotal: string;
  acturalPaid: string;
  buyerName: string;
  buyerIdNumber: string;
  payCode: string;
  payTransactionId: string;
  consignee: string;
  consigneeTelephone: string;
  consigneeAddress: string;
  lines: OrderLine[];
}

export interface Payment {
  payCode: string;
  payTransactionId: string;
  orderNo: string;
  amountPaid: string;
  payerName: string;
  payerIdNumber: string;
}

export interface Waybill {
  logisticsCode: string;
  logisticsNo: string;
  orderNo: string;
  consignee: string;
  consigneeTelephone: string;
  consigneeAddress: string;
}

export interface InventoryListDraft {
  orderNo: string;
  ebpCode: string;
  ebcCode: string;
  logisticsCode: string;
  logisticsNo: string;
  lines: Array<{ gnum: number; itemNo: string; qty: string; price: string; totalPrice: string }>;
}

export interface MatchLimits {
  /** Per order, CNY (DOMAIN.md §5: 5,000 when written; configurable). */
  perOrderCny: string;
  /** Per buyer per calendar year, CNY, including this order (26,000 when written). */
  perBuyerYearCny: string;
}

export const DEFAULT_LIMITS: MatchLimits = { perOrderCny: '5000', perBuyerYearCny: '26000' };

export interface Mismatch {
  code: string;
  field: string;
  expected: string;
  actual: string;
  message: string;
}

export type MatchResult = { ok: true } | { ok: false; mismatches: Mismatch[] };

export function matchDocuments(
  docs: { order: ImportOrder; payment: Payment | null; waybill: Waybill | null; list: InventoryListDraft },
  limits: MatchLimits = DEFAULT_LIMITS,
  context: { buyerYearToDate: string } = { buyerYearToDate: '0' },
): MatchResult {
  const { order, payment, waybill, list } = docs;
  const found: Mismatch[] = [];
  const on = `order ${order.orderNo}`;
  const check = (code: string, field: string, expected: string, actual: string, message: string) => {
    if (expected !== actual)
      found.push({
        code,
        field,
        expected,
        actual,
        message: `${on}: ${message} (expected "${expected}", got "${actual}")`,
      });
  };
  const amount = (value: string, field: string): bigint | null => {
    try {
      return parseDecimal(value, field);
    } catch (error) {
      if (error instanceof MoneyFormatError)
        found.push({
          code: 'BAD_AMOUNT',
          field,
          expected: 'a decimal number',
          actual: value,
          message: `${on}: ${error.message}`,
        });
      else throw error;
      return null;
    }
  };

  // List and order: same platform + order number, same e-commerce company.
  check('LIST_ORDER_NO', 'inventory.orderNo', order.orderNo, list.orderNo, 'the list names a different order');
  check(
    'LIST_EBP_CODE',
    'inventory.ebpCode',
    order.ebpCode,
    list.ebpCode,
    'the list names a different platform (ebpCode)',
  );
  check(
    'LIST_EBC_CODE',
    'inventory.ebcCode',
    order.ebcCode,
    list.ebcCode,
    'the list names a different e-commerce company (ebcCode)',
  );

  // Order and payment.
  if (!payment) {
    found.push({
      code: 'PAYMENT_MISSING',
      field: 'payment',
      expected: `${order.payCode}/${order.payTransactionId}`,
      actual: '',
      message: `${on}: no payment (CEB411) received for transaction ${order.payTransactionId}`,
    });
  } else {
    check(
      'PAY_CODE',
      'payment.payCode',
      order.payCode,
      payment.payCode,
      'the payment comes from a different payment company',
    );
    check(
      'PAY_TRANSACTION_ID',
      'payment.payTransactionId',
      order.payTransactionId,
      payment.payTransactionId,
      'the payment transaction differs',
    );
    check(
      'PAYMENT_ORDER_NO',
      'payment.orderNo',
      order.orderNo,
      payment.orderNo,
      'the payment is for a different order',
    );
    check('PAYER_NAME', 'payment.payerName', order.buyerName, payment.payerName, 'the payer is not the buyer');
    check(
      'PAYER_ID',
      'payment.payerIdNumber',
      order.buyerIdNumber,
      payment.payerIdNumber,
      "the payer's ID number is not the buyer's",
    );
  }

  // List and waybill; waybill and order.
  if (!waybill) {
    found.push({
      code: 'WAYBILL_MISSING',
      field: 'waybill',
      expected: `${list.logisticsCode}/${list.logisticsNo}`,
      actual: '',
      message: `${on}: no waybill (CEB511) received for ${list.logisticsNo}`,
    });
  } else {
    check(
      'LIST_LOGISTICS_CODE',
      'inventory.logisticsCode',
      waybill.logisticsCode,
      list.logisticsCode,
      'the list names a different carrier',
    );
    check(
      'LIST_LOGISTICS_NO',
      'inventory.logisticsNo',
      waybill.logisticsNo,
      list.logisticsNo,
      'the list names a different waybill number',
    );
    check(
      'WAYBILL_ORDER_NO',
      'waybill.orderNo',
      order.orderNo,
      waybill.orderNo,
      'the waybill is for a different order',
    );
    check(
      'CONSIGNEE_NAME',
      'waybill.consignee',
      order.consignee,
      waybill.consignee,
      'the consignee on the waybill is not the one on the order',
    );
    check(
      'CONSIGNEE_PHONE',
      'waybill.consigneeTelephone',
      order.consigneeTelephone,
      waybill.consigneeTelephone,
      "the consignee's phone differs between order and waybill",
    );
    check(
      'CONSIGNEE_ADDRESS',
      'waybill.consigneeAddress',
      order.consigneeAddress,
      waybill.consigneeAddress,
      "the consignee's address differs between order and waybill",
    );
  }

  // Amounts: acturalPaid = goodsValue + freight + taxTotal - discount = payment amountPaid.
  const [goods, freight, tax, discount, paid] = [
    amount(order.goodsValue, 'order.goodsValue'),
    amount(order.freight, 'order.freight'),
    amount(order.taxTotal, 'order.taxTotal'),
    amount(order.discount, 'order.discount'),
    amount(order.acturalPaid, 'order.acturalPaid'),
  ];
  if (goods !== null && freight !== null && tax !== null && discount !== null && paid !== null) {
    const expectedPaid = goods + freight + tax - discount;
    check(
      'ACTURAL_PAID',
      'order.acturalPaid',
      formatDecimal(expectedPaid),
      formatDecimal(paid),
      'acturalPaid is not goodsValue + freight + taxTotal - discount',
    );
  }
  if (payment && paid !== null) {
    const amountPaid = amount(payment.amountPaid, 'payment.amountPaid');
    if (amountPaid !== null)
      check(
        'AMOUNT_PAID',
        'payment.amountPaid',
        formatDecimal(paid),
        formatDecimal(amountPaid),
        'the payment amount differs from the order acturalPaid',
      );
  }

  // Lines: each list line matches the order line of the same item; totals add up to goodsValue.
  const orderLines = new Map(order.lines.map((l) => [l.itemNo, l]));
  let lineSum = 0n;
  for (const line of order.lines) {
    const [qty, price, total] = [
      amount(line.qty, `order line ${line.gnum} qty`),
      amount(line.price, `order line ${line.gnum} price`),
      amount(line.totalPrice, `order line ${line.gnum} totalPrice`),
    ];
    if (qty === null || price === null || total === null) continue;
    lineSum += total;
    check(
      'ORDER_LINE_TOTAL',
      `order.lines[${line.gnum}].totalPrice`,
      formatDecimal(multiply(qty, price)),
      formatDecimal(total),
      `line ${line.gnum} (${line.itemNo}): totalPrice is not qty × price`,
    );
  }
  if (goods !== null)
    check(
      'GOODS_VALUE',
      'order.goodsValue',
      formatDecimal(lineSum),
      formatDecimal(goods),
      'goodsValue is not the sum of the line totals',
    );
  const listed = new Set<string>();
  for (const line of list.lines) {
    listed.add(line.itemNo);
    const ordered = orderLines.get(line.itemNo);
    if (!ordered) {
      found.push({
        code: 'LIST_LINE_NOT_ORDERED',
        field: `inventory.lines[${line.gnum}].itemNo`,
        expected: [...orderLines.keys()].join(', '),
        actual: line.itemNo,
        message: `${on}: list line ${line.gnum} has item ${line.itemNo}, which is not on the order`,
      });
      continue;
    }
    for (const field of ['qty', 'price', 'totalPrice'] as const) {
      const a = amount(ordered[field], `order ${field}`);
      const b = amount(line[field], `list ${field}`);
      if (a !== null && b !== null)
        check(
          `LIST_LINE_${field.toUpperCase()}`,
          `inventory.lines[${line.gnum}].${field}`,
          formatDecimal(a),
          formatDecimal(b),
          `list line ${line.gnum} (${line.itemNo}): ${field} differs from the order`,
        );
    }
  }
  for (const itemNo of orderLines.keys()) {
    if (!listed.has(itemNo))
      found.push({
        code: 'ORDER_LINE_NOT_LISTED',
        field: 'inventory.lines',
        expected: itemNo,
        actual: '',
        message: `${on}: item ${itemNo} is on the order but not on the list`,
      });
  }

  // Limits (configurable).
  if (paid !== null) {
    const perOrder = parseDecimal(limits.perOrderCny, 'limit');
    if (paid > perOrder)
      found.push({
        code: 'ORDER_LIMIT',
        field: 'order.acturalPaid',
        expected: `<= ${limits.perOrderCny}`,
        actual: formatDecimal(paid),
        message: `${on}: ${formatDecimal(paid)} CNY is over the per-order limit of ${limits.perOrderCny} CNY`,
      });
    const yearTotal = parseDecimal(context.buyerYearToDate, 'buyerYearToDate') + paid;
    const perYear = parseDecimal(limits.perBuyerYearCny, 'limit');
    if (yearTotal > perYear)
      found.push({
        code: 'BUYER_YEAR_LIMIT',
        field: 'order.buyerIdNumber',
        expected: `<= ${limits.perBuyerYearCny}`,
        actual: formatDecimal(yearTotal),
        message: `${on}: the buyer's purchases this year would reach ${formatDecimal(yearTotal)} CNY, over the annual limit of ${limits.perBuyerYearCny} CNY`,
      });
  }

  return found.length ? { ok: false, mismatches: found } : { ok: true };
}

/**
 * A batch of orders, reported per order. Payments and waybills are looked up by key (no scans
 * across the batch), so 10k orders stay linear.
 */
export function matchBatch(
  lists: InventoryListDraft[],
  documents: { orders: ImportOrder[]; payments: Payment[]; waybills: Waybill[] },
  limits: MatchLimits = DEFAULT_LIMITS,
  yearToDateByBuyer: Map<string, string> = new Map(),
): Map<string, MatchResult> {
  const orders = new Map(documents.orders.map((o) => [`${o.ebpCode}|${o.orderNo}`, o]));
  const payments = new Map(documents.payments.map((p) => [`${p.payCode}|${p.payTransactionId}`, p]));
  const waybills = new Map(documents.waybills.map((w) => [`${w.logisticsCode}|${w.logisticsNo}`, w]));
  const results = new Map<string, MatchResult>();
  for (const list of lists) {
    const order = orders.get(`${list.ebpCode}|${list.orderNo}`);
    if (!order) {
      results.set(list.orderNo, {
        ok: false,
        mismatches: [
          {
            code: 'ORDER_MISSING',
            field: 'order',
            expected: `${list.ebpCode}/${list.orderNo}`,
            actual: '',
            message: `order ${list.orderNo}: no order (CEB311) received from platform ${list.ebpCode}`,
          },
        ],
      });
      continue;
    }
    results.set(
      list.orderNo,
      matchDocuments(
        {
          order,
          list,
          payment: payments.get(`${order.payCode}|${order.payTransactionId}`) ?? null,
          waybill: waybills.get(`${list.logisticsCode}|${list.logisticsNo}`) ?? null,
        },
        limits,
        { buyerYearToDate: yearToDateByBuyer.get(order.buyerIdNumber) ?? '0' },
      ),
    );
  }
  return results;
}

/**
 * A consumer order with its payment and waybill that pass the three-document match (DOMAIN.md §5):
 * one line of `qty` units at `priceCents`, freight, 9.1 % tax, paid in full by the buyer who is
 * also the consignee. The documents a platform, a payment company and a carrier would send.
 */
export interface ConsumerOrderInput {
  warehouseCode: string;
  ebpCode: string;
  ebcCode: string;
  payCode: string;
  logisticsCode: string;
  orderNo: string;
  logisticsNo: string;
  sku: string;
  qty: number;
  /** A different buyer per order (the annual limit is per buyer): any distinct number. */
  buyer: number;
  priceCents?: number;
  freightCents?: number;
  /** The waybill's declared gross weight, kg. */
  declaredKg?: string;
  address?: string;
}

export function consumerOrderDocs(o: ConsumerOrderInput) {
  const money = (c: number) => (c / 100).toFixed(2);
  const price = o.priceCents ?? 9900;
  const freight = o.freightCents ?? 1000;
  const goods = o.qty * price;
  const tax = Math.round(goods * 0.091);
  const paid = goods + freight + tax;
  const buyer = { name: `买家${o.buyer}`, id: `1101011990${String(o.buyer).padStart(8, '0')}` };
  const address = o.address ?? `上海市浦东新区${o.buyer}号`;
  const payTransactionId = `PT-${o.orderNo}`;
  return {
    order: {
      tradeMode: '1210',
      warehouseCode: o.warehouseCode,
      orderNo: o.orderNo,
      ebpCode: o.ebpCode,
      ebpName: 'Platform',
      ebcCode: o.ebcCode,
      ebcName: 'Seller',
      goodsValue: money(goods),
      freight: money(freight),
      discount: '0',
      taxTotal: money(tax),
      acturalPaid: money(paid),
      buyerRegNo: `buyer${o.buyer}`,
      buyerName: buyer.name,
      buyerTelephone: '13800000000',
      buyerIdNumber: buyer.id,
      payCode: o.payCode,
      payName: 'Pay',
      payTransactionId,
      consignee: buyer.name,
      consigneeTelephone: '13800000000',
      consigneeAddress: address,
      lines: [
        {
          gnum: 1,
          itemNo: o.sku,
          itemName: o.sku,
          unit: '011',
          qty: String(o.qty),
          price: money(price),
          totalPrice: money(goods),
        },
      ],
    },
    payment: {
      payCode: o.payCode,
      payName: 'Pay',
      payTransactionId,
      orderNo: o.orderNo,
      ebpCode: o.ebpCode,
      ebpName: 'Platform',
      payerIdNumber: buyer.id,
      payerName: buyer.name,
      amountPaid: money(paid),
      payTime: '20261120100000',
    },
    waybill: {
      logisticsCode: o.logisticsCode,
      logisticsName: 'Express',
      logisticsNo: o.logisticsNo,
      orderNo: o.orderNo,
      weight: o.declaredKg ?? '0.5',
      consignee: buyer.name,
      consigneeTelephone: '13800000000',
      consigneeAddress: address,
    },
  };
}

/** The body of `POST /api/customs/documents` for these orders. */
export function documentsBody(docs: Array<ReturnType<typeof consumerOrderDocs>>) {
  return {
    direction: 'import' as const,
    orders: docs.map((d) => d.order),
    payments: docs.map((d) => d.payment),
    waybills: docs.map((d) => d.waybill),
  };
}

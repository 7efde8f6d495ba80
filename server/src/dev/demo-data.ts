import { GS, gs1CheckDigit } from '@wms/contracts';

/**
 * The demo of `npm start` as data: what the centre holds, which barcodes its goods carry, what
 * each parcel weighs and what customs decides about it. Pure, so the seed, the README and the
 * demo's own test (test/e2e/demo-data.test.ts) read the same numbers.
 */

/** A carton mailer around the units of one parcel: declared gross = units × unit weight + this. */
export const DEMO_PACKAGING_TARE_GRAMS = 30;

/** A GTIN-13 under the demo seller's GS1 company prefix 6901234, its check digit computed. */
const gtin13 = (item: number) => {
  const body = `6901234${String(item).padStart(5, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};

/**
 * The demo's sellers (issue 12): SELLER-DEMO owns the centre's demo goods above; SELLER-TWO, a
 * second tenant under its own GS1 prefix 6909876, holds two SKUs of its own, so the seller API
 * shows one tenant's rows and never the other's.
 */
export const DEMO_SELLERS = [
  { sellerCode: 'SELLER-DEMO', name: 'Demo Seller', ownerCodes: ['SELLER-DEMO'], warehouseCodes: ['BC01', 'OW-DE1'] },
  { sellerCode: 'SELLER-TWO', name: 'Second Demo Seller', ownerCodes: ['SELLER-TWO'], warehouseCodes: ['BC01'] },
] as const;

const gtin13Two = (item: number) => {
  const body = `6909876${String(item).padStart(5, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};

export const DEMO_SELLER_TWO_GOODS = [
  { sku: 'TWO-MUG-01', gtin: gtin13Two(1), name: 'Ceramic mug 350 ml', model: 'white', grossGrams: 320 },
  { sku: 'TWO-TEA-01', gtin: gtin13Two(2), name: 'Green tea 100 g tin', model: 'tin', grossGrams: 140 },
] as const;

export interface DemoGood {
  sku: string;
  gtin: string;
  name: string;
  gname: string;
  model: string;
  unitGrams: number;
  /** The batch already on the shelves (bonded entry at first start) and its expiry. */
  stockBatch: string;
  stockExpiry: string;
  /** The batch of the delivery waiting at the dock, and its expiry (YYMMDD). */
  deliveryBatch: string;
  deliveryExpiry: string;
  shelf: string;
}

export const DEMO_GOODS: readonly DemoGood[] = [
  {
    sku: 'DEMO-SKU1',
    gtin: gtin13(1),
    name: 'Face cream',
    gname: '面霜',
    model: '50ml',
    unitGrams: 300,
    stockBatch: 'B2026',
    stockExpiry: '280630',
    deliveryBatch: 'L2611A',
    deliveryExpiry: '281031',
    shelf: 'A-01-01',
  },
  {
    sku: 'DEMO-SKU2',
    gtin: gtin13(2),
    name: 'Serum',
    gname: '精华液',
    model: '30ml',
    unitGrams: 150,
    stockBatch: 'B2026',
    stockExpiry: '280630',
    deliveryBatch: 'L2611B',
    deliveryExpiry: '281130',
    shelf: 'A-01-02',
  },
  {
    sku: 'DEMO-SKU3',
    gtin: gtin13(3),
    name: 'Body lotion',
    gname: '身体乳',
    model: '250ml',
    unitGrams: 420,
    stockBatch: 'B2026',
    stockExpiry: '280630',
    deliveryBatch: 'L2611C',
    deliveryExpiry: '281231',
    shelf: 'A-01-03',
  },
];

/**
 * The centre's places: a receiving dock, storage bins (three stocked, three empty for put-away),
 * the packing station, the outbound dock by the gate, and the customs areas.
 */
export const DEMO_ZONES = [
  {
    code: 'BZ',
    kind: 'bonded' as const,
    locations: [
      { code: 'DOCK-IN', purpose: 'dock' as const },
      ...['A-01-01', 'A-01-02', 'A-01-03', 'A-02-01', 'A-02-02', 'A-02-03'].map((code) => ({
        code,
        purpose: 'storage' as const,
      })),
      { code: 'PACK-ST01', purpose: 'pack' as const },
      { code: 'DOCK-OUT', purpose: 'staging' as const },
    ],
  },
  { code: 'INS', kind: 'inspection' as const, locations: [{ code: 'INS-01', purpose: 'storage' as const }] },
  { code: 'RET', kind: 'returns' as const, locations: [{ code: 'RET-01', purpose: 'storage' as const }] },
  { code: 'QT', kind: 'quarantine' as const, locations: [{ code: 'QT-01', purpose: 'storage' as const }] },
];

/**
 * The overseas warehouse (issue 12): a public warehouse in Germany serving exporters, fed by 9810
 * shipments from the bonded centre; its own dock, bins, packing bench, outbound dock and returns.
 */
export const DEMO_OVERSEAS = {
  code: 'OW-DE1',
  name: 'Overseas warehouse Duisburg',
  country: 'DE',
  timeZone: 'Europe/Berlin',
  currency: 'EUR',
  overseasCustomsReg: 'HWC3105DE0001',
  zones: [
    {
      code: 'OW',
      kind: 'non-bonded' as const,
      locations: [
        { code: 'OW-DOCK-IN', purpose: 'dock' as const },
        ...['OW-A-01', 'OW-A-02', 'OW-A-03', 'OW-B-01', 'OW-B-02', 'OW-B-03'].map((code) => ({
          code,
          purpose: 'storage' as const,
        })),
        { code: 'OW-PACK-01', purpose: 'pack' as const },
        { code: 'OW-DOCK-OUT', purpose: 'staging' as const },
      ],
    },
    { code: 'OW-RET', kind: 'returns' as const, locations: [{ code: 'OW-RET-01', purpose: 'storage' as const }] },
  ],
};

/**
 * SELLER-DEMO's stock already at OW-DE1 when the demo starts: lots that arrived some days ago (so
 * the ageing chart has bands), entered as an opening balance of the ledger.
 */
export const DEMO_OVERSEAS_LOTS = [
  { sku: 'DEMO-SKU1', lotNo: 'OPEN-2026-01', qty: 40, daysAgo: 200, expiry: '2028-06-30' },
  { sku: 'DEMO-SKU1', lotNo: 'OPEN-2026-09', qty: 60, daysAgo: 75, expiry: '2028-10-31' },
  { sku: 'DEMO-SKU2', lotNo: 'OPEN-2026-06', qty: 80, daysAgo: 120, expiry: '2028-11-30' },
  { sku: 'DEMO-SKU3', lotNo: 'OPEN-2026-11', qty: 50, daysAgo: 20, expiry: null },
] as const;

/** The delivery a supervisor expects at DOCK-IN: one carton of 12 of each good, under its entry list. */
export const DEMO_DELIVERY = {
  deliveryNo: 'DEMO-IN-0001',
  entryDocNo: 'QD5165DEMO0002',
  dockLocation: 'DOCK-IN',
  cartonUnits: 12,
};

/** `01` GTIN-14, `17` expiry, `10` batch, then FNC1 and `30` count when a carton holds several. */
export function demoGoodsCode(good: DemoGood, which: 'delivery' | 'stock', count?: number): string {
  const batch = which === 'delivery' ? good.deliveryBatch : good.stockBatch;
  const expiry = which === 'delivery' ? good.deliveryExpiry : good.stockExpiry;
  const base = `01${good.gtin.padStart(14, '0')}17${expiry}10${batch}`;
  return count ? `${base}${GS}30${count}` : base;
}

export interface DemoParcel {
  orderNo: string;
  logisticsNo: string;
  sku: string;
  units: number;
  declaredGrams: number;
  /** What the customs simulator decides for this parcel's list (forced, so the README can say it). */
  customs: 'release' | 'inspect' | 'reject';
}

/** Parcels 3 and 8 go to inspection (500, until customs concludes), parcel 10 is rejected (100). */
const CUSTOMS_OF: Record<number, DemoParcel['customs']> = { 3: 'inspect', 8: 'inspect', 10: 'reject' };

export const DEMO_PARCELS: readonly DemoParcel[] = Array.from({ length: 12 }, (_, i) => {
  const good = DEMO_GOODS[i % DEMO_GOODS.length];
  const units = (i % 3) + 1;
  return {
    orderNo: `DEMO-SO-${String(i + 1).padStart(4, '0')}`,
    logisticsNo: `DEMOYT${String(i + 1).padStart(8, '0')}`,
    sku: good.sku,
    units,
    declaredGrams: units * good.unitGrams + DEMO_PACKAGING_TARE_GRAMS,
    customs: CUSTOMS_OF[i + 1] ?? 'release',
  };
});

/** The customs simulator's forced outcomes, keyed by waybill number. */
export const demoCustomsOverrides = (): Record<string, DemoParcel['customs']> =>
  Object.fromEntries(DEMO_PARCELS.map((p) => [p.logisticsNo, p.customs]));

/** A waybill's gross weight in kg as the documents carry it. */
export const kgText = (grams: number) => (grams / 1000).toFixed(3);

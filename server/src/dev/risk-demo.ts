import type { INestApplication } from '@nestjs/common';
import type { SimScale } from '@wms/hardware-sim/simulator';
import { DeclarationsService } from '../modules/customs/declarations/declarations.service.js';
import { TradeDocumentsService } from '../modules/customs/documents/trade-documents.service.js';
import { MasterDataRepository } from '../modules/masterdata/masterdata.repository.js';
import { masterDataImport } from '../modules/masterdata/masterdata.schemas.js';
import { PackingService } from '../modules/outbound/packing.service.js';
import { WeighingService } from '../modules/parcels/weighing.service.js';
import { BondedEntryService } from '../modules/receiving/bonded-entry.service.js';
import { RiskService } from '../modules/risk/risk.service.js';
import { SqlRunner } from '../platform/database/sql.js';
import { AppError } from '../platform/http/app-error.js';
import { DEMO_CUSTOMS } from './customs-demo.js';

/**
 * Demo data for the risk warnings page (issue 13): at the demo centre, a cold zone watched by the
 * simulated probe at ST01 (the simulator runs an excursion soon after the start), and orders that
 * each trip one rule — a unit value far below the site's median, three buyers on one address,
 * one payer for three buyers, a buyer near the yearly limit, a knife packed without a pick, and
 * a parcel weighed far off its declaration on the simulated scale. Idempotent: a restart adds
 * nothing (the documents and lists already exist; the warnings are unique per subject).
 */
export const DEMO_RISK = {
  probeId: 'ST01-PROBE',
  coldZone: 'COLD',
  /** Seconds outside 2–8 °C that make an excursion, short for the demo (the rule's default is 600). */
  maxExcursionS: 20,
  /** The simulator's scripted excursion: 12 °C from 30 s after the start (the agent is reading by then), for 40 s. */
  excursion: { afterMs: 30_000, celsius: 12, forMs: 40_000 },
} as const;

const d = DEMO_CUSTOMS;
const money = (cents: number) => (cents / 100).toFixed(2);

interface RiskOrder {
  n: number;
  sku: 'RISK-TONER' | 'RISK-KNIFE' | 'RISK-WINE';
  qty: number;
  priceCents: number;
  buyer: number;
  payer?: number;
  address?: string;
  declaredGrams: number;
}

const SPLIT_ADDRESS = '上海市浦东新区拆单路 8 号 1 室';
const ORDERS: RiskOrder[] = [
  { n: 1, sku: 'RISK-TONER', qty: 1, priceCents: 500, buyer: 1, declaredGrams: 230 },
  ...[2, 3, 4].map((n) => ({
    n,
    sku: 'RISK-TONER' as const,
    qty: 1,
    priceCents: 9900,
    buyer: n,
    address: SPLIT_ADDRESS,
    declaredGrams: 230,
  })),
  ...[5, 6, 7].map((n) => ({
    n,
    sku: 'RISK-TONER' as const,
    qty: 1,
    priceCents: 9900,
    buyer: n,
    payer: 99,
    declaredGrams: 230,
  })),
  ...[8, 9, 10, 11, 12].map((n) => ({
    n,
    sku: 'RISK-WINE' as const,
    qty: 3,
    priceCents: 150_000,
    buyer: 50,
    declaredGrams: 4200,
  })),
  { n: 13, sku: 'RISK-KNIFE', qty: 1, priceCents: 19_900, buyer: 13, declaredGrams: 400 },
];
const orderNo = (n: number) => `DEMO-RISK-${String(n).padStart(4, '0')}`;
export const demoRiskParcel = (n: number) => `DEMORK${String(n).padStart(8, '0')}`;

function documents(o: RiskOrder) {
  const goods = o.qty * o.priceCents;
  const tax = Math.round(goods * 0.091);
  const paid = goods + 1000 + tax;
  const person = (k: number) => ({ name: `风险买家${k}`, id: `1101011990020${String(1000 + k).padStart(5, '0')}` });
  const buyer = person(o.buyer);
  const payer = o.payer ? person(o.payer) : buyer;
  const address = o.address ?? `上海市浦东新区风险路${o.n}号`;
  const no = orderNo(o.n);
  return {
    order: {
      tradeMode: '1210' as const,
      warehouseCode: d.warehouseCode,
      orderNo: no,
      ebpCode: d.ebp,
      ebpName: 'Demo Platform',
      ebcCode: d.ebc,
      ebcName: 'Demo Seller',
      goodsValue: money(goods),
      freight: '10.00',
      discount: '0',
      taxTotal: money(tax),
      acturalPaid: money(paid),
      buyerRegNo: `risk${o.buyer}`,
      buyerName: buyer.name,
      buyerTelephone: '13900000000',
      buyerIdNumber: buyer.id,
      payCode: d.pay,
      payName: 'Demo Pay',
      payTransactionId: `DEMO-RISK-PT-${o.n}`,
      consignee: buyer.name,
      consigneeTelephone: `139000${String(o.n).padStart(5, '0')}`,
      consigneeAddress: address,
      lines: [
        {
          gnum: 1,
          itemNo: o.sku,
          itemName: o.sku,
          unit: '011',
          qty: String(o.qty),
          price: money(o.priceCents),
          totalPrice: money(goods),
        },
      ],
    },
    payment: {
      payCode: d.pay,
      payName: 'Demo Pay',
      payTransactionId: `DEMO-RISK-PT-${o.n}`,
      orderNo: no,
      ebpCode: d.ebp,
      ebpName: 'Demo Platform',
      payerIdNumber: payer.id,
      payerName: payer.name,
      amountPaid: money(paid),
      payTime: '20261120100000',
    },
    waybill: {
      logisticsCode: d.logistics,
      logisticsName: 'Demo Express',
      logisticsNo: demoRiskParcel(o.n),
      orderNo: no,
      weight: (o.declaredGrams / 1000).toFixed(3),
      consignee: buyer.name,
      consigneeTelephone: `139000${String(o.n).padStart(5, '0')}`,
      consigneeAddress: address,
    },
  };
}

/** Master data, stock, rules and orders: before the simulator and the agent start. */
/** The risk demo's goods, the demo seller's besides the floor demo's (they carry no GTIN: declared, not scanned). */
export const RISK_DEMO_GOODS = [
  { sku: 'RISK-TONER', gcode: '3304990010', name: 'Risk demo toner', gname: '爽肤水（风险演示）', grams: 200 },
  { sku: 'RISK-KNIFE', gcode: '8211910000', name: 'Kitchen knife (controlled)', gname: '厨刀（管制）', grams: 370 },
  { sku: 'RISK-WINE', gcode: '2204210000', name: 'Red wine 750 ml', gname: '红葡萄酒', grams: 1380 },
] as const;

export async function seedRiskDemo(app: INestApplication, log: (line: string) => void): Promise<void> {
  const goods = RISK_DEMO_GOODS;
  await app.get(MasterDataRepository).upsertAll(
    masterDataImport.parse({
      goods: goods.map((g) => ({
        ownerCode: d.ebc,
        sku: g.sku,
        gcode: g.gcode,
        name: g.name,
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: g.grams,
      })),
      bookLines: goods.map((g, i) => ({
        emsNo: d.emsNo,
        putrecSeqno: 90 + i,
        itemNo: g.sku,
        gcode: g.gcode,
        gname: g.gname,
        unit: '011',
      })),
    }),
  );
  // the cold zone the probe watches (2–8 °C by the rule; a zone may carry its own range)
  await app.get(SqlRunner).transaction(async (sql) => {
    await sql.execute(`insert into zone (warehouse_code, code, kind) values (?, ?, 'bonded') on conflict do nothing`, [
      d.warehouseCode,
      DEMO_RISK.coldZone,
    ]);
    await sql.execute(
      `insert into location (warehouse_code, code, zone_code, purpose) values (?, 'C-01-01', ?, 'storage') on conflict do nothing`,
      [d.warehouseCode, DEMO_RISK.coldZone],
    );
  });
  try {
    await app.get(BondedEntryService).receive(
      {
        warehouseCode: d.warehouseCode,
        docNo: 'QD5165DEMORISK1',
        ownerCode: d.ebc,
        lines: [
          { sku: 'RISK-TONER', batch: 'R1', qty: 40, location: 'A-02-03' },
          { sku: 'RISK-KNIFE', batch: 'K1', qty: 5, location: 'A-02-03' },
          { sku: 'RISK-WINE', batch: 'W1', qty: 30, location: 'C-01-01' },
        ],
      },
      'demo',
    );
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
  }
  const risk = app.get(RiskService);
  await risk.setRule(
    d.warehouseCode,
    'cold-chain',
    { enabled: true, params: { maxExcursionS: DEMO_RISK.maxExcursionS } },
    'demo',
  );
  await risk.placeSensor(DEMO_RISK.probeId, d.warehouseCode, DEMO_RISK.coldZone).catch((error: Error) => {
    log(`risk demo: probe ${DEMO_RISK.probeId} not placed: ${error.message}`);
  });
  const docs = ORDERS.map(documents);
  const imported = await app.get(TradeDocumentsService).start(
    {
      direction: 'import',
      orders: docs.map((o) => o.order),
      payments: docs.map((o) => o.payment),
      waybills: docs.map((o) => o.waybill),
    },
    'demo',
  );
  await imported.done;
  const results = await app.get(DeclarationsService).declare(
    'import',
    ORDERS.map((o) => ({ ebpCode: d.ebp, orderNo: orderNo(o.n) })),
    'demo',
  );
  // the knife is packed with no pick recorded: a special-goods step missing
  await app
    .get(PackingService)
    .pack(demoRiskParcel(13), 'demo', 'PACK-ST01')
    .catch(() => undefined);
  log(
    `risk demo: cold zone ${DEMO_RISK.coldZone} watched by ${DEMO_RISK.probeId}, ${ORDERS.length} orders tripping the rules (${results.filter((r) => r.outcome === 'declared').length} declared now)`,
  );
}

/** Once the agent reads the simulated scale: parcel 2 weighed at 0.9 kg against 0.23 declared. */
export async function weighRiskDemo(app: INestApplication, scale: SimScale, log: (line: string) => void) {
  const sql = app.get(SqlRunner);
  const already = await sql.transaction((s) =>
    s.execute<unknown[]>('select 1 from weight_check where logistics_no = ?', [demoRiskParcel(2)]),
  );
  if (already.length) return;
  const since = new Date();
  scale.place(900, 0);
  for (let i = 0; i < 50; i++) {
    try {
      const weighed = await sql.transaction((s) =>
        s.execute<unknown[]>(
          'select 1 from weight_event where station_id = ? and gross_grams = 900 and recorded_at >= ?',
          [scale.stationId, since],
        ),
      );
      if (!weighed.length) throw new Error('not on the scale yet');
      await app.get(WeighingService).weigh(demoRiskParcel(2), scale.stationId, 'demo');
      log(`risk demo: parcel ${demoRiskParcel(2)} weighed 0.900 kg against 0.230 kg declared (held)`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  // the parcel leaves the scale; the demo is ready once the scale has said so (its status back to
  // ok), so the first weighing a user or a test makes at the station starts from a quiet scale
  const removed = new Date();
  scale.remove();
  for (let i = 0; i < 25; i++) {
    const settled = await sql.transaction((s) =>
      s.execute<unknown[]>(
        `select 1 from device_status_event where station_id = ? and device_id like '%SCALE' and status = 'ok' and recorded_at >= ?`,
        [scale.stationId, removed],
      ),
    );
    if (settled.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}

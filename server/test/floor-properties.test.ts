import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { type PackingStation, packingStation } from '../../test/support/packing-station.js';
import { query } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../../test/support/trade-docs.js';

/**
 * Properties of the floor on the real stack: random sequences of operations — scans repeated with
 * the same id, scans in the wrong order, holds, gate attempts, picks from emptied bins — never
 * make the ledger differ from the floor, never let an unreleased or held parcel out, and never
 * count one scan twice.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-prop-'));
chmodSync(dir, 0o755);
const WH = 'PRP1';
const EMS = 'T5165W000088';
const OWNER = 'OWNPRP0001';
const BINS = ['P-01', 'P-02', 'P-03'];
let app: TestServer;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
let databaseUrl: string;
let authority: CustomsAuthority;
let station: PackingStation;

beforeAll(async () => {
  app = await startTestServer(
    'props',
    {
      CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
      CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
      CUSTOMS_POLL_MS: '50',
      CUSTOMS_LIMIT_PER_BUYER_YEAR_CNY: '100000000',
    },
    { lead: ['supervisor', 'staff'], officer: ['customs'] },
  );
  databaseUrl = app.databaseUrl;
  station = await packingStation(app.server, databaseUrl, 'PROP');
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    seed: 5,
    mix: { release: 6, inspect: 1, reject: 1, detain: 1 },
    duplicateRate: 0.3,
    reorder: true,
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 20,
  });
  authority.start();
  const md = await api('POST', '/api/master-data', 'lead', {
    enterprises: [
      { code: OWNER, name: 'Prop Seller', roles: ['ebc', 'owner'] },
      { code: 'PLATPRP001', name: 'Platform', roles: ['ebp'] },
      { code: 'PAYPRP0001', name: 'Pay', roles: ['pay'] },
      { code: 'LOGIPRP001', name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Property centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W88',
        emsNo: EMS,
        zones: [
          { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK-P', purpose: 'dock' }, ...BINS] },
          { code: 'NB', kind: 'non-bonded', locations: ['N-P1'] },
          { code: 'QT', kind: 'quarantine', locations: ['QT-P'] },
        ],
      },
    ],
    goods: ['PA', 'PB'].map((sku) => ({
      ownerCode: OWNER,
      sku,
      gcode: '3304990010',
      name: sku,
      unit: '011',
      declaredPrice: '99.00',
      country: '116',
      grossGrams: 100,
    })),
    bookLines: ['PA', 'PB'].map((sku, i) => ({
      emsNo: EMS,
      putrecSeqno: i + 1,
      itemNo: sku,
      gcode: '3304990010',
      gname: sku,
      unit: '011',
    })),
  });
  expect(md.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await authority?.stop();
  await station?.close();
  await app?.close();
});

type Op =
  | { kind: 'receive'; sku: 'PA' | 'PB' | 'ZZ'; qty: number; damaged: boolean; repeat: boolean }
  | { kind: 'close' }
  | { kind: 'putaway'; sku: 'PA' | 'PB'; bin: string; locationFirst: boolean; repeat: boolean }
  | { kind: 'order'; sku: 'PA' | 'PB'; qty: number }
  | { kind: 'customs' }
  | { kind: 'wave' }
  | { kind: 'pick'; bin: string; sku: 'PA' | 'PB'; repeat: boolean }
  | { kind: 'pack'; parcel: number }
  | { kind: 'hold'; parcel: number }
  | { kind: 'station'; parcel: number; offGrams: number }
  | { kind: 'gate'; parcel: number };

const sku = fc.constantFrom<'PA' | 'PB'>('PA', 'PB');
const receive = fc.record({
  kind: fc.constant('receive' as const),
  sku: fc.constantFrom<'PA' | 'PB' | 'ZZ'>('PA', 'PA', 'PB', 'PB', 'ZZ'),
  qty: fc.integer({ min: 1, max: 6 }),
  damaged: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  repeat: fc.boolean(),
});
const putaway = fc.record({
  kind: fc.constant('putaway' as const),
  sku,
  bin: fc.constantFrom(...BINS, ...BINS, 'N-P1', 'DOCK-P'),
  locationFirst: fc.boolean(),
  repeat: fc.boolean(),
});
const floorOp: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'wave' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('pick' as const),
      bin: fc.constantFrom(...BINS),
      sku,
      repeat: fc.boolean(),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('pack' as const), parcel: fc.nat(9) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('hold' as const), parcel: fc.nat(9) }), weight: 1 },
  {
    // the packing station packs and weighs the parcel (sometimes far off its declaration) and prints its label
    arbitrary: fc.record({
      kind: fc.constant('station' as const),
      parcel: fc.nat(9),
      offGrams: fc.constantFrom(0, 0, 0, 250),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('gate' as const), parcel: fc.nat(9) }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'customs' as const }), weight: 1 },
  { arbitrary: putaway, weight: 1 },
);
/** A day in random shape: receive, put away, sell, then the floor in any order. */
const day = fc.record({
  receives: fc.array(receive, { minLength: 3, maxLength: 10 }),
  putaways: fc.array(putaway, { minLength: 2, maxLength: 8 }),
  orders: fc.array(fc.record({ kind: fc.constant('order' as const), sku, qty: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 5,
  }),
  floor: fc.array(floorOp, { minLength: 5, maxLength: 30 }),
});

let run = 0;

async function play(ops: Op[]) {
  const r = ++run;
  const deliveryNo = `PD${suffix}${r}`;
  await api('POST', '/api/floor/deliveries', 'lead', {
    warehouseCode: WH,
    deliveryNo,
    ownerCode: OWNER,
    entryDocNo: `PQ${suffix}${r}`,
    dockLocation: 'DOCK-P',
    lines: [
      { sku: 'PA', qty: 8 },
      { sku: 'PB', qty: 8 },
    ],
  });
  const parcels: string[] = [];
  const declaredGrams = new Map<string, number>();
  const sentScanIds = new Set<string>();
  const scan = async (operation: string, code: string, extra: Record<string, unknown>, repeat: boolean) => {
    const scanId = randomUUID();
    const body = { scanId, operation, warehouseCode: WH, stationId: `PS${r}`, code, ...extra };
    const first = await api('POST', '/api/floor/scans', 'lead', body);
    expect(first.status).toBe(200);
    sentScanIds.add(scanId);
    if (repeat) {
      // the same scan again (a lost answer, a double trigger): the same answer, nothing done twice
      const again = await api('POST', '/api/floor/scans', 'lead', { ...body, code: 'whatever' });
      expect(again.body).toEqual(first.body);
    }
  };
  for (const o of ops) {
    switch (o.kind) {
      case 'receive':
        await scan('receive', o.sku, { deliveryNo, qty: o.qty, condition: o.damaged ? 'damaged' : 'good' }, o.repeat);
        break;
      case 'close':
        await api('POST', `/api/floor/deliveries/${deliveryNo}/close`, 'lead');
        break;
      case 'putaway':
        if (o.locationFirst) {
          await scan('putaway', o.bin, {}, false);
          await scan('putaway', o.sku, { qty: 2 }, o.repeat);
        } else {
          await scan('putaway', o.sku, { qty: 2 }, false);
          await scan('putaway', o.bin, {}, o.repeat);
        }
        break;
      case 'order': {
        const n = parcels.length;
        const orderNo = `PO${suffix}${r}x${n}`;
        await api(
          'POST',
          '/api/customs/documents?wait=true',
          'lead',
          documentsBody([
            consumerOrderDocs({
              warehouseCode: WH,
              ebpCode: 'PLATPRP001',
              ebcCode: OWNER,
              payCode: 'PAYPRP0001',
              logisticsCode: 'LOGIPRP001',
              orderNo,
              logisticsNo: `PY${orderNo}`,
              sku: o.sku,
              qty: o.qty,
              buyer: r * 100 + n,
              freightCents: 0,
              // 100 g a unit (the goods master): what the scale will find
              declaredKg: (o.qty * 0.1).toFixed(3),
            }),
          ]),
        );
        declaredGrams.set(`PY${orderNo}`, o.qty * 100);
        await api('POST', '/api/customs/declarations', 'lead', {
          direction: 'import',
          orders: [{ ebpCode: 'PLATPRP001', orderNo }],
        });
        parcels.push(`PY${orderNo}`);
        break;
      }
      case 'customs':
        await authority.settle();
        await api('POST', '/api/customs/inbox/process', 'lead');
        break;
      case 'wave':
        await api('POST', '/api/floor/waves', 'lead', { warehouseCode: WH });
        break;
      case 'pick':
        await scan('pick', o.bin, {}, false);
        await scan('pick', o.sku, {}, o.repeat);
        break;
      case 'pack':
        if (parcels.length) await api('POST', `/api/parcels/${parcels[o.parcel % parcels.length]}/pack`, 'lead', {});
        break;
      case 'hold':
        if (parcels.length)
          await api('POST', '/api/customs/holds', 'officer', {
            logisticsNo: parcels[o.parcel % parcels.length],
            reason: 'random check',
          });
        break;
      case 'station': {
        if (!parcels.length) break;
        const logisticsNo = parcels[o.parcel % parcels.length];
        // pack-weigh-label, the station's job (each step refused with its reason when it cannot be done)
        await api('POST', `/api/parcels/${logisticsNo}/pack`, 'lead', {});
        await station.weigh(declaredGrams.get(logisticsNo)! + o.offGrams);
        await api('POST', '/api/floor/weighings', 'lead', { logisticsNo, stationId: station.stationId });
        await api('POST', `/api/floor/parcels/${logisticsNo}/label`, 'lead', { stationId: station.stationId });
        break;
      }
      case 'gate':
        if (parcels.length)
          await api('POST', '/api/gate/passes', 'lead', { logisticsNo: parcels[o.parcel % parcels.length] });
        break;
    }
  }
  return { sentScanIds };
}

describe('floor properties under random operation sequences (issue 5)', () => {
  it('keep the ledger equal to the floor, let nothing unreleased or held out, and count no scan twice', async () => {
    await fc.assert(
      fc.asyncProperty(day, async (d) => {
        const { sentScanIds } = await play([
          ...d.receives,
          { kind: 'close' },
          ...d.putaways,
          ...d.orders,
          { kind: 'customs' },
          ...d.floor,
          { kind: 'customs' },
        ]);
        // book equals shelf on every book line
        const rec = (await api('GET', `/api/customs/reconciliation?warehouseCode=${WH}`, 'officer')).body;
        expect(rec.totals.linesWithDifference).toBe(0);
        expect(rec.totals.bookUnits).toBe(rec.totals.shelfUnits);
        // units on the book = booked in - written off at the gate, by the movements' own documents
        const [flow] = await query<{ entered: string; left: string; shelf: string }>(
          databaseUrl,
          `select coalesce(sum(qty) filter (where ledger = 'shelf' and doc_type in ('entry-verification', 'inbound', 'return')), 0) as entered,
             coalesce(-sum(qty) filter (where ledger = 'shelf' and doc_type = 'gate-release'), 0) as left,
             coalesce(sum(qty) filter (where ledger = 'shelf'), 0) as shelf
           from stock_movement where warehouse_code = $1`,
          [WH],
        );
        expect(Number(flow.shelf)).toBe(Number(flow.entered) - Number(flow.left));
        // nothing shelved in a place it may not be: no negative shelf anywhere
        const negative = await query(
          databaseUrl,
          `select location, sku, batch from stock_movement where ledger = 'shelf' and warehouse_code = $1
           group by location, sku, batch, owner_code having sum(qty) < 0`,
          [WH],
        );
        expect(negative).toEqual([]);
        // no bonded goods in the non-bonded zone
        const wrongZone = await query(
          databaseUrl,
          `select 1 from stock_movement where ledger = 'shelf' and warehouse_code = $1 and location = 'N-P1' and ems_no is not null
           group by sku having sum(qty) <> 0`,
          [WH],
        );
        expect(wrongZone).toEqual([]);
        // only released, unheld parcels left
        const leaked = await query(
          databaseUrl,
          `select l.logistics_no from inventory_list l where l.gate_passed_at is not null
             and (l.customs_status <> 800 or (l.held_at is not null and l.held_at < l.gate_passed_at and l.hold_reason is not null))`,
        );
        expect(leaked).toEqual([]);
        // and only weighed (or re-weighed and accepted) and labelled ones, before they left
        const unfinished = await query(
          databaseUrl,
          `select l.logistics_no from inventory_list l where l.gate_passed_at is not null and (
             not exists (select 1 from label_print p where p.list_id = l.id and p.status = 'done' and p.created_at <= l.gate_passed_at)
             or not exists (select 1 from weight_check c where c.list_id = l.id and c.created_at <= l.gate_passed_at
                            and (c.within or c.hold_lift_reason is not null)))`,
        );
        expect(unfinished).toEqual([]);
        // each scan id answered once, and did its work once
        const scans = await query<{ n: string }>(
          databaseUrl,
          'select count(*) as n from floor_scan where scan_id = any($1::uuid[])',
          [[...sentScanIds]],
        );
        expect(Number(scans[0].n)).toBe(sentScanIds.size);
        const twice = await query(
          databaseUrl,
          'select scan_id from inbound_count group by scan_id having count(*) > 1',
        );
        expect(twice).toEqual([]);
        const putawayTwice = await query(
          databaseUrl,
          `select doc_no from stock_movement where doc_type = 'putaway' group by doc_no having count(*) > 2`,
        );
        expect(putawayTwice).toEqual([]);
      }),
      { numRuns: 30, seed: 20261126, endOnFailure: true },
    );
    const [reach] = await query<Record<string, string>>(
      databaseUrl,
      `select (select count(*) from inventory_list where gate_passed_at is not null) as shipped,
         (select count(distinct list_id) from label_print where status = 'done') as labelled,
         (select count(*) from inventory_list where packed_at is not null) as packed,
         (select count(*) from pick_task where picked > 0) as picked,
         (select count(*) from stock_movement where doc_type = 'putaway') as putaway,
         (select count(*) from inbound_delivery where status = 'closed') as closed,
         (select count(*) from floor_scan where outcome = 'refused') as refused,
         (select count(*) from floor_scan) as scans`,
    );
    const byOperation = await query<{ operation: string; ok: string; scans: string }>(
      databaseUrl,
      `select operation, count(*) filter (where outcome = 'ok') as ok, count(*) as scans
       from floor_scan group by operation order by operation`,
    );
    console.log('reach', reach, byOperation);
    // The day made progress: a floor that refused everything (or shipped nothing) fails here.
    // Random days refuse many scans by design (wrong bin, parcel not released, …), so the bar is
    // a share well under what the fixed seed reaches, not a target.
    for (const op of byOperation)
      expect(Number(op.ok) / Number(op.scans), `accepted share of ${op.operation} scans`).toBeGreaterThanOrEqual(0.2);
    expect(byOperation.map((o) => o.operation)).toEqual(expect.arrayContaining(['receive', 'putaway', 'pick']));
    expect(Number(reach.closed)).toBeGreaterThan(0);
    expect(Number(reach.putaway)).toBeGreaterThan(0);
    expect(Number(reach.picked)).toBeGreaterThan(0);
    expect(Number(reach.packed)).toBeGreaterThan(0);
    expect(Number(reach.labelled)).toBeGreaterThan(0);
    expect(Number(reach.shipped), 'parcels that passed the gate').toBeGreaterThan(0);
  }, 300_000);
});

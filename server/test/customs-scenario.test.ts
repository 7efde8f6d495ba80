import { randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { type PackingStation, packingStation } from '../../test/support/packing-station.js';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';

/**
 * Issue 4 scenario on the real stack (real PostgreSQL, real broker, the server in this process,
 * the customs authority simulator on the real watched folders):
 * 1210 import of 1,000 units on 3 book lines; 200 consumer orders with payments and waybills, 20
 * mismatched in different ways; CEB621 files; a seeded mix of release / inspection / rejection;
 * only released parcels pass the gate; the book drops by exactly the released units; book equals
 * shelf; a CEB625 return brings units back; a 9610 export month ends in a CEB701 summary.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-customs-'));
chmodSync(dir, 0o755);
const outbox = join(dir, 'outbox');
const inbox = join(dir, 'inbox');
let app: TestServer;
let databaseUrl: string;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
let authority: CustomsAuthority;
let station: PackingStation;

const EBP = 'PLAT000001';
const EBC = 'EBC0000001';
const LOGI = 'LOGI000001';
const PAY = 'PAY0000001';
const WAREHOUSE = 'BC01';
const EMS = 'T5165W000001';

const money = (cents: number) => (cents / 100).toFixed(2);

/** One consumer order with its payment and waybill; `flaw` makes it wrong in one specific way. */
function consumerOrder(i: number, flaw: string | null) {
  const sku =
    flaw === 'unknown-goods'
      ? 'SKU-NOPE'
      : flaw === 'no-book-line'
        ? 'SKU4'
        : flaw === 'gcode'
          ? 'SKU5'
          : `SKU${(i % 3) + 1}`;
  const qty = flaw === 'book-stock' ? 2000 : flaw === 'half-unit' ? 1.5 : (i % 3) + 1;
  const priceCents = flaw === 'over-limit' ? 520000 : flaw === 'book-stock' ? 100 : 9900;
  const goodsCents = Math.round(qty * priceCents);
  const lineTotal = flaw === 'line-total' ? goodsCents + 100 : goodsCents;
  const goodsValue = flaw === 'goods-value' ? goodsCents + 500 : lineTotal;
  const freight = 1000;
  const tax = Math.round(goodsValue * 0.091);
  const paid = goodsValue + freight + tax + (flaw === 'actural-paid' ? 1 : 0);
  const orderNo = `SO${suffix}${String(i).padStart(4, '0')}`;
  const logisticsNo = `YT${suffix}${String(i).padStart(6, '0')}`;
  const buyer = { name: `买家${i}`, id: `11010119900101${String(1000 + i).padStart(4, '0')}` };
  const order = {
    tradeMode: '1210',
    warehouseCode: flaw === 'unknown-warehouse' ? 'NOPE' : WAREHOUSE,
    orderNo,
    ebpCode: EBP,
    ebpName: 'Demo Platform',
    ebcCode: EBC,
    ebcName: 'Demo Seller',
    goodsValue: money(goodsValue),
    freight: money(freight),
    discount: '0',
    taxTotal: money(tax),
    acturalPaid: money(paid),
    buyerRegNo: `u${i}`,
    buyerName: buyer.name,
    buyerTelephone: '13800000000',
    buyerIdNumber: buyer.id,
    payCode: PAY,
    payName: 'Demo Pay',
    payTransactionId: `PT${suffix}${i}`,
    consignee: buyer.name,
    consigneeTelephone: '13800000000',
    consigneeAddress: `上海市浦东新区${i}号`,
    lines: [
      {
        gnum: 1,
        itemNo: sku,
        itemName: `Item ${sku}`,
        unit: '011',
        qty: String(qty),
        price: money(priceCents),
        totalPrice: money(lineTotal),
      },
    ],
  };
  const payment = {
    payCode: PAY,
    payName: 'Demo Pay',
    payTransactionId: `PT${suffix}${i}`,
    orderNo: flaw === 'payment-order' ? `${orderNo}X` : orderNo,
    ebpCode: EBP,
    ebpName: 'Demo Platform',
    payerIdNumber: flaw === 'payer-id' ? '110101199001019999' : buyer.id,
    payerName: flaw === 'payer-name' || flaw === 'two-faults' ? '别人' : buyer.name,
    amountPaid: money(flaw === 'amount' || flaw === 'two-faults' ? paid - 100 : paid),
    payTime: '20261120100000',
  };
  const waybill = {
    logisticsCode: LOGI,
    logisticsName: 'Demo Express',
    logisticsNo,
    orderNo,
    // the parcel's gross weight: 300 g a unit (the goods master), as the scale will find it
    weight: (Math.max(1, Math.round(qty)) * 0.3).toFixed(3),
    consignee: flaw === 'consignee-name' ? '张三' : buyer.name,
    consigneeTelephone: flaw === 'consignee-phone' ? '13900000000' : '13800000000',
    consigneeAddress: flaw === 'consignee-address' ? '北京市' : `上海市浦东新区${i}号`,
  };
  return {
    order,
    payment: flaw === 'no-payment' ? null : payment,
    waybill: flaw === 'no-waybill' ? null : waybill,
    units: qty,
    sku,
  };
}

/** The 20 flawed orders and the specific reason each must be refused with. */
const FLAWS: Array<[string, string[]]> = [
  ['amount', ['AMOUNT_PAID']],
  ['payer-name', ['PAYER_NAME']],
  ['payer-id', ['PAYER_ID']],
  ['no-payment', ['PAYMENT_MISSING']],
  ['no-waybill', ['WAYBILL_MISSING']],
  ['consignee-name', ['CONSIGNEE_NAME']],
  ['consignee-phone', ['CONSIGNEE_PHONE']],
  ['consignee-address', ['CONSIGNEE_ADDRESS']],
  ['actural-paid', ['ACTURAL_PAID']],
  ['goods-value', ['GOODS_VALUE']],
  ['line-total', ['ORDER_LINE_TOTAL']],
  ['over-limit', ['ORDER_LIMIT']],
  ['payment-order', ['PAYMENT_ORDER_NO']],
  ['unknown-goods', ['UNKNOWN_GOODS']],
  ['half-unit', ['QTY_NOT_WHOLE_UNITS']],
  ['no-book-line', ['NO_BOOK_LINE']],
  ['gcode', ['GCODE_MISMATCH']],
  ['two-faults', ['AMOUNT_PAID', 'PAYER_NAME']],
  ['unknown-warehouse', ['UNKNOWN_WAREHOUSE']],
  ['book-stock', ['INSUFFICIENT_BOOK_STOCK']],
];

const orders = Array.from({ length: 200 }, (_, i) => consumerOrder(i, i < FLAWS.length ? FLAWS[i][0] : null));

beforeAll(async () => {
  app = await startTestServer(
    'customs',
    { CUSTOMS_OUTBOX_DIR: outbox, CUSTOMS_INBOX_DIR: inbox, CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], officer: ['customs'], staff: ['staff'] },
    { checkAnswers: true },
  );
  databaseUrl = app.databaseUrl;
  station = await packingStation(app.server, databaseUrl, 'PACK');
  authority = new CustomsAuthority({
    outbox,
    inbox,
    seed: 42,
    mix: { release: 8, inspect: 1, reject: 1 },
    // receipts duplicated and delivered out of order, as the single window does
    duplicateRate: 0.2,
    reorder: true,
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
}, 120_000);

afterAll(async () => {
  await authority?.stop();
  await station?.close();
  await app?.close();
});

describe('customs core scenario (issue 4)', () => {
  it('sets up master data and receives 1,000 bonded units on 3 book lines', async () => {
    const md = await api('POST', '/api/master-data', 'super', {
      enterprises: [
        { code: EBP, name: 'Demo Platform', roles: ['ebp'] },
        { code: EBC, name: 'Demo Seller', roles: ['ebc', 'owner'], creditClass: 'advanced' },
        { code: LOGI, name: 'Demo Express', roles: ['logistics'] },
        { code: PAY, name: 'Demo Pay', roles: ['pay'] },
        { code: '3105960001', name: 'Centre Operator', roles: ['iac', 'agent'] },
      ],
      warehouses: [
        {
          code: WAREHOUSE,
          name: 'Demo B-type centre',
          kind: 'bonded-centre',
          customsCode: '5165',
          loctNo: '5165W01',
          emsNo: EMS,
          operatorCode: '3105960001',
          zones: [
            { code: 'BZ', kind: 'bonded', locations: ['A-01', 'A-02', 'A-03'] },
            { code: 'INS', kind: 'inspection', locations: ['INS-01'] },
            { code: 'RET', kind: 'returns', locations: ['RET-01'] },
          ],
        },
        { code: 'CW01', name: 'Consolidation', kind: 'consolidation', customsCode: '5165', loctNo: '5165C01' },
      ],
      goods: [1, 2, 3, 4, 5].map((n) => ({
        ownerCode: EBC,
        sku: `SKU${n}`,
        gtin: `0690000000000${n}`,
        gcode: n === 5 ? '3304990099' : '3304990010',
        name: `Face cream ${n}`,
        model: '50ml',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 300,
      })),
      bookLines: [1, 2, 3, 5].map((n, i) => ({
        emsNo: EMS,
        putrecSeqno: i + 1,
        itemNo: `SKU${n}`,
        gcode: '3304990010',
        gname: `面霜 ${n}`,
        unit: '011',
      })),
    });
    expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
    const bad = await api('POST', '/api/master-data', 'super', { goods: [{ ownerCode: EBC, sku: 'X', gcode: '12' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');

    const entry = await api('POST', '/api/bonded/entries', 'staff', {
      warehouseCode: WAREHOUSE,
      docNo: `QD5165${suffix}`,
      ownerCode: EBC,
      lines: [
        { sku: 'SKU1', batch: 'B1', qty: 400, location: 'A-01' },
        { sku: 'SKU2', batch: 'B1', qty: 300, location: 'A-02' },
        { sku: 'SKU3', batch: 'B1', qty: 300, location: 'A-03' },
      ],
    });
    expect(entry.status).toBe(201);
    expect(entry.body.units).toBe(1000);
    const again = await api('POST', '/api/bonded/entries', 'staff', {
      warehouseCode: WAREHOUSE,
      docNo: `QD5165${suffix}`,
      ownerCode: EBC,
      lines: [{ sku: 'SKU1', batch: 'B1', qty: 400, location: 'A-01' }],
    });
    expect(again.status).toBe(409);
    const rec = await api('GET', `/api/customs/reconciliation?warehouseCode=${WAREHOUSE}`, 'officer');
    expect(rec.body.totals).toMatchObject({ bookUnits: 1000, shelfUnits: 1000, linesWithDifference: 0 });
  });

  it('imports 200 orders with payments and waybills in bulk, reporting progress', async () => {
    const started = await api('POST', '/api/customs/documents', 'super', {
      direction: 'import',
      orders: orders.map((o) => o.order),
      payments: orders.flatMap((o) => (o.payment ? [o.payment] : [])),
      waybills: orders.flatMap((o) => (o.waybill ? [o.waybill] : [])),
    });
    expect(started.status).toBe(202);
    const job = await waitFor(
      'the import to finish',
      async () => {
        const j = await api('GET', `/api/customs/imports/${started.body.id}`, 'super');
        return j.body.state === 'done' ? j.body : null;
      },
      30_000,
    );
    expect(job).toMatchObject({ total: started.body.total, processed: started.body.total, failed: 0 });
    // the same documents again change nothing; a garbled one is refused with its reason
    const again = await api('POST', '/api/customs/documents?wait=true', 'super', {
      direction: 'import',
      orders: [orders[50].order, { orderNo: 'broken' }],
    });
    expect(again.body).toMatchObject({ unchanged: 1, failed: 1 });
    expect(again.body.errors[0].message).toMatch(/order 2 .*ebpCode/);
  });

  it('declares the 180 good orders as CEB621 files and refuses each bad one with its specific reasons', async () => {
    const res = await api('POST', '/api/customs/declarations', 'super', { direction: 'import', all: true });
    expect(res, JSON.stringify(res.body)).toMatchObject({ status: 201 });
    expect(res.body.declared).toBe(180);
    expect(res.body.refused).toBe(20);
    const byOrder = new Map<string, any>(res.body.results.map((r: any) => [r.orderNo, r]));
    FLAWS.forEach(([flaw, codes], i) => {
      const r = byOrder.get(orders[i].order.orderNo);
      expect({ flaw, outcome: r.outcome }).toEqual({ flaw, outcome: 'refused' });
      expect({ flaw, codes: r.mismatches.map((m: any) => m.code).sort() }).toEqual({ flaw, codes: [...codes].sort() });
      for (const m of r.mismatches) expect(m.message).toContain(orders[i].order.orderNo);
    });
    const files = readdirSync(outbox).filter((f) => f.startsWith('CEB621_'));
    // the simulator may already have taken some into outbox/taken
    const taken = readdirSync(join(outbox, 'taken'), { withFileTypes: true }).filter((f) =>
      f.name.startsWith('CEB621_'),
    );
    expect(files.length + taken.length).toBe(180);
    const sample = readFileSync(taken.length ? join(outbox, 'taken', taken[0].name) : join(outbox, files[0]), 'utf8');
    expect(sample).toContain('xmlns:ceb="http://www.chinaport.gov.cn/ceb"');
    expect(sample).toContain(`<ceb:emsNo>${EMS}</ceb:emsNo>`);
    // declaring again changes nothing
    const again = await api('POST', '/api/customs/declarations', 'super', {
      direction: 'import',
      orders: [{ ebpCode: EBP, orderNo: orders[30].order.orderNo }],
    });
    expect(again.body.results[0].outcome).toBe('already-declared');
  });

  interface ListRow {
    cop_no: string;
    order_no: string;
    logistics_no: string;
    customs_status: number | null;
    state: string;
    units: number;
  }
  const declaredLists = () =>
    query<ListRow>(
      databaseUrl,
      `select cop_no, order_no, logistics_no, customs_status, state,
         (select coalesce(sum((x->>'units')::int), 0) from jsonb_array_elements(lines) x)::int as units
       from inventory_list where direction = 'import' and state in ('declared', 'rejected') order by cop_no`,
    );
  const expectedStatus = { release: 800, inspect: 500, reject: 100 } as Record<string, number>;
  let lists: ListRow[] = [];
  const released = () => lists.filter((l) => l.customs_status === 800);
  const reconciliation = async () =>
    (await api('GET', `/api/customs/reconciliation?warehouseCode=${WAREHOUSE}`, 'officer')).body;

  it('follows the customs receipts: each list ends where the simulator decided, the book is untouched until the gate', async () => {
    await authority.settle();
    lists = await waitFor(
      'every list to reach its final status',
      async () => {
        const rows = await declaredLists();
        return rows.every((r) => r.customs_status !== null && r.customs_status !== 120) ? rows : null;
      },
      60_000,
    );
    expect(lists).toHaveLength(180);
    for (const l of lists) {
      const outcome = authority.outcomeFor({ copNo: l.cop_no, orderNo: l.order_no, logisticsNo: l.logistics_no });
      expect({ copNo: l.cop_no, status: l.customs_status }).toEqual({
        copNo: l.cop_no,
        status: expectedStatus[outcome],
      });
    }
    const count = (status: number) => lists.filter((l) => l.customs_status === status).length;
    expect(count(800)).toBeGreaterThan(100);
    expect(count(500)).toBeGreaterThan(0);
    expect(count(100)).toBeGreaterThan(0);
    expect(lists.filter((l) => l.customs_status === 100).every((l) => l.state === 'rejected')).toBe(true);
    // a parcel's view says what to do
    const inspected = lists.find((l) => l.customs_status === 500)!;
    const view = await api('GET', `/api/customs/parcels/${inspected.logistics_no}`, 'staff');
    expect(view.body).toMatchObject({ customsStatus: 500, requiredAction: expect.any(String) });
    const rec = await reconciliation();
    expect(rec.totals).toMatchObject({ bookUnits: 1000, shelfUnits: 1000, linesWithDifference: 0 });
    const all = (await api('GET', `/api/customs/reconciliation?warehouseCode=${WAREHOUSE}&all=true`, 'officer')).body;
    expect(all.lines).toHaveLength(4);
    const applied = all.lines.reduce((s: number, l: any) => s + l.book.verificationApplied, 0);
    expect(applied).toBe(released().reduce((s, l) => s + l.units, 0));
  });

  it('packs parcels from the shelves (rejected ones refused), and the book still equals the shelf', async () => {
    for (const l of lists.filter((x) => x.customs_status !== 100)) {
      const res = await api('POST', `/api/parcels/${l.logistics_no}/pack`, 'staff', { readPoint: 'PACK-01' });
      expect(res, JSON.stringify(res.body)).toMatchObject({ status: 201 });
    }
    const rejected = lists.find((l) => l.customs_status === 100)!;
    const refused = await api('POST', `/api/parcels/${rejected.logistics_no}/pack`, 'staff', {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/rejected/);
    const twice = await api('POST', `/api/parcels/${released()[0].logistics_no}/pack`, 'staff', {});
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already packed/);
    // the packing station weighs and labels every released parcel: the gate asks for both
    for (const l of released()) {
      await station.weigh(l.units * 300 + 10);
      const weighed = await api('POST', '/api/floor/weighings', 'staff', {
        logisticsNo: l.logistics_no,
        stationId: station.stationId,
      });
      expect(weighed.body, JSON.stringify(weighed.body)).toMatchObject({ within: true, held: false });
      const label = await api('POST', `/api/floor/parcels/${l.logistics_no}/label`, 'staff', {
        stationId: station.stationId,
      });
      expect(label.body, JSON.stringify(label.body)).toMatchObject({ status: 'done' });
    }
    const rec = await reconciliation();
    expect(rec.totals).toMatchObject({ bookUnits: 1000, shelfUnits: 1000, linesWithDifference: 0 });
  });

  it('lets only released, unheld parcels through the gate, each refusal with its reason', async () => {
    const [held, ...rest] = released();
    // only customs places holds
    expect(
      (await api('POST', '/api/customs/holds', 'staff', { logisticsNo: held.logistics_no, reason: 'x-ray anomaly' }))
        .status,
    ).toBe(403);
    const hold = await api('POST', '/api/customs/holds', 'officer', {
      logisticsNo: held.logistics_no,
      reason: 'x-ray anomaly',
    });
    expect(hold, JSON.stringify(hold.body)).toMatchObject({ status: 201 });
    const heldGate = await api('POST', '/api/gate/passes', 'staff', {
      logisticsNo: held.logistics_no,
      readPoint: 'GATE-1',
    });
    expect(heldGate.status).toBe(409);
    expect(heldGate.body).toMatchObject({ code: 'GATE_REFUSED' });
    expect(heldGate.body.message).toMatch(/held by customs \(x-ray anomaly\)/);
    const heldView = await api('GET', '/api/customs/parcels?filter=held', 'officer');
    expect(heldView.body.items.map((i: any) => i.logisticsNo)).toEqual([held.logistics_no]);

    for (const l of lists) {
      const res = await api('POST', '/api/gate/passes', 'staff', { logisticsNo: l.logistics_no, readPoint: 'GATE-1' });
      if (l.customs_status === 800 && l !== held) {
        expect(res, JSON.stringify(res.body)).toMatchObject({ status: 201, body: { gatePassNo: expect.any(String) } });
      } else {
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('GATE_REFUSED');
        if (l.customs_status === 500)
          expect(res.body.message).toContain('under customs inspection (500): take it to the inspection area');
        if (l.customs_status === 100)
          expect(res.body.message).toMatch(/rejected by customs \(100\).*fix and re-declare/);
      }
    }
    // a blocked (never declared) parcel, an unknown one, and a second pass are refused too
    const blocked = await api('POST', '/api/gate/passes', 'staff', { logisticsNo: orders[0].waybill!.logisticsNo });
    expect(blocked.body.message).toMatch(/not declared to customs/);
    const unknown = await api('POST', '/api/gate/passes', 'staff', { logisticsNo: 'NO-SUCH-PARCEL' });
    expect(unknown.body.message).toMatch(/unknown.*exceptions desk/);
    const again = await api('POST', '/api/gate/passes', 'staff', { logisticsNo: rest[0].logistics_no });
    expect(again.body.message).toMatch(
      /already shipped at \d{4}-\d\d-\d\d \d\d:\d\d Asia\/Shanghai, on its own, gate pass GP/,
    );

    // lifting the hold lets it go
    expect(
      (await api('DELETE', `/api/customs/holds/${held.logistics_no}`, 'officer', { reason: 'checked: as declared' }))
        .status,
    ).toBe(200);
    expect((await api('POST', '/api/gate/passes', 'staff', { logisticsNo: held.logistics_no })).status).toBe(201);

    const shipped = released().reduce((s, l) => s + l.units, 0);
    const rec = await reconciliation();
    expect(rec.totals).toMatchObject({ bookUnits: 1000 - shipped, shelfUnits: 1000 - shipped, linesWithDifference: 0 });
    expect(rec.balanced).toBe(true);
    const history = await api('GET', `/api/customs/history/parcels/${held.logistics_no}`, 'officer');
    expect(history.body.events.map((e: any) => e.bizStep)).toEqual(
      expect.arrayContaining(['customs_receipt', 'packing', 'holding', 'departing']),
    );
    expect(history.body.receipts.map((r: any) => r.returnStatus)).toEqual(expect.arrayContaining([120, 800]));
    expect(history.body.movements.length).toBeGreaterThan(0);
  });

  it('takes a duplicated receipt, a late 120 after 800 and a garbled file without changing anything', async () => {
    const before = await query<{ n: string }>(databaseUrl, 'select count(*) as n from stock_movement');
    const done = join(inbox, 'done');
    const release = readdirSync(done).find((f) => {
      const xml = readFileSync(join(done, f), 'utf8');
      return f.startsWith('CEB622_') && xml.includes('<ceb:returnStatus>800</ceb:returnStatus>');
    })!;
    const xml800 = readFileSync(join(done, release), 'utf8');
    copyFileSync(join(done, release), join(inbox, `copy-${release}`));
    const late = xml800
      .replace('<ceb:returnStatus>800</ceb:returnStatus>', '<ceb:returnStatus>120</ceb:returnStatus>')
      .replace(/<ceb:returnTime>\d+<\/ceb:returnTime>/, '<ceb:returnTime>20200101000000000</ceb:returnTime>');
    writeFileSync(join(inbox, 'late-120.xml'), late);
    writeFileSync(join(inbox, 'garbled.xml'), '<ceb:CEB622Message><ceb:InventoryReturn><ceb:guid>');
    await waitFor('the inbox to be taken', () => readdirSync(inbox).filter((f) => f.endsWith('.xml')).length === 0);
    expect(readdirSync(join(inbox, 'error'))).toEqual(['garbled.xml', 'garbled.xml.error.txt']);
    expect(readFileSync(join(inbox, 'error', 'garbled.xml.error.txt'), 'utf8')).toMatch(/not readable XML/);
    const guid = /<ceb:guid>([^<]+)<\/ceb:guid>/.exec(xml800)![1];
    const [list] = await query<{ customs_status: number }>(
      databaseUrl,
      'select l.customs_status from inventory_list l join customs_message m on m.subject_id = l.id where m.guid = $1',
      [guid],
    );
    expect(list.customs_status).toBe(800);
    const late120 = await query<{ changed_status: boolean; ignored_because: string | null }>(
      databaseUrl,
      `select changed_status, ignored_because from customs_receipt where guid = $1 and return_time = '20200101000000000'`,
      [guid],
    );
    expect(late120).toEqual([{ changed_status: false, ignored_because: expect.stringMatching(/.+/) }]);
    const after = await query<{ n: string }>(databaseUrl, 'select count(*) as n from stock_movement');
    expect(after[0].n).toBe(before[0].n);
  });

  it('brings a returned unit back onto the book with a CEB625 return', async () => {
    const shipped = released()[1];
    const inside = lists.find((l) => l.customs_status === 500)!;
    const notOut = await api('POST', '/api/customs/returns', 'super', {
      logisticsNo: inside.logistics_no,
      reason: 'buyer changed mind',
    });
    expect(notOut.status).toBe(409);
    const ret = await api('POST', '/api/customs/returns', 'super', {
      logisticsNo: shipped.logistics_no,
      reason: 'buyer changed mind',
      lines: [{ gnum: 1, units: 1 }],
    });
    expect(ret, JSON.stringify(ret.body)).toMatchObject({ status: 201, body: { returnNo: expect.any(String) } });
    const early = await api('POST', `/api/customs/returns/${ret.body.returnNo}/receive`, 'staff', {
      location: 'RET-01',
    });
    if (early.status !== 201) expect(early.body.message).toMatch(/not approved by customs yet/);
    await authority.settle();
    await waitFor('customs to approve the return', async () => {
      const [r] = await query<{ status: number | null }>(
        databaseUrl,
        'select status from customs_return where cop_no = $1',
        [ret.body.returnNo],
      );
      // CEB626 approves with 399 (or 800)
      return r.status === 399 || r.status === 800;
    });
    const before = (await reconciliation()).totals.bookUnits;
    if (early.status !== 201) {
      const received = await api('POST', `/api/customs/returns/${ret.body.returnNo}/receive`, 'staff', {
        location: 'RET-01',
      });
      expect(received, JSON.stringify(received.body)).toMatchObject({ status: 201, body: { units: 1 } });
    }
    const rec = await reconciliation();
    expect(rec.totals.bookUnits).toBe(before + (early.status === 201 ? 0 : 1));
    expect(rec.totals).toMatchObject({ linesWithDifference: 0 });
    expect(rec.totals.bookUnits).toBe(rec.totals.shelfUnits);
    const again = await api('POST', `/api/customs/returns/${ret.body.returnNo}/receive`, 'staff', {
      location: 'RET-01',
    });
    expect(again.status).toBe(409);
  });

  it('ends a 9610 export month in a CEB701 summary whose CEB792 puts the declaration number on every list', async () => {
    const exportOrders = Array.from({ length: 12 }, (_, i) => ({
      tradeMode: '9610',
      warehouseCode: 'CW01',
      orderNo: `EO${suffix}${i}`,
      ebpCode: EBP,
      ebpName: 'Demo Platform',
      ebcCode: EBC,
      ebcName: 'Demo Seller',
      goodsValue: '198.00',
      freight: '0',
      country: '502',
      lines: [
        {
          gnum: 1,
          itemNo: 'SKU1',
          itemName: 'Face cream',
          unit: '011',
          qty: '2',
          price: '99.00',
          totalPrice: '198.00',
        },
      ],
    }));
    const waybills = exportOrders.map((o, i) => ({
      logisticsCode: LOGI,
      logisticsName: 'Demo Express',
      logisticsNo: `EX${suffix}${i}`,
      orderNo: o.orderNo,
      grossWeight: '0.7',
      trafMode: '5',
      pod: 'USLAX',
      ebcCode: EBC,
      ebcName: 'Demo Seller',
    }));
    const imported = await api('POST', '/api/customs/documents?wait=true', 'super', {
      direction: 'export',
      orders: exportOrders,
      waybills,
    });
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
    const declared = await api('POST', '/api/customs/declarations', 'super', { direction: 'export', all: true });
    expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 12, refused: 0 });
    await authority.settle();
    const exportLists = await waitFor('every export list to be answered', async () => {
      const rows = await query<{ cop_no: string; customs_status: number | null; invt_no: string | null }>(
        databaseUrl,
        `select cop_no, customs_status, invt_no from inventory_list where direction = 'export'`,
      );
      return rows.every((r) => r.customs_status !== null && r.customs_status !== 120) ? rows : null;
    });
    const releasedExports = exportLists.filter((l) => l.customs_status === 800);
    expect(releasedExports.length).toBeGreaterThan(0);
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const summary = await api('POST', '/api/customs/summaries', 'super', { month });
    expect(summary, JSON.stringify(summary.body)).toMatchObject({ status: 201 });
    expect(summary.body.summaries).toHaveLength(1);
    expect(summary.body.summaries[0].lists).toBe(releasedExports.length);
    const xml = readFileSync(
      [
        join(outbox, summary.body.summaries[0].fileName),
        join(outbox, 'taken', summary.body.summaries[0].fileName),
      ].find((f) => existsSync(f))!,
      'utf8',
    );
    expect(xml).toContain('<ceb:CEB701Message');
    expect(xml.match(/<ceb:SummaryApplyList>/g)).toHaveLength(releasedExports.length);
    await authority.settle();
    const result = await waitFor('the summary result (CEB792)', async () => {
      const s = await api('GET', `/api/customs/summaries/${summary.body.summaries[0].id}`, 'officer');
      return s.body.entryId ? s.body : null;
    });
    expect(result.entryId).toMatch(/^\d{18}$/);
    expect(result.status).toBe(800);
    expect(result.lists).toHaveLength(releasedExports.length);
    for (const l of result.lists) expect(l.entryId).toBe(result.entryId);
    // nothing left to summarise for that month
    const again = await api('POST', '/api/customs/summaries', 'super', { month });
    expect(again.body.summaries).toEqual([]);
  });

  it('declares a long batch in the background, its progress and refusals in a job', async () => {
    const base = {
      tradeMode: '9610',
      warehouseCode: 'CW01',
      ebpCode: EBP,
      ebpName: 'Demo Platform',
      ebcCode: EBC,
      ebcName: 'Demo Seller',
    };
    const line = {
      gnum: 1,
      itemNo: 'SKU1',
      itemName: 'Face cream',
      unit: '011',
      qty: '1',
      price: '99.00',
      totalPrice: '99.00',
    };
    const orders = [1, 2, 3].map((i) => ({
      ...base,
      orderNo: `BG${suffix}${i}`,
      goodsValue: '99.00',
      country: '502',
      lines: [line],
    }));
    // the third has no waybill: refused
    const waybills = [1, 2].map((i) => ({
      logisticsCode: LOGI,
      logisticsName: 'Demo Express',
      logisticsNo: `BGX${suffix}${i}`,
      orderNo: `BG${suffix}${i}`,
      grossWeight: '0.4',
      trafMode: '5',
      pod: 'USLAX',
      ebcCode: EBC,
      ebcName: 'Demo Seller',
    }));
    await api('POST', '/api/customs/documents?wait=true', 'super', { direction: 'export', orders, waybills });
    // its own three orders by name: 'all' would also take what an earlier step left undeclared
    const started = await api('POST', '/api/customs/declarations?wait=false', 'super', {
      direction: 'export',
      orders: orders.map((o) => ({ ebpCode: EBP, orderNo: o.orderNo })),
    });
    expect(started).toMatchObject({ status: 202, body: { total: 3, state: 'running' } });
    const job = await waitFor('the declaration run', async () => {
      const j = await api('GET', `/api/customs/imports/${started.body.id}`, 'super');
      return j.body.state === 'done' ? j.body : null;
    });
    expect(job).toMatchObject({ kind: 'export-declarations', total: 3, processed: 3, accepted: 2, failed: 1 });
    expect(job.errors).toEqual([
      { orderNo: `BG${suffix}3`, codes: ['WAYBILL_MISSING'], message: expect.stringContaining('no waybill') },
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { createTestDatabase, query, waitFor } from '../../test/support/services.js';
import { type ServerApp, startServer } from '../src/app.factory.js';
import { hashPassword } from '../src/platform/auth/password.js';
import { UsersRepository } from '../src/platform/auth/users.repository.js';
import { loadConfig } from '../src/platform/config/app-config.js';

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
let server: ServerApp;
let databaseUrl: string;
let authority: CustomsAuthority;
const tokens: Record<string, string> = {};

const EBP = 'PLAT000001';
const EBC = 'EBC0000001';
const LOGI = 'LOGI000001';
const PAY = 'PAY0000001';
const WAREHOUSE = 'BC01';
const EMS = 'T5165W000001';

async function api<T = any>(
  method: string,
  path: string,
  as: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const money = (cents: number) => (cents / 100).toFixed(2);

/** One consumer order with its payment and waybill; `flaw` makes it wrong in one specific way. */
function consumerOrder(i: number, flaw: string | null) {
  const sku = flaw === 'unknown-goods' ? 'SKU-NOPE' : flaw === 'no-book-line' ? 'SKU4' : flaw === 'gcode' ? 'SKU5' : `SKU${(i % 3) + 1}`;
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
    weight: '1.2',
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
  databaseUrl = await createTestDatabase(inject('pgAdminUrl'), 'wms_customs');
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    MQTT_URL: inject('mqttUrl'),
    MQTT_PROTOCOL_VERSION: String(inject('mqttProtocolVersion')),
    MQTT_SHARE_GROUP: `customs-${suffix}`,
    INSTANCE_ID: `customs-${suffix}`,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    CUSTOMS_OUTBOX_DIR: outbox,
    CUSTOMS_INBOX_DIR: inbox,
    CUSTOMS_POLL_MS: '100',
  });
  server = await startServer(config, { migrate: true });
  const users = server.app.get(UsersRepository);
  for (const [username, roles] of [
    ['super', ['supervisor']],
    ['officer', ['customs']],
    ['staff', ['staff']],
  ] as const) {
    await users.upsert({ username: `${username}-${suffix}`, displayName: username, roles: [...roles], passwordHash: await hashPassword('pw') });
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `${username}-${suffix}`, password: 'pw' }),
    });
    tokens[username] = ((await res.json()) as { accessToken: string }).accessToken;
  }
  authority = new CustomsAuthority({
    outbox,
    inbox,
    seed: 42,
    mix: { release: 8, inspect: 1, reject: 1 },
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
}, 120_000);

afterAll(async () => {
  await authority?.stop();
  await server?.close();
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
    const taken = readdirSync(join(outbox, 'taken'), { withFileTypes: true }).filter((f) => f.name.startsWith('CEB621_'));
    expect(files.length + taken.length).toBe(180);
    const sample = readFileSync(join(outbox, 'taken', taken[0]?.name ?? files[0]).replace('/taken/taken', '/taken'), 'utf8');
    expect(sample).toContain('xmlns:ceb="http://www.chinaport.gov.cn/ceb"');
    expect(sample).toContain(`<ceb:emsNo>${EMS}</ceb:emsNo>`);
    // declaring again changes nothing
    const again = await api('POST', '/api/customs/declarations', 'super', {
      direction: 'import',
      orders: [{ ebpCode: EBP, orderNo: orders[30].order.orderNo }],
    });
    expect(again.body.results[0].outcome).toBe('already-declared');
  });
});

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs } from '../../test/support/trade-docs.js';
import { readCebMessage } from '../src/modules/customs/messages/ceb-reader.js';

/**
 * Issue 14 points 2-5 on the real stack: legal units from the goods master reach the CEB621 file,
 * a 9610 direct-purchase import takes its transport from the waybill, a CEB603 its transport, POD
 * and statistics flag from the waybill and order, and a coded field outside its code list is
 * refused with the field named before any file is written. Every file written reads back.
 */
let app: TestServer;
const outbox = mkdtempSync(join(tmpdir(), 'wms-codes-out-'));
const inbox = mkdtempSync(join(tmpdir(), 'wms-codes-in-'));
const api = (method: string, path: string, body?: unknown) => app.api(method, path, 'super', body);
const EBC = 'CODES-EBC';
const files = () =>
  readdirSync(outbox)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => readFileSync(join(outbox, f), 'utf8'));
const fileOf = (orderNo: string) => files().find((x) => x.includes(`<ceb:orderNo>${orderNo}</ceb:orderNo>`));

beforeAll(async () => {
  app = await startTestServer(
    'codes',
    { CUSTOMS_OUTBOX_DIR: outbox, CUSTOMS_INBOX_DIR: inbox, CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'] },
    { checkAnswers: true },
  );
  const md = await api('POST', '/api/master-data', {
    enterprises: [
      { code: 'CODES-EBP', name: 'Platform', roles: ['ebp'] },
      { code: EBC, name: 'Seller', roles: ['ebc', 'owner'] },
      { code: 'CODES-LOGI', name: 'Express', roles: ['logistics'] },
      { code: 'CODES-PAY', name: 'Pay', roles: ['pay'] },
    ],
    warehouses: [
      { code: 'CODES-CW', name: 'Consolidation', kind: 'consolidation', customsCode: '2921', loctNo: '2921C9' },
    ],
    goods: [
      // milk powder in tins (122): legal unit 035 kg, 0.9 kg a tin
      {
        ownerCode: EBC,
        sku: 'MILK',
        gcode: '0402290000',
        name: '奶粉',
        unit: '122',
        declaredPrice: '99',
        country: '601',
        legalUnit: '035',
        legalQtyPerUnit: '0.9',
      },
      // the same goods with no legal unit: customs would reject unit1 = 122
      {
        ownerCode: EBC,
        sku: 'MILK-BARE',
        gcode: '0402290000',
        name: '奶粉',
        unit: '122',
        declaredPrice: '99',
        country: '601',
      },
      // T-shirts: 011 and a second legal unit 035
      {
        ownerCode: EBC,
        sku: 'TEE',
        gcode: '6109100000',
        name: 'T恤',
        unit: '011',
        declaredPrice: '99',
        country: '142',
        legalUnit2: '035',
        legalQty2PerUnit: '0.2',
      },
    ],
  });
  expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

function directImport(orderNo: string, sku: string, buyer: number, waybill: Record<string, string> = {}) {
  const d = consumerOrderDocs({
    warehouseCode: 'CODES-CW',
    ebpCode: 'CODES-EBP',
    ebcCode: EBC,
    payCode: 'CODES-PAY',
    logisticsCode: 'CODES-LOGI',
    orderNo,
    logisticsNo: `W${orderNo}`,
    sku,
    qty: 2,
    buyer,
  });
  d.order.tradeMode = '9610';
  d.order.lines[0].unit = sku === 'TEE' ? '011' : '122';
  return { ...d, waybill: { ...d.waybill, ...waybill } };
}

describe('customs codes and legal units on the real stack (issue 14)', () => {
  it('refuses goods whose legal units are not customs units, or whose second unit is the first', async () => {
    const bad = await api('POST', '/api/master-data', {
      goods: [
        {
          ownerCode: EBC,
          sku: 'B1',
          gcode: '0402290000',
          name: 'x',
          unit: '122',
          declaredPrice: '1',
          country: '601',
          legalUnit: 'kg',
          legalQtyPerUnit: '1',
        },
        {
          ownerCode: EBC,
          sku: 'B2',
          gcode: '0402290000',
          name: 'x',
          unit: '122',
          declaredPrice: '1',
          country: '601',
          legalUnit: '035',
        },
        {
          ownerCode: EBC,
          sku: 'B3',
          gcode: '6109100000',
          name: 'x',
          unit: '011',
          declaredPrice: '1',
          country: '142',
          legalUnit2: '011',
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/goods\.0\.legalUnit.*035 \(kg\)/s);
    expect(bad.body.message).toMatch(/goods\.1\.legalQtyPerUnit/);
    expect(bad.body.message).toMatch(/goods\.2\.legalUnit2/);
  });

  it('declares a 9610 direct-purchase import with legal quantities and the inbound transport, and refuses what customs would', async () => {
    const transport = { trafMode: '5', trafNo: 'CA988', voyageNo: 'CA988/20261124', billNo: '999-87654321' };
    const docs = [
      directImport('CI-MILK', 'MILK', 9001, transport),
      directImport('CI-TEE', 'TEE', 9002, transport),
      directImport('CI-BARE', 'MILK-BARE', 9003, transport),
      directImport('CI-NOTRAF', 'MILK', 9004, { billNo: '999-1' }),
    ];
    const imported = await api('POST', '/api/customs/documents?wait=true', {
      direction: 'import',
      orders: docs.map((d) => d.order),
      payments: docs.map((d) => d.payment),
      waybills: docs.map((d) => d.waybill),
    });
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
    const res = await api('POST', '/api/customs/declarations', {
      direction: 'import',
      orders: docs.map((d) => ({ ebpCode: 'CODES-EBP', orderNo: d.order.orderNo })),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const by = Object.fromEntries(
      (
        res.body.results as Array<{
          orderNo: string;
          outcome: string;
          mismatches?: Array<{ code: string; message: string }>;
        }>
      ).map((r) => [r.orderNo, r]),
    );
    expect(by['CI-MILK'].outcome).toBe('declared');
    expect(by['CI-TEE'].outcome).toBe('declared');
    expect(by['CI-BARE']).toMatchObject({ outcome: 'refused', mismatches: [{ code: 'LEGAL_UNIT_MISSING' }] });
    expect(by['CI-BARE'].mismatches?.[0].message).toMatch(/first legal unit is 035, not the declared unit 122/);
    expect(by['CI-NOTRAF'].mismatches?.map((m) => m.code)).toEqual(['WAYBILL_TRAF_MODE']);

    const milk = fileOf('CI-MILK');
    expect(milk).toBeDefined();
    expect(milk).toMatch(
      /<ceb:qty>2<\/ceb:qty>\s+<ceb:unit>122<\/ceb:unit>\s+<ceb:qty1>1\.8<\/ceb:qty1>\s+<ceb:unit1>035<\/ceb:unit1>/,
    );
    for (const f of [
      '<ceb:trafMode>5</ceb:trafMode>',
      '<ceb:trafNo>CA988</ceb:trafNo>',
      '<ceb:billNo>999-87654321</ceb:billNo>',
      '<ceb:packNo>1</ceb:packNo>',
      '<ceb:wrapType>2</ceb:wrapType>',
    ])
      expect(milk).toContain(f);
    expect(fileOf('CI-TEE')).toMatch(
      /<ceb:unit1>011<\/ceb:unit1>\s+<ceb:qty2>0\.4<\/ceb:qty2>\s+<ceb:unit2>035<\/ceb:unit2>/,
    );
    expect(fileOf('CI-BARE')).toBeUndefined();
  });

  it('declares CEB603 with transport, POD and statistics flag from the waybill and order; refuses CNY before a file is written', async () => {
    const order = (orderNo: string, extra: Record<string, unknown> = {}) => ({
      tradeMode: '9610',
      warehouseCode: 'CODES-CW',
      orderNo,
      ebpCode: 'CODES-EBP',
      ebpName: 'Platform',
      ebcCode: EBC,
      ebcName: 'Seller',
      goodsValue: '198.00',
      country: '502',
      lines: [
        { gnum: 1, itemNo: 'TEE', itemName: 'T-shirt', unit: '011', qty: '2', price: '99.00', totalPrice: '198.00' },
      ],
      ...extra,
    });
    const waybill = (orderNo: string, extra: Record<string, unknown> = {}) => ({
      logisticsCode: 'CODES-LOGI',
      logisticsName: 'Express',
      logisticsNo: `X${orderNo}`,
      orderNo,
      grossWeight: '0.6',
      ebcCode: EBC,
      ebcName: 'Seller',
      trafMode: '2',
      trafName: 'COSCO TAURUS',
      voyageNo: '051E',
      billNo: 'COSU6123456780',
      totalPackageNo: 'PLT-01',
      pod: 'USLAX',
      ...extra,
    });
    const orders = [order('CE-OK', { statisticsFlag: 'A' }), order('CE-CNY', { currency: 'CNY' }), order('CE-NOPOD')];
    const waybills = [waybill('CE-OK'), waybill('CE-CNY'), waybill('CE-NOPOD', { pod: undefined })];
    const imported = await api('POST', '/api/customs/documents?wait=true', { direction: 'export', orders, waybills });
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
    const res = await api('POST', '/api/customs/declarations', {
      direction: 'export',
      orders: orders.map((o) => ({ ebpCode: 'CODES-EBP', orderNo: o.orderNo })),
    });
    const by = Object.fromEntries(
      (
        res.body.results as Array<{
          orderNo: string;
          outcome: string;
          mismatches?: Array<{ code: string; field: string; message: string }>;
        }>
      ).map((r) => [r.orderNo, r]),
    );
    expect(by['CE-OK'].outcome, JSON.stringify(by['CE-OK'])).toBe('declared');
    expect(by['CE-CNY'].outcome).toBe('refused');
    expect(by['CE-CNY'].mismatches?.map((m) => m.field)).toEqual([
      'InventoryHead.fCurrency',
      'InventoryHead.iCurrency',
    ]);
    expect(by['CE-CNY'].mismatches?.[0].message).toMatch(/"CNY" is not in the customs currency code list.*142 \(CNY\)/);
    expect(by['CE-NOPOD'].mismatches?.map((m) => m.code)).toEqual(['WAYBILL_POD']);
    const ok = fileOf('CE-OK');
    for (const f of [
      '<ceb:statisticsFlag>A</ceb:statisticsFlag>',
      '<ceb:trafMode>2</ceb:trafMode>',
      '<ceb:trafName>COSCO TAURUS</ceb:trafName>',
      '<ceb:voyageNo>051E</ceb:voyageNo>',
      '<ceb:billNo>COSU6123456780</ceb:billNo>',
      '<ceb:totalPackageNo>PLT-01</ceb:totalPackageNo>',
      '<ceb:POD>USLAX</ceb:POD>',
    ])
      expect(ok).toContain(f);
    expect(fileOf('CE-CNY')).toBeUndefined();
  });

  it('wrote only files that read back under every field rule', () => {
    const written = files();
    expect(written.length).toBeGreaterThanOrEqual(3);
    for (const xml of written) expect(readCebMessage(xml), xml.slice(0, 300)).toMatchObject({ ok: true });
  });
});

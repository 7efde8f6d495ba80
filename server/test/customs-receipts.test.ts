import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority, type ListOutcome } from '../../hardware-sim/src/customs/customs-authority.js';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';

/**
 * Issue 14, points 1, 6, 7 and CEB701's month (8), on the real stack (real PostgreSQL, the server
 * in this process, the customs simulator on the real watched folders):
 * - cancels approved with 399 take effect and put the released units back to bonded; returns
 *   approved with 399 are received back onto the book;
 * - 120 -> 500 -> 501 -> 800 ends released (the book moves once); 899 after 800 keeps the gate
 *   open; every receipt delivered in reverse order, some twice;
 * - a -621041 followed by 120 and 800 is declared and released, and the next declaration run
 *   leaves it alone;
 * - a CEB900 format error marks its list "fix and re-declare" with the reason, for officers too;
 * - CEB701 takes a list in the month of its release, not of its closing 899.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-receipts-'));
chmodSync(dir, 0o755);
const outbox = join(dir, 'outbox');
const inbox = join(dir, 'inbox');
let app: TestServer;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
let authority: CustomsAuthority;

const EBP = 'PLAT000001';
const EBC = 'EBC0000014';
const LOGI = 'LOGI000001';
const PAY = 'PAY0000001';
const WAREHOUSE = 'BC14';
const EMS = 'T5165W000014';

/** The parcels of this test, by what customs does with each. */
const PARCELS: Record<string, ListOutcome> = {
  cancel: 'release',
  returned: 'release',
  detained: 'detain-release',
  closed: 'release-close',
  format: 'format-error',
  duplicate: 'error-release',
};
const logisticsNo = (name: string) => `RC${suffix}${name.toUpperCase()}`;
const orderNo = (name: string) => `RO${suffix}${name}`;

/** One consumer order (2 units of SKU1 at 99.00) with its payment and waybill. */
function consumerOrder(name: string, i: number) {
  const paid = '218.02';
  const buyer = { name: `买家${i}`, id: `11010119900101${String(2000 + i).padStart(4, '0')}` };
  return {
    order: {
      tradeMode: '1210',
      warehouseCode: WAREHOUSE,
      orderNo: orderNo(name),
      ebpCode: EBP,
      ebpName: 'Demo Platform',
      ebcCode: EBC,
      ebcName: 'Receipts Seller',
      goodsValue: '198.00',
      freight: '2.00',
      discount: '0',
      taxTotal: '18.02',
      acturalPaid: paid,
      buyerRegNo: `u${i}`,
      buyerName: buyer.name,
      buyerTelephone: '13800000000',
      buyerIdNumber: buyer.id,
      payCode: PAY,
      payName: 'Demo Pay',
      payTransactionId: `PT${suffix}${name}`,
      consignee: buyer.name,
      consigneeTelephone: '13800000000',
      consigneeAddress: `上海市浦东新区${i}号`,
      lines: [
        { gnum: 1, itemNo: 'SKU1', itemName: 'Item', unit: '011', qty: '2', price: '99.00', totalPrice: '198.00' },
      ],
    },
    payment: {
      payCode: PAY,
      payName: 'Demo Pay',
      payTransactionId: `PT${suffix}${name}`,
      orderNo: orderNo(name),
      ebpCode: EBP,
      ebpName: 'Demo Platform',
      payerIdNumber: buyer.id,
      payerName: buyer.name,
      amountPaid: paid,
      payTime: '20261120100000',
    },
    waybill: {
      logisticsCode: LOGI,
      logisticsName: 'Demo Express',
      logisticsNo: logisticsNo(name),
      orderNo: orderNo(name),
      weight: '0.600',
      consignee: buyer.name,
      consigneeTelephone: '13800000000',
      consigneeAddress: `上海市浦东新区${i}号`,
    },
  };
}

interface ListRow {
  id: string;
  cop_no: string;
  state: string;
  customs_status: number | null;
  customs_status_info: string | null;
  current_guid: string | null;
  released_time: string | null;
  declare_count: number;
}
const listOf = async (name: string) =>
  (
    await query<ListRow>(
      app.databaseUrl,
      `select id, cop_no, state, customs_status, customs_status_info, current_guid, released_time, declare_count
       from inventory_list where logistics_no = $1`,
      [logisticsNo(name)],
    )
  )[0];
/** Net book units of a parcel by customs state, from the ledger's movements. */
const bookOf = async (name: string) =>
  Object.fromEntries(
    (
      await query<{ customs_state: string; units: number }>(
        app.databaseUrl,
        `select customs_state, sum(qty)::int as units from stock_movement
         where ledger = 'book' and logistics_no = $1 and doc_type in ('inventory-list', 'cancel')
         group by customs_state order by customs_state`,
        [logisticsNo(name)],
      )
    ).map((r) => [r.customs_state, r.units]),
  );

function startAuthority(reorder: boolean) {
  authority = new CustomsAuthority({
    outbox,
    inbox,
    seed: 14,
    overrides: Object.fromEntries(Object.entries(PARCELS).map(([name, o]) => [logisticsNo(name), o])),
    // receipts of one declaration delivered last decision first, and some twice
    reorder,
    duplicateRate: 0.3,
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
}

beforeAll(async () => {
  app = await startTestServer(
    'receipts',
    { CUSTOMS_OUTBOX_DIR: outbox, CUSTOMS_INBOX_DIR: inbox, CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], officer: ['customs'], staff: ['staff'] },
    { checkAnswers: true },
  );
  startAuthority(true);
}, 120_000);

afterAll(async () => {
  await authority?.stop();
  await app?.close();
});

describe('customs receipts as customs sends them (issue 14)', () => {
  it('declares five import parcels, each answered its own way, delivered in reverse order', async () => {
    const md = await api('POST', '/api/master-data', 'super', {
      enterprises: [
        { code: EBP, name: 'Demo Platform', roles: ['ebp'] },
        { code: EBC, name: 'Receipts Seller', roles: ['ebc', 'owner'] },
        { code: LOGI, name: 'Demo Express', roles: ['logistics'] },
        { code: PAY, name: 'Demo Pay', roles: ['pay'] },
      ],
      warehouses: [
        {
          code: WAREHOUSE,
          name: 'Receipts centre',
          kind: 'bonded-centre',
          customsCode: '5165',
          loctNo: '5165W14',
          emsNo: EMS,
          gateRequiresWeighing: false,
          gateRequiresLabel: false,
          zones: [
            { code: 'BZ', kind: 'bonded', locations: ['A-01'] },
            { code: 'RET', kind: 'returns', locations: ['RET-01'] },
          ],
        },
        { code: 'CW14', name: 'Consolidation 14', kind: 'consolidation', customsCode: '5165', loctNo: '5165C14' },
      ],
      goods: [
        {
          ownerCode: EBC,
          sku: 'SKU1',
          gtin: '06900000000141',
          gcode: '3304990010',
          name: 'Face cream',
          model: '50ml',
          unit: '011',
          declaredPrice: '99.00',
          country: '116',
          grossGrams: 300,
        },
      ],
      bookLines: [{ emsNo: EMS, putrecSeqno: 1, itemNo: 'SKU1', gcode: '3304990010', gname: '面霜', unit: '011' }],
    });
    expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
    const entry = await api('POST', '/api/bonded/entries', 'staff', {
      warehouseCode: WAREHOUSE,
      docNo: `QD14${suffix}`,
      ownerCode: EBC,
      lines: [{ sku: 'SKU1', batch: 'B1', qty: 100, location: 'A-01' }],
    });
    expect(entry, JSON.stringify(entry.body)).toMatchObject({ status: 201 });
    const docs = Object.keys(PARCELS).map((name, i) => consumerOrder(name, i));
    const imported = await api('POST', '/api/customs/documents?wait=true', 'super', {
      direction: 'import',
      orders: docs.map((d) => d.order),
      payments: docs.map((d) => d.payment),
      waybills: docs.map((d) => d.waybill),
    });
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
    const declared = await api('POST', '/api/customs/declarations', 'super', {
      direction: 'import',
      // the duplicate is declared later, with receipts delivered in order
      orders: docs
        .filter((d) => d.order.orderNo !== orderNo('duplicate'))
        .map((d) => ({ ebpCode: EBP, orderNo: d.order.orderNo })),
    });
    expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 5, refused: 0 });
    await authority.settle();
    const settled = await waitFor('every list to reach its last status', async () => {
      const lists = await Promise.all(['cancel', 'returned', 'detained', 'closed', 'format'].map(listOf));
      return lists.every((l) => l.customs_status !== null && l.customs_status !== 120) ? lists : null;
    });
    expect(settled.map((l) => l.customs_status)).toEqual([800, 800, 800, 899, -900]);
  });

  it('ends 120 -> 500 -> 501 -> 800 released, the book moved once (it stayed detained before)', async () => {
    const list = await listOf('detained');
    expect(list).toMatchObject({
      state: 'declared',
      customs_status: 800,
      released_time: expect.stringMatching(/^\d{17}$/),
    });
    expect(await bookOf('detained')).toEqual({ bonded: -2, 'verification-applied': 2 });
    const view = await api('GET', `/api/customs/parcels/${logisticsNo('detained')}`, 'staff');
    expect(view.body).toMatchObject({ customsStatus: 800, requiredAction: 'none' });
  });

  it('keeps the gate open for 899 after 800: the release stands', async () => {
    const packed = await api('POST', `/api/parcels/${logisticsNo('closed')}/pack`, 'staff', { readPoint: 'PACK-01' });
    expect(packed, JSON.stringify(packed.body)).toMatchObject({ status: 201 });
    const gate = await api('POST', '/api/gate/passes', 'staff', {
      logisticsNo: logisticsNo('closed'),
      readPoint: 'G1',
    });
    expect(gate, JSON.stringify(gate.body)).toMatchObject({ status: 201, body: { gatePassNo: expect.any(String) } });
  });

  it('takes a cancel approved with 399: the list is cancelled and its released units are bonded again', async () => {
    const list = await listOf('cancel');
    expect(await bookOf('cancel')).toEqual({ bonded: -2, 'verification-applied': 2 });
    const cancel = await api('POST', `/api/customs/lists/${list.cop_no}/cancel`, 'super', {
      reason: 'buyer cancelled',
    });
    expect(cancel, JSON.stringify(cancel.body)).toMatchObject({ status: 201 });
    await authority.settle();
    const cancelled = await waitFor('the cancel to take effect', async () => {
      const l = await listOf('cancel');
      return l.state === 'cancelled' ? l : null;
    });
    expect(cancelled.customs_status).toBe(800);
    const [doc] = await query<{ status: number }>(
      app.databaseUrl,
      'select status from customs_cancel where cop_no = $1',
      [cancel.body.cancelNo],
    );
    expect(doc.status).toBe(399);
    expect(await bookOf('cancel')).toEqual({ bonded: 0, 'verification-applied': 0 });
    const gate = await api('POST', '/api/gate/passes', 'staff', {
      logisticsNo: logisticsNo('cancel'),
      readPoint: 'G1',
    });
    expect(gate.body.message).toMatch(/cancelled/);
  });

  it('takes a return approved with 399 and receives it back onto the book', async () => {
    const no = logisticsNo('returned');
    expect((await api('POST', `/api/parcels/${no}/pack`, 'staff', { readPoint: 'PACK-01' })).status).toBe(201);
    expect((await api('POST', '/api/gate/passes', 'staff', { logisticsNo: no, readPoint: 'G1' })).status).toBe(201);
    const ret = await api('POST', '/api/customs/returns', 'super', { logisticsNo: no, reason: 'buyer changed mind' });
    expect(ret, JSON.stringify(ret.body)).toMatchObject({ status: 201 });
    await authority.settle();
    await waitFor('customs to approve the return', async () => {
      const [r] = await query<{ status: number | null }>(
        app.databaseUrl,
        'select status from customs_return where cop_no = $1',
        [ret.body.returnNo],
      );
      return r.status === 399;
    });
    const received = await api('POST', `/api/customs/returns/${ret.body.returnNo}/receive`, 'staff', {
      location: 'RET-01',
    });
    expect(received, JSON.stringify(received.body)).toMatchObject({ status: 201, body: { units: 2 } });
  });

  it('marks a list whose message failed the format check (CEB900) "fix and re-declare", with the reason, for officers too', async () => {
    const list = await listOf('format');
    expect(list).toMatchObject({ state: 'rejected', customs_status: -900 });
    expect(list.customs_status_info).toMatch(/^CEB900 format error of CEB621 .*format check failed/);
    const view = await api('GET', `/api/customs/parcels/${logisticsNo('format')}`, 'officer');
    expect(view.body).toMatchObject({
      customsStatus: -900,
      requiredAction: 'fix-and-redeclare',
      gate: { allowed: false, reason: expect.stringContaining('refused the message format (CEB900)') },
    });
    const rejected = await api('GET', '/api/customs/parcels?filter=rejected', 'officer');
    expect(rejected.body.items.map((i: { logisticsNo: string }) => i.logisticsNo)).toContain(logisticsNo('format'));
    const history = await api('GET', `/api/customs/history/parcels/${logisticsNo('format')}`, 'officer');
    expect(history.body.receipts).toEqual([
      expect.objectContaining({ messageType: 'CEB900', returnStatus: -900, changedStatus: true }),
    ]);
  });

  it('after -621041 then 120 and 800 (in that order) the list is released, and the next declaration run leaves it alone', async () => {
    // a new simulator delivering in order: the error first
    await authority.stop();
    startAuthority(false);
    const d = consumerOrder('duplicate', 5);
    const declared = await api('POST', '/api/customs/declarations', 'super', {
      direction: 'import',
      orders: [{ ebpCode: EBP, orderNo: d.order.orderNo }],
    });
    expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 1 });
    await authority.settle();
    const released = await waitFor('the duplicate error to be superseded', async () => {
      const l = await listOf('duplicate');
      return l.customs_status === 800 ? l : null;
    });
    expect(released.state).toBe('declared');
    const receipts = await query<{ return_status: number; changed_status: boolean }>(
      app.databaseUrl,
      'select return_status, changed_status from customs_receipt where guid = $1 order by id',
      [released.current_guid],
    );
    expect(receipts.map((r) => r.return_status).filter((s, i, a) => a.indexOf(s) === i)).toEqual([-621041, 120, 800]);
    const run = await api('POST', '/api/customs/declarations', 'super', { direction: 'import', all: true });
    expect(run, JSON.stringify(run.body)).toMatchObject({ status: 201 });
    expect(run.body.results.map((r: { orderNo: string }) => r.orderNo)).not.toContain(d.order.orderNo);
    const after = await listOf('duplicate');
    expect(after).toMatchObject({ current_guid: released.current_guid, customs_status: 800, declare_count: 1 });
    // the CEB900 list is what that run declared again, under a new guid
    const format = await listOf('format');
    expect(format.declare_count).toBe(2);
  });

  it('summarises a 9610 list in the month of its release, not of its closing 899', async () => {
    const order = {
      tradeMode: '9610',
      warehouseCode: 'CW14',
      orderNo: `EO14${suffix}`,
      ebpCode: EBP,
      ebpName: 'Demo Platform',
      ebcCode: EBC,
      ebcName: 'Receipts Seller',
      goodsValue: '99.00',
      freight: '0',
      country: '502',
      lines: [
        { gnum: 1, itemNo: 'SKU1', itemName: 'Face cream', unit: '011', qty: '1', price: '99.00', totalPrice: '99.00' },
      ],
    };
    const waybill = {
      logisticsCode: LOGI,
      logisticsName: 'Demo Express',
      logisticsNo: `EX14${suffix}`,
      orderNo: order.orderNo,
      grossWeight: '0.4',
      ebcCode: EBC,
      ebcName: 'Receipts Seller',
      // an export list names how and where the parcel leaves (issue 14.5)
      trafMode: '5',
      pod: 'USLAX',
    };
    await authority.stop();
    const imported = await api('POST', '/api/customs/documents?wait=true', 'super', {
      direction: 'export',
      orders: [order],
      waybills: [waybill],
    });
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
    const declared = await api('POST', '/api/customs/declarations', 'super', {
      direction: 'export',
      orders: [{ ebpCode: EBP, orderNo: order.orderNo }],
    });
    expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 1 });
    const guid = declared.body.results[0].guid as string;
    // customs: accepted and released on 31 October, closed on 2 November (China time)
    const receipt = (status: number, time: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><ceb:CEB604Message guid="${randomUUID().toUpperCase()}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:InventoryReturn><ceb:guid>${guid}</ceb:guid><ceb:customsCode>5165</ceb:customsCode><ceb:copNo>x</ceb:copNo><ceb:invtNo>51652026E${String(Date.now()).slice(-9)}</ceb:invtNo><ceb:returnStatus>${status}</ceb:returnStatus><ceb:returnTime>${time}</ceb:returnTime><ceb:returnInfo>s${status}</ceb:returnInfo></ceb:InventoryReturn></ceb:CEB604Message>`;
    const state = async () =>
      (
        await query<{ customs_status: number | null; released_time: string | null }>(
          app.databaseUrl,
          'select customs_status, released_time from inventory_list where current_guid = $1',
          [guid],
        )
      )[0];
    // delivered closing first, then the release, then the acceptance, each once taken
    writeFileSync(join(inbox, `CEB604_${guid}_3.xml`), receipt(899, '20261102090000000'));
    expect(await waitFor('the 899', async () => ((await state()).customs_status === 899 ? state() : null))).toEqual({
      customs_status: 899,
      released_time: '20261102090000000',
    });
    writeFileSync(join(inbox, `CEB604_${guid}_2.xml`), receipt(800, '20261031235900000'));
    await waitFor('the 800', async () => (await state()).released_time === '20261031235900000');
    writeFileSync(join(inbox, `CEB604_${guid}_1.xml`), receipt(120, '20261031100000000'));
    await waitFor('the 120', async () => {
      const [r] = await query(
        app.databaseUrl,
        'select 1 from customs_receipt where guid = $1 and return_status = 120',
        [guid],
      );
      return Boolean(r);
    });
    expect(await state()).toEqual({ customs_status: 899, released_time: '20261031235900000' });
    const november = await api('POST', '/api/customs/summaries', 'super', { month: '2026-11', ebcCode: EBC });
    expect(november.body, JSON.stringify(november.body)).toMatchObject({ summaries: [] });
    const october = await api('POST', '/api/customs/summaries', 'super', { month: '2026-10', ebcCode: EBC });
    expect(october, JSON.stringify(october.body)).toMatchObject({ status: 201 });
    expect(october.body.summaries).toEqual([expect.objectContaining({ ebcCode: EBC, lists: 1 })]);
  });
});

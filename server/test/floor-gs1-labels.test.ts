import { randomUUID } from 'node:crypto';
import { buildSscc, gs1CheckDigit } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';

/**
 * GS1 logistic labels on the floor (issue 14 point 9), on the real stack: a pallet's content
 * barcode (02) GTIN of the contained items + (37) count + (3302) gross kg + (10) batch is received
 * and put away by its count, every element GS1 defines is kept with the scan, and a label GS1
 * would refuse is refused with GS1's reason.
 */
const suffix = randomUUID().slice(0, 8);
const WH = 'GS01';
const EMS = 'T5165W000091';
const OWNER = 'OWN0000091';
const STATION = `GS-${suffix}`;
const GS = '\u001d';
const body = '690000009001';
const gtin = `0${body}${gs1CheckDigit(body)}`;
const pallet = buildSscc({ extensionDigit: 1, companyPrefix: '6900000', serial: 91 });
/** The content barcode of a GS1 logistic label: (02) (37) (3302) (10), FNC1 after the count. */
const content = (count: number, grossKg10g: number, batch: string) =>
  `]C102${gtin}37${count}${GS}3302${String(grossKg10g).padStart(6, '0')}10${batch}`;
let app: TestServer;

async function scan(operation: string, code: string, extra: Record<string, unknown> = {}) {
  const res = await app.api('POST', '/api/floor/scans', 'staff', {
    scanId: randomUUID(),
    operation,
    warehouseCode: WH,
    stationId: STATION,
    code,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { outcome: 'ok' | 'refused'; message: string; next: string; detail?: unknown; scanId: string };
}

beforeAll(async () => {
  app = await startTestServer('gs1labels', {}, { super: ['supervisor'], staff: ['staff'] }, { checkAnswers: true });
  const md = await app.api('POST', '/api/master-data', 'super', {
    enterprises: [{ code: OWNER, name: 'GS1 Label Seller', roles: ['ebc', 'owner'] }],
    warehouses: [
      {
        code: WH,
        name: 'GS1 label centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W91',
        emsNo: EMS,
        zones: [
          { code: 'BZ', kind: 'bonded', locations: [{ code: 'DOCK-1', purpose: 'dock' }, 'S-01'] },
          { code: 'QT', kind: 'quarantine', locations: ['QT-01'] },
        ],
      },
    ],
    goods: [
      {
        ownerCode: OWNER,
        sku: 'GS-SERUM',
        gtin,
        gcode: '3304990010',
        name: 'Serum in cases',
        model: '30ml',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 200,
      },
    ],
    bookLines: [{ emsNo: EMS, putrecSeqno: 1, itemNo: 'GS-SERUM', gcode: '3304990010', gname: '精华', unit: '011' }],
  });
  expect(md, JSON.stringify(md.body)).toMatchObject({ status: 201 });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('GS1 logistic labels on the floor (issue 14 point 9)', () => {
  it('receives a pallet by its (02)(37)(3302)(10) label: the count of contained items, the gross weight kept', async () => {
    const delivery = await app.api('POST', '/api/floor/deliveries', 'super', {
      warehouseCode: WH,
      deliveryNo: `GS${suffix}`,
      ownerCode: OWNER,
      entryDocNo: `QD${suffix}`,
      dockLocation: 'DOCK-1',
      lines: [{ sku: 'GS-SERUM', qty: 48 }],
    });
    expect(delivery, JSON.stringify(delivery.body)).toMatchObject({ status: 201 });
    const receive = (code: string) => scan('receive', code, { deliveryNo: `GS${suffix}` });

    expect(await receive(`]C100${pallet}`)).toMatchObject({ outcome: 'ok', message: `pallet ${pallet}` });
    const first = await receive(content(24, 1234, 'LOT-24'));
    expect(first).toMatchObject({
      outcome: 'ok',
      message: 'GS-SERUM: 24 of 48',
      detail: {
        batch: 'LOT-24',
        qty: 24,
        pallet,
        gs1: {
          contentGtin: gtin,
          grossWeightGrams: 12_340,
          labelSscc: 'not-scanned',
          elements: [
            { ai: '02', value: gtin, title: 'CONTENT' },
            { ai: '37', value: '24', title: 'COUNT' },
            { ai: '3302', value: '001234', title: 'GROSS WEIGHT (kg)' },
            { ai: '10', value: 'LOT-24', title: 'BATCH/LOT' },
          ],
          measures: [{ ai: '3302', amount: '12.34' }],
        },
      },
    });
    // the printed form of the same label, typed in, counts the same
    expect(await receive(`(02) ${gtin} (37) 24 (3302) 001234 (10) LOT-24`)).toMatchObject({
      outcome: 'ok',
      message: 'GS-SERUM: 48 of 48',
    });
    // what the floor keeps of the scan: every element, in the stored answer
    const [stored] = await query<{ response: { detail: { gs1: { elements: Array<{ ai: string }> } } } }>(
      app.databaseUrl,
      'select response from floor_scan where scan_id = $1',
      [first.scanId],
    );
    expect(stored.response.detail.gs1.elements.map((e) => e.ai)).toEqual(['02', '37', '3302', '10']);

    // labels GS1 refuses are refused with GS1's reason, and count nothing
    expect(await receive(`]C102${gtin}10LOT-24`)).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('(02) CONTENT requires (37)'),
    });
    expect(await receive(`]C101${gtin}37${'24'}`)).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('(01) GTIN must not be used with (37) COUNT'),
    });
    expect(await receive(`]C102${gtin}37${'24'}${GS}3302${'00123'}`)).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('(3302) GROSS WEIGHT (kg)'),
    });

    const closed = await app.api('POST', `/api/floor/deliveries/GS${suffix}/close`, 'super');
    expect(closed, JSON.stringify(closed.body)).toMatchObject({ status: 200, body: { status: 'closed' } });
    expect(closed.body.report).toEqual([
      { sku: 'GS-SERUM', expected: 48, good: 48, damaged: 0, unexpected: 0, batchMismatch: 0, over: 0, short: 0 },
    ]);
  });

  it('puts a pallet away by its label count', async () => {
    expect(await scan('putaway', content(24, 1234, 'LOT-24'))).toMatchObject({
      outcome: 'ok',
      message: '24 × GS-SERUM batch LOT-24 from DOCK-1',
      detail: { gs1: { grossWeightGrams: 12_340 } },
    });
    expect(await scan('putaway', 'S-01')).toMatchObject({ outcome: 'ok', message: '24 × GS-SERUM put in S-01' });
    const shelf = await query<{ location: string; qty: string }>(
      app.databaseUrl,
      `select location, sum(qty) as qty from stock_movement where ledger = 'shelf' and warehouse_code = $1
       group by location having sum(qty) <> 0 order by location`,
      [WH],
    );
    expect(shelf.map((r) => `${r.location}:${r.qty}`)).toEqual(['DOCK-1:24', 'S-01:24']);
  });
});

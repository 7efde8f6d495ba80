import { expect } from 'vitest';
import { query } from '../../../test/support/services.js';
import type { TestServer } from '../../../test/support/test-server.js';
import { ReceiptsService } from '../../src/modules/customs/receipts/receipts.service.js';

/**
 * Real rows for the fuzzer's 9610 export chain routes (issue 14 point 8) at the consolidation
 * warehouse CW-FZ: a declared export list to report as arrived, a loading trip of a released and
 * arrived parcel for the master waybill, and a departed trip under an accepted master waybill for
 * the departure. Customs' receipts go in through the real receipt handling.
 */
export async function seedExportChain(app: TestServer, stationId: string) {
  const receipts = app.server.app.get(ReceiptsService);
  const n = (i: number) => `FZX${i}`;
  const receipt = (type: string, element: string, guid: string, status: number, extra = '') =>
    receipts.handleFile(
      `${type}_${guid}_${status}.xml`,
      `<ceb:${type}Message ${'xmlns:ceb="http://www.chinaport.gov.cn/ceb"'}><ceb:${element}><ceb:guid>${guid}</ceb:guid><ceb:returnStatus>${status}</ceb:returnStatus><ceb:returnTime>20261201100000</ceb:returnTime><ceb:returnInfo>fuzz</ceb:returnInfo>${extra}</ceb:${element}></ceb:${type}Message>`,
    );
  const md = await app.api('POST', '/api/master-data', 'admin', {
    enterprises: [{ code: 'FZX-LOGI', name: 'Fuzz express', roles: ['logistics'] }],
    warehouses: [
      {
        code: 'CW-FZ',
        name: 'Fuzz consolidation warehouse',
        kind: 'consolidation',
        country: 'CN',
        customsCode: '5165',
        loctNo: '5165C09',
        gateRequiresWeighing: false,
        gateRequiresLabel: false,
      },
    ],
  });
  expect(md.status).toBe(201);
  const orders = [1, 2, 3].map((i) => ({
    tradeMode: '9610',
    warehouseCode: 'CW-FZ',
    orderNo: `FZXO${i}`,
    ebpCode: 'F0',
    ebpName: 'Fuzz platform',
    ebcCode: 'F0',
    ebcName: 'Fuzz seller',
    goodsValue: '1.00',
    freight: '0',
    country: '502',
    lines: [
      { gnum: 1, itemNo: 'SKU1', itemName: 'Fuzz goods', unit: '011', qty: '1', price: '1.00', totalPrice: '1.00' },
    ],
  }));
  const waybills = orders.map((o, i) => ({
    logisticsCode: 'FZX-LOGI',
    logisticsName: 'Fuzz express',
    logisticsNo: n(i + 1),
    orderNo: o.orderNo,
    grossWeight: '0.5',
    ebcCode: 'F0',
    ebcName: 'Fuzz seller',
    // an export list names how and where the parcel leaves (issue 14.5)
    trafMode: '5',
    pod: 'USLAX',
  }));
  const docs = await app.api('POST', '/api/customs/documents?wait=true', 'supervisor', {
    direction: 'export',
    orders,
    waybills,
  });
  expect(docs.body, JSON.stringify(docs.body)).toMatchObject({ failed: 0 });
  const declared = await app.api('POST', '/api/customs/declarations', 'supervisor', {
    direction: 'export',
    orders: orders.map((o) => ({ ebpCode: 'F0', orderNo: o.orderNo })),
  });
  expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 3 });
  const lists = await query<{ logistics_no: string; current_guid: string }>(
    app.databaseUrl,
    `select logistics_no, current_guid from inventory_list where logistics_no = any($1) order by logistics_no`,
    [[n(2), n(3)]],
  );
  for (const [i, l] of lists.entries())
    await receipt('CEB604', 'InventoryReturn', l.current_guid, 800, `<ceb:invtNo>51652026E90000000${i}</ceb:invtNo>`);
  const arrival = await app.api('POST', '/api/export-chain/arrivals', 'staff', {
    warehouseCode: 'CW-FZ',
    logisticsNos: [n(2), n(3)],
  });
  expect(arrival.status, JSON.stringify(arrival.body)).toBe(201);
  await receipt('CEB508', 'ArrivalReturn', arrival.body.guid, 399);
  const scan = async (code: string, tripNo?: string) => {
    const res = await app.api('POST', '/api/floor/scans', 'staff', {
      scanId: crypto.randomUUID(),
      operation: 'load',
      warehouseCode: 'CW-FZ',
      stationId,
      code,
      ...(tripNo ? { tripNo } : {}),
    });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ outcome: 'ok' });
  };
  const tripOf = async (logisticsNo: string) => {
    const bag = (await app.api('POST', '/api/floor/units', 'staff', { warehouseCode: 'CW-FZ', kind: 'bag' })).body.sscc;
    await scan(`00${bag}`);
    await scan(logisticsNo);
    const tripNo = (await app.api('POST', '/api/floor/trips', 'staff', { warehouseCode: 'CW-FZ', plate: 'FZX1' })).body
      .tripNo as string;
    await scan(`00${bag}`, tripNo);
    return tripNo;
  };
  const waybillBody = { billNo: '784-FUZZ', trafMode: '5', trafName: 'FZ001' };
  const loadingTrip = await tripOf(n(2));
  const departedTrip = await tripOf(n(3));
  const waybill = await app.api('POST', `/api/export-chain/trips/${departedTrip}/master-waybill`, 'staff', waybillBody);
  expect(waybill.status, JSON.stringify(waybill.body)).toBe(201);
  await receipt('CEB608', 'WayBillReturn', waybill.body.guid, 399);
  const probe = await app.api('POST', `/api/floor/trips/${departedTrip}/depart`, 'staff', {
    vehicleTareKg: 1000,
    weighedGrossKg: 1000,
  });
  // a light load may be within the weighbridge tolerance of nothing: then the probe already left
  const departed =
    probe.status === 200
      ? probe
      : await app.api('POST', `/api/floor/trips/${departedTrip}/depart`, 'staff', {
          vehicleTareKg: 1000,
          weighedGrossKg: 1000 + probe.body.details.expectedKg,
        });
  expect(departed.status, JSON.stringify(departed.body)).toBe(200);
  return {
    bodies: {
      'POST /api/export-chain/arrivals': { warehouseCode: 'CW-FZ', logisticsNos: [n(1)] },
      'POST /api/export-chain/trips/{no}/master-waybill': waybillBody,
      'POST /api/export-chain/trips/{no}/departure': {},
    },
    known: [
      { prefix: '/api/export-chain/trips/{no}/master-waybill', values: { no: loadingTrip } },
      { prefix: '/api/export-chain/trips/{no}/departure', values: { no: departedTrip } },
    ],
  };
}

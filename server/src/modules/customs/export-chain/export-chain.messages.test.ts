import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { children, leafFields, parseXml } from '@wms/contracts';
import { describe, expect, it } from 'vitest';
import { parseCebReceipt } from '../messages/ceb-receipt-parser.js';
import { buildCebMessage, CebValidationError } from '../messages/ceb-writer.js';
import { arrivalReport, departureReport, kg, masterWaybill } from './export-chain.messages.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const envelope = { copCode: '3105960001', copName: 'Demo Operator', dxpId: 'DXPENT0000000001' };
const common = (n: string) => ({
  guid: `4F3A2B1C-0000-4000-8000-000000000${n}`,
  appType: '1',
  appTime: '20261201100000',
  appStatus: '2',
});
const site = { customsCode: '5165', loctNo: '5165C01', operatorCode: '3105960001', operatorName: 'Yiwu Consolidation' };
const carrier = { logisticsCode: 'LOGI000001', logisticsName: 'Demo Express' };
const voyage = { trafMode: '5', trafName: 'CA1051', voyageNo: '20261201', billNo: '784-12345675' };
const parcels = [
  { logisticsNo: 'EX0001', sscc: '106900000000000012', invtNo: '51652026E000000001', grossGrams: 700 },
  { logisticsNo: 'EX0002', sscc: '106900000000000012', invtNo: '51652026E000000002', grossGrams: 850 },
];

const samples = {
  CEB507: () =>
    buildCebMessage(
      'CEB507',
      (({ head, lines }) => ({ head: { ...common('507'), ...head }, lines }))(
        arrivalReport(
          { copNo: 'YD2026120100000001', site, carrier, trafMode: '4', domesticTrafNo: '浙G12345' },
          parcels,
        ),
      ),
      envelope,
    ),
  CEB607: () =>
    buildCebMessage(
      'CEB607',
      (({ head, lines }) => ({ head: { ...common('607'), ...head }, lines }))(
        masterWaybill(
          {
            copNo: 'ZF2026120100000002',
            site,
            carrier,
            agent: { code: '3105960001', name: 'Demo Operator' },
            voyage,
            plate: '浙G12345',
          },
          parcels,
        ),
      ),
      envelope,
    ),
  CEB509: () =>
    buildCebMessage(
      'CEB509',
      (({ head, lines }) => ({ head: { ...common('509'), ...head }, lines }))(
        departureReport(
          { copNo: 'LJ2026120100000003', customsCode: '5165', carrier, voyage, leaveTime: '20261201223000' },
          parcels,
        ),
      ),
      envelope,
    ),
};

describe('the 9610 export chain messages (CEB507, CEB607, CEB509)', () => {
  for (const [type, build] of Object.entries(samples))
    it(`writes ${type} as the kept sample (fixtures/${type}.xml)`, async () => {
      await expect(build().xml).toMatchFileSnapshot(fixture(`${type}.xml`));
    });

  it('reads the kept CEB507 sample back: head in the standard order, one line per parcel', () => {
    const root = parseXml(readFileSync(fixture('CEB507.xml'), 'utf8'));
    expect(root.name).toBe('CEB507Message');
    const arrival = children(root, 'Arrival')[0];
    const head = children(arrival, 'ArrivalHead')[0];
    expect(head.children.filter((c) => typeof c !== 'string').map((c) => (c as { name: string }).name)).toEqual([
      'guid',
      'appType',
      'appTime',
      'appStatus',
      'customsCode',
      'copNo',
      'operatorCode',
      'operatorName',
      'loctNo',
      'ieFlag',
      'trafMode',
      'domesticTrafNo',
      'logisticsCode',
      'logisticsName',
      'msgCount',
      'msgSeqNo',
    ]);
    expect(leafFields(head)).toMatchObject({ ieFlag: 'E', loctNo: '5165C01', domesticTrafNo: '浙G12345' });
    expect(children(arrival, 'ArrivalList').map(leafFields)).toEqual([
      { gnum: '1', logisticsNo: 'EX0001', totalPackageNo: '106900000000000012' },
      { gnum: '2', logisticsNo: 'EX0002', totalPackageNo: '106900000000000012' },
    ]);
  });

  it('reads the kept CEB607 sample back: the master waybill, its weight, and bag + waybill + list per parcel', () => {
    const root = parseXml(readFileSync(fixture('CEB607.xml'), 'utf8'));
    const waybill = children(root, 'WayBill')[0];
    expect(leafFields(children(waybill, 'WayBillHead')[0])).toMatchObject({
      billNo: '784-12345675',
      trafMode: '5',
      trafName: 'CA1051',
      voyageNo: '20261201',
      domesticTrafNo: '浙G12345',
      grossWeight: '1.55',
      agentCode: '3105960001',
      loctNo: '5165C01',
    });
    expect(children(waybill, 'WayBillList').map(leafFields)).toEqual([
      { gnum: '1', totalPackageNo: '106900000000000012', logisticsNo: 'EX0001', invtNo: '51652026E000000001' },
      { gnum: '2', totalPackageNo: '106900000000000012', logisticsNo: 'EX0002', invtNo: '51652026E000000002' },
    ]);
    expect(children(root, 'BaseTransfer')).toHaveLength(1);
  });

  it('reads the kept CEB509 sample back: flight, bill and leave time', () => {
    const root = parseXml(readFileSync(fixture('CEB509.xml'), 'utf8'));
    const departure = children(root, 'Departure')[0];
    expect(leafFields(children(departure, 'DepartureHead')[0])).toMatchObject({
      trafName: 'CA1051',
      billNo: '784-12345675',
      leaveTime: '20261201223000',
      msgCount: '1',
    });
    expect(children(departure, 'DepartureList').map(leafFields)[1]).toEqual({
      gnum: '2',
      totalPackageNo: '106900000000000012',
      logisticsNo: 'EX0002',
    });
  });

  it('refuses a master waybill without its bill, a line without its list number, a departure without flight', () => {
    const built = masterWaybill(
      { copNo: 'ZF1', site, carrier, agent: { code: 'A', name: 'B' }, voyage: { ...voyage, billNo: '' } },
      [{ logisticsNo: 'EX9', sscc: 'S', invtNo: null }],
    );
    try {
      buildCebMessage('CEB607', { head: { ...common('607'), ...built.head }, lines: built.lines }, envelope);
      expect.unreachable();
    } catch (error) {
      expect((error as CebValidationError).problems.map((p) => p.path)).toEqual([
        'WayBillHead.billNo',
        'WayBillList[1].invtNo',
      ]);
    }
    const departure = departureReport(
      { copNo: 'LJ1', customsCode: '5165', carrier, voyage: { ...voyage, trafName: '' }, leaveTime: '2026-12-01' },
      parcels,
    );
    expect(() =>
      buildCebMessage('CEB509', { head: { ...common('509'), ...departure.head }, lines: departure.lines }, envelope),
    ).toThrow(/DepartureHead.trafName: required[\s\S]*DepartureHead.leaveTime: must be YYYYMMDDhhmmss/);
    expect(() => buildCebMessage('CEB507', { head: common('507'), lines: [] }, envelope)).toThrow(
      /ArrivalList: at least 1 line required/,
    );
  });

  it('writes weights in kilograms from grams', () => {
    expect([kg(0), kg(1550), kg(10000), kg(1)]).toEqual(['0', '1.55', '10', '0.001']);
  });

  it.each([
    ['CEB508', 399, { operatorCode: '3105960001', billNo: '784-12345675', copNo: 'YD2026120100000001' }],
    ['CEB608', 120, { agentCode: '3105960001', billNo: '784-12345675', copNo: 'ZF2026120100000002' }],
    ['CEB510', -301012, { copNo: 'LJ2026120100000003', msgSeqNo: '1' }],
  ] as const)('reads the kept %s receipt sample', (type, status, fields) => {
    const parsed = parseCebReceipt(readFileSync(fixture(`${type}.xml`), 'utf8'));
    expect(parsed).toMatchObject({ ok: true, messageType: type, receipts: [{ returnStatus: status, fields }] });
  });
});

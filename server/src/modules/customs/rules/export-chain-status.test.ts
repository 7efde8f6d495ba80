import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrivalProblems,
  departureProblems,
  type ManifestReceipt,
  manifestStatus,
  masterWaybillProblems,
  receiptEffect,
} from './export-chain-status.js';

const r = (returnStatus: number, returnTime: string): ManifestReceipt => ({
  returnStatus,
  returnTime,
  returnInfo: `status ${returnStatus}`,
});
const end = (receipts: ManifestReceipt[]) => manifestStatus(receipts)?.status ?? null;

describe('arrival / waybill / departure receipts (CEB508, CEB608, CEB510)', () => {
  it('ends recorded after acceptance, whether customs records with 399 or 800', () => {
    expect(end([r(120, '20261201100000'), r(399, '20261201100500')])).toBe(399);
    expect(end([r(120, '20261201100000'), r(800, '20261201100500')])).toBe(800);
  });

  it('a late 120 never undoes a recorded report', () => {
    expect(end([r(399, '20261201100500'), r(120, '20261201100000')])).toBe(399);
    expect(end([r(399, '20261201100500'), r(120, '20261201110000')])).toBe(399);
  });

  it('a processing error is superseded by a later acceptance and never undoes one', () => {
    expect(end([r(-301010, '20261201100000'), r(120, '20261201100100')])).toBe(120);
    // an error receipt after the acceptance is noise: customs already has the report
    expect(end([r(120, '20261201100000'), r(-301010, '20261201100100')])).toBe(120);
    expect(end([r(4, '20261201100000'), r(120, '20261201100100'), r(399, '20261201100200')])).toBe(399);
  });

  it('a rejection stands against a later 120 but a later 399 supersedes it', () => {
    expect(end([r(100, '20261201100000'), r(120, '20261201100100')])).toBe(100);
    expect(end([r(120, '20261201100000'), r(100, '20261201100100')])).toBe(100);
    expect(end([r(100, '20261201100000'), r(399, '20261201100100')])).toBe(399);
  });

  it('compares second and millisecond precision times alike; unknown codes change nothing', () => {
    expect(end([r(120, '20261201100000500'), r(-1, '20261201100000')])).toBe(120);
    expect(end([r(777, '20261201100000')])).toBeNull();
    expect(end([])).toBeNull();
  });

  it('says whether a receipt moved the status and why not', () => {
    const before = manifestStatus([r(399, '20261201100500')]);
    const late = r(120, '20261201100000');
    expect(receiptEffect(before, manifestStatus([r(399, '20261201100500'), late]), late)).toMatchObject({
      changed: false,
      ignoredBecause: expect.stringContaining('399 stands'),
    });
    const first = r(120, '20261201100000');
    expect(receiptEffect(null, manifestStatus([first]), first)).toEqual({ changed: true, ignoredBecause: null });
    expect(receiptEffect(null, null, r(42, '20261201100000')).ignoredBecause).toBe('unknown returnStatus 42');
  });

  // Each scenario: the receipts customs sent, in customs time, and the end state expected.
  const scenarios: Array<[string, ManifestReceipt[], number]> = [
    ['accepted then recorded', [r(120, '20261201100000'), r(399, '20261201100100')], 399],
    ['recorded with 800', [r(120, '20261201100000'), r(800, '20261201100100')], 800],
    ['error then accepted', [r(-621041, '20261201100000'), r(120, '20261201100100')], 120],
    ['error, accepted, recorded', [r(-1, '20261201100000'), r(120, '20261201100100'), r(399, '20261201100200')], 399],
    ['accepted then rejected', [r(120, '20261201100000'), r(100, '20261201100100')], 100],
    [
      'rejected, noise 120, recorded',
      [r(100, '20261201100000'), r(120, '20261201100100'), r(399, '20261201100200')],
      399,
    ],
    ['sent, failed, accepted', [r(3, '20261201100000'), r(4, '20261201100100'), r(120, '20261201100200')], 120],
  ];
  for (const [name, receipts, expected] of scenarios)
    it(`any order and any duplicates give the same end state: ${name} -> ${expected}`, () => {
      expect(end(receipts)).toBe(expected);
      fc.assert(
        fc.property(
          fc.array(fc.nat({ max: receipts.length - 1 }), { maxLength: 6 }),
          fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
          (extra, noise) => {
            const delivered = [...receipts, ...extra.map((i) => receipts[i])]
              .map((x) => ({ x, k: noise.next().value }))
              .sort((a, b) => a.k - b.k)
              .map((p) => p.x);
            expect(end(delivered)).toBe(expected);
          },
        ),
        { numRuns: 200 },
      );
    });
});

describe('the export chain steps', () => {
  const list = { direction: 'export' as const, tradeMode: '9610', state: 'declared', warehouseCode: 'CW01' };
  it('reports on arrival only declared 9610 export parcels of this warehouse, once', () => {
    expect(
      arrivalProblems('CW01', [
        { logisticsNo: 'A', list, arrivedOn: null },
        { logisticsNo: 'A', list, arrivedOn: null },
        { logisticsNo: 'B', list: null, arrivedOn: null },
        { logisticsNo: 'C', list: { ...list, direction: 'import', tradeMode: '1210' }, arrivedOn: null },
        { logisticsNo: 'D', list: { ...list, warehouseCode: 'BC01' }, arrivedOn: null },
        { logisticsNo: 'E', list: { ...list, state: 'rejected' }, arrivedOn: null },
        { logisticsNo: 'F', list, arrivedOn: { copNo: 'YD1', status: 120 } },
        { logisticsNo: 'G', list, arrivedOn: { copNo: 'YD2', status: 100 } },
        { logisticsNo: 'H', list, arrivedOn: { copNo: 'YD3', status: -301010 } },
      ]),
    ).toEqual([
      'A: scanned twice in this arrival; report it once',
      'B: no export list names this waybill; declare its CEB603 list first',
      'C: is a import 1210 parcel; only 9610 export parcels are reported on arrival',
      'D: its list is for warehouse BC01, not CW01',
      'E: its list is rejected; fix and re-declare it before it is reported',
      'F: already reported as arrived on YD1',
    ]);
  });

  it('groups on a master waybill only released parcels whose arrival customs accepted', () => {
    const ok = { logisticsNo: 'A', sscc: 'S1', invtNo: '51652026E000000001', listStatus: 800, arrivalStatus: 399 };
    expect(masterWaybillProblems([ok, { ...ok, logisticsNo: 'A2', arrivalStatus: 120 }])).toEqual([]);
    expect(masterWaybillProblems([])).toEqual(['the trip carries no parcels: load bags or pallets onto it first']);
    expect(
      masterWaybillProblems([
        { ...ok, logisticsNo: 'B', arrivalStatus: undefined },
        { ...ok, logisticsNo: 'C', arrivalStatus: null },
        { ...ok, logisticsNo: 'D', arrivalStatus: 100 },
        { ...ok, logisticsNo: 'E', listStatus: 500 },
      ]),
    ).toEqual([
      'B (in S1): never reported as arrived (CEB507); scan it in first',
      'C (in S1): its arrival report is not answered yet; wait for customs to accept it or report it again',
      'D (in S1): its arrival report is at 100; wait for customs to accept it or report it again',
      'E (in S1): its list is not released (500); take it off',
    ]);
  });

  it('reports the departure only after the vehicle left under an accepted master waybill', () => {
    expect(departureProblems({ status: 'departed' }, { copNo: 'ZF1', status: 399 })).toEqual([]);
    expect(departureProblems({ status: 'loading' }, null)).toEqual([
      'the vehicle has not left yet: depart the trip first',
      'no master waybill (CEB607) was declared for this trip: declare it first',
    ]);
    expect(departureProblems({ status: 'departed' }, { copNo: 'ZF1', status: 100 })).toEqual([
      'the master waybill ZF1 is at 100: wait for customs to accept it',
    ]);
  });
});

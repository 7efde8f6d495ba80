import { describe, expect, it } from 'vitest';
import {
  applyReceipt,
  type CustomsReceipt,
  canPassGate,
  isRefused,
  type ListCustomsState,
  newListState,
  redeclare,
  releaseTime,
  requiredAction,
} from './customs-status.js';
import { standing } from './receipt-order.js';

const G = 'A1B2C3D4-0000-0000-0000-000000000001';
const r = (returnStatus: number, returnTime: string, guid = G): CustomsReceipt => ({
  guid,
  returnStatus,
  returnTime,
  returnInfo: `status ${returnStatus}`,
});
const applyAll = (receipts: CustomsReceipt[], state: ListCustomsState = newListState(G)) =>
  receipts.reduce((s, x) => applyReceipt(s, x).state, state);

/** xorshift32: deterministic, no Math.random. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

describe('customs status from receipts', () => {
  it('follows the normal path to release', () => {
    const state = applyAll([
      r(2, '20261125100000'),
      r(120, '20261125100100'),
      r(399, '20261125100500'),
      r(800, '20261125101000'),
    ]);
    expect(state.status).toBe(800);
    expect(canPassGate(state)).toEqual({
      allowed: true,
      reason: 'released by customs (800)',
      reasonZh: '海关已放行（800）',
    });
  });

  it('does not move a released list back when a late 120 arrives', () => {
    const released = applyAll([r(120, '20261125100100'), r(800, '20261125101000')]);
    const late = applyReceipt(released, r(120, '20261125100100123'));
    expect(late.changed).toBe(false);
    expect(late.ignoredBecause).toContain('status 800 stands');
    expect(late.state.status).toBe(800);
    expect(late.state.history).toHaveLength(3);
  });

  it('is idempotent: the same receipt twice is one change, kept once in the history', () => {
    const once = applyAll([r(120, '20261125100100')]);
    const twice = applyReceipt(once, r(120, '20261125100100'));
    expect(twice).toMatchObject({ changed: false, ignoredBecause: 'the same receipt was already applied' });
    expect(twice.state.history).toHaveLength(1);
  });

  it('inspection then release after inspection; a later detention beats the release, a later release the detention', () => {
    expect(applyAll([r(500, '20261125100000'), r(800, '20261125110000')]).status).toBe(800);
    const detained = applyAll([r(800, '20261125100000'), r(502, '20261125110000')]);
    expect(detained.status).toBe(502);
    expect(canPassGate(detained)).toEqual({
      allowed: false,
      reason: 'detained by anti-smuggling (502): hold it, cannot ship',
      reasonZh: '缉私扣留（502）：请扣留，不能出区',
    });
    expect(requiredAction(detained.status)).toBe('hold');
    // issue 14.6: 120 -> 500 -> 501 -> 800 (handed over, released after clearance) ends released,
    // whatever the order of delivery
    const handedOver = [
      r(120, '20261125100000'),
      r(500, '20261125101000'),
      r(501, '20261125110000'),
      r(800, '20261126090000'),
    ];
    expect(applyAll(handedOver).status).toBe(800);
    expect(applyAll([...handedOver].reverse()).status).toBe(800);
  });

  it('an inspection ending in a rejection asks to fix and re-declare (120 -> 500 -> 100)', () => {
    const state = applyAll([r(100, '20261125120000'), r(120, '20261125100000'), r(500, '20261125110000')]);
    expect(state.status).toBe(100);
    expect(requiredAction(state.status)).toBe('fix-and-redeclare');
  });

  it('a processing error is superseded by a later acceptance and release', () => {
    const state = applyAll([r(800, '20261125110000'), r(-621041, '20261125100000'), r(120, '20261125100500')]);
    expect(state.status).toBe(800);
    expect(isRefused(applyAll([r(-621041, '20261125100000')]).status)).toBe(true);
    expect(isRefused(state.status)).toBe(false);
  });

  it('899 after 800 keeps the gate open: the release stands', () => {
    const closed = applyAll([r(899, '20261201090000'), r(800, '20261125110000'), r(120, '20261125100000')]);
    expect(closed.status).toBe(899);
    expect(canPassGate(closed)).toEqual({
      allowed: true,
      reason: 'released by customs, declaration closed (899)',
      reasonZh: '海关已放行，清单已结关（899）',
    });
    expect(requiredAction(closed.status)).toBe('none');
  });

  it("keeps the release's own time for the CEB701 month, whatever the order of 800 and 899", () => {
    const fresh = { released_time: null, customs_status: null, customs_status_time: null };
    const oct = { returnStatus: 800, returnTime: '20261031235900000' };
    const nov = { returnStatus: 899, returnTime: '20261102090000' };
    // in order: 800 sets it, 899 keeps it
    expect(releaseTime(fresh, 800, true, oct)).toBe(oct.returnTime);
    const released = { released_time: oct.returnTime, customs_status: 800, customs_status_time: oct.returnTime };
    expect(releaseTime(released, 899, true, nov)).toBe(oct.returnTime);
    // 899 first stands in, then the 800 behind it replaces it
    expect(releaseTime(fresh, 899, true, nov)).toBe(nov.returnTime);
    const closed = { released_time: nov.returnTime, customs_status: 899, customs_status_time: nov.returnTime };
    expect(releaseTime(closed, 899, false, oct)).toBe(oct.returnTime);
    // a detention keeps the time; a release after it moves it to that release
    expect(releaseTime(released, 501, true, { returnStatus: 501, returnTime: '20261101000000' })).toBe(oct.returnTime);
    expect(releaseTime(released, 800, true, { returnStatus: 800, returnTime: '20261105000000' })).toBe(
      '20261105000000',
    );
    // a late 120 changes nothing
    expect(releaseTime(released, 800, false, { returnStatus: 120, returnTime: '20261201000000' })).toBe(oct.returnTime);
  });

  it('a CEB900 format error tells the worker to fix and re-declare', () => {
    expect(canPassGate({ status: -900, statusInfo: 'CEB900: orderNo too long' })).toEqual({
      allowed: false,
      reason: 'the single window refused the message format (CEB900) (CEB900: orderNo too long): fix and re-declare',
      reasonZh: '报文格式校验未通过（CEB900）（CEB900: orderNo too long）：请修改后重新申报',
    });
    expect(requiredAction(-900)).toBe('fix-and-redeclare');
  });

  it('refuses every unreleased status at the gate with a reason and an action', () => {
    expect(canPassGate({ status: 500, statusInfo: null }).reason).toBe(
      'under customs inspection (500): take it to the inspection area',
    );
    expect(requiredAction(500)).toBe('route-to-inspection');
    expect(canPassGate({ status: 100, statusInfo: 'tax id missing' }).reason).toBe(
      'rejected by customs (100) (tax id missing): fix and re-declare; cannot ship',
    );
    expect(canPassGate({ status: 120, statusInfo: null }).reason).toBe(
      'accepted, waiting for customs (120): not released yet, cannot ship',
    );
    expect(canPassGate({ status: -301, statusInfo: 'bad xml' }).allowed).toBe(false);
    expect(canPassGate({ status: null, statusInfo: null }).allowed).toBe(false);
  });

  it('after a rejection, a new declaration starts fresh; old receipts stay in the history only', () => {
    const rejected = applyAll([r(100, '20261125100000')]);
    const again = redeclare(rejected, 'NEW-GUID');
    const stray = applyReceipt(again, r(800, '20261125120000'));
    expect(stray.changed).toBe(false);
    expect(stray.state.status).toBeNull();
    const released = applyAll(
      [r(120, '20261125130000', 'NEW-GUID'), r(800, '20261125140000', 'NEW-GUID')],
      stray.state,
    );
    expect(released.status).toBe(800);
    expect(released.history).toHaveLength(4);
  });

  describe('properties over random receipt sequences (duplicated, reordered)', () => {
    const codes = [1, 2, 3, 4, -1, 100, 120, 300, 399, 500, 501, 502, 503, 599, 700, 800, 899];
    const runs = 2000;

    it('any order of the same receipts gives the same status; applying twice equals once', () => {
      const rand = prng(20261125);
      for (let run = 0; run < runs; run++) {
        const receipts = Array.from({ length: 1 + Math.floor(rand() * 8) }, () =>
          r(
            codes[Math.floor(rand() * codes.length)],
            `2026112510${String(Math.floor(rand() * 60)).padStart(2, '0')}00`,
          ),
        );
        const shuffled = [...receipts].sort(() => rand() - 0.5);
        const withDuplicates = [...shuffled, ...receipts.slice(0, Math.floor(rand() * receipts.length))];
        const a = applyAll(receipts);
        expect(applyAll(shuffled).status).toBe(a.status);
        expect(applyAll(withDuplicates).status).toBe(a.status);
        expect(applyAll([...receipts, ...receipts]).status).toBe(a.status);
      }
    });

    it('the gate opens only when the standing receipt is a release (800, or 899 after it): never for an unreleased list', () => {
      const rand = prng(7);
      for (let run = 0; run < runs; run++) {
        const receipts = Array.from({ length: 1 + Math.floor(rand() * 8) }, () =>
          r(codes[Math.floor(rand() * codes.length)], `20261125${String(100000 + Math.floor(rand() * 99999))}`),
        );
        const state = applyAll(receipts.sort(() => rand() - 0.5));
        const stands = standing('list', receipts);
        expect(canPassGate(state).allowed).toBe(stands !== null && [800, 899].includes(stands.returnStatus));
        expect(state.status).toBe(stands?.returnStatus ?? null);
      }
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { siteTime } from '../../platform/time/site-time.js';
import { shippedRefusal } from '../parcels/shipped.rules.js';
import {
  DEFAULT_GATE_SETTINGS,
  type FloorFacts,
  GATE_CHECKS,
  type GateFacts,
  type GateSettings,
  gateDecision,
} from './gate.rules.js';

/** A parcel that may leave: released, unheld, packed, weighed within tolerance, labelled. */
const ready: GateFacts = {
  logistics_no: 'SF100',
  state: 'declared',
  direction: 'import',
  customs_status: 800,
  customs_status_info: null,
  hold_reason: null,
  held_by: null,
  gate_passed_at: null,
  gate_pass_no: null,
  packed_at: new Date('2026-12-01T02:00:00Z'),
};
const finished: FloorFacts = {
  weighings: 1,
  latestWeighing: { grossGrams: 1040, within: true, holdLiftedBy: null, holdLiftReason: null },
  labelPrinted: true,
  lastLabelStatus: 'done',
  tripNo: null,
};

const failing = (list: GateFacts, floor: FloorFacts, settings?: GateSettings) =>
  gateDecision(list, floor, settings)
    .checks.filter((c) => !c.ok)
    .map((c) => c.check);

describe('the gate rule (DOMAIN.md §4, §6, §8)', () => {
  it('lets a released, unheld, packed, weighed and labelled parcel pass, every check answered', () => {
    const d = gateDecision(ready, finished);
    expect(d).toMatchObject({ allowed: true, reason: 'released by customs (800)' });
    expect(d.checks.map((c) => [c.check, c.ok])).toEqual(GATE_CHECKS.map((c) => [c, true]));
  });

  it('refuses a parcel packed through the API but never weighed nor labelled, naming both', () => {
    const floor: FloorFacts = {
      ...finished,
      weighings: 0,
      latestWeighing: null,
      labelPrinted: false,
      lastLabelStatus: null,
    };
    const d = gateDecision(ready, floor);
    expect(d.allowed).toBe(false);
    expect(failing(ready, floor)).toEqual(['weighed', 'labelled']);
    expect(d.reason).toBe('parcel SF100 was never weighed: put it on the scale at a packing station');
    expect(d.reasonZh).toBe('包裹 SF100 尚未称重：请在打包台过秤');
    expect(d.checks.find((c) => c.check === 'labelled')).toMatchObject({
      reason: 'parcel SF100 has no label: print its label at the packing station',
      reasonZh: '包裹 SF100 没有面单：请在打包台打印面单',
    });
  });

  it('refuses a label that did not print, saying to fix the printer and reprint', () => {
    const d = gateDecision(ready, { ...finished, labelPrinted: false, lastLabelStatus: 'timeout' });
    expect(d.reason).toMatch(/its label did not print \(timeout\): check the printer and reprint/);
  });

  it('refuses a weighing out of tolerance until a re-weigh is accepted with its reason', () => {
    const off: FloorFacts = {
      ...finished,
      latestWeighing: { grossGrams: 520, within: false, holdLiftedBy: null, holdLiftReason: null },
    };
    expect(gateDecision(ready, off).reason).toBe(
      'parcel SF100 weighed 0.520 kg, out of tolerance: a supervisor re-weighs it and lifts the weight hold with the reason',
    );
    // a lift recorded on the only weighing (no re-weigh) is not enough
    const noReweigh: FloorFacts = {
      ...off,
      latestWeighing: { ...off.latestWeighing!, holdLiftedBy: 'lead', holdLiftReason: 'looks fine' },
    };
    expect(failing(ready, noReweigh)).toEqual(['weighed']);
    const accepted: FloorFacts = { ...noReweigh, weighings: 2 };
    const d = gateDecision(ready, accepted);
    expect(d.allowed).toBe(true);
    expect(d.checks.find((c) => c.check === 'weighed')?.reason).toBe(
      're-weighed 0.520 kg, accepted by lead: looks fine',
    );
  });

  it('shows a weight hold as the warehouse weight check, a customs hold as customs', () => {
    const weightHold = { ...ready, hold_reason: 'weight check: weighed 0.520 kg', held_by: 'weight-check' };
    expect(gateDecision(weightHold, finished).reason).toBe(
      'parcel SF100 is on a warehouse weight-check hold (weight check: weighed 0.520 kg): a supervisor re-weighs it and lifts the hold with the reason',
    );
    expect(gateDecision(weightHold, finished).reason).not.toMatch(/customs/);
    const customsHold = { ...ready, hold_reason: 'x-ray anomaly', held_by: 'officer1' };
    expect(gateDecision(customsHold, finished).reason).toBe(
      'parcel SF100 is held by customs (x-ray anomaly): keep it in the held area',
    );
    expect(gateDecision(customsHold, finished).reasonZh).toBe('包裹 SF100 被海关扣留（x-ray anomaly）：请放在扣留区');
  });

  it('refuses an unpacked import parcel; an export parcel arrives packed', () => {
    expect(gateDecision({ ...ready, packed_at: null }, finished).reason).toBe(
      'parcel SF100 is not packed yet: pack it first',
    );
    expect(gateDecision({ ...ready, packed_at: null, direction: 'export' }, finished).allowed).toBe(true);
  });

  it('refuses anything customs did not release (800), with the customs reason', () => {
    expect(gateDecision({ ...ready, customs_status: 500 }, finished).reason).toMatch(
      /under customs inspection \(500\)/,
    );
    expect(gateDecision({ ...ready, state: 'blocked', customs_status: null }, finished).reason).toMatch(
      /not declared to customs/,
    );
    expect(gateDecision({ ...ready, state: 'cancelled' }, finished).reason).toMatch(/cancelled/);
  });

  it('lets a site turn weighing and labelling off, and only those', () => {
    const bare: FloorFacts = {
      ...finished,
      weighings: 0,
      latestWeighing: null,
      labelPrinted: false,
      lastLabelStatus: null,
    };
    const overseas = { requireWeighing: false, requireLabel: false };
    expect(gateDecision(ready, bare, overseas).allowed).toBe(true);
    expect(failing(ready, bare, { requireWeighing: true, requireLabel: false })).toEqual(['weighed']);
    expect(failing(ready, bare, { requireWeighing: false, requireLabel: true })).toEqual(['labelled']);
    // the settings never open the gate to a held or unreleased parcel
    expect(gateDecision({ ...ready, hold_reason: 'x', held_by: 'o' }, bare, overseas).allowed).toBe(false);
    expect(gateDecision({ ...ready, customs_status: 120 }, bare, overseas).allowed).toBe(false);
  });

  it('refuses a parcel that already left, with the local time and the trip', () => {
    const out = { ...ready, gate_passed_at: new Date('2026-12-01T10:08:05Z'), gate_pass_no: 'GP2026120100000001' };
    expect(gateDecision(out, { ...finished, tripNo: 'TR2026120100000003' }).reason).toBe(
      'parcel SF100 already shipped at 2026-12-01 18:08 Asia/Shanghai, trip TR2026120100000003: nothing more is done to it here; set it aside and tell the supervisor',
    );
    expect(gateDecision(out, finished).reason).toMatch(/on its own, gate pass GP2026120100000001/);
  });

  const facts = fc.record({
    state: fc.constantFrom('draft', 'blocked', 'declared', 'rejected', 'cancelled' as const),
    direction: fc.constantFrom('import', 'export' as const),
    status: fc.constantFrom(null, 2, 100, 120, 399, 500, 501, 700, 800, 899, -1),
    held: fc.constantFrom(null, 'weight-check', 'officer'),
    passed: fc.boolean(),
    packed: fc.boolean(),
    weighings: fc.nat(3),
    within: fc.boolean(),
    liftReason: fc.constantFrom(null, 're-weighed, declared weight was wrong'),
    labelPrinted: fc.boolean(),
    requireWeighing: fc.boolean(),
    requireLabel: fc.boolean(),
  });

  it('property: it passes exactly when every check passes, and each required check is honoured', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const list: GateFacts = {
          ...ready,
          state: f.state as GateFacts['state'],
          direction: f.direction as GateFacts['direction'],
          customs_status: f.status,
          hold_reason: f.held ? 'some hold' : null,
          held_by: f.held,
          gate_passed_at: f.passed ? new Date(0) : null,
          packed_at: f.packed ? new Date(0) : null,
        };
        const floor: FloorFacts = {
          weighings: f.weighings,
          latestWeighing: f.weighings
            ? { grossGrams: 900, within: f.within, holdLiftedBy: 'lead', holdLiftReason: f.liftReason }
            : null,
          labelPrinted: f.labelPrinted,
          lastLabelStatus: f.labelPrinted ? 'done' : null,
          tripNo: null,
        };
        const settings = { requireWeighing: f.requireWeighing, requireLabel: f.requireLabel };
        const d = gateDecision(list, floor, settings);
        expect(d.checks.map((c) => c.check)).toEqual([...GATE_CHECKS]);
        expect(d.allowed).toBe(d.checks.every((c) => c.ok));
        for (const c of d.checks) expect(c.reason.length && c.reasonZh.length).toBeGreaterThan(0);
        if (!d.allowed) expect(d.reason).toBe(d.checks.find((c) => !c.ok)!.reason);
        if (d.allowed) {
          // released: 800, or 899 (closed after release, the release stands)
          expect([800, 899]).toContain(f.status);
          expect(['declared', 'rejected']).toContain(f.state);
          expect(f.held).toBeNull();
          expect(f.passed).toBe(false);
          if (f.direction === 'import') expect(f.packed).toBe(true);
          if (f.requireWeighing) {
            expect(f.weighings).toBeGreaterThan(0);
            // out of tolerance only when re-weighed and accepted with a reason
            if (!f.within) {
              expect(f.weighings).toBeGreaterThanOrEqual(2);
              expect(f.liftReason).not.toBeNull();
            }
          }
          if (f.requireLabel) expect(f.labelPrinted).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('defaults to weighing and labelling', () => {
    expect(DEFAULT_GATE_SETTINGS).toEqual({ requireWeighing: true, requireLabel: true });
  });
});

describe('the closed parcel (shipped.rules.ts)', () => {
  it('is open while inside and closed once past the gate, in the site time', () => {
    expect(shippedRefusal({ logisticsNo: 'SF1', gatePassedAt: null, gatePassNo: null }, null)).toBeNull();
    const r = shippedRefusal({ logisticsNo: 'SF1', gatePassedAt: '2026-12-31T16:30:00Z', gatePassNo: 'GP1' }, 'TR9');
    expect(r?.en).toMatch(/^parcel SF1 already shipped at 2027-01-01 00:30 Asia\/Shanghai, trip TR9/);
    expect(r?.zh).toMatch(/^包裹 SF1 已于 2027-01-01 00:30 Asia\/Shanghai 出区，车次 TR9/);
  });

  it('property: local time is the UTC instant moved by the zone offset', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (d) => {
        const shanghai = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
        expect(siteTime(d)).toBe(`${shanghai} Asia/Shanghai`);
        expect(siteTime(d, 'UTC')).toBe(`${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
      }),
    );
  });
});

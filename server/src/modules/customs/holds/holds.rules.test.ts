import { describe, expect, it } from 'vitest';
import { type HeldParcel, inspectionOutcome, mayHold, mayLift, mayRecordInspection } from './holds.rules.js';

const parcel = (over: Partial<HeldParcel> = {}): HeldParcel => ({
  logisticsNo: 'SF1',
  holdReason: null,
  heldBy: null,
  heldAt: null,
  gatePassedAt: null,
  customsStatus: 800,
  ...over,
});
const customsHeld = parcel({ holdReason: 'x-ray', heldBy: 'officer1', customsStatus: 500 });
const weightHeld = parcel({ holdReason: 'weight check: 1.2 kg over', heldBy: 'weight-check' });

describe('holds', () => {
  it('refuses a hold on a parcel that left, or one customs already holds', () => {
    expect(mayHold(parcel({ gatePassedAt: new Date() }), null)).toMatchObject({ ok: false, code: 'CUSTOMS_STATE' });
    expect(mayHold(customsHeld, 'Officer One')).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: expect.stringContaining('already held by Officer One (x-ray)'),
    });
    expect(mayHold(weightHeld, null)).toEqual({ ok: true });
    expect(mayHold(parcel(), null)).toEqual({ ok: true });
  });

  it('needs a reason for every lift, and a customs officer for a customs hold', () => {
    expect(mayLift(parcel(), true, 'ok')).toMatchObject({ ok: false, code: 'CUSTOMS_STATE' });
    expect(mayLift(customsHeld, false, 'checked')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(mayLift(customsHeld, true, undefined)).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('say why the customs hold of parcel SF1 is lifted'),
    });
    expect(mayLift(customsHeld, true, '  ')).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(mayLift(weightHeld, false, undefined)).toMatchObject({
      message: expect.stringContaining('say why the weight-check hold'),
    });
    expect(mayLift(customsHeld, true, 'checked')).toEqual({ ok: true });
    expect(mayLift(weightHeld, false, 're-weighed')).toEqual({ ok: true });
  });
});

describe('inspection results', () => {
  it('are recorded for a parcel under inspection (500) or held by customs, still inside', () => {
    expect(mayRecordInspection(parcel({ customsStatus: 500 }))).toEqual({ ok: true });
    expect(mayRecordInspection(parcel({ customsStatus: 800, holdReason: 'x', heldBy: 'o' }))).toEqual({ ok: true });
    expect(mayRecordInspection(parcel({ customsStatus: 800 }))).toMatchObject({ ok: false, code: 'CUSTOMS_STATE' });
    expect(mayRecordInspection(weightHeld)).toMatchObject({ ok: false });
    expect(mayRecordInspection(parcel({ customsStatus: 500, gatePassedAt: new Date() }))).toMatchObject({ ok: false });
  });

  it('a discrepancy holds the parcel for customs; found as declared never releases it', () => {
    const inspected = parcel({ customsStatus: 500 });
    expect(inspectionOutcome(inspected, 'discrepancy', '15 found, 12 declared')).toMatchObject({
      holdReason: 'inspection discrepancy: 15 found, 12 declared',
    });
    // already held by customs: the hold stays as it is
    expect(inspectionOutcome(customsHeld, 'discrepancy', 'x')).toMatchObject({ holdReason: null });
    const asDeclared = inspectionOutcome(inspected, 'as-declared', '');
    expect(asDeclared.holdReason).toBeNull();
    expect(asDeclared.next).toMatch(/waits for the customs release receipt \(800\)/);
    expect(inspectionOutcome(customsHeld, 'as-declared', '').next).toMatch(/customs hold stays/);
  });
});

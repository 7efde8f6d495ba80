import { describe, expect, it } from 'vitest';
import { weightVerdict } from './weight.rules.js';

describe('weight check', () => {
  const v = (gross: number, declared: number | null, expected: number | null) =>
    weightVerdict({
      grossGrams: gross,
      declaredGrams: declared,
      expectedGrams: expected,
      toleranceGrams: 50,
      tolerancePct: 5,
    });
  it('passes within the larger of the fixed and the relative tolerance, holds outside', () => {
    expect(v(1040, 1000, 1000)).toMatchObject({ within: true, toleranceGrams: 50 });
    expect(v(1060, 1000, 1000)).toMatchObject({ within: false, message: expect.stringContaining('declared 1.000 kg') });
    expect(v(10_400, 10_000, 10_000)).toMatchObject({ within: true, toleranceGrams: 500 });
    expect(v(1000, 1000, 1300)).toMatchObject({
      within: false,
      message: expect.stringContaining('should weigh about 1.300 kg'),
    });
    expect(v(1000, null, null)).toMatchObject({
      within: false,
      message: expect.stringContaining('nothing is declared'),
    });
  });
});

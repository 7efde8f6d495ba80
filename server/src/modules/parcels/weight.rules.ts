/** The weight check at the packing station (DOMAIN.md §6): the parcel on the scale against what it should weigh. */

export interface WeightVerdict {
  within: boolean;
  grossGrams: number;
  declaredGrams: number | null;
  expectedGrams: number | null;
  toleranceGrams: number;
  /** What the operator sees. */
  message: string;
}

/**
 * Weight check (DOMAIN.md §8): the scale's stable gross weight against the declared gross weight
 * (the list) and the weight expected from the goods master. Tolerance: the larger of a fixed
 * number of grams and a share of the declared weight.
 */
export function weightVerdict(input: {
  grossGrams: number;
  declaredGrams: number | null;
  expectedGrams: number | null;
  toleranceGrams: number;
  tolerancePct: number;
}): WeightVerdict {
  const reference = input.declaredGrams ?? input.expectedGrams;
  const toleranceGrams = Math.max(input.toleranceGrams, Math.round(((reference ?? 0) * input.tolerancePct) / 100));
  const off = (ref: number | null) => ref !== null && Math.abs(input.grossGrams - ref) > toleranceGrams;
  const kg = (g: number) => `${(g / 1000).toFixed(3)} kg`;
  const base = {
    grossGrams: input.grossGrams,
    declaredGrams: input.declaredGrams,
    expectedGrams: input.expectedGrams,
    toleranceGrams,
  };
  if (reference === null)
    return {
      ...base,
      within: false,
      message: `weighed ${kg(input.grossGrams)} but nothing is declared or expected to compare with: hold for review`,
    };
  if (off(input.declaredGrams))
    return {
      ...base,
      within: false,
      message: `weighed ${kg(input.grossGrams)}, declared ${kg(input.declaredGrams!)}: off by more than ${toleranceGrams} g, hold for review`,
    };
  if (off(input.expectedGrams))
    return {
      ...base,
      within: false,
      message: `weighed ${kg(input.grossGrams)}, the goods should weigh about ${kg(input.expectedGrams!)}: off by more than ${toleranceGrams} g, hold for review`,
    };
  return { ...base, within: true, message: `weight ${kg(input.grossGrams)} matches (tolerance ${toleranceGrams} g)` };
}

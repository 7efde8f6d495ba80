/**
 * Scale values as integer grams, from the digit string the scale sent: exact decimal arithmetic,
 * never floats. Pounds are converted with 1 lb = 453.59237 g (exact, international pound) and
 * rounded half away from zero to the gram.
 */
/** Grams per unit as an exact fraction [numerator, denominator]. */
export const GRAMS_PER_UNIT: Record<string, [bigint, bigint]> = {
  g: [1n, 1n],
  kg: [1000n, 1n],
  t: [1_000_000n, 1n],
  lb: [45_359_237n, 100_000n],
  oz: [28_349_523_125n, 1_000_000_000n],
};

export function toGrams(value: string, unit: string): number | null {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const sign = match[1] === '-' ? -1n : 1n;
  const whole = match[2] || '0';
  const fraction = match[3] ?? '';
  const scaled = BigInt(whole + fraction) * sign; // value * 10^fraction.length
  const scale = 10n ** BigInt(fraction.length);
  const factor = GRAMS_PER_UNIT[unit.toLowerCase()];
  if (!factor) return null;
  const numerator = scaled * factor[0];
  const denominator = scale * factor[1];
  const rounded = (2n * (numerator < 0n ? -numerator : numerator) + denominator) / (2n * denominator);
  return Number(numerator < 0n ? -rounded : rounded);
}

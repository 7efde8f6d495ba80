/**
 * Amounts in the customs messages are decimal strings; compare and add them exactly, never as
 * floats (STYLE.md). Values are held as bigint units of 10^-SCALE.
 */
export const SCALE = 5;
const FACTOR = 10n ** BigInt(SCALE);

export class MoneyFormatError extends Error {}

export function parseDecimal(text: string | number, field = 'amount'): bigint {
  const value = String(text).trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new MoneyFormatError(`${field} "${value}" is not a decimal number`);
  const fraction = match[3] ?? '';
  if (fraction.length > SCALE) throw new MoneyFormatError(`${field} "${value}" has more than ${SCALE} decimals`);
  const units = BigInt(match[2]) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return match[1] ? -units : units;
}

/** Units back to a decimal string with at least two decimals (1234500000 -> "12345.00"). */
export function formatDecimal(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / FACTOR;
  let fraction = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** qty × price, rounded half up to the scale. */
export function multiply(a: bigint, b: bigint): bigint {
  const product = a * b;
  return (product + (product >= 0n ? FACTOR / 2n : -FACTOR / 2n)) / FACTOR;
}

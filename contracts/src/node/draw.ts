import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) from a seed and a key: the same pair always gives the same number, and over
 * many keys the numbers are uniform. The customs simulator draws every outcome with it, and the
 * WMS's credit pre-selection draws the same way (contracts/src/credit.ts), so each rate is testable.
 */
export function unitDraw(seed: number, key: string): number {
  return createHash('sha256').update(`${seed}|${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

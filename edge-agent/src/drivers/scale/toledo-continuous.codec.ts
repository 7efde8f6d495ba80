/**
 * Mettler Toledo "standard continuous output" (DOMAIN.md §9): STX, status words A, B, C, six
 * digits of displayed weight, six digits of tare, CR, then a checksum byte: the two's complement
 * of the sum of the low 7 bits of every byte from STX to CR. Frames are found by STX, never CR.
 *
 * Status A bits 0-2: decimal point (0 = ×100, 1 = ×10, 2 = none, 3..7 = 1..5 decimals).
 * Status B: bit 0 net, bit 1 negative, bit 2 out of range (over/under), bit 3 motion,
 *           bit 4 kg (else lb), bit 6 power-up / zero not captured.
 * Status C bits 0-2: extended units when non-zero (1 = g, 2 = t, 3 = oz) — an assumption where
 *           indicator manuals differ; 0 means the lb/kg bit of status B decides.
 */
import { GRAMS_PER_UNIT } from './weight-units.js';

export type ToledoFrame =
  | {
      kind: 'reading';
      /** Displayed weight in grams (gross, or net when `net`). */
      grams: number;
      tareGrams: number;
      net: boolean;
      motion: boolean;
      outOfRange: boolean;
      powerUp: boolean;
      raw: Uint8Array;
    }
  | { kind: 'error'; code: 'CHECKSUM' | 'GARBLED'; detail: string; raw: Uint8Array };

const STX = 0x02;
const CR = 0x0d;
const BODY = 16; // STX + 3 status + 6 weight + 6 tare

export function toledoChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b & 0x7f;
  return -sum & 0x7f;
}

function scaledToGrams(digits: string, decimalCode: number, unit: string, negative: boolean): number | null {
  if (!/^[ 0-9]{6}$/.test(digits)) return null;
  const n = BigInt(digits.trim() || '0');
  // value = n * multiplier / divisor in `unit`
  const [multiplier, divisor] =
    decimalCode === 0 ? [100n, 1n] : decimalCode === 1 ? [10n, 1n] : [1n, 10n ** BigInt(decimalCode - 2)];
  const [perUnitNum, perUnitDen] = GRAMS_PER_UNIT[unit];
  const num = n * multiplier * perUnitNum;
  const den = divisor * perUnitDen;
  const grams = Number((2n * num + den) / (2n * den));
  return negative ? -grams : grams;
}

export class ToledoContinuousDecoder {
  private buffer: number[] = [];

  constructor(private readonly options: { checksum: boolean } = { checksum: true }) {}

  push(chunk: Uint8Array): ToledoFrame[] {
    const frames: ToledoFrame[] = [];
    for (const b of chunk) this.buffer.push(b);
    const frameLength = BODY + 1 + (this.options.checksum ? 1 : 0);
    for (;;) {
      const start = this.buffer.indexOf(STX);
      if (start === -1) {
        this.buffer = [];
        break;
      }
      if (start > 0) this.buffer.splice(0, start); // garbage before STX
      if (this.buffer.length < frameLength) break;
      const frame = Uint8Array.from(this.buffer.slice(0, frameLength));
      if (frame[BODY] !== CR) {
        frames.push({
          kind: 'error',
          code: 'GARBLED',
          detail: 'no CR where the frame should end; resynchronising on the next STX',
          raw: frame.slice(0, BODY + 1),
        });
        this.buffer.splice(0, 1);
        continue;
      }
      this.buffer.splice(0, frameLength);
      if (this.options.checksum) {
        const expected = toledoChecksum(frame.subarray(0, BODY + 1));
        if ((frame[BODY + 1] & 0x7f) !== expected) {
          frames.push({
            kind: 'error',
            code: 'CHECKSUM',
            detail: `checksum ${frame[BODY + 1] & 0x7f}, expected ${expected}`,
            raw: frame,
          });
          continue;
        }
      }
      frames.push(this.decode(frame));
    }
    return frames;
  }

  private decode(frame: Uint8Array): ToledoFrame {
    const [a, b, c] = [frame[1], frame[2], frame[3]];
    const decimalCode = a & 0x07;
    const extended = c & 0x07;
    const unit = extended === 1 ? 'g' : extended === 2 ? 't' : extended === 3 ? 'oz' : b & 0x10 ? 'kg' : 'lb';
    const text = Buffer.from(frame).toString('latin1');
    const grams = scaledToGrams(text.slice(4, 10), decimalCode, unit, (b & 0x02) !== 0);
    const tareGrams = scaledToGrams(text.slice(10, 16), decimalCode, unit, false);
    if (grams === null || tareGrams === null)
      return { kind: 'error', code: 'GARBLED', detail: 'weight or tare is not six digits', raw: frame };
    return {
      kind: 'reading',
      grams,
      tareGrams,
      net: (b & 0x01) !== 0,
      motion: (b & 0x08) !== 0,
      outOfRange: (b & 0x04) !== 0,
      powerUp: (b & 0x40) !== 0,
      raw: frame,
    };
  }
}

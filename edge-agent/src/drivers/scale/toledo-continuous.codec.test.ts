import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ToledoContinuousDecoder, toledoChecksum } from './toledo-continuous.codec.js';

// Built by hand from the frame layout, independently of the decoder.
function frame(
  statusA: number,
  statusB: number,
  statusC: number,
  weight: string,
  tare: string,
  goodChecksum = true,
): Buffer {
  const body = Buffer.concat([
    Buffer.from([0x02, statusA, statusB, statusC]),
    Buffer.from(weight + tare, 'ascii'),
    Buffer.from([0x0d]),
  ]);
  let sum = 0;
  for (const b of body) sum += b & 0x7f;
  const checksum = (128 - (sum % 128)) % 128;
  return Buffer.concat([body, Buffer.from([goodChecksum ? checksum : (checksum + 1) % 128])]);
}

const kgStable = 0b0011_0000; // bit 4 kg, bit 5 always 1
const kgMotion = kgStable | 0b1000;

describe('Toledo continuous output', () => {
  it('computes the checksum as the two’s complement of the 7-bit sum', () => {
    const f = frame(0x25, 0x30, 0x20, '012345', '000250');
    expect(toledoChecksum(f.subarray(0, 17))).toBe(f[17]);
  });

  it('reads a stable weight and tare in grams', () => {
    const [reading] = new ToledoContinuousDecoder().push(frame(0x25, kgStable, 0x20, '012345', '000250'));
    expect(reading).toMatchObject({
      kind: 'reading',
      grams: 12_345,
      tareGrams: 250,
      motion: false,
      outOfRange: false,
      net: false,
    });
  });

  it('reports motion, negative, out of range and net from status B', () => {
    const d = new ToledoContinuousDecoder();
    expect(d.push(frame(0x25, kgMotion, 0x20, '001000', '000000'))[0]).toMatchObject({ motion: true });
    expect(d.push(frame(0x25, kgStable | 0b10, 0x20, '000004', '000000'))[0]).toMatchObject({ grams: -4 });
    expect(d.push(frame(0x25, kgStable | 0b100, 0x20, '999999', '000000'))[0]).toMatchObject({ outOfRange: true });
    expect(d.push(frame(0x25, kgStable | 0b1, 0x20, '001000', '000200'))[0]).toMatchObject({ net: true, grams: 1000 });
  });

  it('converts pounds and other decimal positions', () => {
    const lbStable = 0b0010_0000;
    expect(new ToledoContinuousDecoder().push(frame(0x24, lbStable, 0x20, '000100', '000000'))[0]).toMatchObject({
      grams: 454,
    }); // 1.00 lb
    expect(new ToledoContinuousDecoder().push(frame(0x22, kgStable, 0x20, '000012', '000000'))[0]).toMatchObject({
      grams: 12_000,
    }); // 12 kg
  });

  it('finds frames after garbage, split at every byte, and rejects a bad checksum', () => {
    const stream = Buffer.concat([
      Buffer.from('\x0d\x0dzz', 'latin1'),
      frame(0x25, kgStable, 0x20, '000500', '000000', false),
      frame(0x25, kgStable, 0x20, '000700', '000000'),
    ]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new ToledoContinuousDecoder();
      const out = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(out.map((f) => (f.kind === 'reading' ? f.grams : f.code))).toEqual(['CHECKSUM', 700]);
    }
  });

  it('recovers every good frame mixed into random noise, wherever the port cuts the bytes', () => {
    // Noise without STX: a stray STX up to 17 bytes before a frame may, by the protocol itself,
    // open a pseudo-frame that ends on a byte of the real one (nothing in the format prevents it).
    const noise = fc.uint8Array({ maxLength: 40 }).map((n) => n.filter((b) => b !== 0x02));
    const weight = fc.integer({ min: 0, max: 999_999 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(noise, weight, weight), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 60 }),
        (parts, chunkSizes) => {
          const pad = (n: number) => String(n).padStart(6, '0');
          const stream = Buffer.concat(
            parts.flatMap(([n, w, t]) => [Buffer.from(n), frame(0x22, kgStable, 0x20, pad(w), pad(t))]),
          );
          const decoder = new ToledoContinuousDecoder();
          const out: ReturnType<ToledoContinuousDecoder['push']> = [];
          let at = 0;
          for (const size of chunkSizes) {
            out.push(...decoder.push(stream.subarray(at, at + size)));
            at += size;
          }
          out.push(...decoder.push(stream.subarray(at)));
          const readings = out.filter((f) => f.kind === 'reading').map((f) => [f.grams, f.tareGrams]);
          // status A 0x22: no decimals, kg (bit 4 of B)
          expect(readings).toEqual(parts.map(([, w, t]) => [w * 1000, t * 1000]));
        },
      ),
      { numRuns: 300 },
    );
  });
});

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

  it('never throws on noise', () => {
    const d = new ToledoContinuousDecoder();
    let seed = 3;
    for (let i = 0; i < 5000; i++) {
      const chunk = new Uint8Array(1 + (i % 23)).map(() => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return (seed >> 16) & 0xff;
      });
      expect(() => d.push(chunk)).not.toThrow();
    }
  });
});

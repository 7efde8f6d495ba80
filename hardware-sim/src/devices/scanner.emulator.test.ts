import { describe, expect, it } from 'vitest';
import { burst, encodeScan, garbage, splitEveryByte } from './scanner.emulator.js';

describe('scanner emulator', () => {
  it('puts the AIM prefix, the data with GS and the terminator on the wire', () => {
    expect(Buffer.from(encodeScan('0104006381333931\u001d10LOT', { aimPrefix: ']C1' })).toString('latin1')).toBe(
      ']C10104006381333931\u001d10LOT\r\n',
    );
    expect(Buffer.from(encodeScan('ABC', { terminator: 'CR' })).toString()).toBe('ABC\r');
  });

  it('splits into single bytes that join back to the frame', () => {
    const frame = encodeScan('XYZ');
    const parts = splitEveryByte(frame);
    expect(parts).toHaveLength(frame.length);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(frame));
  });

  it('makes the same noise for the same seed, without line terminators', () => {
    expect(garbage(64, 42)).toEqual(garbage(64, 42));
    expect(garbage(64, 42)).not.toEqual(garbage(64, 43));
    expect(garbage(10_000, 7).some((b) => b === 0x0d || b === 0x0a)).toBe(false);
  });

  it('a burst is the frames back to back', () => {
    expect(Buffer.from(burst(['A', 'B'])).toString()).toBe('A\r\nB\r\n');
  });
});

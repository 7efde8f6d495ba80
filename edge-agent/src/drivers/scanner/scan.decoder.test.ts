import { GS } from '@wms/contracts';
import { describe, expect, it } from 'vitest';
import { decodeScan } from './scan.decoder.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const now = new Date('2026-11-25T00:00:00Z');

describe('decodeScan', () => {
  it('strips the AIM prefix and parses GS1 data', () => {
    const decoded = decodeScan(bytes(`]C10104006381333931${'10'}ABC`), now);
    expect(decoded.symbology).toBe(']C1');
    expect(decoded.code).toBe('0104006381333931' + '10ABC');
    expect(decoded.gs1).toMatchObject({ ok: true, data: { gtin: '04006381333931', batch: 'ABC' } });
  });

  it('treats a leading FNC1 as GS1 without an AIM prefix', () => {
    expect(decodeScan(bytes(`${GS}00106141411234567897`), now)).toMatchObject({
      code: '00106141411234567897',
      symbology: null,
      gs1: { ok: true },
    });
  });

  it('leaves plain Code 128 / EAN codes plain, and flags a bad EAN check digit', () => {
    expect(decodeScan(bytes('PARCEL-12345'), now)).toEqual({ code: 'PARCEL-12345', symbology: null });
    expect(decodeScan(bytes(']E04006381333932'), now).checkDigitWarning).toContain('expected 1');
  });

  it('never throws on arbitrary bytes', () => {
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      const frame = new Uint8Array(1 + (i % 40)).map(() => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return (seed >> 16) & 0xff;
      });
      expect(() => decodeScan(frame, now)).not.toThrow();
    }
  });
});

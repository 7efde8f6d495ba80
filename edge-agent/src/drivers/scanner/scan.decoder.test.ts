import { GS } from '@wms/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineFramer } from './line.framer.js';
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

  it('recovers every good read mixed into random noise lines, and never throws on the noise', () => {
    const read = fc.oneof(
      fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,20}$/).map((code) => ({ wire: code, code, symbology: null })),
      fc.stringMatching(/^[0-9]{6,14}$/).map((code) => ({ wire: `]C0${code}`, code, symbology: ']C0' })),
      fc.stringMatching(/^[A-Z0-9]{1,8}$/).map((lot) => ({
        wire: `]C10104006381333931${GS}10${lot}`,
        code: `0104006381333931${GS}10${lot}`,
        symbology: ']C1',
      })),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 50 }), read), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 50 }),
        (parts, chunkSizes) => {
          const stream = Buffer.concat(
            parts.map(([noise, r]) => Buffer.concat([Buffer.from(noise), Buffer.from(`\r${r.wire}\r\n`, 'latin1')])),
          );
          const framer = new LineFramer();
          const frames = [];
          let at = 0;
          for (const size of chunkSizes) {
            frames.push(...framer.push(stream.subarray(at, at + size)));
            at += size;
          }
          frames.push(...framer.push(stream.subarray(at)));
          const decoded = frames.filter((f) => f.kind === 'line').map((f) => decodeScan(f.bytes, now));
          // every good read, in order, whole (a noise line may decode to anything: it is skipped over)
          let next = 0;
          for (const d of decoded) {
            const want = parts[next]?.[1];
            if (want && d.code === want.code && d.symbology === want.symbology) next++;
          }
          expect(next).toBe(parts.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('decodeScan refuses what is not a code (issue 14 point 9)', () => {
  it('refuses a frame with NUL or 0xFF with the reason, instead of passing it on as a plain code', () => {
    expect(decodeScan(bytes('AB\u0000CD'), now)).toEqual({
      code: '',
      symbology: null,
      refused: 'control byte 0x00 in a read',
    });
    expect(decodeScan(new Uint8Array([0x41, 0xff, 0x42]), now)).toEqual({
      code: '',
      symbology: null,
      refused: 'not valid text (UTF-8)',
    });
    expect(decodeScan(bytes(`]C1\u00000104006381333931`), now).refused).toBe('control byte 0x00 in a read');
    expect(decodeScan(new Uint8Array([0xff]), now).refused).toBe('not valid text (UTF-8)');
  });

  it('keeps GS (FNC1) and UTF-8 text', () => {
    expect(decodeScan(bytes(`]C10104006381333931${'10'}A${GS}21B`), now)).not.toHaveProperty('refused');
    expect(decodeScan(new Uint8Array(Buffer.from('货位-01', 'utf8')), now)).toEqual({
      code: '货位-01',
      symbology: null,
    });
  });

  it('any byte frame either decodes to a code free of control bytes or is refused, never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (frame) => {
        const d = decodeScan(frame, now);
        if (d.refused) expect(d.code).toBe('');
        // biome-ignore lint/suspicious/noControlCharactersInRegex: what a decoded code must not hold
        else expect(d.code).not.toMatch(/[\u0000-\u001c\u001e\u001f\u007f\ufffd]/);
      }),
      { numRuns: 500 },
    );
  });
});

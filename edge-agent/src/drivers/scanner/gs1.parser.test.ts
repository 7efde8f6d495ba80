import { describe, expect, it } from 'vitest';
import { decodeScan, GS, gs1CheckDigit, gs1Date, isValidGtin, isValidSscc, parseGs1 } from './gs1.parser.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const now = new Date('2026-11-25T00:00:00Z');

describe('GS1 check digits', () => {
  it('matches published examples', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1); // EAN-13 4006381333931
    expect(isValidGtin('04006381333931')).toBe(true);
    expect(isValidSscc('106141411234567897')).toBe(true); // GS1 General Specifications SSCC example
    expect(isValidSscc('106141411234567890')).toBe(false);
  });
});

describe('parseGs1', () => {
  it('reads fixed and variable fields with FNC1 separators', () => {
    const result = parseGs1(`0104006381333931${'17'}261231${'10'}LOT-7${GS}21SN123${GS}3103001250`, now);
    expect(result).toEqual({
      ok: true,
      data: expect.objectContaining({
        gtin: '04006381333931',
        expiry: '2026-12-31',
        batch: 'LOT-7',
        serial: 'SN123',
        netWeightGrams: 1250,
      }),
    });
  });

  it('reads an SSCC, counts, purchase order and postal code', () => {
    const result = parseGs1(`00106141411234567897${'02'}04006381333931${'37'}24${GS}400PO-99${GS}420200000`, now);
    expect(result.ok && result.data).toMatchObject({
      sscc: '106141411234567897',
      contentGtin: '04006381333931',
      count: 24,
      customerPo: 'PO-99',
      shipToPostalCode: '200000',
    });
  });

  it('expiry day 00 means the end of the month; centuries follow GS1 7.12', () => {
    expect(gs1Date('270200', now)).toBe('2027-02-28');
    expect(gs1Date('991231', now)).toBe('1999-12-31');
    expect(gs1Date('761231', now)).toBe('2076-12-31');
    expect(gs1Date('261399', now)).toBeNull();
  });

  it('says which check digit is wrong and what it should be', () => {
    const result = parseGs1('00106141411234567890', now);
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ ai: '00', message: '(00) SSCC 106141411234567890: check digit is 0, expected 7' }),
      ],
    });
  });

  it('reports truncated fixed fields, oversize variable fields and unknown AIs', () => {
    expect(parseGs1('01123', now).ok).toBe(false);
    expect(parseGs1(`10${'X'.repeat(21)}`, now)).toMatchObject({ ok: false, errors: [{ ai: '10' }] });
    expect(parseGs1('9912345', now)).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('unknown') }],
    });
  });

  it('310n converts kilograms with n decimals to exact grams', () => {
    expect(parseGs1('3100000012', now)).toMatchObject({ ok: true, data: { netWeightGrams: 12_000 } });
    expect(parseGs1('3105012345', now)).toMatchObject({ ok: true, data: { netWeightGrams: 123 } }); // 0.12345 kg -> 123 g
  });
});

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

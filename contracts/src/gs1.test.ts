import { describe, expect, it } from 'vitest';
import {
  buildSscc,
  formatGs1HumanReadable,
  GS,
  gs1CheckDigit,
  gs1Date,
  isValidGs1Check,
  isValidGtin,
  isValidSscc,
  parseGs1,
} from './gs1.js';

const now = new Date('2026-11-25T00:00:00Z');

describe('GS1 check digits', () => {
  it('matches published examples', () => {
    expect(gs1CheckDigit('400638133393')).toBe('1'); // EAN-13 4006381333931
    expect(gs1CheckDigit('10614141123456789')).toBe('7'); // SSCC 106141411234567897
    expect(isValidGtin('04006381333931')).toBe(true);
    expect(isValidSscc('106141411234567897')).toBe(true); // GS1 General Specifications SSCC example
    expect(isValidSscc('106141411234567890')).toBe(false);
  });

  it('isValidGs1Check accepts any length of digits with a right check digit, and nothing else', () => {
    expect(isValidGs1Check('4006381333931')).toBe(true);
    expect(isValidGs1Check('4006381333932')).toBe(false);
    expect(isValidGs1Check('40063813339X1')).toBe(false);
    expect(isValidGs1Check('7')).toBe(false);
    expect(isValidGs1Check('')).toBe(false);
  });

  it('refuses to compute a check digit over non-digits', () => {
    expect(() => gs1CheckDigit('12A4')).toThrow(/digits only/);
    expect(() => gs1CheckDigit('')).toThrow(/digits only/);
  });
});

describe('buildSscc', () => {
  it('builds the GS1 General Specifications example SSCC', () => {
    expect(buildSscc({ extensionDigit: 1, companyPrefix: '0614141', serial: 123456789 })).toBe('106141411234567897');
  });

  it('zero-pads the serial reference to 17 digits before the check digit, for every prefix length', () => {
    expect(buildSscc({ extensionDigit: 3, companyPrefix: '069012340', serial: 1 })).toBe('306901234000000019');
    expect(buildSscc({ extensionDigit: 0, companyPrefix: '1234567890', serial: 42n })).toBe('012345678900000425');
    for (const companyPrefix of ['1234567', '12345678', '123456789', '1234567890']) {
      const sscc = buildSscc({ extensionDigit: 9, companyPrefix, serial: 5 });
      expect(sscc).toHaveLength(18);
      expect(sscc.startsWith(`9${companyPrefix}`)).toBe(true);
      expect(isValidSscc(sscc)).toBe(true);
    }
  });

  it('takes the largest serial that fits and refuses one digit more', () => {
    // a 7-digit prefix leaves 9 digits; a 10-digit prefix leaves 6
    expect(buildSscc({ extensionDigit: 0, companyPrefix: '0614141', serial: 999_999_999 })).toMatch(
      /^00614141999999999\d$/,
    );
    expect(() => buildSscc({ extensionDigit: 0, companyPrefix: '0614141', serial: 1_000_000_000 })).toThrow(
      /does not fit.*leaves 9 digits/,
    );
    expect(() => buildSscc({ extensionDigit: 0, companyPrefix: '1234567890', serial: 1_000_000n })).toThrow(
      /does not fit.*leaves 6 digits/,
    );
  });

  it('refuses inputs that are not digits', () => {
    expect(() => buildSscc({ extensionDigit: 10, companyPrefix: '0614141', serial: 1 })).toThrow(/extension digit/);
    expect(() => buildSscc({ extensionDigit: 1.5, companyPrefix: '0614141', serial: 1 })).toThrow(/extension digit/);
    expect(() => buildSscc({ extensionDigit: 1, companyPrefix: '06141A1', serial: 1 })).toThrow(/company prefix/);
    expect(() => buildSscc({ extensionDigit: 1, companyPrefix: '061414', serial: 1 })).toThrow(/company prefix/);
    expect(() => buildSscc({ extensionDigit: 1, companyPrefix: '06141411234', serial: 1 })).toThrow(/company prefix/);
    expect(() => buildSscc({ extensionDigit: 1, companyPrefix: '0614141', serial: -1 })).toThrow(/negative/);
    expect(() => buildSscc({ extensionDigit: 1, companyPrefix: '0614141', serial: 1.5 })).toThrow(/whole number/);
    expect(() => buildSscc({ extensionDigit: 1, companyPrefix: '0614141', serial: Number.NaN })).toThrow(
      /whole number/,
    );
  });

  it('round-trips through parseGs1 as AI (00)', () => {
    const sscc = buildSscc({ extensionDigit: 2, companyPrefix: '69012345', serial: 778899n });
    expect(parseGs1(`00${sscc}`)).toMatchObject({ ok: true, data: { sscc } });
  });
});

describe('formatGs1HumanReadable', () => {
  it('puts each AI in parentheses before its data', () => {
    expect(formatGs1HumanReadable([{ ai: '00', value: '306901234000000019' }])).toBe('(00) 306901234000000019');
    expect(
      formatGs1HumanReadable([
        { ai: '01', value: '04006381333931' },
        { ai: '10', value: 'LOT-7' },
      ]),
    ).toBe('(01) 04006381333931 (10) LOT-7');
  });

  it('formats what parseGs1 read', () => {
    const result = parseGs1(`0104006381333931${'10'}LOT-7${GS}3103001250`);
    expect(result.ok && formatGs1HumanReadable(result.data.elements)).toBe(
      '(01) 04006381333931 (10) LOT-7 (3103) 001250',
    );
  });

  it('refuses an AI that is not 2 to 4 digits', () => {
    expect(() => formatGs1HumanReadable([{ ai: '0', value: 'x' }])).toThrow(/application identifier/);
    expect(() => formatGs1HumanReadable([{ ai: 'AB', value: 'x' }])).toThrow(/application identifier/);
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
        expect.objectContaining({
          ai: '00',
          kind: 'linter',
          linter: 'csum',
          message:
            '(00) SSCC "106141411234567890": The numeric check digit is incorrect (expected 7) (GS1 linter csum, at "0")',
        }),
      ],
    });
  });

  it('reports truncated fixed fields, oversize variable fields and unknown AIs', () => {
    expect(parseGs1('01123', now).ok).toBe(false);
    expect(parseGs1(`10${'X'.repeat(21)}`, now)).toMatchObject({ ok: false, errors: [{ ai: '10' }] });
    // (99) is a company-internal AI of the dictionary: read; (23) is retired, (60) never allocated
    expect(parseGs1('9912345', now)).toMatchObject({ ok: true, data: { elements: [{ ai: '99', value: '12345' }] } });
    expect(parseGs1('2312345', now)).toMatchObject({ ok: false, errors: [{ kind: 'unknown-ai' }] });
    expect(parseGs1('6012345', now)).toMatchObject({
      ok: false,
      errors: [
        { kind: 'unknown-ai', message: expect.stringContaining('no GS1 application identifier starts "6012345"') },
      ],
    });
  });

  it('310n converts kilograms with n decimals to exact grams', () => {
    const gtin = '0104006381333931';
    expect(parseGs1(`${gtin}3100000012`, now)).toMatchObject({ ok: true, data: { netWeightGrams: 12_000 } });
    expect(parseGs1(`${gtin}3105012345`, now)).toMatchObject({ ok: true, data: { netWeightGrams: 123 } }); // 0.12345 kg -> 123 g
  });
});

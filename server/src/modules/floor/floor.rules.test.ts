import { describe, expect, it } from 'vitest';
import { interpretCode } from './floor.rules.js';

describe('what a scan is', () => {
  it('reads GS1 codes with an AIM prefix, FNC1, human-readable brackets or bare SSCC', () => {
    expect(interpretCode(']C100306901234000000019')).toEqual({ kind: 'sscc', sscc: '306901234000000019' });
    expect(interpretCode('00306901234000000019')).toEqual({ kind: 'sscc', sscc: '306901234000000019' });
    expect(interpretCode('0104006381333931\u001d10LOT7\u001d3012')).toEqual({
      kind: 'gs1-goods',
      gtin: '04006381333931',
      batch: 'LOT7',
      expiry: null,
      count: 12,
      gs1: {
        elements: [
          { ai: '01', value: '04006381333931', title: 'GTIN' },
          { ai: '10', value: 'LOT7', title: 'BATCH/LOT' },
          { ai: '30', value: '12', title: 'VAR. COUNT' },
        ],
        measures: [],
      },
    });
    expect(interpretCode('(01)04006381333931(17)281231(10)B1')).toMatchObject({
      kind: 'gs1-goods',
      batch: 'B1',
      expiry: '2028-12-31',
    });
    expect(interpretCode('0104006381333931<GS>10LOT7')).toMatchObject({ kind: 'gs1-goods', batch: 'LOT7' });
    expect(interpretCode('0104006381333931')).toMatchObject({ kind: 'gs1-goods', gtin: '04006381333931', batch: '' });
  });

  it('leaves location codes, SKUs and waybill numbers as plain text, and refuses the unreadable', () => {
    expect(interpretCode('A-01-02\r\n')).toEqual({ kind: 'plain', text: 'A-01-02' });
    expect(interpretCode('4006381333931')).toEqual({ kind: 'plain', text: '4006381333931' });
    // an EAN-13 read with its AIM identifier: the identifier is not part of the code
    expect(interpretCode(']E04006381333931')).toEqual({ kind: 'plain', text: '4006381333931' });
    expect(interpretCode('')).toMatchObject({ kind: 'invalid', reason: 'empty scan' });
    expect(interpretCode('00306901234000000017')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('unreadable GS1'),
    });
    expect(interpretCode('x'.repeat(101))).toMatchObject({ kind: 'invalid' });
  });
});

describe('GS1 scans by the whole AI table (issue 14 point 9)', () => {
  const now = new Date('2026-11-25T00:00:00Z');
  const GS = '\u001d';
  // a standard logistic label's content barcode: (02) content GTIN, (37) count, (3302) gross kg, (10) batch
  const logisticContent = `0204006381333931${'37'}24${GS}3302001234${'10'}LOT-9`;

  it('reads a logistic label (02)(37)(3302)(10): content GTIN counted, gross weight kept', () => {
    const code = interpretCode(`]C1${logisticContent}`, now);
    expect(code).toMatchObject({
      kind: 'gs1-goods',
      gtin: '04006381333931',
      batch: 'LOT-9',
      count: 24,
      gs1: {
        contentGtin: '04006381333931',
        grossWeightGrams: 12_340,
        measures: [{ ai: '3302', title: 'GROSS WEIGHT (kg)', amount: '12.34' }],
        labelSscc: 'not-scanned',
      },
    });
    // the same in the printed form, and without an AIM prefix
    expect(interpretCode('(02) 04006381333931 (37) 24 (3302) 001234 (10) LOT-9', now)).toMatchObject({ count: 24 });
    expect(interpretCode(logisticContent, now)).toMatchObject({ kind: 'gs1-goods', count: 24 });
  });

  it('keeps AIs the floor does not act on (320n, 3922, 8200, 99) in the scan detail', () => {
    const code = interpretCode(
      `]d20104006381333931${'3201'}012345${'3922'}1999${GS}8200https://example.com/p/1${GS}99INT-7`,
      now,
    );
    expect(code).toMatchObject({
      kind: 'gs1-goods',
      gtin: '04006381333931',
      gs1: {
        elements: [
          { ai: '01' },
          { ai: '3201', value: '012345', title: 'NET WEIGHT (lb)' },
          { ai: '3922', value: '1999', title: 'PRICE' },
          { ai: '8200', value: 'https://example.com/p/1', title: 'PRODUCT URL' },
          { ai: '99', value: 'INT-7', title: 'INTERNAL' },
        ],
        measures: [
          { ai: '3201', amount: '1234.5' },
          { ai: '3922', amount: '19.99' },
        ],
      },
    });
  });

  it('an AI the old parser did not know no longer fails the scan; an unallocated one does, saying where', () => {
    expect(interpretCode(`]C10104006381333931${'7003'}2611301430`, now)).toMatchObject({ kind: 'gs1-goods' });
    expect(interpretCode(`]C10104006381333931${'6012'}34`, now)).toEqual({
      kind: 'invalid',
      reason: 'unreadable GS1 code: no GS1 application identifier starts "601234" at position 16',
    });
  });

  it('production date (11) day 00 is a month, not the month-end; expiry (17) day 00 is the month-end', () => {
    expect(interpretCode(`]C10104006381333931${'11'}260200${'17'}270200`, now)).toMatchObject({
      kind: 'gs1-goods',
      expiry: '2027-02-28',
      gs1: { productionDate: '2026-02' },
    });
  });

  it("refuses what GS1 refuses, with GS1's reason", () => {
    const reason = (raw: string) => {
      const code = interpretCode(raw, now);
      return code.kind === 'invalid' ? code.reason : `read as ${code.kind}`;
    };
    expect(reason(`]C10104006381333932`)).toMatch(/\(01\) GTIN .*check digit is incorrect \(expected 1\).*csum/);
    expect(reason(`]C10104006381333931${'17'}261301`)).toMatch(/\(17\) USE BY or EXPIRY .*illegal month.*yymmd0/);
    expect(reason(`]C10104006381333931${'10'}${'A'.repeat(21)}`)).toMatch(/\(10\) BATCH\/LOT.*too long/);
    expect(reason(`]C10104006381333931${'10'}LOT 1`)).toMatch(/\(10\) BATCH\/LOT.*CSET 82.*cset82/);
    expect(reason(`]C1${'02'}04006381333931${'10'}LOT`)).toMatch(/GS1 code refused: \(02\) CONTENT requires \(37\)/);
    expect(reason(`]C10104006381333931${'37'}5`)).toMatch(/\(01\) GTIN must not be used with \(37\) COUNT/);
    expect(reason(`]C10104006381333931${'420'}200000${GS}421156200000`)).toMatch(
      /\(420\) SHIP TO POST must not be used with \(421\)/,
    );
  });
});

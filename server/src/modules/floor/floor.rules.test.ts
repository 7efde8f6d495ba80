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

import { describe, expect, it } from 'vitest';
import { decodeLabel } from './zpl-barcodes.js';

describe('reading a ZPL label as a scanner would', () => {
  it('decodes GS1-128 (start C, FNC1) and plain Code 128, and undoes ^FH escapes in text', () => {
    const label = decodeLabel(
      '^XA^FXjob:J1^FS^FO10,10^BCN,100,N,N,N,N^FD>;>800306901234000000019^FS^FO10,200^BCN,100,N,N,N,A^FDYT123^FS^FO1,1^A0N^FH_^FDA_5EB_7EC_5FD 张三^FS^XZ',
    );
    expect(label.barcodes).toEqual([
      { symbology: 'gs1-128', data: '00306901234000000019', errors: [] },
      { symbology: 'code128', data: 'YT123', errors: [] },
    ]);
    expect(label.texts).toEqual(['A^B~C_D 张三']);
  });

  it('reads later FNC1 as GS, switches subsets, and reports what a scanner could not read', () => {
    expect(decodeLabel('^XA^BCN,50,N,N,N,N^FD>;>80104006381333931>8>:10LOT7^FS^XZ').barcodes[0]).toEqual({
      symbology: 'gs1-128',
      data: '0104006381333931\u001d10LOT7',
      errors: [],
    });
    expect(decodeLabel('^XA^BCN,50,N,N,N,N^FD>;12345^FS^XZ').barcodes[0].errors).toEqual([
      'subset C needs digit pairs, got "5" at 6',
    ]);
  });

  it('reads the text a graphic shows from its ^FX text: comment, and ignores other comments', () => {
    const label = decodeLabel(
      '^XA^FX job:LBL-1^FS^FX text:张三 _5EA_7E^FS^FO30,156^GFA,2,2,1,:Z64:eJxjAAAAAgAB:1234^FS^XZ',
    );
    expect(label.texts).toEqual(['张三 ^A~']);
    expect(label.barcodes).toEqual([]);
  });
});

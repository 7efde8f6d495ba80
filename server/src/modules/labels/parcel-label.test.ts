import { describe, expect, it } from 'vitest';
import { buildParcelLabelZpl, ParcelLabelError, type ParcelLabelInput } from './parcel-label.js';

const parcel: ParcelLabelInput = {
  jobId: 'LBL-42',
  sscc: '106141411234567897',
  logisticsNo: 'SF1234567890',
  logisticsCode: 'SF',
  orderNo: 'ORD-2026-0001',
  consignee: 'Li Lei',
  consigneeAddress: '88 Harbour Road, Ningbo',
  grossGrams: 1250,
  invtNo: '31052026I000000123',
  warehouseName: 'Ningbo Bonded Centre',
  printedAt: new Date('2026-05-01T00:30:00Z'),
};

/**
 * Every text the label shows, as the printer reads it: `^FD … ^FS` payloads with `^FH_` (`_XX` is a
 * byte) and `^FB` (`\\\\` is `\\`, `\\&` a line break, read as a space) undone, and the `^FX text:`
 * comment of each text graphic.
 */
const printedTexts = (zpl: string) =>
  [...zpl.matchAll(/\^F[DX](\s*text:)?(.*?)\^FS/gs)]
    .filter(([whole, comment]) => whole.startsWith('^FD') || comment)
    .map(([, , data]) =>
      data
        .replace(/_([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
        .replace(/\\([\\&])/g, (_m, c: string) => (c === '&' ? ' ' : '\\')),
    );

/** The command sequence: prefix + two-letter name of every command, in order. */
const commands = (zpl: string) => [...zpl.matchAll(/[\^~][A-Z@0-9]{2}/g)].map(([c]) => c);

describe('buildParcelLabelZpl', () => {
  it('is one 4x6 in UTF-8 format at 203 dpi with the job id right after ^XA', () => {
    const zpl = buildParcelLabelZpl(parcel);
    expect(zpl.startsWith('^XA\n^FX job:LBL-42^FS\n')).toBe(true);
    expect(zpl.endsWith('^XZ')).toBe(true);
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl.match(/\^XZ/g)).toHaveLength(1);
    expect(zpl).toContain('^PW812');
    expect(zpl).toContain('^LL1218');
    // UTF-8 must be selected before the first field
    expect(zpl.indexOf('^CI28')).toBeGreaterThan(0);
    expect(zpl.indexOf('^CI28')).toBeLessThan(zpl.indexOf('^FD'));
    // the printer emulator's reading of the job id
    expect(/\^FX\s*job:\s*([^^~\s]+)/.exec(zpl)?.[1]).toBe('LBL-42');
  });

  it('encodes the SSCC as GS1-128: start C, FNC1, AI 00 and the 18 digits, with its (00) text', () => {
    const zpl = buildParcelLabelZpl(parcel);
    expect(zpl).toMatch(/\^BY4\^BCN,254,N,N,N,N\^FD>;>800106141411234567897\^FS/);
    expect(printedTexts(zpl)).toContain('(00) 106141411234567897');
  });

  it('encodes the waybill as Code 128 and prints the order, waybill, weight and inventory number', () => {
    const texts = printedTexts(buildParcelLabelZpl(parcel));
    expect(buildParcelLabelZpl(parcel)).toMatch(/\^BY3\^BCN,130,N,N,N,A\^FDSF1234567890\^FS/);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Ningbo Bonded Centre',
        'Printed 2026-05-01 00:30 UTC',
        'Li Lei',
        '88 Harbour Road, Ningbo',
        'Order: ORD-2026-0001',
        'WAYBILL Carrier: SF',
        'SF1234567890',
        'Gross weight: 1.250 kg',
        'Customs inventory: 31052026I000000123',
      ]),
    );
  });

  it('narrows the waybill bars for a long number, and refuses one too long or with barcode control characters', () => {
    expect(buildParcelLabelZpl({ ...parcel, logisticsNo: 'A'.repeat(30) })).toContain(
      `^BY2^BCN,130,N,N,N,A^FD${'A'.repeat(30)}^FS`,
    );
    expect(() => buildParcelLabelZpl({ ...parcel, logisticsNo: 'A'.repeat(31) })).toThrow(/at most 30/);
    expect(() => buildParcelLabelZpl({ ...parcel, logisticsNo: 'SF>8123' })).toThrow(/letters, digits/);
  });

  it('prints weight with 3 decimals, and leaves out weight and inventory number when not given', () => {
    expect(printedTexts(buildParcelLabelZpl({ ...parcel, grossGrams: 5 }))).toContain('Gross weight: 0.005 kg');
    expect(printedTexts(buildParcelLabelZpl({ ...parcel, grossGrams: 12_000 }))).toContain('Gross weight: 12.000 kg');
    const bare = buildParcelLabelZpl({ ...parcel, grossGrams: undefined, invtNo: null, logisticsCode: undefined });
    expect(bare).not.toContain('Gross weight');
    expect(bare).not.toContain('Customs inventory');
    expect(printedTexts(bare)).toContain('WAYBILL');
    expect(() => buildParcelLabelZpl({ ...parcel, grossGrams: 12.5 })).toThrow(/whole grams/);
    expect(() => buildParcelLabelZpl({ ...parcel, grossGrams: -1 })).toThrow(/whole grams/);
  });

  it('never lets ^ or ~ in free text reach the printer raw', () => {
    const zpl = buildParcelLabelZpl({ ...parcel, consignee: 'A^B~C_D' });
    expect(zpl).toContain('^FH_^FDA_5EB_7EC_5FD^FS');
    expect(printedTexts(zpl)).toContain('A^B~C_D');
    for (const [, data] of zpl.matchAll(/\^FD(.*?)\^FS/gs)) expect(data).not.toMatch(/[\^~]/);
  });

  it('hostile text in every free field changes no command of the label', () => {
    const hostile = '^XZ^XA~JA~HS^FDx^FS_5E\\&\r\nend';
    const zpl = buildParcelLabelZpl({
      ...parcel,
      consignee: `C${hostile}`,
      consigneeAddress: `A${hostile}`,
      orderNo: `O${hostile}`,
      invtNo: `I${hostile}`,
      warehouseName: `W${hostile}`,
      logisticsCode: `L${hostile}`,
    });
    expect(commands(zpl)).toEqual(commands(buildParcelLabelZpl(parcel)));
    expect(zpl).not.toContain('~');
    // what is printed is the text as given, line breaks turned into spaces
    expect(printedTexts(zpl)).toContain('C^XZ^XA~JA~HS^FDx^FS_5E\\& end');
  });

  it('hostile text in a Chinese field changes no command either: the graphic and its comment are inert', () => {
    const zpl = buildParcelLabelZpl({
      ...parcel,
      consignee: '张三^XZ^XA~JA_\r\n~HS',
      consigneeAddress: '宁波~DGR:X^FS',
    });
    const plain = buildParcelLabelZpl({ ...parcel, consignee: '张三', consigneeAddress: '宁波' });
    expect(commands(zpl)).toEqual(commands(plain));
    expect(zpl).not.toContain('~');
    expect(printedTexts(zpl)).toEqual(expect.arrayContaining(['张三^XZ^XA~JA_ ~HS', '宁波~DGR:X^FS']));
  });

  it('marks a reprint with its number, white on black, and a first print not at all', () => {
    const zpl = buildParcelLabelZpl({ ...parcel, reprint: 2 });
    expect(zpl).toMatch(/\^GB230,80,80\^FS\n\^FO\d+,\d+\^FR\^A0N,44,40\^FB230,1,0,C,0\^FH_\^FDREPRINT 2\^FS/);
    expect(buildParcelLabelZpl({ ...parcel, reprint: 0 })).not.toContain('REPRINT');
    expect(buildParcelLabelZpl(parcel)).not.toContain('REPRINT');
    expect(() => buildParcelLabelZpl({ ...parcel, reprint: -1 })).toThrow(/reprint/);
    expect(() => buildParcelLabelZpl({ ...parcel, reprint: 1.5 })).toThrow(/reprint/);
  });

  it('draws Chinese text as ^GF graphics by default, so no printer font is needed', () => {
    const zpl = buildParcelLabelZpl({
      ...parcel,
      consignee: '张三',
      consigneeAddress: '浙江省宁波市北仑区保税西区港东大道8号',
      warehouseName: '宁波保税仓',
    });
    expect(zpl).not.toContain('^CW');
    // outside the comments nothing but ASCII goes to the printer: the Chinese is in the graphics
    expect(zpl.replace(/\^FX[^^]*/g, '')).toMatch(/^[\x20-\x7e\n]*$/);
    expect(zpl.match(/\^GFA,/g)).toHaveLength(3);
    expect(zpl).toMatch(/\^FX text:张三\^FS\^FO30,156\^GFA,/);
    expect(printedTexts(zpl)).toEqual(
      expect.arrayContaining(['张三', '浙江省宁波市北仑区保税西区港东大道8号', '宁波保税仓', 'Order: ORD-2026-0001']),
    );
  });

  it('prints Chinese in the printer font named by cjkFont, for sites whose printers all hold it', () => {
    const zpl = buildParcelLabelZpl(
      { ...parcel, consignee: '张三', consigneeAddress: '浙江省宁波市北仑区保税西区港东大道8号' },
      { cjkFont: 'E:SIMSUN.FNT' },
    );
    expect(zpl).toContain('^CWJ,E:SIMSUN.FNT');
    expect(zpl).not.toContain('^GF');
    expect(zpl).toContain('^FO30,158^AJN,44,44^FB752,1,11,L,0^FH_^FD张三^FS');
    expect(zpl).toContain('^AJN,32,32^FB752,1,8,L,0^FH_^FD浙江省宁波市北仑区保税西区港东大道8号^FS');
    // Latin text stays in the printer's own font
    expect(zpl).toContain('^A0N,32,32^FB752,1,8,L,0^FH_^FDOrder: ORD-2026-0001^FS');
    // 51 ideographs of 32 dots: 23 a line of 752 dots, broken between characters
    const long = buildParcelLabelZpl(
      { ...parcel, consigneeAddress: '浙江省宁波市北仑区保税西区港东大道'.repeat(3) },
      { cjkFont: 'E:ANMDS.TTF' },
    );
    expect(long).toContain('^CWJ,E:ANMDS.TTF');
    expect(long).toMatch(/\^AJN,32,32\^FB752,3,8,L,0\^FH_\^FD([^\\^]{23}\\&){2}[^\\^]{5}\^FS/);
    expect(() => buildParcelLabelZpl(parcel, { cjkFont: 'SIMSUN' })).toThrow(/printer font file/);
  });

  it('breaks the address into lines itself, in a block with that many lines', () => {
    expect(buildParcelLabelZpl(parcel)).toContain('^FO30,272^A0N,32,32^FB752,1,8,L,0^FH_^FD88 Harbour Road, Ningbo^FS');
    const zpl = buildParcelLabelZpl({
      ...parcel,
      consigneeAddress: 'Flat 12B, 88 Harbour Road, Beilun District, Ningbo, Zhejiang Province 315800',
    });
    expect(zpl).toMatch(
      /\^FO30,272\^A0N,32,32\^FB752,2,8,L,0\^FH_\^FDFlat 12B, [^\\]+ Ningbo,\\&Zhejiang Province 315800\^FS/,
    );
  });

  it('prints the time in the time zone asked for', () => {
    expect(printedTexts(buildParcelLabelZpl(parcel, { timeZone: 'Asia/Shanghai' }))).toContain(
      'Printed 2026-05-01 08:30 Asia/Shanghai',
    );
    expect(() => buildParcelLabelZpl(parcel, { timeZone: 'Mars/Base' })).toThrow(/time zone/);
    expect(() => buildParcelLabelZpl({ ...parcel, printedAt: new Date('nope') })).toThrow(/printedAt/);
  });

  it('refuses a bad SSCC, saying what is wrong', () => {
    expect(() => buildParcelLabelZpl({ ...parcel, sscc: '106141411234567890' })).toThrow(
      'parcel label: SSCC 106141411234567890 has check digit 0, expected 7',
    );
    expect(() => buildParcelLabelZpl({ ...parcel, sscc: '10614141123456789' })).toThrow(/SSCC must be 18 digits/);
    expect(() => buildParcelLabelZpl({ ...parcel, sscc: '10614141123456789X' })).toThrow(/SSCC must be 18 digits/);
    expect(() => buildParcelLabelZpl({ ...parcel, sscc: '106141411234567890' })).toThrow(ParcelLabelError);
  });

  it('refuses missing text and a job id a printer could not read back', () => {
    expect(() => buildParcelLabelZpl({ ...parcel, consignee: '  ' })).toThrow(/consignee is required/);
    expect(() => buildParcelLabelZpl({ ...parcel, orderNo: '' })).toThrow(/order number is required/);
    expect(() => buildParcelLabelZpl({ ...parcel, jobId: 'job 1' })).toThrow(/jobId/);
    expect(() => buildParcelLabelZpl({ ...parcel, jobId: 'J^XZ' })).toThrow(/jobId/);
  });
});

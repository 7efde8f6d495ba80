import { decodeLabel } from '@wms/hardware-sim/devices/zpl-barcodes';
import { inkOutside, renderLabel, scanBarcodes } from '@wms/hardware-sim/devices/zpl-label-image';
import { ZplPrinterEmulator } from '@wms/hardware-sim/devices/zpl-printer.emulator';
import { describe, expect, it } from 'vitest';
import { blockHeight, ELLIPSIS } from './label-text.js';
import type { FieldBox } from './parcel-label.js';
import {
  buildUnitLabelZpl,
  grossWeightElement,
  UNIT_LABEL_BOXES,
  UnitLabelError,
  type UnitLabelInput,
} from './unit-label.js';

const GS = '\u001d';

/** The texts a reader sees: decodeLabel's fields with the `^FB` line breaks (`\\&`) read as spaces. */
const textsOf = (zpl: string) =>
  decodeLabel(zpl).texts.map((t) => t.replace(/\\([\\&])/g, (_m, c: string) => (c === '&' ? ' ' : '\\')));

const bag: UnitLabelInput = {
  jobId: 'ULB-106141411234567897',
  sscc: '106141411234567897',
  kind: 'bag',
  warehouseName: 'Ningbo Bonded Centre',
  destination: 'Gate of Ningbo Bonded Centre (3105W01)',
  createdAt: new Date('2026-05-01T00:30:00Z'),
};
const loaded: UnitLabelInput = {
  ...bag,
  kind: 'pallet',
  destination: 'Trip TR2026050100000001, vehicle 浙B12345',
  parcels: 48,
  grossGrams: 61_250,
  reprint: 1,
};

const hanzi = '欧阳娜浙江省宁波市北仑区保税西区港东大道号鑫淼犇骉龘';
const longest: UnitLabelInput = {
  ...loaded,
  warehouseName: `宁波${hanzi}`.repeat(4).slice(0, 100),
  destination: `Gate of ${`宁波${hanzi}`.repeat(4).slice(0, 100)} (5165W13) ${hanzi.repeat(6)}`.slice(0, 200),
  parcels: 99_999_999,
  grossGrams: 999_999_000,
  reprint: 12,
};

/** Through the simulator's printer, so what is checked is what came out of it. */
function printed(zpl: string): string {
  const result = new ZplPrinterEmulator().receive(Buffer.from(zpl, 'utf8'), 0);
  expect(result.printed).toHaveLength(1);
  return result.printed[0].zpl;
}

const boxes = UNIT_LABEL_BOXES as Record<string, FieldBox>;
const region = (box: FieldBox) => ({
  x0: box.x,
  y0: box.y,
  x1: box.x + box.width,
  y1: box.y + blockHeight(box.lines, box.maxSize),
});

/** Each free-text field's line of the format alone (with the format's set-up), and its box. */
function fieldsOf(zpl: string): Array<{ name: string; command: string; box: FieldBox }> {
  const setup = zpl.split('\n').slice(0, 6);
  return zpl.split('\n').flatMap((command) => {
    const at = /^(?:\^FX text:[^^]*\^FS)?\^FO(\d+),(\d+)\^(?:A[0J]N|GF)/.exec(command);
    if (!at) return [];
    const [x, y] = [Number(at[1]), Number(at[2])];
    const entry = Object.entries(boxes).find(([, b]) => b.x === x && (b.y === y || b.y + 2 === y));
    return entry ? [{ name: entry[0], command: [...setup, command, '^XZ'].join('\n'), box: entry[1] }] : [];
  });
}

describe('buildUnitLabelZpl', () => {
  it('is one 4x6 in format at 203 dpi whose job id the printer reads back', () => {
    const zpl = buildUnitLabelZpl(bag);
    expect(zpl.startsWith('^XA\n^FX job:ULB-106141411234567897^FS\n')).toBe(true);
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl.endsWith('^XZ')).toBe(true);
    expect(zpl).toContain('^PW812');
    expect(zpl).toContain('^LL1218');
    expect(new ZplPrinterEmulator().receive(Buffer.from(zpl), 0).printed[0].jobId).toBe('ULB-106141411234567897');
  });

  it('carries the SSCC as GS1-128 at 0.5 mm X and 31.75 mm bars, with its (00) text', () => {
    const zpl = buildUnitLabelZpl(bag);
    expect(zpl).toMatch(/\^BY4\^BCN,254,N,N,N,N\^FD>;>800106141411234567897\^FS/);
    const decoded = decodeLabel(zpl);
    expect(decoded.barcodes).toEqual([{ symbology: 'gs1-128', data: '00106141411234567897', errors: [] }]);
    expect(decoded.texts).toContain('(00) 106141411234567897');
  });

  it('a new bag shows kind, warehouse, gate and local time, and no count or weight it does not know', () => {
    const texts = textsOf(buildUnitLabelZpl(bag));
    expect(texts).toEqual(
      expect.arrayContaining([
        'BAG 袋',
        'Ningbo Bonded Centre',
        'DESTINATION',
        'Gate of Ningbo Bonded Centre (3105W01)',
        'Created 2026-05-01 08:30 Asia/Shanghai',
      ]),
    );
    expect(texts.join('|')).not.toMatch(/Contents|Gross weight|REPRINT/);
    expect(textsOf(buildUnitLabelZpl({ ...bag, kind: 'pallet' }))).toContain('PALLET 托盘');
  });

  it('a loaded pallet carries its count in text and its gross weight as AI 3303 in a second GS1-128 symbol', () => {
    const decoded = decodeLabel(buildUnitLabelZpl(loaded));
    expect(decoded.barcodes).toEqual([
      { symbology: 'gs1-128', data: '3303061250', errors: [] },
      { symbology: 'gs1-128', data: '00106141411234567897', errors: [] },
    ]);
    expect(decoded.barcodes.some((b) => b.data.includes(GS))).toBe(false);
    expect(textsOf(buildUnitLabelZpl(loaded))).toEqual(
      expect.arrayContaining([
        'Contents 件数: 48 parcels',
        'Gross weight 毛重: 61.250 kg',
        '(3303) 061250',
        'Trip TR2026050100000001, vehicle 浙B12345',
        'REPRINT 1',
      ]),
    );
    expect(textsOf(buildUnitLabelZpl({ ...loaded, parcels: 1 }))).toContain('Contents 件数: 1 parcel');
  });

  it('puts a heavy pallet in fewer decimals of AI 330n, rounded', () => {
    expect(grossWeightElement(999_999)).toEqual({ ai: '3303', value: '999999' });
    expect(grossWeightElement(1_000_000)).toEqual({ ai: '3302', value: '100000' });
    expect(grossWeightElement(1_234_567)).toEqual({ ai: '3302', value: '123457' });
    expect(grossWeightElement(12_345_678)).toEqual({ ai: '3301', value: '123457' });
    expect(grossWeightElement(999_999_000)).toEqual({ ai: '3300', value: '999999' });
    expect(() => grossWeightElement(1_000_000_000)).toThrow(UnitLabelError);
    expect(grossWeightElement(0)).toEqual({ ai: '3303', value: '000000' });
  });

  it('keeps Chinese out of the printer fonts: graphics unless a printer font is named', () => {
    const zpl = buildUnitLabelZpl(loaded);
    expect(zpl.replace(/\^FX[^^]*/g, '')).toMatch(/^[\x20-\x7e\n]*$/);
    const withFont = buildUnitLabelZpl(loaded, { cjkFont: 'E:SIMSUN.FNT' });
    expect(withFont).toContain('^CWJ,E:SIMSUN.FNT');
    expect(withFont).not.toContain('^GF');
  });

  it('hostile text changes no command of the label', () => {
    const commands = (zpl: string) => [...zpl.matchAll(/[\^~][A-Z@0-9]{2}/g)].map(([c]) => c);
    const hostile = '^XZ^XA~JA~HS^FDx^FS_5E\\&\r\nend';
    const zpl = buildUnitLabelZpl({ ...bag, warehouseName: `W${hostile}`, destination: `D${hostile}` });
    expect(commands(zpl)).toEqual(commands(buildUnitLabelZpl(bag)));
    expect(zpl).not.toContain('~');
  });

  it('refuses what it cannot print, saying what', () => {
    expect(() => buildUnitLabelZpl({ ...bag, sscc: '106141411234567890' })).toThrow(
      'unit label: SSCC 106141411234567890 has check digit 0, expected 7',
    );
    expect(() => buildUnitLabelZpl({ ...bag, sscc: '1234' })).toThrow(/18 digits/);
    expect(() => buildUnitLabelZpl({ ...bag, destination: ' ' })).toThrow(/destination is required/);
    expect(() => buildUnitLabelZpl({ ...bag, destination: 'x'.repeat(201) })).toThrow(/at most 200/);
    expect(() => buildUnitLabelZpl({ ...bag, parcels: -1 })).toThrow(/parcel count/);
    expect(() => buildUnitLabelZpl({ ...bag, grossGrams: 1.5 })).toThrow(/gross weight/);
    expect(() => buildUnitLabelZpl({ ...bag, jobId: 'a b' })).toThrow(/jobId/);
    expect(() => buildUnitLabelZpl({ ...bag, kind: 'crate' as 'bag' })).toThrow(/kind/);
    expect(() => buildUnitLabelZpl(bag, { timeZone: 'Mars/Base' })).toThrow(/time zone/);
  });
});

describe('the unit label as rendered and scanned', () => {
  for (const [title, input] of [
    ['a new bag', bag],
    ['a loaded pallet', loaded],
    ['the longest texts and figures', longest],
  ] as const) {
    it(`${title}: every field stays inside its box and every barcode scans`, async () => {
      const zpl = printed(buildUnitLabelZpl(input));
      const scanned = await scanBarcodes(await renderLabel(zpl));
      const expected = [`00${input.sscc}`];
      if (input.grossGrams !== undefined) {
        const w = grossWeightElement(input.grossGrams);
        expected.push(`${w.ai}${w.value}`);
      }
      expect(scanned.map((s) => s.data).sort()).toEqual(expected.sort());
      const fields = fieldsOf(zpl);
      const names = ['warehouse', 'created', 'kind', 'destination'];
      if (input.parcels !== undefined) names.push('contents');
      if (input.grossGrams !== undefined) names.push('weight');
      expect(fields.map((f) => (f.name === 'warehouseBesideReprint' ? 'warehouse' : f.name)).sort()).toEqual(
        names.sort(),
      );
      for (const f of fields) {
        const image = await renderLabel(f.command);
        const stray = inkOutside(image, [region(f.box)]);
        expect(stray.slice(0, 3), `${f.name}: ${stray.length} dots outside its box`).toEqual([]);
        expect(inkOutside(image, []).length, `${f.name} prints something`).toBeGreaterThan(50);
        // no field's box overlaps a barcode
        for (const symbol of scanned) {
          const r = region(f.box);
          const overlaps = r.x0 < symbol.box.x1 && symbol.box.x0 < r.x1 && r.y0 < symbol.box.y1 && symbol.box.y0 < r.y1;
          expect(overlaps, `${f.name} / ${symbol.data}`).toBe(false);
        }
      }
      // rendering and scanning take seconds on a busy machine
    }, 30_000);
  }

  it('cuts the longest Chinese destination with an ellipsis rather than overprinting', () => {
    const texts = textsOf(buildUnitLabelZpl(longest));
    expect(texts.find((t) => t.startsWith('Gate of'))?.endsWith(ELLIPSIS)).toBe(true);
    expect(texts.find((t) => t.startsWith('宁波'))?.endsWith(ELLIPSIS)).toBe(true);
  });
});

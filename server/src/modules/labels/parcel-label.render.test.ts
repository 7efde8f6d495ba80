import { decodeLabel } from '@wms/hardware-sim/devices/zpl-barcodes';
import { inkOutside, renderLabel, scanBarcodes } from '@wms/hardware-sim/devices/zpl-label-image';
import { ZplPrinterEmulator } from '@wms/hardware-sim/devices/zpl-printer.emulator';
import { describe, expect, it } from 'vitest';
import { blockHeight, ELLIPSIS } from './label-text.js';
import { buildParcelLabelZpl, type FieldBox, PARCEL_LABEL_BOXES, type ParcelLabelInput } from './parcel-label.js';

/**
 * The parcel label as printed: the ZPL goes through the simulator's printer, is rendered to dots by
 * an independent renderer (zebrash) and read back by ZBar. Every free-text field, rendered alone,
 * must leave no dot outside its box; the barcodes must still scan.
 */

const parcel: ParcelLabelInput = {
  jobId: 'LBL-106141411234567897',
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

// The longest text the builder takes in each field (consignee 60, address 200, order 60, …).
const hanzi = '欧阳娜浙江省宁波市北仑区保税西区港东大道号鑫淼犇骉龘'; // dense and plain glyphs
const longChinese: ParcelLabelInput = {
  ...parcel,
  consignee: hanzi.repeat(3).slice(0, 60),
  consigneeAddress: hanzi.repeat(8).slice(0, 200),
  warehouseName: `宁波${hanzi}`.repeat(4).slice(0, 100),
  orderNo: 'W'.repeat(60),
  invtNo: 'M'.repeat(40),
  logisticsCode: 'W'.repeat(30),
  reprint: 12,
};
const longLatin: ParcelLabelInput = {
  ...parcel,
  consignee: 'WMWMWMWMWM Maximilian Wolfgang Hohenzollern-Sigmaringen WMWM'.slice(0, 60),
  consigneeAddress: 'Flat 12B, Wharf Warehouse W, 88 Harbour Road, Beilun, Ningbo MMMMWWWW '.repeat(3).slice(0, 200),
  warehouseName: 'Ningbo Bonded Warehouse Management WWW MMM Wide Wide Wide W'.repeat(2).slice(0, 100),
  orderNo: 'ORD-WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW'.slice(0, 60),
};
const mixed: ParcelLabelInput = {
  ...parcel,
  consignee: 'Zhang Wei 张伟 (Müller GmbH)',
  consigneeAddress: '浙江省宁波市北仑区 Harbour Road 88号 保税西区 Block W, Unit 1203, 宁波港东大道港东大道港东大道',
};

const boxes = PARCEL_LABEL_BOXES as Record<string, FieldBox>;
const region = (box: FieldBox) => ({
  x0: box.x,
  y0: box.y,
  x1: box.x + box.width,
  y1: box.y + blockHeight(box.lines, box.maxSize),
});

/** Prints through the simulator's printer, so what is checked is what came out of it. */
function printed(zpl: string): string {
  const printer = new ZplPrinterEmulator();
  const result = printer.receive(Buffer.from(zpl, 'utf8'), 0);
  expect(result.printed).toHaveLength(1);
  return result.printed[0].zpl;
}

/** Each free-text field's line of the format, with the box it was placed in. */
function fieldsOf(zpl: string): Array<{ name: string; command: string; box: FieldBox }> {
  const setup = zpl.split('\n').slice(0, 6);
  return zpl.split('\n').flatMap((command) => {
    const at = /^(?:\^FX text:[^^]*\^FS)?\^FO(\d+),(\d+)\^(?:A[0J]N|GF)/.exec(command);
    if (!at) return [];
    // printer text starts 2 dots into its box
    const [x, y] = [Number(at[1]), Number(at[2])];
    const entry = Object.entries(boxes).find(([, b]) => b.x === x && (b.y === y || b.y + 2 === y));
    return entry ? [{ name: entry[0], command: [...setup, command, '^XZ'].join('\n'), box: entry[1] }] : [];
  });
}

describe('the parcel label as rendered and scanned', () => {
  it('has field boxes that overlap neither each other nor the barcodes', async () => {
    const zpl = printed(buildParcelLabelZpl({ ...parcel, reprint: 1 }));
    const image = await renderLabel(zpl);
    const scanned = await scanBarcodes(image);
    expect(scanned.map((s) => s.data).sort()).toEqual(['00106141411234567897', 'SF1234567890']);
    const used = Object.entries(boxes).filter(([name]) => name !== 'warehouse');
    const overlap = (a: ReturnType<typeof region>, b: ReturnType<typeof region>) =>
      a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
    for (const [name, box] of used) {
      for (const [other, otherBox] of used)
        if (other !== name) expect(overlap(region(box), region(otherBox)), `${name} / ${other}`).toBe(false);
      for (const symbol of scanned) expect(overlap(region(box), symbol.box), `${name} / ${symbol.data}`).toBe(false);
    }
  });

  for (const [title, input] of [
    ['the longest Chinese texts', longChinese],
    ['the longest wide Latin texts', longLatin],
    ['mixed Chinese and Latin', mixed],
  ] as const) {
    it(`keeps every field of ${title} inside its box, and the barcodes still scan`, async () => {
      const zpl = printed(buildParcelLabelZpl(input, { timeZone: 'Asia/Shanghai' }));
      const scanned = await scanBarcodes(await renderLabel(zpl));
      expect(scanned.map((s) => [s.type, s.data])).toEqual(
        expect.arrayContaining([
          ['CODE-128', `00${input.sscc}`],
          ['CODE-128', input.logisticsNo],
        ]),
      );
      expect(decodeLabel(zpl).barcodes.every((b) => b.errors.length === 0)).toBe(true);
      const fields = fieldsOf(zpl);
      const expected = ['warehouse', 'printed', 'consignee', 'address', 'orderNo', 'weight', 'invtNo', 'carrier'];
      expect(fields.map((f) => (f.name === 'warehouseBesideReprint' ? 'warehouse' : f.name)).sort()).toEqual(
        expected.sort(),
      );
      for (const field of fields) {
        const image = await renderLabel(field.command);
        const stray = inkOutside(image, [region(field.box)]);
        expect(stray.slice(0, 3), `${field.name}: ${stray.length} dots outside its box`).toEqual([]);
        expect(inkOutside(image, []).length, `${field.name} prints something`).toBeGreaterThan(50);
      }
      // a label and each of its nine fields rendered and scanned: seconds on a busy machine
    }, 30_000);
  }

  it('draws a 26-character Chinese name as a ^GF graphic of two full-width lines at the largest size', () => {
    const name = '欧阳娜娜浙江宁波北仑保税西区港东大道八号鑫淼犇骉龘喆';
    expect([...name]).toHaveLength(26);
    const zpl = buildParcelLabelZpl({ ...parcel, consignee: name });
    const graphic = /\^FX text:([^^]*)\^FS\^FO30,156\^GFA,(\d+),(\d+),(\d+),:Z64:/.exec(zpl);
    expect(graphic?.[1]).toBe(name);
    const [bytes, total, rowBytes] = [Number(graphic?.[2]), Number(graphic?.[3]), Number(graphic?.[4])];
    // 752 dots wide (94 bytes a row); 17 ideographs of 44 dots a line, two lines of 55 dots
    expect({ bytes, total, rowBytes }).toEqual({ bytes: 94 * 110, total: 94 * 110, rowBytes: 94 });
  });

  it('cuts the longest Chinese name and address with an ellipsis at the smallest size, in graphics that fit', () => {
    const zpl = buildParcelLabelZpl(longChinese);
    const texts = decodeLabel(zpl).texts;
    const consignee = texts.find((t) => t.startsWith(longChinese.consignee.slice(0, 10)));
    const address = texts.find((t) => t.startsWith(longChinese.consigneeAddress.slice(0, 10)));
    expect(consignee?.endsWith(ELLIPSIS)).toBe(true);
    expect(address?.endsWith(ELLIPSIS)).toBe(true);
    // consignee: 2 lines at 28 dots (pitch 35); address: 4 lines at 24 (pitch 30); 94 bytes a row
    expect(zpl).toMatch(/\^FO30,156\^GFA,6580,6580,94,/);
    expect(zpl).toMatch(/\^FO30,270\^GFA,11280,11280,94,/);
  });
});

import { decodeLabel } from '@wms/hardware-sim/devices/zpl-barcodes';
import { renderLabel, scanBarcodes } from '@wms/hardware-sim/devices/zpl-label-image';
import { ZplPrinterEmulator } from '@wms/hardware-sim/devices/zpl-printer.emulator';
import { describe, expect, it } from 'vitest';
import { buildCartonLabelZpl, type CartonLabelInput } from './carton-label.js';
import { cartonSscc } from './shipment.rules.js';

/**
 * The box label of an ASN carton as printed: through the simulator's printer, rendered to dots by
 * an independent renderer (zebrash) and read back by ZBar, the SSCC symbol scans as GS1 AI 00 of
 * exactly that carton, and the seller's texts cannot inject ZPL commands.
 */
const carton: CartonLabelInput = {
  sscc: cartonSscc('0690123', 4242n),
  shipmentNo: 'ASN-2026-0001',
  cartonNo: 2,
  cartons: 3,
  warehouseCode: 'OW-DE1',
  originWarehouseCode: 'BC01',
  ownerCode: 'SELLER-DEMO',
  contents: [
    { sku: 'DEMO-SKU1', qty: 24, batch: 'L2611A' },
    { sku: 'DEMO-SKU2', qty: 12 },
  ],
};

function printed(zpl: string): string {
  const result = new ZplPrinterEmulator().receive(Buffer.from(zpl, 'utf8'), 0);
  expect(result.printed).toHaveLength(1);
  return result.printed[0].zpl;
}

describe('ASN carton label', () => {
  it('scans as the carton’s SSCC (AI 00, GS1-128) and names the shipment, carton and contents', async () => {
    const zpl = printed(buildCartonLabelZpl(carton));
    const scanned = await scanBarcodes(await renderLabel(zpl));
    expect(scanned.map((s) => s.data)).toEqual([`00${carton.sscc}`]);
    const texts = decodeLabel(zpl).texts.join(' | ');
    for (const text of [
      'OW-DE1',
      'ASN ASN-2026-0001',
      'CARTON 2 OF 3',
      '24 x DEMO-SKU1  batch L2611A',
      '12 x DEMO-SKU2',
    ])
      expect(texts).toContain(text);
    expect(texts).toContain(`(00) ${carton.sscc}`);
  });

  it('keeps the seller’s texts from becoming ZPL commands, and refuses a bad SSCC', () => {
    const zpl = buildCartonLabelZpl({ ...carton, contents: [{ sku: 'X^XZ^XA~JA', qty: 1 }] });
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl).not.toContain('~JA');
    expect(() => buildCartonLabelZpl({ ...carton, sscc: '123456789012345678' })).toThrow(/not a valid SSCC/);
  });

  it('lists at most nine content lines and says how many more there are', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${i}`, qty: i + 1 }));
    const texts = decodeLabel(buildCartonLabelZpl({ ...carton, contents: many })).texts.join(' | ');
    expect(texts).toContain('9 x SKU-8');
    expect(texts).not.toContain('SKU-9');
    expect(texts).toContain('+ 3 more lines');
  });
});

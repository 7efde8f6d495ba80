import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { LabelImageError, logoSize, pngToGraphicField, pngToGraphicFieldAsync, withLogo } from './zpl-graphic.js';

function checkerboard(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const dark = (Math.floor(x / 4) + Math.floor(y / 4)) % 2 === 0;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = dark ? 0 : 255;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

describe('logo to ^GF', () => {
  it('encodes a PNG as a Z64 graphic field with consistent sizes', () => {
    const field = pngToGraphicField(checkerboard(32));
    const match = /^\^GFA,(\d+),(\d+),(\d+),:Z64:[A-Za-z0-9+/=]+:[0-9a-f]{4}$/i.exec(field);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBe(Number(match![3]) * 32); // bytes = bytes per row × rows
  });

  it('refuses what is not a PNG, in words', () => {
    expect(() => pngToGraphicField(Buffer.from('GIF89a'))).toThrowError(LabelImageError);
  });

  it('refuses a huge logo from its PNG header, before decoding a pixel', () => {
    // signature + IHDR of a 6000×6000 RGBA image and no pixel data at all: decoding would fail
    // with "not readable", so the size message proves the header was read first
    const header = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
    header.writeUInt32BE(13, 8);
    header.write('IHDR', 12, 'latin1');
    header.writeUInt32BE(6000, 16);
    header.writeUInt32BE(6000, 20);
    header.writeUInt8(8, 24);
    header.writeUInt8(6, 25);
    expect(logoSize(header)).toEqual({ width: 6000, height: 6000 });
    expect(() => pngToGraphicField(header)).toThrowError(/6000×6000 pixels; at most 800×800/);
  });

  it('puts the logo right after ^XA', () => {
    expect(withLogo('^XA^FDx^FS^XZ', '^GFA,1,1,1,:Z64:AA==:0000', 10, 20)).toBe(
      '^XA^FO10,20^GFA,1,1,1,:Z64:AA==:0000^FS^FDx^FS^XZ',
    );
  });
});

describe('pngToGraphicFieldAsync', () => {
  it('gives the same ^GF as the synchronous conversion, and refuses what it refuses', async () => {
    const png = checkerboard(64);
    expect(await pngToGraphicFieldAsync(png)).toBe(pngToGraphicField(png));
    await expect(pngToGraphicFieldAsync(Buffer.from('GIF89a'))).rejects.toThrowError(LabelImageError);
    const broken = Buffer.concat([checkerboard(16).subarray(0, 40), Buffer.alloc(20)]);
    await expect(pngToGraphicFieldAsync(broken)).rejects.toThrowError(LabelImageError);
    // a failed conversion does not stop the next one
    expect(await pngToGraphicFieldAsync(png)).toBe(pngToGraphicField(png));
  });
});

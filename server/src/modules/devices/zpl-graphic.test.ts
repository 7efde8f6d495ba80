import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { LabelImageError, pngToGraphicField, withLogo } from './zpl-graphic.js';

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

  it('puts the logo right after ^XA', () => {
    expect(withLogo('^XA^FDx^FS^XZ', '^GFA,1,1,1,:Z64:AA==:0000', 10, 20)).toBe(
      '^XA^FO10,20^GFA,1,1,1,:Z64:AA==:0000^FS^FDx^FS^XZ',
    );
  });
});

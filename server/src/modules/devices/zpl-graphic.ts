import { PNG } from 'pngjs';
import zplImage from 'zpl-image';

export class LabelImageError extends Error {}

/**
 * A PNG (a logo) as a ZPL `^GF` graphic field, via zpl-image (Z64: zlib + base64 + CRC, ZPL II
 * Programming Guide "^GF Graphic Field"). Pixels darker than `blackThreshold` percent print.
 */
export function pngToGraphicField(png: Buffer, options: { blackThreshold?: number } = {}): string {
  let image: PNG;
  try {
    image = PNG.sync.read(png);
  } catch (error) {
    throw new LabelImageError(`the logo is not a readable PNG image: ${(error as Error).message}`);
  }
  if (image.width > 2000 || image.height > 2000)
    throw new LabelImageError(`the logo is ${image.width}×${image.height} pixels; at most 2000×2000 fits a label`);
  const result = zplImage.rgbaToZ64(image.data, image.width, { black: options.blackThreshold ?? 50 });
  return `^GFA,${result.length},${result.length},${result.rowlen},${result.z64}`;
}

/** Places the graphic at (x, y) dots, right after `^XA`. */
export function withLogo(zpl: string, graphicField: string, x: number, y: number): string {
  return zpl.replace(/\^XA/, `^XA^FO${x},${y}${graphicField}^FS`);
}

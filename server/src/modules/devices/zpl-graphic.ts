import { imageSize } from 'image-size';
import { PNG } from 'pngjs';
import zplImage from 'zpl-image';

export class LabelImageError extends Error {}

/**
 * A PNG (a logo) as a ZPL `^GF` graphic field, via zpl-image (Z64: zlib + base64 + CRC, ZPL II
 * Programming Guide "^GF Graphic Field"). Pixels darker than `blackThreshold` percent print.
 */
/**
 * A logo is a corner of a label: 800×800 dots is 4 in at 203 dpi, 2.7 in at 300 dpi. The cap also
 * bounds the decode, which runs on the server's event loop (measured on this 2-core machine, warm:
 * 15 ms at 800×800, 25 ms at 1000×1000, 106 ms at 2000×2000).
 */
export const MAX_LOGO_PIXELS = 800;

/**
 * Width and height from the PNG header (IHDR), read before any pixel is decoded: a small file can
 * hold a huge image (a 197 KB PNG of 6000×6000 pixels decodes to 144 MB and blocks the server).
 */
export function logoSize(png: Uint8Array): { width: number; height: number } {
  let size: { type?: string; width?: number; height?: number };
  try {
    size = imageSize(png);
  } catch (error) {
    throw new LabelImageError(`the logo is not a readable PNG image: ${(error as Error).message}`);
  }
  if (size.type !== 'png' || !size.width || !size.height)
    throw new LabelImageError(`the logo is not a PNG image (it reads as ${size.type ?? 'unknown'})`);
  return { width: size.width, height: size.height };
}

export function pngToGraphicField(png: Buffer, options: { blackThreshold?: number } = {}): string {
  const declared = logoSize(png);
  if (declared.width > MAX_LOGO_PIXELS || declared.height > MAX_LOGO_PIXELS)
    throw new LabelImageError(
      `the logo is ${declared.width}×${declared.height} pixels; at most ${MAX_LOGO_PIXELS}×${MAX_LOGO_PIXELS} fits a label`,
    );
  let image: PNG;
  try {
    image = PNG.sync.read(png);
  } catch (error) {
    throw new LabelImageError(`the logo is not a readable PNG image: ${(error as Error).message}`);
  }
  const result = zplImage.rgbaToZ64(image.data, image.width, { black: options.blackThreshold ?? 50 });
  return `^GFA,${result.length},${result.length},${result.rowlen},${result.z64}`;
}

/** Places the graphic at (x, y) dots, right after `^XA`. */
export function withLogo(zpl: string, graphicField: string, x: number, y: number): string {
  return zpl.replace(/\^XA/, `^XA^FO${x},${y}${graphicField}^FS`);
}

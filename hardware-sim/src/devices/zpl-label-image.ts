import { scanRGBABuffer } from '@undecaf/zbar-wasm';
import { PNG } from 'pngjs';
import { ready } from 'zpl-renderer-js';

/**
 * A printed label as a picture, and what a scanner reads off it — checked by programs that share
 * no code with the label builder: ZPL rendered by zebrash (a ZPL renderer in Go, as WebAssembly in
 * zpl-renderer-js) and barcodes read back by ZBar (@undecaf/zbar-wasm). Where zpl-barcodes.ts reads
 * the barcode *commands*, this reads the *bars*. For tests and label checks; its libraries are
 * development dependencies of the simulator, not needed to run it.
 */

export interface LabelImage {
  width: number;
  height: number;
  /** RGBA, row by row. */
  rgba: Uint8Array;
}

export interface ScannedBarcode {
  /** ZBar's symbology name, e.g. CODE-128. */
  type: string;
  data: string;
  /** Bounding box of the points ZBar located the symbol at. */
  box: { x0: number; y0: number; x1: number; y1: number };
}

/** Renders one `^XA … ^XZ` format at 8 dots/mm; a 4×6 in label by default. */
export async function renderLabel(zpl: string, widthMm = 101.6, heightMm = 152.4): Promise<LabelImage> {
  const { api } = await ready;
  const png = PNG.sync.read(Buffer.from(await api.zplToBase64Async(zpl, widthMm, heightMm, 8), 'base64'));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
}

/** True where the dot at (x, y) prints (dark). */
export function isInked(image: LabelImage, x: number, y: number): boolean {
  const i = (y * image.width + x) * 4;
  const { rgba } = image;
  return rgba[i + 3] > 127 && rgba[i] * 0.3 + rgba[i + 1] * 0.59 + rgba[i + 2] * 0.11 < 128;
}

/** The printing dots of the image inside none of `boxes` (each box inclusive of x0/y0, exclusive of x1/y1). */
export function inkOutside(
  image: LabelImage,
  boxes: ReadonlyArray<{ x0: number; y0: number; x1: number; y1: number }>,
): Array<{ x: number; y: number }> {
  const stray: Array<{ x: number; y: number }> = [];
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      if (isInked(image, x, y) && !boxes.some((b) => x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1))
        stray.push({ x, y });
  return stray;
}

/** Every barcode ZBar finds in the image. */
export async function scanBarcodes(image: LabelImage): Promise<ScannedBarcode[]> {
  const copy = image.rgba.slice();
  const symbols = await scanRGBABuffer(copy.buffer, image.width, image.height);
  return symbols.map((symbol) => {
    const xs = symbol.points.map((p) => p.x);
    const ys = symbol.points.map((p) => p.y);
    return {
      type: symbol.typeName.replace(/^ZBAR_/, '').replace('CODE128', 'CODE-128'),
      data: symbol.decode(),
      box: { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) },
    };
  });
}

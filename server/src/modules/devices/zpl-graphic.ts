import { Worker } from 'node:worker_threads';
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
  checkLogoSize(png);
  let image: PNG;
  try {
    image = PNG.sync.read(png);
  } catch (error) {
    throw new LabelImageError(`the logo is not a readable PNG image: ${(error as Error).message}`);
  }
  return graphicField(image, options);
}

function checkLogoSize(png: Uint8Array): void {
  const declared = logoSize(png);
  if (declared.width > MAX_LOGO_PIXELS || declared.height > MAX_LOGO_PIXELS)
    throw new LabelImageError(
      `the logo is ${declared.width}×${declared.height} pixels; at most ${MAX_LOGO_PIXELS}×${MAX_LOGO_PIXELS} fits a label`,
    );
}

function graphicField(image: PNG, options: { blackThreshold?: number }): string {
  const result = zplImage.rgbaToZ64(image.data, image.width, { black: options.blackThreshold ?? 50 });
  return `^GFA,${result.length},${result.length},${result.rowlen},${result.z64}`;
}

/** The conversions' worker thread, started on the first logo and restarted if it ever dies. */
let worker: Worker | null = null;
let nextJob = 0;
const waiting = new Map<number, { resolve: (field: string) => void; reject: (error: Error) => void }>();

function logoWorker(): Worker {
  if (worker) return worker;
  // from source (tests, Node's type stripping) the worker is the .ts file beside this one; built, the .js
  const file = import.meta.url.endsWith('.ts') ? './logo.worker.ts' : './logo.worker.js';
  const started = new Worker(new URL(file, import.meta.url));
  started.unref();
  started.on('message', (answer: { id: number; field?: string; error?: string }) => {
    const job = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.field !== undefined) job?.resolve(answer.field);
    else job?.reject(new LabelImageError(answer.error ?? 'the logo could not be converted'));
  });
  const fail = (error: Error) => {
    if (worker === started) worker = null;
    for (const job of waiting.values()) job.reject(new Error(`the logo converter stopped: ${error.message}`));
    waiting.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  worker = started;
  return started;
}

/**
 * The same as `pngToGraphicField`, for the server: the size is checked here from the header, the
 * decoding and ^GF encoding run in a worker thread. A print with a logo never holds the event loop
 * (the stall test measures it), however many stations print at once.
 */
export async function pngToGraphicFieldAsync(png: Buffer, options: { blackThreshold?: number } = {}): Promise<string> {
  checkLogoSize(png);
  const id = ++nextJob;
  const field = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
  const target = logoWorker();
  target.ref();
  try {
    target.postMessage({ id, png: new Uint8Array(png), black: options.blackThreshold ?? 50 });
    return await field;
  } finally {
    if (!waiting.size) target.unref();
  }
}

/** Places the graphic at (x, y) dots, right after `^XA`. */
export function withLogo(zpl: string, graphicField: string, x: number, y: number): string {
  return zpl.replace(/\^XA/, `^XA^FO${x},${y}${graphicField}^FS`);
}

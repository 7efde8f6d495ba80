import { PNG } from 'pngjs';

/**
 * The box labels as a picture for the seller's screen and office printer: the very ZPL the
 * warehouse's printers get, rendered by zebrash (zpl-renderer-js) at 8 dots/mm, the labels one
 * under the other. Loaded on first use: the renderer is large and only label previews need it.
 */
let renderer: Promise<{ zplToBase64Async(zpl: string, w: number, h: number, dpmm: number): Promise<string> }> | null =
  null;

async function api() {
  renderer ??= import('zpl-renderer-js').then(async (m) => (await m.ready).api);
  return renderer;
}

export async function renderLabelsPng(zpls: string[], widthMm = 101.6, heightMm = 152.4): Promise<Buffer> {
  const r = await api();
  const pages: PNG[] = [];
  for (const zpl of zpls)
    pages.push(PNG.sync.read(Buffer.from(await r.zplToBase64Async(zpl, widthMm, heightMm, 8), 'base64')));
  if (pages.length === 1) return PNG.sync.write(pages[0]);
  const width = Math.max(...pages.map((p) => p.width));
  const height = pages.reduce((n, p) => n + p.height, 0);
  const out = new PNG({ width, height });
  out.data.fill(255);
  let y = 0;
  for (const p of pages) {
    PNG.bitblt(p, out, 0, 0, p.width, p.height, 0, y);
    y += p.height;
  }
  return PNG.sync.write(out);
}

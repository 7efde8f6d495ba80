import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import zplImage from 'zpl-image';
import { linePitch, type MeasureText } from './label-text.js';

/**
 * Label text drawn on the server into a ZPL `^GF` graphic field, so Chinese prints on any Zebra
 * printer, with or without a Chinese font file on it. Text is laid out with the same font that
 * measured it (label-text.ts fits it to its box with `measureLabelText`), so what prints is what was
 * measured.
 *
 * The font is WenQuanYi Micro Hei (Apache-2.0), subset to Latin-1, the GB 2312 symbols and all
 * 20,902 ideographs of the CJK Unified Ideographs block: server/assets/fonts/ (see its README). It is
 * rasterised with @napi-rs/canvas (Skia; its prebuilt binary comes inside the npm package) and packed
 * as Z64 with zpl-image, as the logo is (devices/zpl-graphic.ts).
 */

export const LABEL_FONT_FILE = fileURLToPath(new URL('../../../assets/fonts/wqy-microhei-label.ttf', import.meta.url));
const FAMILY = 'WMS Label Text';

export class LabelFontError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelFontError';
  }
}

let measuring: SKRSContext2D | null = null;

/** Registers the label font once; a missing file is a clear error, not a label of empty boxes. */
function context(): SKRSContext2D {
  if (measuring) return measuring;
  if (!existsSync(LABEL_FONT_FILE))
    throw new LabelFontError(
      `the label font ${LABEL_FONT_FILE} is missing: it ships with the repository (server/assets/fonts); restore it, or set LABEL_CJK_FONT to a printer font`,
    );
  if (!GlobalFonts.registerFromPath(LABEL_FONT_FILE, FAMILY))
    throw new LabelFontError(`the label font ${LABEL_FONT_FILE} could not be loaded`);
  measuring = createCanvas(8, 8).getContext('2d');
  return measuring;
}

const fontOf = (size: number) => `${size}px "${FAMILY}"`;

const advances = new Map<string, number>();

/** How far one character moves the pen at `size` (Skia's measure, cached: fitting asks often). */
function advance(character: string, size: number): number {
  const key = `${size}:${character}`;
  let width = advances.get(key);
  if (width === undefined) {
    const ctx = context();
    ctx.font = fontOf(size);
    width = ctx.measureText(character).width;
    // bounded by the font's repertoire times the sizes used; cleared if odd input ever fills it
    if (advances.size > 100_000) advances.clear();
    advances.set(key, width);
  }
  return width;
}

/**
 * The width in dots of `text` at height `size`: the characters' advances without kerning (which
 * only narrows), plus two dots for a last glyph's ink reaching past its advance.
 */
export const measureLabelText: MeasureText = (text, size) => {
  let width = 0;
  for (const character of text) width += advance(character, size);
  return Math.ceil(width) + 2;
};

export interface TextGraphic {
  /** `^GFA,…` (without `^FO` and `^FS`). */
  field: string;
  width: number;
  height: number;
}

/**
 * Lines drawn black on white, `linePitch(size)` apart, in a graphic `width` dots wide (a multiple
 * of 8: `^GF` rows are whole bytes); justified within it.
 */
export function drawTextGraphic(lines: string[], size: number, width: number, justify: 'L' | 'C' | 'R'): TextGraphic {
  if (width % 8 !== 0) throw new RangeError(`a text graphic is whole bytes wide: ${width} dots is not a multiple of 8`);
  context();
  const pitch = linePitch(size);
  const graphicWidth = width;
  const height = lines.length * pitch;
  const canvas = createCanvas(graphicWidth, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, graphicWidth, height);
  ctx.fillStyle = '#000000';
  ctx.font = fontOf(size);
  ctx.textBaseline = 'alphabetic';
  const sample = ctx.measureText('国Ág');
  const ascent = sample.fontBoundingBoxAscent;
  const descent = sample.fontBoundingBoxDescent;
  // The font's line box, centred in the pitch.
  const top = Math.max(0, (pitch - ascent - descent) / 2);
  lines.forEach((line, i) => {
    const lineWidth = measureLabelText(line, size);
    const x = justify === 'L' ? 0 : justify === 'C' ? (width - lineWidth) / 2 : width - lineWidth;
    ctx.fillText(line, Math.max(0, Math.floor(x)), Math.round(i * pitch + top + ascent));
  });
  const rgba = new Uint8Array(ctx.getImageData(0, 0, graphicWidth, height).data.buffer);
  // notrim: the graphic keeps its box's size and origin, blank margins included.
  const grf = zplImage.rgbaToZ64(rgba, graphicWidth, { black: 50, notrim: true });
  return { field: `^GFA,${grf.length},${grf.length},${grf.rowlen},${grf.z64}`, width: graphicWidth, height };
}

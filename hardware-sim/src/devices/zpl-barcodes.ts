/**
 * What a printed ZPL label says to a scanner: its Code 128 barcodes (`^BC`) decoded the way a
 * Zebra printer encodes them, and its text fields (`^FD`, with `^FH` hex escapes undone). The
 * simulator reports these for every label, so tests and the demo check what would be scanned off
 * the parcel, not just which commands were sent.
 *
 * Code 128 field data (ZPL II Programming Guide, ^BC): in mode N (no selected mode) `>;` starts or
 * switches to subset C (digit pairs), `>:` subset B, `>9` subset A, `>8` is FNC1 and `>>` a literal
 * `>`. A symbol whose first character after the start is FNC1 is GS1-128; later FNC1s separate
 * variable-length element strings and read as GS (0x1D). In mode A (automatic) the data is taken
 * as it is; mode U (UCC case mode) and D (UCC/EAN with AIs in brackets) are read the same way as
 * GS1 data. Subset C must hold digit pairs: anything else is an encoding error, reported.
 *
 * Text drawn as a graphic (Chinese rendered by the server into `^GF`) is read from the `^FX text:`
 * comment the label builder writes before it; zpl-label-image.ts renders the label to check the
 * pixels themselves.
 */
export interface DecodedBarcode {
  symbology: 'code128' | 'gs1-128';
  /** What a scanner sends: GS1 data as its element string with GS separators. */
  data: string;
  /** Problems a scanner would hit (odd digits in subset C, unknown invocation code). */
  errors: string[];
}

export interface DecodedLabel {
  barcodes: DecodedBarcode[];
  texts: string[];
}

const GS = '\u001d';

function decodeCode128(fieldData: string, mode: string): DecodedBarcode {
  const errors: string[] = [];
  if (mode !== 'N') {
    const gs1 = mode === 'D' || mode === 'U';
    return { symbology: gs1 ? 'gs1-128' : 'code128', data: fieldData.replace(/[()]/g, ''), errors };
  }
  let subset: 'A' | 'B' | 'C' = 'B';
  let out = '';
  let gs1 = false;
  let first = true;
  for (let i = 0; i < fieldData.length; ) {
    const c = fieldData[i];
    if (c === '>' && i + 1 < fieldData.length) {
      const code = fieldData[i + 1];
      i += 2;
      if (code === ';') subset = 'C';
      else if (code === ':') subset = 'B';
      else if (code === '9') subset = 'A';
      else if (code === '8') {
        if (first) gs1 = true;
        else out += GS;
        first = false;
      } else if (code === '>') {
        out += '>';
        first = false;
      } else errors.push(`unknown invocation code >${code}`);
      continue;
    }
    if (subset === 'C') {
      const pair = fieldData.slice(i, i + 2);
      if (!/^\d\d$/.test(pair)) {
        errors.push(`subset C needs digit pairs, got "${pair}" at ${i}`);
        i += 1;
        continue;
      }
      out += pair;
      i += 2;
    } else {
      out += c;
      i += 1;
    }
    first = false;
  }
  return { symbology: gs1 ? 'gs1-128' : 'code128', data: out, errors };
}

function unescapeHex(data: string, indicator: string): string {
  const bytes: number[] = [];
  const text = Buffer.from(data, 'utf8');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === indicator.charCodeAt(0) && i + 2 < text.length) {
      const hex = text.subarray(i + 1, i + 3).toString('latin1');
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    bytes.push(text[i]);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Reads every field of one label format (`^XA` … `^XZ`). */
export function decodeLabel(zpl: string): DecodedLabel {
  const barcodes: DecodedBarcode[] = [];
  const texts: string[] = [];
  let pendingBarcode: string | null = null;
  let hexIndicator: string | null = null;
  for (const command of zpl.split('^').slice(1)) {
    const name = command.slice(0, 2).toUpperCase();
    const args = command.slice(2);
    if (name === 'BC') {
      pendingBarcode = (args.split(',')[5] ?? 'N').trim().toUpperCase() || 'N';
    } else if (name === 'FH') {
      hexIndicator = args[0] && args[0] !== '^' ? args[0] : '_';
    } else if (name === 'FD') {
      const data = args.replace(/[\r\n]+$/, '');
      if (pendingBarcode !== null) barcodes.push(decodeCode128(data, pendingBarcode));
      else texts.push(hexIndicator ? unescapeHex(data, hexIndicator) : data);
    } else if (name === 'FX') {
      // `^FX text:…`: what the next text graphic (`^GF`) shows, `_XX`-escaped like `^FH_` data.
      const shown = /^\s*text:(.*)$/s.exec(args)?.[1];
      if (shown !== undefined) texts.push(unescapeHex(shown.replace(/[\r\n]+$/, ''), '_'));
    } else if (name === 'FS') {
      pendingBarcode = null;
      hexIndicator = null;
    }
  }
  return { barcodes, texts };
}

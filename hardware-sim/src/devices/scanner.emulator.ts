/**
 * A serial barcode scanner, device side: what it puts on the wire for one read (DOMAIN.md §9:
 * optional AIM symbology prefix, data with FNC1 as GS, then CR or CRLF), plus the faults real
 * scanners and cables produce. Pure functions: no I/O, no clock, no Math.random.
 */
export interface ScanOptions {
  terminator?: 'CR' | 'CRLF';
  /** AIM symbology identifier to send first, e.g. `]C1`. */
  aimPrefix?: string;
}

export function encodeScan(code: string, options: ScanOptions = {}): Uint8Array {
  const terminator = options.terminator === 'CR' ? '\r' : '\r\n';
  return new Uint8Array(Buffer.from(`${options.aimPrefix ?? ''}${code}${terminator}`, 'utf8'));
}

/** Every byte on its own: the hardest way a port can cut a frame. */
export function splitEveryByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

/** Deterministic line noise (seeded xorshift32), never containing CR or LF so it stays in one frame. */
export function garbage(length: number, seed: number): Uint8Array {
  let state = seed >>> 0 || 0x9e3779b9;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    let byte = state & 0xff;
    if (byte === 0x0d || byte === 0x0a) byte = 0x3f;
    out[i] = byte;
  }
  return out;
}

/** Many reads back to back, as one buffer (a burst). */
export function burst(codes: string[], options: ScanOptions = {}): Uint8Array {
  return new Uint8Array(Buffer.concat(codes.map((code) => encodeScan(code, options))));
}

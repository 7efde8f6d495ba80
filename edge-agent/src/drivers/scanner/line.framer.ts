/**
 * Serial barcode scanners send one read per line, ending CR or CRLF (DOMAIN.md §9); some send a
 * lone LF. The framer turns a byte stream, cut anywhere by the port, into whole lines.
 */
export type LineFrame = { kind: 'line'; bytes: Uint8Array } | { kind: 'too-long'; bytes: Uint8Array; detail: string };

const CR = 0x0d;
const LF = 0x0a;

export class LineFramer {
  private buffer: number[] = [];
  private overflowed = false;
  /** The last byte seen was CR: a following LF belongs to it (CRLF split across reads). */
  private afterCr = false;
  private readonly maxLineLength: number;

  constructor(options: { maxLineLength?: number } = {}) {
    this.maxLineLength = options.maxLineLength ?? 4096;
  }

  push(chunk: Uint8Array): LineFrame[] {
    const frames: LineFrame[] = [];
    for (const byte of chunk) {
      if (byte === LF && this.afterCr) {
        this.afterCr = false;
        continue;
      }
      this.afterCr = byte === CR;
      if (byte === CR || byte === LF) {
        frames.push(this.take());
        continue;
      }
      if (this.buffer.length >= this.maxLineLength) {
        this.overflowed = true;
        continue; // drop until the next terminator, then report once
      }
      this.buffer.push(byte);
    }
    return frames;
  }

  /** At disconnect: the unfinished line, if any (never a scan: the read may be cut). */
  flush(): { bytes: Uint8Array } | null {
    const partial = this.buffer.length ? { bytes: Uint8Array.from(this.buffer) } : null;
    this.buffer = [];
    this.overflowed = false;
    this.afterCr = false;
    return partial;
  }

  private take(): LineFrame {
    const bytes = Uint8Array.from(this.buffer);
    this.buffer = [];
    if (this.overflowed) {
      this.overflowed = false;
      return { kind: 'too-long', bytes, detail: `line longer than ${this.maxLineLength} bytes; skipped` };
    }
    return { kind: 'line', bytes };
  }
}

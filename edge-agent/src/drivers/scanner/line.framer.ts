/**
 * Serial barcode scanners send one read per line, ending CR or CRLF (DOMAIN.md §9); some send a
 * lone LF. The framer turns a byte stream, cut anywhere by the port, into whole lines.
 *
 * A line is a scan only when its first byte is known to start a line. At a port open, the device
 * tells the framer what it knows (`open`):
 *  - `lineStart: true`: the stream continues at a line start: the last run stored that it had
 *    seen a terminator last, and nothing was thrown away since (the port is opened without a
 *    flush); or no byte was waiting at the open, so the first byte to come is a new read's first.
 *  - `lineStart: false`: bytes were waiting at the open with nothing known about what came before
 *    them, or the last run stored that it stopped in the middle of a line (`tailOfCutRead`).
 *    Everything up to the first terminator is then the end of a read whose start is gone: it is
 *    returned as a `partial` frame with its byte count, never as a line. With `tailOfCutRead` a
 *    partial is returned even when the terminator comes first (0 bytes), so the cut read is
 *    still accounted for.
 * An unfinished line when the port closes (or opens again) is `partial` too.
 */
export type LineFrame =
  | { kind: 'line'; bytes: Uint8Array }
  | { kind: 'too-long'; bytes: Uint8Array; detail: string }
  | { kind: 'partial'; bytes: Uint8Array; detail: string };

const CR = 0x0d;
const LF = 0x0a;

export interface LineFramerOptions {
  maxLineLength?: number;
}

export interface LineOpen {
  lineStart: boolean;
  /** The last run stopped inside a read: the bytes up to the first terminator are its tail. */
  tailOfCutRead?: boolean;
  /** Said of an unfinished line from before this open (default: cut when the port closed). */
  cutReason?: string;
}

export class LineFramer {
  private buffer: number[] = [];
  private overflowed = false;
  /** Bytes of the current line dropped past `maxLineLength` (counted, for discard reports). */
  private dropped = 0;
  /** The last byte seen was CR: a following LF belongs to it (CRLF split across reads). */
  private afterCr = false;
  /** Bytes up to the next terminator may be the tail of a cut read (set by `open`). */
  private suspect = false;
  /** Report the suspect tail even when it is empty. */
  private tailExpected = false;
  private readonly maxLineLength: number;

  constructor(options: LineFramerOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? 4096;
  }

  /**
   * The port (re)opened. An unfinished line from before is given back as `partial`; unless
   * `lineStart`, the next bytes up to a terminator are suspect (see the comment at the top).
   */
  open(options: LineOpen): LineFrame[] {
    const frames: LineFrame[] = [];
    const count = this.buffer.length + this.dropped;
    const cut = this.flush();
    if (cut) {
      const why = options.cutReason ?? 'line cut when the port closed';
      frames.push({ kind: 'partial', bytes: cut.bytes, detail: `${why}: ${count} bytes discarded` });
    }
    this.suspect = !options.lineStart;
    this.tailExpected = !options.lineStart && !!options.tailOfCutRead;
    return frames;
  }

  /** True when the next byte starts a line: nothing unfinished and nothing suspect. */
  get atLineStart(): boolean {
    return this.buffer.length === 0 && !this.overflowed && !this.suspect;
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
        if (this.suspect) {
          this.suspect = false;
          const bytes = Uint8Array.from(this.buffer);
          const count = bytes.length + this.dropped;
          this.buffer = [];
          this.overflowed = false;
          this.dropped = 0;
          // a terminator first: nothing to discard, unless a read is known to have been cut
          if (count || this.tailExpected) {
            const why = this.tailExpected ? ' (the rest of a read cut when the agent stopped)' : '';
            frames.push({
              kind: 'partial',
              bytes,
              detail: `partial line at port open: ${count} bytes discarded${why}`,
            });
          }
          this.tailExpected = false;
          continue;
        }
        frames.push(this.take());
        continue;
      }
      if (this.buffer.length >= this.maxLineLength) {
        this.overflowed = true;
        this.dropped++;
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
    this.dropped = 0;
    this.afterCr = false;
    return partial;
  }

  private take(): LineFrame {
    const bytes = Uint8Array.from(this.buffer);
    const count = bytes.length + this.dropped;
    this.buffer = [];
    this.dropped = 0;
    if (this.overflowed) {
      this.overflowed = false;
      return { kind: 'too-long', bytes, detail: `line of ${count} bytes, longer than ${this.maxLineLength}; skipped` };
    }
    return { kind: 'line', bytes };
  }
}

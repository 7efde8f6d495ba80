/**
 * Serial barcode scanners send one read per line, ending CR or CRLF (DOMAIN.md §9); some send a
 * lone LF. The framer turns a byte stream, cut anywhere by the port, into whole lines.
 *
 * A line is a scan only when its first byte is known to start a line. After the port opens (at
 * start, or after a reconnect) that is known only when:
 *  - the previous byte seen on this port was a terminator (the framer's own state, or what the
 *    agent persisted when it last stopped: `open(at, { lineStart: true })`), and no byte can have
 *    been lost in between; or
 *  - the first byte arrives after `quietGapMs` of silence since the open: a scanner sends a read
 *    in one burst, so a byte after a quiet gap begins a new read.
 * Otherwise (bytes already waiting at open, or arriving at once) they may be the tail of a read
 * cut by the restart: everything up to the first terminator is discarded as a `partial` frame
 * with its byte count, never a line. An unfinished line when the port closes is `partial` too.
 */
export type LineFrame =
  | { kind: 'line'; bytes: Uint8Array }
  | { kind: 'too-long'; bytes: Uint8Array; detail: string }
  | { kind: 'partial'; bytes: Uint8Array; detail: string };

const CR = 0x0d;
const LF = 0x0a;

export interface LineFramerOptions {
  maxLineLength?: number;
  /** Silence after an open that makes the next byte the start of a read (default 50 ms). */
  quietGapMs?: number;
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
  /** Time of the open, for the quiet-gap rule; null once a byte has arrived since. */
  private openedAt: number | null = null;
  private readonly maxLineLength: number;
  private readonly quietGapMs: number;

  constructor(options: LineFramerOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? 4096;
    this.quietGapMs = options.quietGapMs ?? 50;
  }

  /**
   * The port (re)opened at `at`. An unfinished line from before is given back as `partial`;
   * unless `lineStart` says the stream is known to continue at a line start, the next bytes up to
   * a terminator are suspect (see the class comment).
   */
  open(at: number, options: { lineStart: boolean; cutReason?: string }): LineFrame[] {
    const frames: LineFrame[] = [];
    const count = this.buffer.length + this.dropped;
    const cut = this.flush();
    if (cut) {
      const why = options.cutReason ?? 'line cut when the port closed';
      frames.push({ kind: 'partial', bytes: cut.bytes, detail: `${why}: ${count} bytes discarded` });
    }
    this.suspect = !options.lineStart;
    this.openedAt = at;
    return frames;
  }

  /** True when the next byte starts a line: nothing unfinished and nothing suspect. */
  get atLineStart(): boolean {
    return this.buffer.length === 0 && !this.overflowed && !this.suspect;
  }

  /** `at` (ms) is when the chunk arrived; it matters only for the first chunk after `open`. */
  push(chunk: Uint8Array, at?: number): LineFrame[] {
    const frames: LineFrame[] = [];
    if (chunk.length && this.openedAt !== null) {
      if (this.suspect && at !== undefined && at - this.openedAt >= this.quietGapMs) this.suspect = false;
      this.openedAt = null;
    }
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
          // a terminator first: the cut fell exactly between two reads, nothing to discard
          if (count)
            frames.push({ kind: 'partial', bytes, detail: `partial line at port open: ${count} bytes discarded` });
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

/**
 * A Zebra ZPL label printer, device side, as a state machine (DOMAIN.md §9): bytes in; reply bytes
 * and printed labels out. Time is passed in.
 *
 * Protocol sources: Zebra "ZPL II Programming Guide" (45541L-004):
 *   - `^XA` opens a label format and `^XZ` closes it; bytes outside a format are ignored;
 *   - `~HS` (Host Status Return): three strings, each STX … ETX CR LF —
 *       1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l   b paper out, c pause, dddd label length (dots),
 *          eee formats in the receive buffer, f buffer full, g comms diagnostics, h partial format,
 *          iii unused (000), j corrupt RAM, k under temperature, l over temperature
 *       2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www   o head up, p ribbon out, q thermal-transfer mode,
 *          r print mode, s print width mode, t label waiting, uuuuuuuu labels remaining in batch,
 *          v format while printing (always 1), www graphics stored
 *       3: xxxx,y                              password, static RAM installed
 *   - `~HQES` (Host Query, printer status): `PRINTER STATUS`, then `ERRORS:` and `WARNINGS:` lines of
 *     `flag group2 group1` (flag 1 = any set; eight hex nibbles each). Error group 1, nibble 1:
 *     media out 1, ribbon out 2, head open 4, cutter fault 8 (same error-flag table as `~WQ`).
 *   - `~PS` print start (leave pause), `~PP` programmable pause, `~JA` cancel all queued formats.
 * Tilde commands act on arrival, inside a format or not, as on the printer.
 *
 * Zebra's current manual notes that some printers do not answer `~HS` at all while media out, ribbon
 * out or head open; this emulator answers (so the flags can be read) unless `noReply` is set, which
 * models exactly that silent printer.
 *
 * A label tagged `^FX job:<id>` (the agent writes `^FXjob:<id>^FS`) whose job was already printed is
 * acknowledged and not printed again, so a retried print job cannot produce a second label.
 */

export interface PrintedLabel {
  /** The whole format, `^XA` … `^XZ`, as UTF-8 text (field data may carry `^CI28` Chinese). */
  zpl: string;
  jobId: string | null;
  /** When its `^XZ` arrived. */
  receivedAt: number;
  /** When it came out of the printer (later than `receivedAt` if it waited out a fault). */
  printedAt: number;
}

export type PrinterFault = 'paperOut' | 'headOpen' | 'ribbonOut' | 'paused' | 'noReply';

export interface PrinterReceiveResult {
  /** Bytes to send back to the host (empty when nothing was asked, or the printer is silent). */
  reply: Uint8Array;
  /** Labels that came out because of these bytes. */
  printed: PrintedLabel[];
  /** Job ids that arrived again after printing: acknowledged, not printed. */
  duplicates: string[];
}

/** One host link (a TCP connection, the serial line) with its own half-received format. */
export interface PrinterConnection {
  receive(bytes: Uint8Array, nowMs?: number): PrinterReceiveResult;
  /** The link dropped: a half-received format is discarded, never printed. */
  close(): void;
  readonly partialFormat: boolean;
}

export interface ZplPrinterOptions {
  /** Reported in `~HS` field dddd. Default 1218 dots (6 in at 203 dpi). */
  labelLengthDots?: number;
}

type ControlCommand = '~HS' | '~HQES' | '~PS' | '~PP' | '~JA';
type Token = '^XA' | '^XZ' | ControlCommand;

const TOKENS: readonly Token[] = ['^XA', '^XZ', '~HQES', '~HS', '~PS', '~PP', '~JA'];
const TOKEN_BYTES = TOKENS.map((t) => ({ token: t, bytes: Buffer.from(t, 'ascii') }));
const CARET = 0x5e;
const TILDE = 0x7e;
const STX = '\x02';
const ETX = '\x03';

type ParsedEvent = { kind: 'format'; bytes: Buffer } | { kind: 'control'; command: ControlCommand };

/**
 * Splits one link's byte stream into complete formats and control commands. Commands may arrive cut
 * anywhere: up to four bytes of a possible command prefix are held back until the rest comes.
 */
class ZplStreamParser {
  private pending: Buffer = Buffer.alloc(0);
  private format: Buffer[] | null = null;

  get inFormat(): boolean {
    return this.format !== null;
  }

  /**
   * Feeds bytes; `onEvent` runs as each format or command is met, so a status reply describes the
   * printer at that point in the stream, not after the rest of the chunk.
   */
  push(chunk: Uint8Array, onEvent: (event: ParsedEvent) => void): void {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    let pos = 0;
    while (pos < buf.length) {
      const marker = nextMarker(buf, pos);
      const upTo = marker === -1 ? buf.length : marker;
      if (this.format && upTo > pos) this.format.push(buf.subarray(pos, upTo));
      pos = upTo;
      if (marker === -1) break;
      const match = matchToken(buf, pos);
      if (match === 'need-more') break;
      if (match === null) {
        // An ordinary `^FO`, `~DG`, … : part of the format if one is open, noise otherwise.
        if (this.format) this.format.push(buf.subarray(pos, pos + 1));
        pos += 1;
        continue;
      }
      pos += match.length;
      if (match === '^XA') {
        // A new format before the last one ended: the unfinished one (an agent that died mid-label and
        // started over) is dropped rather than glued to the next — a half label is never printed.
        this.format = [Buffer.from('^XA')];
      } else if (match === '^XZ') {
        if (this.format) {
          this.format.push(Buffer.from('^XZ'));
          const bytes = Buffer.concat(this.format);
          this.format = null;
          onEvent({ kind: 'format', bytes });
        }
      } else {
        onEvent({ kind: 'control', command: match });
      }
    }
    this.pending = Buffer.from(buf.subarray(pos));
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
    this.format = null;
  }
}

function nextMarker(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] === CARET || buf[i] === TILDE) return i;
  return -1;
}

function matchToken(buf: Buffer, pos: number): Token | 'need-more' | null {
  const available = buf.length - pos;
  let needMore = false;
  for (const { token, bytes } of TOKEN_BYTES) {
    const n = Math.min(available, bytes.length);
    if (buf.compare(bytes, 0, n, pos, pos + n) !== 0) continue;
    if (n === bytes.length) return token;
    needMore = true;
  }
  return needMore ? 'need-more' : null;
}

/** `^FX job:<id>` or `^FXjob:<id>`: the id runs to the next command prefix or blank. */
function jobIdOf(zpl: string): string | null {
  return /\^FX\s*job:\s*([^^~\s]+)/.exec(zpl)?.[1] ?? null;
}

interface QueuedFormat {
  zpl: string;
  jobId: string | null;
  receivedAt: number;
}

export class ZplPrinterEmulator {
  private readonly state: Record<PrinterFault, boolean> = {
    paperOut: false,
    headOpen: false,
    ribbonOut: false,
    paused: false,
    noReply: false,
  };
  private readonly labelLengthDots: number;
  private readonly queue: QueuedFormat[] = [];
  private readonly printed: PrintedLabel[] = [];
  private readonly jobsPrinted = new Set<string>();
  /** The printer's own default link (a serial line); always there. */
  private readonly serialLine = new ZplStreamParser();
  private readonly connections = new Set<ZplStreamParser>([this.serialLine]);
  private refused = 0;

  constructor(options: ZplPrinterOptions = {}) {
    this.labelLengthDots = options.labelLengthDots ?? 1218;
  }

  /** A copy of the fault flags. */
  get faults(): Record<PrinterFault, boolean> {
    return { ...this.state };
  }

  /** How many formats carrying an already printed job id were acknowledged without printing. */
  get duplicatesRefused(): number {
    return this.refused;
  }

  /** Formats received but waiting for a fault to clear. */
  get queuedFormats(): number {
    return this.queue.length;
  }

  /** Bytes on the printer's single default link (a serial line). */
  receive(bytes: Uint8Array, nowMs: number = Date.now()): PrinterReceiveResult {
    return this.handle(this.serialLine, bytes, nowMs);
  }

  /** The default link dropped (cable pulled, agent restarted): its half format is discarded. */
  disconnect(): void {
    this.serialLine.reset();
  }

  /** A new host link; each keeps its own half-received format, so links never splice labels. */
  openConnection(): PrinterConnection {
    const parser = new ZplStreamParser();
    this.connections.add(parser);
    return {
      receive: (bytes, nowMs = Date.now()) => this.handle(parser, bytes, nowMs),
      close: () => {
        parser.reset();
        this.connections.delete(parser);
      },
      get partialFormat() {
        return parser.inFormat;
      },
    };
  }

  /** Sets or clears a fault ('clear' clears all); returns what printed because a fault cleared. */
  setFault(fault: PrinterFault | 'clear', on = true, nowMs: number = Date.now()): PrintedLabel[] {
    if (fault === 'clear') for (const key of Object.keys(this.state) as PrinterFault[]) this.state[key] = false;
    else this.state[fault] = on;
    return this.printWaiting(nowMs).printed;
  }

  labels(): PrintedLabel[] {
    return this.printed.map((label) => ({ ...label }));
  }

  private handle(parser: ZplStreamParser, bytes: Uint8Array, nowMs: number): PrinterReceiveResult {
    const result: PrinterReceiveResult = { reply: new Uint8Array(), printed: [], duplicates: [] };
    let reply = '';
    parser.push(bytes, (event) => {
      if (event.kind === 'format') {
        const zpl = event.bytes.toString('utf8');
        this.queue.push({ zpl, jobId: jobIdOf(zpl), receivedAt: nowMs });
      } else {
        reply += this.control(event.command);
      }
      // Print as each event is handled, so a `~HS` after a label in the same chunk counts correctly.
      const step = this.printWaiting(nowMs);
      result.printed.push(...step.printed);
      result.duplicates.push(...step.duplicates);
    });
    result.reply = new Uint8Array(Buffer.from(reply, 'latin1'));
    return result;
  }

  private control(command: ControlCommand): string {
    switch (command) {
      case '~HS':
        return this.state.noReply ? '' : this.hostStatus();
      case '~HQES':
        return this.state.noReply ? '' : this.errorStatus();
      case '~PS':
        this.state.paused = false;
        return '';
      case '~PP':
        this.state.paused = true;
        return '';
      case '~JA':
        this.queue.length = 0;
        return '';
    }
  }

  private canPrint(): boolean {
    // Ribbon out stops a thermal-transfer printer (this one reports q = 1); a printer too faulted to
    // answer is not printing either.
    const s = this.state;
    return !s.paperOut && !s.headOpen && !s.ribbonOut && !s.paused && !s.noReply;
  }

  private printWaiting(nowMs: number): { printed: PrintedLabel[]; duplicates: string[] } {
    const printed: PrintedLabel[] = [];
    const duplicates: string[] = [];
    while (this.queue.length && this.canPrint()) {
      const next = this.queue.shift()!;
      if (next.jobId !== null && this.jobsPrinted.has(next.jobId)) {
        this.refused++;
        duplicates.push(next.jobId);
        continue;
      }
      if (next.jobId !== null) this.jobsPrinted.add(next.jobId);
      const label = { ...next, printedAt: nowMs };
      this.printed.push(label);
      printed.push({ ...label });
    }
    return { printed, duplicates };
  }

  private hostStatus(): string {
    const f = (on: boolean) => (on ? '1' : '0');
    const s = this.state;
    const partial = [...this.connections].some((c) => c.inFormat);
    const formats = String(Math.min(this.queue.length, 999)).padStart(3, '0');
    const length = String(Math.min(this.labelLengthDots, 9999)).padStart(4, '0');
    // aaa = 030: 9600 baud (a8 a2 a1 a0 = 0 110), 8 data bits (a3), 1 stop bit (a4), no parity, Xon/Xoff.
    const first = `030,${f(s.paperOut)},${f(s.paused)},${length},${formats},0,0,${f(partial)},000,0,0,0`;
    // mmm = 001 thermal transfer; r = 2 tear-off; s = 6 print width mode; v = 1 always.
    const second = `001,0,${f(s.headOpen)},${f(s.ribbonOut)},1,2,6,0,00000000,1,000`;
    const third = '1234,0';
    return [first, second, third].map((text) => `${STX}${text}${ETX}\r\n`).join('');
  }

  private errorStatus(): string {
    const s = this.state;
    const errors = (s.paperOut ? 0x1 : 0) | (s.ribbonOut ? 0x2 : 0) | (s.headOpen ? 0x4 : 0);
    const hex = errors.toString(16).toUpperCase().padStart(8, '0');
    return (
      `${STX}\r\n` +
      '  PRINTER STATUS\r\n' +
      `   ERRORS:         ${errors ? 1 : 0} 00000000 ${hex}\r\n` +
      '   WARNINGS:       0 00000000 00000000\r\n' +
      ETX
    );
  }
}

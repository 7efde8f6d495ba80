import { LineFramer } from '../scanner/line.framer.js';
import { toGrams } from './weight-units.js';

/**
 * Mettler Toledo MT-SICS (Standard Interface Command Set, level 0/1): 9600 8N1, commands and
 * replies end CR LF (DOMAIN.md §9). Replies are read by whitespace, never by column.
 */
export const mtSics = {
  /** Stable weight (the scale answers when stable, or `S I`). */
  stableWeight: () => command('S'),
  /** Weight immediately, stable (`S S`) or dynamic (`S D`). */
  immediateWeight: () => command('SI'),
  zero: () => command('Z'),
  tare: () => command('T'),
  clearTare: () => command('TAC'),
  reset: () => command('@'),
  serialNumber: () => command('I4'),
};

function command(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(`${text}\r\n`, 'ascii'));
}

export type MtSicsReply =
  | { kind: 'weight'; stable: true; grams: number; unit: string; raw: string }
  | { kind: 'motion'; grams: number; unit: string; raw: string }
  | { kind: 'tare'; grams: number; unit: string; raw: string }
  | { kind: 'busy'; command: string; raw: string }
  | { kind: 'overload'; command: string; raw: string }
  | { kind: 'underload'; command: string; raw: string }
  | { kind: 'ack'; command: string; raw: string }
  | { kind: 'serial-number'; value: string; raw: string }
  | { kind: 'error'; code: 'ES' | 'ET' | 'EL' | 'GARBLED' | 'TOO_LONG'; detail: string; raw: string };

const ERROR_TEXT = {
  ES: 'syntax error: the scale did not recognise the command',
  ET: 'transmission error: the scale received a corrupted command',
  EL: 'logical error: the scale cannot carry out the command now',
} as const;

/** Parses one reply line (without CR LF). */
export function parseMtSicsLine(line: string): MtSicsReply {
  const raw = line;
  const parts = line.trim().split(/\s+/);
  const [cmd, status, value, unit] = parts;
  if (cmd === 'ES' || cmd === 'ET' || cmd === 'EL') return { kind: 'error', code: cmd, detail: ERROR_TEXT[cmd], raw };
  if (cmd === 'I4' && status === 'A')
    return { kind: 'serial-number', value: line.slice(line.indexOf('"') + 1, line.lastIndexOf('"')), raw };
  if (cmd === 'S' || cmd === 'SI' || cmd === 'T' || cmd === 'TA') {
    if (status === 'I') return { kind: 'busy', command: cmd, raw };
    if (status === '+') return { kind: 'overload', command: cmd, raw };
    if (status === '-') return { kind: 'underload', command: cmd, raw };
    if ((status === 'S' || status === 'D') && value !== undefined && unit !== undefined) {
      const grams = toGrams(value, unit);
      if (grams === null)
        return { kind: 'error', code: 'GARBLED', detail: `unreadable weight "${value} ${unit}"`, raw };
      if (cmd === 'T' || cmd === 'TA') return { kind: 'tare', grams, unit, raw };
      return status === 'S' ? { kind: 'weight', stable: true, grams, unit, raw } : { kind: 'motion', grams, unit, raw };
    }
    if (cmd === 'TA' && status === 'A' && value !== undefined && unit !== undefined) {
      const grams = toGrams(value, unit);
      if (grams !== null) return { kind: 'tare', grams, unit, raw };
    }
  }
  if ((cmd === 'Z' || cmd === 'TAC' || cmd === '@') && status === 'A') return { kind: 'ack', command: cmd, raw };
  if (cmd === 'Z' && status === 'I') return { kind: 'busy', command: cmd, raw };
  if (cmd === 'Z' && status === '+') return { kind: 'overload', command: cmd, raw };
  if (cmd === 'Z' && status === '-') return { kind: 'underload', command: cmd, raw };
  return { kind: 'error', code: 'GARBLED', detail: `not an MT-SICS reply: "${line.slice(0, 40)}"`, raw };
}

/** Byte stream from the scale -> replies, whatever the port does to the framing. */
export class MtSicsDecoder {
  private readonly framer = new LineFramer({ maxLineLength: 128 });

  push(chunk: Uint8Array): MtSicsReply[] {
    const replies: MtSicsReply[] = [];
    for (const frame of this.framer.push(chunk)) {
      const text = Buffer.from(frame.bytes).toString('latin1');
      if (frame.kind === 'too-long') replies.push({ kind: 'error', code: 'TOO_LONG', detail: frame.detail, raw: text });
      else if (text.trim()) replies.push(parseMtSicsLine(text));
    }
    return replies;
  }

  reset(): void {
    this.framer.flush();
  }
}

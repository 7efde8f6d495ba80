/**
 * Modbus RTU over RS-485, as cold-chain temperature / humidity transmitters speak it (the common
 * SHT20-type probes: function 04 "read input registers", temperature and humidity as signed
 * 16-bit tenths). A frame is: slave address, function code, data, CRC-16/MODBUS (polynomial
 * 0xA001 reflected, start 0xFFFF, low byte first). RTU frames carry no delimiter: replies are
 * found by their address and function, their length (the byte count), and a good CRC; anything
 * else before them is line noise and is skipped byte by byte.
 */

export function modbusCrc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** Appends the CRC (low byte first) to a frame body. */
export function withCrc(body: Uint8Array): Uint8Array {
  const crc = modbusCrc16(body);
  const frame = new Uint8Array(body.length + 2);
  frame.set(body);
  frame[body.length] = crc & 0xff;
  frame[body.length + 1] = crc >>> 8;
  return frame;
}

export const READ_INPUT_REGISTERS = 0x04;
export const READ_HOLDING_REGISTERS = 0x03;

/** The request for `count` registers from `start` of slave `address` (function 03 or 04). */
export function readRegisters(address: number, start: number, count: number, fn = READ_INPUT_REGISTERS): Uint8Array {
  if (address < 1 || address > 247) throw new RangeError('a Modbus slave address is 1..247');
  if (count < 1 || count > 125) throw new RangeError('read 1..125 registers at a time');
  return withCrc(Uint8Array.from([address, fn, start >>> 8, start & 0xff, count >>> 8, count & 0xff]));
}

export type ModbusReply =
  | { kind: 'registers'; address: number; fn: number; registers: number[]; raw: Uint8Array }
  /** The slave refused the request (exception code 1 illegal function, 2 illegal address, 4 device failure, ...). */
  | { kind: 'exception'; address: number; fn: number; code: number; raw: Uint8Array }
  /** Bytes that were not a frame of the expected slave: how many were skipped. */
  | { kind: 'noise'; skipped: number; raw: Uint8Array };

/** Most bytes kept while waiting for a frame to complete: a register reply is at most 255 + 5. */
const MAX_PENDING = 512;

/**
 * Finds the replies of one slave in a byte stream (frames split across reads, noise before a
 * frame, a bad CRC). Stateful only for the bytes of an unfinished frame.
 */
export class ModbusReplyDecoder {
  private buffer: number[] = [];

  constructor(private readonly expect: { address: number; fn: number }) {}

  /** A new request starts: bytes still pending from an unanswered one are noise. */
  reset(): ModbusReply[] {
    const skipped = this.buffer.length;
    const raw = Uint8Array.from(this.buffer);
    this.buffer = [];
    return skipped ? [{ kind: 'noise', skipped, raw }] : [];
  }

  push(chunk: Uint8Array): ModbusReply[] {
    const out: ModbusReply[] = [];
    for (const b of chunk) this.buffer.push(b);
    let skipped: number[] = [];
    const flushNoise = () => {
      if (skipped.length) out.push({ kind: 'noise', skipped: skipped.length, raw: Uint8Array.from(skipped) });
      skipped = [];
    };
    while (this.buffer.length >= 2) {
      const [address, fn] = this.buffer;
      const ours = address === this.expect.address;
      const length = !ours
        ? 0
        : fn === this.expect.fn
          ? this.buffer.length >= 3
            ? 3 + this.buffer[2] + 2
            : -1
          : fn === (this.expect.fn | 0x80)
            ? 5
            : 0;
      if (length === -1) break; // the byte count has not arrived yet
      if (length > 0 && this.buffer.length < length) break; // the rest of the frame has not arrived yet
      if (length > 0) {
        const frame = Uint8Array.from(this.buffer.slice(0, length));
        const crc = modbusCrc16(frame.subarray(0, length - 2));
        if (frame[length - 2] === (crc & 0xff) && frame[length - 1] === crc >>> 8) {
          flushNoise();
          this.buffer.splice(0, length);
          if (fn & 0x80) out.push({ kind: 'exception', address, fn: fn & 0x7f, code: frame[2], raw: frame });
          else {
            const registers: number[] = [];
            for (let i = 0; i + 1 < frame[2]; i += 2) registers.push((frame[3 + i] << 8) | frame[4 + i]);
            out.push({ kind: 'registers', address, fn, registers, raw: frame });
          }
          continue;
        }
      }
      // not a good frame starting here: skip one byte and look again
      skipped.push(this.buffer.shift() as number);
    }
    flushNoise();
    if (this.buffer.length > MAX_PENDING) out.push(...this.reset());
    return out;
  }
}

/** A 16-bit register as a signed number (temperatures below zero). */
export const signed16 = (register: number) => (register & 0x8000 ? register - 0x10000 : register);

/** What a probe reports when it is broken or unplugged from the transmitter (0x7FFF / 0x8000). */
export const PROBE_FAULT = new Set([0x7fff, 0x8000]);

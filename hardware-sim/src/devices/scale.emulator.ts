/**
 * A weighing scale, device side, as pure state machines: the load on the platform (integer
 * grams), settling time, tare, overload/underload, and two wire protocols — MT-SICS (answers
 * commands) and Toledo continuous output (sends frames by itself). Time is passed in.
 */
export interface ScaleState {
  grams: number;
  tareGrams: number;
  /** Until this time the load is moving (a parcel just put down). */
  settledAtMs: number;
  overload: boolean;
  underload: boolean;
  /** A faulted scale that answers nothing at all. */
  silent: boolean;
}

export class ScaleModel {
  state: ScaleState = { grams: 0, tareGrams: 0, settledAtMs: 0, overload: false, underload: false, silent: false };

  place(grams: number, nowMs: number, settleMs = 300): void {
    this.state = { ...this.state, grams, settledAtMs: nowMs + settleMs, overload: false, underload: false };
  }

  remove(nowMs: number): void {
    this.place(0, nowMs, 100);
  }

  isStable(nowMs: number): boolean {
    return nowMs >= this.state.settledAtMs;
  }
}

/** kg with three decimals, right-aligned in ten characters (MT-SICS reference manual, weight value field). */
function kg(grams: number): string {
  const sign = grams < 0 ? '-' : '';
  const abs = Math.abs(grams);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`.padStart(10, ' ');
}

const line = (text: string) => `${text}\r\n`;

/** MT-SICS level 0/1: one reply per command line (CR LF terminated). */
export class MtSicsScaleEmulator {
  private buffer = '';

  constructor(
    readonly model: ScaleModel,
    private readonly serialNumber = 'SIM0000001',
  ) {}

  receive(bytes: Uint8Array, nowMs: number): Uint8Array {
    this.buffer += Buffer.from(bytes).toString('latin1');
    let out = '';
    let index: number;
    for (index = this.buffer.search(/[\r\n]/); index !== -1; index = this.buffer.search(/[\r\n]/)) {
      const command = this.buffer.slice(0, index).trim();
      this.buffer = this.buffer.slice(index + 1);
      if (command) out += this.answer(command, nowMs);
    }
    if (this.buffer.length > 64) {
      this.buffer = '';
      out += line('ES');
    }
    return new Uint8Array(Buffer.from(this.model.state.silent ? '' : out, 'latin1'));
  }

  private answer(command: string, nowMs: number): string {
    const s = this.model.state;
    const stable = this.model.isStable(nowMs);
    switch (command) {
      case 'S':
      case 'SI':
        if (s.overload) return line('S +');
        if (s.underload) return line('S -');
        if (!stable) return command === 'S' ? line('S I') : line(`S D ${kg(s.grams)} kg`);
        return line(`S S ${kg(s.grams)} kg`);
      case 'Z':
        if (!stable) return line('Z I');
        this.model.state = { ...s, grams: 0, tareGrams: 0 };
        return line('Z A');
      case 'T':
        if (!stable) return line('T I');
        this.model.state = { ...s, tareGrams: s.grams };
        return line(`T S ${kg(s.grams)} kg`);
      case 'TA':
        return line(`TA A ${kg(s.tareGrams)} kg`);
      case 'TAC':
        this.model.state = { ...s, tareGrams: 0 };
        return line('TAC A');
      case '@':
      case 'I4':
        return line(`I4 A "${this.serialNumber}"`);
      default:
        return line('ES');
    }
  }
}

/** Toledo continuous output: one frame per call (the caller sends them on a timer). */
export class ToledoContinuousEmulator {
  corruptNextChecksum = false;

  constructor(readonly model: ScaleModel) {}

  frame(nowMs: number): Uint8Array {
    const s = this.model.state;
    if (s.silent) return new Uint8Array();
    const statusA = 0b0010_0101; // 3 decimals (bits 0-2 = 5), bit 5 always set
    let statusB = 0b0011_0000; // kg, bit 5 always set
    if (s.grams < 0) statusB |= 0b10;
    if (s.overload || s.underload) statusB |= 0b100;
    if (!this.model.isStable(nowMs)) statusB |= 0b1000;
    const statusC = 0b0010_0000;
    const digits = (grams: number) => String(Math.min(Math.abs(grams), 999_999)).padStart(6, '0');
    const body = Buffer.concat([
      Buffer.from([0x02, statusA, statusB, statusC]),
      Buffer.from(digits(s.overload ? 999_999 : s.grams) + digits(s.tareGrams), 'ascii'),
      Buffer.from([0x0d]),
    ]);
    let sum = 0;
    for (const b of body) sum += b & 0x7f;
    let checksum = -sum & 0x7f;
    if (this.corruptNextChecksum) {
      checksum = (checksum + 1) & 0x7f;
      this.corruptNextChecksum = false;
    }
    return new Uint8Array(Buffer.concat([body, Buffer.from([checksum])]));
  }
}

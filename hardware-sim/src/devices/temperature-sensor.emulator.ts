/**
 * A cold-chain temperature / humidity transmitter, device side, as pure state machines: the
 * cold room's temperature over time (a set point, scripted excursions: a door left open, a
 * compressor failing), and the Modbus RTU slave that answers function 03/04 reads (register 1
 * temperature, register 2 humidity, signed tenths, CRC-16/MODBUS). Time is passed in.
 */

export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

const framed = (body: number[], corrupt = false) => {
  const crc = crc16(Uint8Array.from(body));
  return Uint8Array.from([...body, (crc & 0xff) ^ (corrupt ? 0xff : 0), crc >>> 8]);
};

export interface Excursion {
  /** Tenths of a degree the room reaches. */
  peakDeciC: number;
  startMs: number;
  /** How long it stays there before returning to the set point. */
  forMs: number;
}

export interface ColdRoomState {
  setPointDeciC: number;
  humidityDeciPct: number;
  excursions: Excursion[];
  /** Answers nothing at all (cable cut, transmitter off). */
  silent: boolean;
  /** Every reply with a wrong CRC (a noisy bus). */
  badCrc: boolean;
  /** The probe is broken or unplugged: the transmitter reports 0x7FFF. */
  probeOpen: boolean;
}

export class ColdRoomModel {
  state: ColdRoomState;

  constructor(setPointDeciC = 40, humidityDeciPct = 650) {
    this.state = { setPointDeciC, humidityDeciPct, excursions: [], silent: false, badCrc: false, probeOpen: false };
  }

  /** The temperature now: the set point, or the peak of an excursion under way. */
  deciCelsius(nowMs: number): number {
    const active = this.state.excursions.filter((e) => nowMs >= e.startMs && nowMs < e.startMs + e.forMs);
    return active.length ? active[active.length - 1].peakDeciC : this.state.setPointDeciC;
  }

  set(deciC: number): void {
    this.state = { ...this.state, setPointDeciC: deciC, excursions: [] };
  }

  excursion(peakDeciC: number, forMs: number, nowMs: number, afterMs = 0): Excursion {
    const excursion = { peakDeciC, startMs: nowMs + afterMs, forMs };
    // excursions that ended long ago are forgotten
    const live = this.state.excursions.filter((e) => e.startMs + e.forMs > nowMs);
    this.state = { ...this.state, excursions: [...live, excursion] };
    return excursion;
  }
}

/** The Modbus RTU slave: a request in, a reply out (nothing for another address or a bad CRC, as on a real bus). */
export class ModbusTemperatureSlave {
  private buffer: number[] = [];

  constructor(
    readonly model: ColdRoomModel,
    readonly address = 1,
  ) {}

  receive(bytes: Uint8Array, nowMs: number): Uint8Array {
    for (const b of bytes) this.buffer.push(b);
    const out: number[] = [];
    while (this.buffer.length >= 8) {
      const frame = Uint8Array.from(this.buffer.slice(0, 8));
      const crc = crc16(frame.subarray(0, 6));
      if (frame[6] !== (crc & 0xff) || frame[7] !== crc >>> 8) {
        this.buffer.shift(); // not a request starting here
        continue;
      }
      this.buffer.splice(0, 8);
      if (frame[0] !== this.address || this.model.state.silent) continue;
      out.push(...this.answer(frame, nowMs));
    }
    if (this.buffer.length > 256) this.buffer = [];
    return Uint8Array.from(out);
  }

  private answer(request: Uint8Array, nowMs: number): Uint8Array {
    const fn = request[1];
    const start = (request[2] << 8) | request[3];
    const count = (request[4] << 8) | request[5];
    const corrupt = this.model.state.badCrc;
    if (fn !== 0x03 && fn !== 0x04) return framed([this.address, fn | 0x80, 0x01], corrupt);
    if (start < 1 || count < 1 || start + count - 1 > 2) return framed([this.address, fn | 0x80, 0x02], corrupt);
    const registers = [
      this.model.state.probeOpen ? 0x7fff : this.model.deciCelsius(nowMs) & 0xffff,
      this.model.state.humidityDeciPct,
    ].slice(start - 1, start - 1 + count);
    return framed([this.address, fn, registers.length * 2, ...registers.flatMap((r) => [r >>> 8, r & 0xff])], corrupt);
  }
}

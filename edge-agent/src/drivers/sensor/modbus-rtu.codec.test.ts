import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModbusReplyDecoder, modbusCrc16, readRegisters, signed16 } from './modbus-rtu.codec.js';

// Built by hand from the Modbus over serial line specification (V1.02 §6.2.2, CRC appendix).
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('Modbus RTU', () => {
  it('computes CRC-16/MODBUS as the standard gives it', () => {
    // "123456789" -> 0x4B37 (the CRC catalogue's check value for CRC-16/MODBUS)
    expect(modbusCrc16(new TextEncoder().encode('123456789'))).toBe(0x4b37);
    // read input registers of slave 1, start 1, count 2: the CRC bytes are 20 0B
    expect(Buffer.from(readRegisters(1, 1, 2)).toString('hex')).toBe('0104000100022' + '00b');
  });

  it('reads a reply of two registers: 4.5 °C and 62.3 %RH', () => {
    // 01 04 04 002D 026F + CRC
    const body = hex('01 04 04 00 2D 02 6F');
    const crc = modbusCrc16(body);
    const frame = Uint8Array.from([...body, crc & 0xff, crc >> 8]);
    const [reply] = new ModbusReplyDecoder({ address: 1, fn: 4 }).push(frame);
    expect(reply).toMatchObject({ kind: 'registers', registers: [45, 623] });
  });

  it('reads a negative temperature as a signed register', () => {
    expect(signed16(0xff38)).toBe(-200); // -20.0 °C
    expect(signed16(0x00c8)).toBe(200);
  });

  it('finds a frame split at every byte boundary, with noise before it', () => {
    const body = hex('01 04 04 FF 38 01 F4');
    const crc = modbusCrc16(body);
    const frame = Uint8Array.from([0x00, 0xff, 0x13, ...body, crc & 0xff, crc >> 8]);
    for (let cut = 0; cut <= frame.length; cut++) {
      const decoder = new ModbusReplyDecoder({ address: 1, fn: 4 });
      const out = [...decoder.push(frame.subarray(0, cut)), ...decoder.push(frame.subarray(cut))];
      const registers = out.filter((r) => r.kind === 'registers');
      expect(registers, `cut at ${cut}`).toHaveLength(1);
      expect(registers[0]).toMatchObject({ registers: [0xff38, 0x01f4] });
      expect(out.filter((r) => r.kind === 'noise').reduce((n, r) => n + (r.kind === 'noise' ? r.skipped : 0), 0)).toBe(
        3,
      );
    }
  });

  it('refuses a frame with a bad CRC, and reads the good one after it', () => {
    const body = hex('01 04 04 00 2D 02 6F');
    const crc = modbusCrc16(body);
    const bad = Uint8Array.from([...body, (crc & 0xff) ^ 1, crc >> 8]);
    const good = Uint8Array.from([...body, crc & 0xff, crc >> 8]);
    const out = new ModbusReplyDecoder({ address: 1, fn: 4 }).push(Uint8Array.from([...bad, ...good]));
    expect(out.filter((r) => r.kind === 'registers')).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'noise' });
  });

  it('reads an exception reply (illegal data address)', () => {
    const body = hex('01 84 02');
    const crc = modbusCrc16(body);
    const [reply] = new ModbusReplyDecoder({ address: 1, fn: 4 }).push(
      Uint8Array.from([...body, crc & 0xff, crc >> 8]),
    );
    expect(reply).toMatchObject({ kind: 'exception', fn: 4, code: 2 });
  });

  it('ignores another slave’s reply on the same bus', () => {
    const body = hex('02 04 04 00 2D 02 6F');
    const crc = modbusCrc16(body);
    const out = new ModbusReplyDecoder({ address: 1, fn: 4 }).push(Uint8Array.from([...body, crc & 0xff, crc >> 8]));
    expect(out.some((r) => r.kind === 'registers')).toBe(false);
  });

  it('never loses a good frame to random noise before it, however it is cut', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: -400, max: 800 }),
        fc.integer({ min: 0, max: 60 }),
        (noise, deci, cut) => {
          const value = deci & 0xffff;
          const body = Uint8Array.from([1, 4, 4, value >> 8, value & 0xff, 0x02, 0x6f]);
          const crc = modbusCrc16(body);
          const stream = Uint8Array.from([...noise, ...body, crc & 0xff, crc >> 8]);
          const decoder = new ModbusReplyDecoder({ address: 1, fn: 4 });
          const at = Math.min(cut, stream.length);
          const out = [...decoder.push(stream.subarray(0, at)), ...decoder.push(stream.subarray(at))];
          const last = out.filter((r) => r.kind === 'registers').at(-1);
          return last?.kind === 'registers' && signed16(last.registers[0]) === deci;
        },
      ),
    );
  });
});

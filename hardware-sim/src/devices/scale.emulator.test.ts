import { describe, expect, it } from 'vitest';
import { MtSicsScaleEmulator, ScaleModel, ToledoContinuousEmulator } from './scale.emulator.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('MT-SICS scale emulator', () => {
  it('answers moving, then stable, overload, zero and tare', () => {
    const model = new ScaleModel();
    const scale = new MtSicsScaleEmulator(model);
    model.place(12_345, 0, 300);
    expect(text(scale.receive(Buffer.from('SI\r\n'), 100))).toBe('S D     12.345 kg\r\n');
    expect(text(scale.receive(Buffer.from('S\r\n'), 100))).toBe('S I\r\n');
    expect(text(scale.receive(Buffer.from('S\r\n'), 400))).toBe('S S     12.345 kg\r\n');
    expect(text(scale.receive(Buffer.from('T\r\n'), 400))).toBe('T S     12.345 kg\r\n');
    model.state.overload = true;
    expect(text(scale.receive(Buffer.from('SI\r\n'), 500))).toBe('S +\r\n');
    expect(text(scale.receive(Buffer.from('XYZ\r\n'), 500))).toBe('ES\r\n');
  });

  it('takes a command split across writes and stays silent when faulted', () => {
    const model = new ScaleModel();
    const scale = new MtSicsScaleEmulator(model);
    expect(text(scale.receive(Buffer.from('S'), 0))).toBe('');
    expect(text(scale.receive(Buffer.from('I\r\n'), 0))).toBe('S S      0.000 kg\r\n');
    model.state.silent = true;
    expect(text(scale.receive(Buffer.from('SI\r\n'), 0))).toBe('');
  });
});

describe('Toledo continuous emulator', () => {
  it('sends STX frames with the motion bit and a checksum that sums to zero mod 128', () => {
    const model = new ScaleModel();
    const scale = new ToledoContinuousEmulator(model);
    model.place(700, 0, 100);
    const moving = scale.frame(50);
    expect(moving[0]).toBe(0x02);
    expect(moving[2] & 0b1000).toBe(0b1000);
    const still = scale.frame(200);
    expect(text(still.subarray(4, 16))).toBe('000700000000');
    const sum = [...still].reduce((a, b) => a + (b & 0x7f), 0);
    expect(sum % 128).toBe(0);
    scale.corruptNextChecksum = true;
    const bad = scale.frame(200);
    expect([...bad].reduce((a, b) => a + (b & 0x7f), 0) % 128).not.toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { ColdRoomModel, crc16, ModbusTemperatureSlave } from './temperature-sensor.emulator.js';

const request = (address: number, fn: number, start: number, count: number) => {
  const body = [address, fn, start >> 8, start & 0xff, count >> 8, count & 0xff];
  const crc = crc16(Uint8Array.from(body));
  return Uint8Array.from([...body, crc & 0xff, crc >> 8]);
};

describe('temperature sensor emulator', () => {
  it('answers a read of temperature and humidity with a good CRC', () => {
    const slave = new ModbusTemperatureSlave(new ColdRoomModel(45, 623));
    const reply = slave.receive(request(1, 4, 1, 2), 0);
    expect(Buffer.from(reply.subarray(0, 7)).toString('hex')).toBe('010404002d026f');
    expect(crc16(reply.subarray(0, 7))).toBe(reply[7] | (reply[8] << 8));
  });

  it('goes through a scripted excursion and back to the set point', () => {
    const model = new ColdRoomModel(40);
    model.excursion(120, 10_000, 1000, 500);
    expect(model.deciCelsius(1000)).toBe(40);
    expect(model.deciCelsius(1500)).toBe(120);
    expect(model.deciCelsius(11_499)).toBe(120);
    expect(model.deciCelsius(11_500)).toBe(40);
  });

  it('sends negative temperatures as two’s complement, a broken probe as 0x7FFF', () => {
    const model = new ColdRoomModel(-185);
    const slave = new ModbusTemperatureSlave(model);
    expect(Buffer.from(slave.receive(request(1, 4, 1, 1), 0).subarray(3, 5)).toString('hex')).toBe('ff47');
    model.state.probeOpen = true;
    expect(Buffer.from(slave.receive(request(1, 4, 1, 1), 0).subarray(3, 5)).toString('hex')).toBe('7fff');
  });

  it('stays silent for another address, a bad CRC or a cut cable; refuses a bad register', () => {
    const model = new ColdRoomModel();
    const slave = new ModbusTemperatureSlave(model);
    expect(slave.receive(request(2, 4, 1, 2), 0)).toHaveLength(0);
    const bad = request(1, 4, 1, 2);
    bad[7] ^= 1;
    expect(slave.receive(bad, 0)).toHaveLength(0);
    expect(slave.receive(request(1, 4, 9, 1), 0)[1]).toBe(0x84);
    model.state.silent = true;
    expect(slave.receive(request(1, 4, 1, 2), 0)).toHaveLength(0);
  });
});

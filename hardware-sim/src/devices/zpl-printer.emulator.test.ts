import { describe, expect, it } from 'vitest';
import { ZplPrinterEmulator } from './zpl-printer.emulator.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('ZPL printer emulator', () => {
  it('prints a format that arrives in pieces, once per job id', () => {
    const printer = new ZplPrinterEmulator();
    const label = '^XA^FXjob:J1^FS^FO50,50^FDHello^FS^XZ';
    for (const ch of label) printer.receive(bytes(ch), 1);
    printer.receive(bytes(label), 2);
    expect(printer.labels()).toEqual([{ zpl: label, jobId: 'J1', printedAt: 1 }]);
    expect(printer.duplicatesRefused).toBe(1);
  });

  it('answers ~HS with paper out and head open, and holds formats until the fault clears', () => {
    const printer = new ZplPrinterEmulator();
    printer.setFault('headOpen');
    const reply = Buffer.from(printer.receive(bytes('~HS'), 0)).toString('latin1');
    expect(reply.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(reply.split('\x02')[2].split(',')[2]).toBe('1');
    printer.receive(bytes('^XA^FDwait^FS^XZ'), 1);
    expect(printer.labels()).toHaveLength(0);
    printer.setFault('clear', true, 5);
    expect(printer.labels()).toEqual([expect.objectContaining({ zpl: '^XA^FDwait^FS^XZ', printedAt: 5 })]);
  });

  it('says nothing when faulted silent, and drops a half label at disconnect', () => {
    const printer = new ZplPrinterEmulator();
    printer.setFault('noReply');
    expect(printer.receive(bytes('~HS'), 0)).toHaveLength(0);
    printer.setFault('clear');
    printer.receive(bytes('^XA^FDhalf'), 0);
    printer.disconnect();
    printer.receive(bytes('^FS^XZ'), 0);
    expect(printer.labels()).toHaveLength(0);
  });
});

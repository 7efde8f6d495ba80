import { describe, expect, it } from 'vitest';
import { ZplPrinterEmulator } from './zpl-printer.emulator.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const text = (reply: Uint8Array) => Buffer.from(reply).toString('latin1');

const LABEL = '^XA^FXjob:J1^FS^FO50,50^A0N,40,40^FDParcel 123^FS^XZ';
const OTHER = '^XA^FO20,20^FDno job^FS^XZ';

/** The three ~HS strings as field arrays; fails if the framing is not STX … ETX CR LF three times. */
function hostStatus(reply: string): string[][] {
  const strings = reply.split('\r\n');
  expect(strings.pop()).toBe('');
  expect(strings).toHaveLength(3);
  return strings.map((s) => {
    expect(s.startsWith('\x02')).toBe(true);
    expect(s.endsWith('\x03')).toBe(true);
    return s.slice(1, -1).split(',');
  });
}

describe('ZPL printer emulator: formats', () => {
  it('prints a format received in one piece, with its job id and time', () => {
    const printer = new ZplPrinterEmulator();
    const result = printer.receive(bytes(LABEL), 7);
    expect(result.reply).toHaveLength(0);
    expect(result.printed).toEqual([{ zpl: LABEL, jobId: 'J1', receivedAt: 7, printedAt: 7 }]);
    expect(printer.labels()).toEqual(result.printed);
  });

  it('ignores noise and a stray ^XZ outside formats, and prints what is inside', () => {
    const printer = new ZplPrinterEmulator();
    printer.receive(bytes(`\x00\xffhello ^XZ ^FDnot a label^FS\r\n${OTHER}trailing ^ ~ junk`), 1);
    expect(printer.labels().map((l) => l.zpl)).toEqual([OTHER]);
    expect(printer.labels()[0].jobId).toBeNull();
  });

  it('reads the job id in either spelling: ^FXjob:<id> and ^FX job:<id>', () => {
    const printer = new ZplPrinterEmulator();
    printer.receive(bytes('^XA^FX job:SHIP-42 reprint^FS^FDx^FS^XZ'), 0);
    expect(printer.labels()[0].jobId).toBe('SHIP-42');
  });

  it('prints a job id once; a repeat is acknowledged, not printed; another job prints', () => {
    const printer = new ZplPrinterEmulator();
    printer.receive(bytes(LABEL), 1);
    const again = printer.receive(bytes(LABEL), 2);
    expect(again.printed).toEqual([]);
    expect(again.duplicates).toEqual(['J1']);
    expect(printer.duplicatesRefused).toBe(1);
    printer.receive(bytes(LABEL.replace('J1', 'J2')), 3);
    printer.receive(bytes(OTHER + OTHER), 4); // no job id: every copy prints
    expect(printer.labels().map((l) => [l.jobId, l.printedAt])).toEqual([
      ['J1', 1],
      ['J2', 3],
      [null, 4],
      [null, 4],
    ]);
  });

  it('keeps UTF-8 field data whole when a character is cut between reads', () => {
    const printer = new ZplPrinterEmulator();
    const label = '^XA^CI28^FO10,10^FD保税仓 12kg^FS^XZ';
    const raw = bytes(label);
    const cut = raw.indexOf(0xe4) + 1; // inside the first Chinese character
    printer.receive(raw.subarray(0, cut), 0);
    printer.receive(raw.subarray(cut), 0);
    expect(printer.labels()[0].zpl).toBe(label);
  });

  it('drops an unfinished format when a new ^XA starts, and when the link drops', () => {
    const printer = new ZplPrinterEmulator();
    printer.receive(bytes('^XA^FO1,1^FDhalf'), 0);
    printer.receive(bytes(OTHER), 1);
    expect(printer.labels().map((l) => l.zpl)).toEqual([OTHER]);

    printer.receive(bytes('^XA^FDcut off'), 2);
    printer.disconnect();
    printer.receive(bytes('^FS^XZ'), 3);
    expect(printer.labels()).toHaveLength(1);
    printer.receive(bytes(LABEL), 4); // the line is usable again
    expect(printer.labels()).toHaveLength(2);
  });
});

describe('ZPL printer emulator: status', () => {
  it('answers ~HS with three STX … ETX CR LF strings carrying each fault flag in its documented field', () => {
    const printer = new ZplPrinterEmulator();
    let [first, second, third] = hostStatus(text(printer.receive(bytes('~HS'), 0).reply));
    expect(first).toHaveLength(12);
    expect(second).toHaveLength(11);
    expect(third).toHaveLength(2);
    expect([first[1], first[2], second[2], second[3]]).toEqual(['0', '0', '0', '0']);

    printer.setFault('paperOut');
    printer.setFault('paused');
    [first, second] = hostStatus(text(printer.receive(bytes('~HS'), 0).reply));
    expect([first[1], first[2], second[2], second[3]]).toEqual(['1', '1', '0', '0']);

    printer.setFault('clear');
    printer.setFault('headOpen');
    printer.setFault('ribbonOut');
    [first, second] = hostStatus(text(printer.receive(bytes('~HS'), 0).reply));
    expect([first[1], first[2], second[2], second[3]]).toEqual(['0', '0', '1', '1']);
  });

  it('reports queued formats (eee) and a partial format in progress (h)', () => {
    const printer = new ZplPrinterEmulator();
    printer.setFault('paperOut');
    printer.receive(bytes(LABEL + OTHER), 0);
    const [first] = hostStatus(text(printer.receive(bytes('^XA^FDgoing~HS'), 0).reply));
    expect(first[4]).toBe('002');
    expect(first[7]).toBe('1');
    const other = printer.openConnection();
    printer.disconnect();
    const [after] = hostStatus(text(other.receive(bytes('~HS'), 0).reply));
    expect(after[7]).toBe('0');
  });

  it('answers ~HQES with the error bits: media out 1, ribbon out 2, head open 4', () => {
    const printer = new ZplPrinterEmulator();
    const words = (reply: Uint8Array) =>
      text(reply).replaceAll('\x02', ' ').replaceAll('\x03', ' ').trim().split(/\s+/);
    expect(words(printer.receive(bytes('~HQES'), 0).reply)).toEqual([
      'PRINTER',
      'STATUS',
      'ERRORS:',
      '0',
      '00000000',
      '00000000',
      'WARNINGS:',
      '0',
      '00000000',
      '00000000',
    ]);
    printer.setFault('paperOut');
    printer.setFault('headOpen');
    expect(words(printer.receive(bytes('~HQES'), 0).reply).slice(2, 6)).toEqual([
      'ERRORS:',
      '1',
      '00000000',
      '00000005',
    ]);
    printer.setFault('clear');
    printer.setFault('ribbonOut');
    expect(words(printer.receive(bytes('~HQES'), 0).reply).slice(3, 6)).toEqual(['1', '00000000', '00000002']);
    const reply = text(printer.receive(bytes('~HQES'), 0).reply);
    expect(reply.startsWith('\x02')).toBe(true);
    expect(reply.endsWith('\x03')).toBe(true);
  });

  it('answers nothing at all while noReply, to ~HS or ~HQES, and answers again once cleared', () => {
    const printer = new ZplPrinterEmulator();
    printer.setFault('noReply');
    expect(printer.receive(bytes('~HS~HQES'), 0).reply).toHaveLength(0);
    printer.setFault('noReply', false);
    expect(hostStatus(text(printer.receive(bytes('~HS'), 0).reply))).toHaveLength(3);
  });

  it('answers a ~HS that arrives in the middle of a format, and the format still prints whole', () => {
    const printer = new ZplPrinterEmulator();
    const result = printer.receive(bytes('^XA^FO5,5~HS^FDmid^FS^XZ'), 0);
    expect(hostStatus(text(result.reply))).toHaveLength(3);
    expect(result.printed.map((l) => l.zpl)).toEqual(['^XA^FO5,5^FDmid^FS^XZ']);
  });
});

describe('ZPL printer emulator: faults hold formats like a real printer', () => {
  for (const fault of ['paperOut', 'headOpen', 'ribbonOut', 'paused', 'noReply'] as const) {
    it(`queues formats while ${fault} and prints them in order when it clears`, () => {
      const printer = new ZplPrinterEmulator();
      printer.setFault(fault);
      expect(printer.receive(bytes(LABEL + OTHER), 10).printed).toEqual([]);
      expect(printer.labels()).toEqual([]);
      expect(printer.queuedFormats).toBe(2);
      const out = printer.setFault(fault, false, 50);
      expect(out.map((l) => [l.zpl, l.receivedAt, l.printedAt])).toEqual([
        [LABEL, 10, 50],
        [OTHER, 10, 50],
      ]);
      expect(printer.labels()).toEqual(out);
    });
  }

  it('waits for every fault to clear, not just one', () => {
    const printer = new ZplPrinterEmulator();
    printer.setFault('paperOut');
    printer.setFault('headOpen');
    printer.receive(bytes(LABEL), 0);
    expect(printer.setFault('paperOut', false, 1)).toEqual([]);
    expect(printer.setFault('headOpen', false, 2)).toHaveLength(1);
  });

  it('does not print a queued repeat of a job printed before the fault', () => {
    const printer = new ZplPrinterEmulator();
    printer.receive(bytes(LABEL), 0);
    printer.setFault('paperOut');
    printer.receive(bytes(LABEL), 1);
    expect(printer.setFault('clear', true, 2)).toEqual([]);
    expect(printer.labels()).toHaveLength(1);
    expect(printer.duplicatesRefused).toBe(1);
  });

  it('obeys ~PP (pause), ~PS (resume) and ~JA (cancel all queued formats)', () => {
    const printer = new ZplPrinterEmulator();
    printer.receive(bytes(`~PP${LABEL}`), 0);
    expect(printer.faults.paused).toBe(true);
    expect(printer.labels()).toEqual([]);
    expect(printer.receive(bytes('~PS'), 5).printed.map((l) => l.jobId)).toEqual(['J1']);
    printer.receive(bytes(`~PP${OTHER}${OTHER}~JA~PS`), 6);
    expect(printer.labels()).toHaveLength(1);
    expect(printer.queuedFormats).toBe(0);
  });
});

describe('ZPL printer emulator: framing across reads and links', () => {
  const stream = `noise^XA^FXjob:A^FS^FDone^FS^XZ~HS\r\n^XA^FDtwo^FS^XZ~HQES^XA^FXjob:A^FS^FDone^FS^XZ`;

  function run(chunks: string[]) {
    const printer = new ZplPrinterEmulator();
    let reply = '';
    const all = bytes(chunks.join(''));
    let offset = 0;
    for (const chunk of chunks) {
      const length = bytes(chunk).length;
      reply += text(printer.receive(all.subarray(offset, offset + length), 0).reply);
      offset += length;
    }
    return { reply, labels: printer.labels().map((l) => l.zpl), refused: printer.duplicatesRefused };
  }

  const whole = run([stream]);

  it('handles the whole stream: two labels, one repeat refused, both status replies', () => {
    expect(whole.labels).toEqual(['^XA^FXjob:A^FS^FDone^FS^XZ', '^XA^FDtwo^FS^XZ']);
    expect(whole.refused).toBe(1);
    expect(whole.reply.split('\x02')).toHaveLength(5); // three ~HS strings + one ~HQES block
    expect(whole.reply).toContain('PRINTER STATUS');
  });

  it('gives the same outcome byte by byte and split at every boundary', () => {
    expect(run([...stream])).toEqual(whole);
    for (let cut = 0; cut <= stream.length; cut++)
      expect(run([stream.slice(0, cut), stream.slice(cut)]), `cut at ${cut}`).toEqual(whole);
  });

  it('keeps links apart: interleaved pieces from two connections make two whole labels', () => {
    const printer = new ZplPrinterEmulator();
    const a = printer.openConnection();
    const b = printer.openConnection();
    a.receive(bytes('^XA^FO1,1^FDfrom '), 0);
    b.receive(bytes('^XA^FO2,2^FDfrom '), 0);
    a.receive(bytes('A^FS^XZ'), 1);
    expect(a.partialFormat).toBe(false);
    expect(b.partialFormat).toBe(true);
    b.receive(bytes('B^FS^XZ'), 2);
    expect(printer.labels().map((l) => l.zpl)).toEqual(['^XA^FO1,1^FDfrom A^FS^XZ', '^XA^FO2,2^FDfrom B^FS^XZ']);
  });

  it('discards the half format of a closed link only', () => {
    const printer = new ZplPrinterEmulator();
    const a = printer.openConnection();
    const b = printer.openConnection();
    a.receive(bytes('^XA^FDlost'), 0);
    b.receive(bytes('^XA^FDkept'), 0);
    a.close();
    b.receive(bytes('^FS^XZ'), 1);
    expect(printer.labels().map((l) => l.zpl)).toEqual(['^XA^FDkept^FS^XZ']);
  });
});

import { describe, expect, it } from 'vitest';
import { MtSicsDecoder, mtSics, parseMtSicsLine } from './mt-sics.codec.js';
import { toGrams } from './weight-units.js';

describe('MT-SICS replies', () => {
  it('reads stable, dynamic, busy, overload, underload and errors by whitespace', () => {
    expect(parseMtSicsLine('S S     12.345 kg')).toMatchObject({
      kind: 'weight',
      stable: true,
      grams: 12_345,
      unit: 'kg',
    });
    expect(parseMtSicsLine('S S 12.345 kg')).toMatchObject({ kind: 'weight', grams: 12_345 });
    expect(parseMtSicsLine('S D      0.512 kg')).toMatchObject({ kind: 'motion', grams: 512 });
    expect(parseMtSicsLine('S S   -0.004 kg')).toMatchObject({ kind: 'weight', grams: -4 });
    expect(parseMtSicsLine('S I')).toMatchObject({ kind: 'busy' });
    expect(parseMtSicsLine('S +')).toMatchObject({ kind: 'overload' });
    expect(parseMtSicsLine('S -')).toMatchObject({ kind: 'underload' });
    expect(parseMtSicsLine('Z A')).toMatchObject({ kind: 'ack', command: 'Z' });
    expect(parseMtSicsLine('T S      0.250 kg')).toMatchObject({ kind: 'tare', grams: 250 });
    expect(parseMtSicsLine('ES')).toMatchObject({ kind: 'error', code: 'ES' });
    expect(parseMtSicsLine('EL')).toMatchObject({ kind: 'error', code: 'EL' });
    expect(parseMtSicsLine('I4 A "B021002593"')).toMatchObject({ kind: 'serial-number', value: 'B021002593' });
    expect(parseMtSicsLine('S S 1x.2 kg')).toMatchObject({ kind: 'error', code: 'GARBLED' });
    expect(parseMtSicsLine('garbage')).toMatchObject({ kind: 'error', code: 'GARBLED' });
  });

  it('frames replies split at every byte, with noise and a cut line', () => {
    const stream = Buffer.from('\x00\xffS D 1.000 kg\r\nS S     1.234 kg\r\nS S 9', 'latin1');
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new MtSicsDecoder();
      const replies = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(replies.map((r) => r.kind)).toEqual(['error', 'weight']);
    }
  });

  it('encodes commands with CR LF', () => {
    expect(Buffer.from(mtSics.immediateWeight()).toString()).toBe('SI\r\n');
    expect(Buffer.from(mtSics.tare()).toString()).toBe('T\r\n');
  });

  it('never throws on noise', () => {
    const decoder = new MtSicsDecoder();
    let seed = 11;
    for (let i = 0; i < 5000; i++) {
      const chunk = new Uint8Array(1 + (i % 17)).map(() => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return (seed >> 16) & 0xff;
      });
      expect(() => decoder.push(chunk)).not.toThrow();
    }
  });
});

describe('toGrams', () => {
  it('converts exactly', () => {
    expect(toGrams('12.345', 'kg')).toBe(12_345);
    expect(toGrams('0.0005', 'kg')).toBe(1);
    expect(toGrams('1', 'lb')).toBe(454);
    expect(toGrams('2.5', 'g')).toBe(3);
    expect(toGrams('-1.5', 'kg')).toBe(-1500);
    expect(toGrams('abc', 'kg')).toBeNull();
    expect(toGrams('1', 'stone')).toBeNull();
  });
});

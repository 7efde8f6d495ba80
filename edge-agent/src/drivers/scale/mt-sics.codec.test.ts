import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MtSicsDecoder, type MtSicsReply, mtSics, parseMtSicsLine } from './mt-sics.codec.js';
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

  it('recovers every good reply mixed into random noise, wherever the port cuts the bytes', () => {
    const reply = fc
      .tuple(fc.constantFrom('S', 'D'), fc.integer({ min: -99_999, max: 999_999 }))
      .map(([status, g]) => `S ${status} ${' '.repeat(Math.abs(g) % 5)}${(g / 1000).toFixed(3)} kg`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 60 }), reply), { minLength: 1, maxLength: 15 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 60 }),
        (parts, chunkSizes) => {
          // noise, then the line end a scale sends before its next reply, then the reply
          const stream = Buffer.concat(
            parts.map(([noise, text]) => Buffer.concat([Buffer.from(noise), Buffer.from(`\r\n${text}\r\n`, 'latin1')])),
          );
          const decoder = new MtSicsDecoder();
          const replies: MtSicsReply[] = [];
          let at = 0;
          for (const size of chunkSizes) {
            replies.push(...decoder.push(stream.subarray(at, at + size)));
            at += size;
          }
          replies.push(...decoder.push(stream.subarray(at)));
          const wanted = new Set(parts.map(([, text]) => text));
          const recovered = replies.filter((r) => wanted.has(r.raw));
          expect(recovered.map((r) => r.raw)).toEqual(parts.map(([, text]) => text));
          for (const [r, [, text]] of recovered.map((r, i) => [r, parts[i]] as const)) {
            const [, status, value] = text.trim().split(/\s+/);
            expect(r).toMatchObject({
              kind: status === 'S' ? 'weight' : 'motion',
              grams: Math.round(Number(value) * 1000),
            });
          }
        },
      ),
      { numRuns: 300 },
    );
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

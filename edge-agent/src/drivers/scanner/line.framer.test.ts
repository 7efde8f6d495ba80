import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LineFrame, LineFramer } from './line.framer.js';

const text = (frames: Array<{ kind: string; bytes: Uint8Array }>) =>
  frames.map((f) => `${f.kind}:${Buffer.from(f.bytes).toString('latin1')}`);

function feedSplit(input: string, cut: number) {
  const framer = new LineFramer();
  const bytes = Buffer.from(input, 'latin1');
  return [...framer.push(bytes.subarray(0, cut)), ...framer.push(bytes.subarray(cut))];
}

describe('LineFramer', () => {
  it('frames CR, CRLF and LF lines', () => {
    expect(text(new LineFramer().push(Buffer.from('A\rB\r\nC\n')))).toEqual(['line:A', 'line:B', 'line:C']);
  });

  it('gives the same lines wherever the stream is cut, including inside CRLF', () => {
    const input = 'ABC\r\n]C10104006381333931\x1d10X\r\nZ\r';
    for (let cut = 0; cut <= input.length; cut++) {
      expect(text(feedSplit(input, cut)), `cut at ${cut}`).toEqual([
        'line:ABC',
        'line:]C10104006381333931\x1d10X',
        'line:Z',
      ]);
    }
  });

  it('byte by byte gives the same lines', () => {
    const framer = new LineFramer();
    const frames = [...Buffer.from('12\r\n34\r\n')].flatMap((b) => framer.push(Uint8Array.of(b)));
    expect(text(frames)).toEqual(['line:12', 'line:34']);
  });

  it('reports an oversize line once and resynchronises at the next terminator', () => {
    const framer = new LineFramer({ maxLineLength: 5 });
    expect(text(framer.push(Buffer.from('ABCDEFGHIJ\r\nOK\r\n')))).toEqual(['too-long:ABCDE', 'line:OK']);
  });

  it('keeps a partial line for flush at disconnect, never as a line', () => {
    const framer = new LineFramer();
    expect(framer.push(Buffer.from('PART'))).toEqual([]);
    expect(Buffer.from(framer.flush()!.bytes).toString()).toBe('PART');
    expect(framer.flush()).toBeNull();
  });
});

describe('LineFramer at a port open', () => {
  const frames = (framer: LineFramer, chunks: Uint8Array[]) => chunks.flatMap((c) => framer.push(c));
  const splits = (input: string) => {
    const bytes = Buffer.from(input, 'latin1');
    const out: Uint8Array[][] = [[...bytes].map((b) => Uint8Array.of(b))];
    for (let cut = 0; cut <= bytes.length; cut++) out.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
    return out;
  };

  it('discards the tail of a read cut by the restart, wherever the port cuts the bytes', () => {
    // the end of "E3-12441" after a restart, then a whole read
    for (const chunks of splits('41\r\nE5B-03351\r\n')) {
      const framer = new LineFramer();
      framer.open({ lineStart: false });
      const out = frames(framer, chunks);
      expect(text(out)).toEqual(['partial:41', 'line:E5B-03351']);
      expect(out[0]).toMatchObject({ detail: 'partial line at port open: 2 bytes discarded' });
    }
  });

  it('takes the first line when the stream is known to start a line (stored at the last stop)', () => {
    for (const chunks of splits('E3-12441\r\nE5B-03351\r\n')) {
      const framer = new LineFramer();
      framer.open({ lineStart: true });
      expect(text(frames(framer, chunks))).toEqual(['line:E3-12441', 'line:E5B-03351']);
    }
  });

  it('discards nothing when the bytes after the open begin with the terminator of the cut line', () => {
    for (const chunks of splits('\r\nE3-12441\r\n')) {
      const framer = new LineFramer();
      framer.open({ lineStart: false });
      expect(text(frames(framer, chunks))).toEqual(['line:E3-12441']);
    }
    // CR seen before the stop, LF after it: the LF is a bare terminator, not a scan
    const framer = new LineFramer();
    framer.open({ lineStart: true });
    expect(text(framer.push(Buffer.from('\nA\r\n')))).toEqual(['line:', 'line:A']);
  });

  it('accounts for a read cut when the agent stopped, even when only its terminator is left', () => {
    for (const chunks of splits('\r\nE3-12441\r\n')) {
      const framer = new LineFramer();
      framer.open({ lineStart: false, tailOfCutRead: true });
      const out = frames(framer, chunks);
      expect(text(out)).toEqual(['partial:', 'line:E3-12441']);
      expect(out[0]).toMatchObject({ detail: expect.stringContaining('0 bytes discarded (the rest of a read cut') });
    }
    const framer = new LineFramer();
    framer.open({ lineStart: false, tailOfCutRead: true });
    expect(text(framer.push(Buffer.from('441\rA\r')))).toEqual(['partial:441', 'line:A']);
  });

  it('gives back an unfinished line at an open or close as partial, with its length', () => {
    const framer = new LineFramer({ maxLineLength: 4 });
    framer.push(Buffer.from('E3-1'));
    expect(framer.atLineStart).toBe(false);
    const cut = framer.open({ lineStart: false, cutReason: 'line cut when the agent stopped' });
    expect(cut).toEqual([
      {
        kind: 'partial',
        bytes: Uint8Array.from(Buffer.from('E3-1')),
        detail: 'line cut when the agent stopped: 4 bytes discarded',
      },
    ]);
    // a suspect line longer than the limit is counted in full
    expect(framer.push(Buffer.from('123456789\r\nOK\r\n')).map((f) => f.kind === 'partial' && f.detail)).toEqual([
      'partial line at port open: 9 bytes discarded',
      false,
    ]);
    expect(framer.atLineStart).toBe(true);
  });

  it('property: after an open at any byte of a stream of reads, every line is a whole read and every read after the first terminator is recovered', () => {
    const read = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,15}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(read, fc.constantFrom('\r', '\n', '\r\n')), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }),
        (reads, startSeed, chunkSizes) => {
          const stream = Buffer.from(reads.map(([r, t]) => r + t).join(''), 'latin1');
          const start = startSeed % stream.length;
          const framer = new LineFramer();
          framer.open({ lineStart: start === 0 });
          const out: LineFrame[] = [];
          let at = start;
          for (const size of chunkSizes) {
            out.push(...framer.push(stream.subarray(at, at + size)));
            at += size;
          }
          out.push(...framer.push(stream.subarray(at)));
          // the model: the read (or terminator) the open falls in is cut; every later read is whole
          let offset = 0;
          let partialBytes = 0;
          const whole: string[] = [];
          for (const [r, t] of reads) {
            const dataEnd = offset + r.length;
            if (start === 0 || offset > start) whole.push(r);
            else if (start < dataEnd) partialBytes = dataEnd - start; // inside this read's data
            offset = dataEnd + t.length;
          }
          const lines = out
            .filter((f) => f.kind === 'line' && f.bytes.length)
            .map((f) => Buffer.from(f.bytes).toString('latin1'));
          const partial = out.filter((f) => f.kind === 'partial');
          expect(lines).toEqual(whole);
          expect(partial.reduce((n, f) => n + f.bytes.length, 0)).toBe(partialBytes);
          expect(partial.length).toBe(partialBytes ? 1 : 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

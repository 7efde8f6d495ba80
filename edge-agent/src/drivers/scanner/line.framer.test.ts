import { describe, expect, it } from 'vitest';
import { LineFramer } from './line.framer.js';

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

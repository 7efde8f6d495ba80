import { describe, expect, it } from 'vitest';
import { HostStatusDecoder, parseHostStatus, tagWithJobId } from './zpl-status.codec.js';

const hs = (paperOut: number, pause: number, headUp: number, ribbonOut: number) =>
  Buffer.from(
    `\x02030,${paperOut},${pause},1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,${headUp},${ribbonOut},0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n`,
    'latin1',
  );

describe('~HS host status', () => {
  it('reads a ready printer', () => {
    expect(new HostStatusDecoder().push(hs(0, 0, 0, 0))).toMatchObject({ ready: true, problems: [] });
  });

  it('names each problem in words', () => {
    const status = new HostStatusDecoder().push(hs(1, 1, 1, 1));
    expect(status).toMatchObject({ ready: false, paperOut: true, paused: true, headOpen: true, ribbonOut: true });
    expect((status as { problems: string[] }).problems).toEqual([
      'paper out: load labels',
      'print head open: close the head',
      'ribbon out: replace the ribbon',
      'paused: press PAUSE on the printer to resume',
    ]);
  });

  it('assembles the three strings from any split, after noise', () => {
    const stream = Buffer.concat([Buffer.from('xx\r\n'), hs(0, 0, 1, 0)]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new HostStatusDecoder();
      const results = [d.push(stream.subarray(0, cut)), d.push(stream.subarray(cut))].filter(Boolean);
      expect(results).toEqual([expect.objectContaining({ headOpen: true })]);
    }
  });

  it('refuses what is not a status answer', () => {
    expect(parseHostStatus('garbage', 'more')).toEqual({ error: expect.stringContaining('not a ~HS answer') });
  });

  it('tags a label with its job id', () => {
    expect(tagWithJobId('^XA^FO50,50^FDHi^FS^XZ', 'JOB-1')).toBe('^XA^FXjob:JOB-1^FS^FO50,50^FDHi^FS^XZ');
  });
});

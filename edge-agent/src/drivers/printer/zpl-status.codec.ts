/**
 * Zebra `~HS` host status (ZPL II Programming Guide, "~HS Host Status Return"): three strings,
 * each STX … ETX CR LF, comma-separated fields.
 *   1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l — b paper out, c pause, eee formats in buffer, f buffer full,
 *      h partial format, j corrupt RAM, k under temperature, l over temperature
 *   2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www — o head up (open), p ribbon out, t label waiting,
 *      uuuuuuuu labels remaining in batch
 *   3: xxxx,y — password, static RAM installed
 * A faulted printer may not answer at all (DOMAIN.md §9): the caller treats silence as a fault.
 */
export const HOST_STATUS_REQUEST = new Uint8Array(Buffer.from('~HS', 'ascii'));

export interface PrinterStatus {
  paperOut: boolean;
  paused: boolean;
  headOpen: boolean;
  ribbonOut: boolean;
  bufferFull: boolean;
  corruptRam: boolean;
  underTemperature: boolean;
  overTemperature: boolean;
  formatsInBuffer: number;
  labelsRemaining: number;
  ready: boolean;
  /** What stops printing, in words for the person at the station. */
  problems: string[];
}

const STX = 0x02;
const ETX = 0x03;

/** Collects the three `~HS` strings from a byte stream; returns the status once all three are in. */
export class HostStatusDecoder {
  private buffer: number[] = [];
  private strings: string[] = [];

  push(chunk: Uint8Array): PrinterStatus | { error: string } | null {
    for (const b of chunk) this.buffer.push(b);
    for (;;) {
      const start = this.buffer.indexOf(STX);
      if (start === -1) {
        this.buffer = [];
        return null;
      }
      const end = this.buffer.indexOf(ETX, start);
      if (end === -1) {
        if (start > 0) this.buffer.splice(0, start);
        if (this.buffer.length > 512) this.buffer = [];
        return null;
      }
      this.strings.push(Buffer.from(this.buffer.slice(start + 1, end)).toString('latin1'));
      this.buffer.splice(0, end + 1);
      if (this.strings.length === 3) {
        const [first, second] = this.strings;
        this.strings = [];
        return parseHostStatus(first, second);
      }
    }
  }

  reset(): void {
    this.buffer = [];
    this.strings = [];
  }
}

export function parseHostStatus(first: string, second: string): PrinterStatus | { error: string } {
  const a = first.split(',');
  const b = second.split(',');
  if (a.length < 12 || b.length < 11) return { error: `not a ~HS answer: "${first}" / "${second}"` };
  const flag = (v: string | undefined) => v?.trim() === '1';
  const status = {
    paperOut: flag(a[1]),
    paused: flag(a[2]),
    formatsInBuffer: Number(a[4]) || 0,
    bufferFull: flag(a[5]),
    corruptRam: flag(a[9]),
    underTemperature: flag(a[10]),
    overTemperature: flag(a[11]),
    headOpen: flag(b[2]),
    ribbonOut: flag(b[3]),
    labelsRemaining: Number(b[8]) || 0,
  };
  const problems = [
    status.paperOut && 'paper out: load labels',
    status.headOpen && 'print head open: close the head',
    status.ribbonOut && 'ribbon out: replace the ribbon',
    status.paused && 'paused: press PAUSE on the printer to resume',
    status.bufferFull && 'receive buffer full: wait for the printer to catch up',
    status.corruptRam && 'printer memory corrupt: power-cycle the printer',
    status.underTemperature && 'print head too cold',
    status.overTemperature && 'print head too hot: let it cool down',
  ].filter((p): p is string => typeof p === 'string');
  return { ...status, ready: problems.length === 0, problems };
}

/** Puts the job id into the label as a comment (`^FX`), right after `^XA`: the printout says which job it was. */
export function tagWithJobId(zpl: string, jobId: string): string {
  const safe = jobId.replace(/[\^~]/g, '');
  return zpl.replace(/\^XA/, `^XA^FXjob:${safe}^FS`);
}

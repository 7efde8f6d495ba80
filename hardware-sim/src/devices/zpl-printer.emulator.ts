/**
 * A Zebra ZPL printer, device side: takes bytes, prints each complete `^XA … ^XZ` format, answers
 * `~HS` with the three host status strings (ZPL II Programming Guide, ~HS), and keeps what it
 * printed. While paper is out, the head is open or it is paused, formats wait in its buffer and
 * come out when the fault clears — as on a real printer. A `noReply` printer answers nothing.
 * A label tagged `^FXjob:<id>` that was already printed is not printed again.
 */
export interface PrintedLabel {
  zpl: string;
  jobId: string | null;
  printedAt: number;
}

export type PrinterFault = 'paperOut' | 'headOpen' | 'ribbonOut' | 'paused' | 'noReply';

export class ZplPrinterEmulator {
  readonly faults: Record<PrinterFault, boolean> = {
    paperOut: false,
    headOpen: false,
    ribbonOut: false,
    paused: false,
    noReply: false,
  };
  private text = '';
  private readonly waiting: string[] = [];
  private readonly printed: PrintedLabel[] = [];
  private readonly jobsPrinted = new Set<string>();
  duplicatesRefused = 0;

  /** Bytes in; the reply bytes out (only `~HS` answers). */
  receive(bytes: Uint8Array, nowMs: number): Uint8Array {
    this.text += Buffer.from(bytes).toString('utf8');
    let reply = '';
    for (;;) {
      const hs = this.text.indexOf('~HS');
      const start = this.text.indexOf('^XA');
      if (hs !== -1 && (start === -1 || hs < start)) {
        this.text = this.text.slice(hs + 3);
        if (!this.faults.noReply) reply += this.hostStatus();
        continue;
      }
      if (start === -1) {
        // Nothing but noise so far; keep a tail in case "^X" / "~H" was cut.
        this.text = this.text.slice(-2);
        break;
      }
      const end = this.text.indexOf('^XZ', start);
      if (end === -1) {
        this.text = this.text.slice(start);
        break;
      }
      this.waiting.push(this.text.slice(start, end + 3));
      this.text = this.text.slice(end + 3);
    }
    this.printWaiting(nowMs);
    return new Uint8Array(Buffer.from(reply, 'latin1'));
  }

  setFault(fault: PrinterFault | 'clear', on = true, nowMs = Date.now()): void {
    if (fault === 'clear') for (const key of Object.keys(this.faults) as PrinterFault[]) this.faults[key] = false;
    else this.faults[fault] = on;
    this.printWaiting(nowMs);
  }

  labels(): PrintedLabel[] {
    return [...this.printed];
  }

  /** A connection dropped mid-format: the half label is discarded, never printed. */
  disconnect(): void {
    this.text = '';
  }

  private canPrint(): boolean {
    return (
      !this.faults.paperOut &&
      !this.faults.headOpen &&
      !this.faults.ribbonOut &&
      !this.faults.paused &&
      !this.faults.noReply
    );
  }

  private printWaiting(nowMs: number): void {
    while (this.waiting.length && this.canPrint()) {
      const zpl = this.waiting.shift()!;
      const jobId = /\^FXjob:([^^]+)/.exec(zpl)?.[1] ?? null;
      if (jobId && this.jobsPrinted.has(jobId)) {
        this.duplicatesRefused++;
        continue;
      }
      if (jobId) this.jobsPrinted.add(jobId);
      this.printed.push({ zpl, jobId, printedAt: nowMs });
    }
  }

  private hostStatus(): string {
    const f = (on: boolean) => (on ? '1' : '0');
    const formats = String(this.waiting.length).padStart(3, '0');
    const s1 = `030,${f(this.faults.paperOut)},${f(this.faults.paused)},1245,${formats},0,0,0,000,0,0,0`;
    const s2 = `001,0,${f(this.faults.headOpen)},${f(this.faults.ribbonOut)},0,2,4,0,00000000,1,000`;
    const s3 = '1234,0';
    return [s1, s2, s3].map((s) => `\x02${s}\x03\r\n`).join('');
  }
}

import { randomUUID } from 'node:crypto';
import { scannedCode } from '@wms/contracts';
import type { AgentConfig, ScannerDeviceConfig } from '../config/agent-config.js';
import { DuplicateFilter } from '../drivers/scanner/duplicate.filter.js';
import { type LineFrame, LineFramer } from '../drivers/scanner/line.framer.js';
import { decodeScan, refusedFrame } from '../drivers/scanner/scan.decoder.js';
import type { NewEdgeEvent } from '../queue/outbox.js';
import { SerialLink } from '../transport/serial-port.js';

export interface DeviceSink {
  /** `line`: where a serial scanner's stream stands after these events, stored with them. */
  record(events: NewEdgeEvent[], line?: { deviceId: string; atLineStart: boolean }): unknown;
  /** What `record` last stored as this device's line state (null: never). */
  serialLineStart?(): boolean | null;
  presence(state: 'connected' | 'disconnected' | 'error', detail?: string): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * A barcode scanner on a serial (or virtual COM) port: bytes -> lines -> decoded scans -> outbox.
 * Nothing read is dropped silently: a partial line (cut by a close, or the unknown start of the
 * stream at an open; see LineFramer), an oversize line and line noise each become a `garbled`
 * device status saying how many bytes were discarded, never a scan.
 */
export class SerialScannerDevice {
  readonly deviceId: string;
  private readonly link: SerialLink;
  private readonly framer: LineFramer;
  private readonly duplicates: DuplicateFilter | null;
  /** The line state last stored in the outbox (null: none; undefined: not read yet). */
  private storedLineStart: boolean | null | undefined;
  private opened = false;

  constructor(
    private readonly device: ScannerDeviceConfig,
    private readonly agent: Pick<AgentConfig, 'agentId' | 'reconnectMaxMs'>,
    private readonly sink: DeviceSink,
  ) {
    this.deviceId = device.deviceId;
    this.link = new SerialLink(device.serial, agent.reconnectMaxMs, true);
    this.framer = new LineFramer({ maxLineLength: device.maxLineLength });
    this.duplicates = device.duplicateWindowMs > 0 ? new DuplicateFilter({ windowMs: device.duplicateWindowMs }) : null;
    this.link.on('open', ({ waiting }) => this.onOpen(waiting));
    this.link.on('down', (reason) => {
      this.onDown();
      sink.presence('disconnected', reason);
    });
    this.link.on('data', (chunk) => this.onData(chunk));
  }

  start(): void {
    this.link.start();
  }

  /**
   * An unfinished line stays as it is: its state is stored (mid-line), so the next start treats
   * the bytes that complete it as the tail of a cut read and reports them.
   */
  async stop(): Promise<void> {
    await this.link.stop();
  }

  /**
   * What the framer may trust at an open (the rule is LineFramer's): on the first open of this
   * process, the line state the last run stored with its events; otherwise, or without one,
   * whether anything was waiting on the line. A TCP device server starts every connection with
   * what the scanner sends next (`waiting` null).
   */
  private onOpen(waiting: Buffer | null): void {
    if (this.storedLineStart === undefined) this.storedLineStart = this.sink.serialLineStart?.() ?? null;
    const continuing = waiting !== null && !this.opened && this.storedLineStart !== null;
    this.opened = true;
    const lineStart = continuing ? this.storedLineStart === true : !waiting?.length;
    const tailOfCutRead = continuing && this.storedLineStart === false;
    this.handle(this.framer.open({ lineStart, tailOfCutRead }), Date.now());
    this.sink.presence('connected', this.device.serial.path);
    if (waiting?.length)
      this.sink.warn('bytes waiting on the scanner line at open were kept', { bytes: waiting.length, lineStart });
  }

  private onData(chunk: Buffer): void {
    this.handle(this.framer.push(chunk), Date.now());
  }

  /** The port dropped: the unfinished line is reported, and what follows is not known to start a line. */
  private onDown(): void {
    this.handle(this.framer.open({ lineStart: false, cutReason: 'line cut when the port went down' }), Date.now());
  }

  private handle(frames: LineFrame[], now: number): void {
    const events: NewEdgeEvent[] = [];
    const status = (detail: string): NewEdgeEvent => ({
      type: 'device-status',
      eventId: randomUUID(),
      agentId: this.agent.agentId,
      deviceId: this.device.deviceId,
      stationId: this.device.stationId,
      occurredAt: new Date(now).toISOString(),
      status: 'garbled',
      detail: detail.slice(0, 500),
    });
    for (const frame of frames) {
      if (frame.kind !== 'line') {
        // a cut or oversize line: counted and kept (its first bytes in hex) for people to see
        events.push(status(`${frame.detail}; bytes: ${hex(frame.bytes)}`));
        this.sink.warn('scanner bytes discarded, not a scan', { problem: frame.kind, detail: frame.detail });
        continue;
      }
      if (frame.bytes.length === 0) continue; // a bare terminator is not a scan
      const decoded = decodeScan(frame.bytes);
      if (decoded.refused) {
        // Line noise or a half-read frame: kept (hex) as a device status for people to see, never a scan.
        events.push(status(`${decoded.refused}: ${frame.bytes.length} bytes discarded; bytes: ${hex(frame.bytes)}`));
        this.sink.warn('garbled scanner frame kept as a device status, not a scan', { reason: decoded.refused });
        continue;
      }
      // the server's own rule for a code (e.g. nothing left after an AIM prefix): kept as a status, never sent to be refused
      const refused = scannedCode.safeParse(decoded.code);
      if (!refused.success) {
        const why = refused.error.issues[0]?.message ?? 'not a code';
        events.push(status(`not a code (${why}): ${frame.bytes.length} bytes discarded; bytes: ${hex(frame.bytes)}`));
        continue;
      }
      if (this.duplicates && !this.duplicates.accept(this.device.stationId, decoded.code, now)) continue;
      events.push({
        type: 'scan',
        eventId: randomUUID(),
        agentId: this.agent.agentId,
        deviceId: this.device.deviceId,
        stationId: this.device.stationId,
        occurredAt: new Date(now).toISOString(),
        raw: Buffer.from(frame.bytes).toString('base64'),
        code: decoded.code,
        symbology: decoded.symbology,
      });
    }
    const atLineStart = this.framer.atLineStart;
    const lineChanged = atLineStart !== this.storedLineStart;
    if (events.length || lineChanged) {
      this.sink.record(events, lineChanged ? { deviceId: this.device.deviceId, atLineStart } : undefined);
      if (lineChanged) this.storedLineStart = atLineStart;
    }
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 200)).toString('hex');
}

/** A frame a scanner would not send (see refusedFrame): the reason, or null. */
export function garbledReason(bytes: Uint8Array): string | null {
  return refusedFrame(bytes);
}

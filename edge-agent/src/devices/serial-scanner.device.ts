import { randomUUID } from 'node:crypto';
import type { AgentConfig, ScannerDeviceConfig } from '../config/agent-config.js';
import { DuplicateFilter } from '../drivers/scanner/duplicate.filter.js';
import { LineFramer } from '../drivers/scanner/line.framer.js';
import { decodeScan } from '../drivers/scanner/scan.decoder.js';
import type { NewEdgeEvent } from '../queue/outbox.js';
import { SerialLink } from '../transport/serial-port.js';

export interface DeviceSink {
  record(events: NewEdgeEvent[]): unknown;
  presence(state: 'connected' | 'disconnected' | 'error', detail?: string): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * A barcode scanner on a serial (or virtual COM) port: bytes -> lines -> decoded scans -> outbox.
 * A partial line left when the port drops is reported, never recorded as a scan.
 */
export class SerialScannerDevice {
  readonly deviceId: string;
  private readonly link: SerialLink;
  private framer: LineFramer;
  private readonly duplicates: DuplicateFilter | null;

  constructor(
    private readonly device: ScannerDeviceConfig,
    private readonly agent: Pick<AgentConfig, 'agentId' | 'reconnectMaxMs'>,
    private readonly sink: DeviceSink,
  ) {
    this.deviceId = device.deviceId;
    this.link = new SerialLink(device.serial, agent.reconnectMaxMs);
    this.framer = new LineFramer({ maxLineLength: device.maxLineLength });
    this.duplicates = device.duplicateWindowMs > 0 ? new DuplicateFilter({ windowMs: device.duplicateWindowMs }) : null;
    this.link.on('open', () => sink.presence('connected', device.serial.path));
    this.link.on('down', (reason) => {
      this.flushPartial();
      sink.presence('disconnected', reason);
    });
    this.link.on('data', (chunk) => this.onData(chunk));
  }

  start(): void {
    this.link.start();
  }

  async stop(): Promise<void> {
    await this.link.stop();
    this.flushPartial();
  }

  private onData(chunk: Buffer): void {
    const events: NewEdgeEvent[] = [];
    const now = Date.now();
    for (const frame of this.framer.push(chunk)) {
      if (frame.kind !== 'line') {
        this.sink.warn('unreadable scanner data skipped', {
          problem: frame.kind,
          detail: 'detail' in frame ? frame.detail : undefined,
        });
        continue;
      }
      if (frame.bytes.length === 0) continue; // a bare terminator is not a scan
      const garbled = garbledReason(frame.bytes);
      if (garbled) {
        // Line noise or a half-read frame: kept (hex) as a device status for people to see, never a scan.
        events.push({
          type: 'device-status',
          eventId: randomUUID(),
          agentId: this.agent.agentId,
          deviceId: this.device.deviceId,
          stationId: this.device.stationId,
          occurredAt: new Date(now).toISOString(),
          status: 'garbled',
          detail: `${garbled}; bytes: ${Buffer.from(frame.bytes.subarray(0, 200)).toString('hex')}`,
        });
        this.sink.warn('garbled scanner frame kept as a device status, not a scan', { reason: garbled });
        continue;
      }
      const decoded = decodeScan(frame.bytes);
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
    if (events.length) this.sink.record(events);
  }

  private flushPartial(): void {
    const partial = this.framer.flush();
    if (partial)
      this.sink.warn('scanner disconnected mid-line; the partial read was not recorded', {
        bytes: Buffer.from(partial.bytes).toString('hex'),
      });
    this.framer = new LineFramer({ maxLineLength: this.device.maxLineLength });
  }
}

/** A frame a scanner would not send: control bytes other than GS (FNC1), or bytes that are not UTF-8 text. */
export function garbledReason(bytes: Uint8Array): string | null {
  for (const b of bytes) {
    if ((b < 0x20 && b !== 0x1d) || b === 0x7f) return `control byte 0x${b.toString(16).padStart(2, '0')} in a read`;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'not valid text (UTF-8)';
  }
  return null;
}

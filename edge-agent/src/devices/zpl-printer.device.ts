import { randomUUID } from 'node:crypto';
import type { DeviceCommand, DeviceStatusEvent } from '@wms/contracts';
import type { AgentConfig, PrinterDeviceConfig } from '../config/agent-config.js';
import {
  HOST_STATUS_REQUEST,
  HostStatusDecoder,
  type PrinterStatus,
  tagWithJobId,
} from '../drivers/printer/zpl-status.codec.js';
import type { Outbox } from '../queue/outbox.js';
import { SerialLink } from '../transport/serial-port.js';
import type { DeviceSink } from './serial-scanner.device.js';

type PrinterState = DeviceStatusEvent['status'];

/**
 * A Zebra ZPL printer on raw TCP (port 9100) or a serial line. Each print job is sent at most
 * once (claimed in the agent's durable store first), only to a printer that says it is ready;
 * `~HS` is polled so paper out / head open show up before anyone presses print.
 */
export class ZplPrinterDevice {
  readonly deviceId: string;
  private readonly link: SerialLink;
  private decoder = new HostStatusDecoder();
  private waiting: ((status: PrinterStatus | null) => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pollTimer?: NodeJS.Timeout;
  private state: PrinterState | null = null;
  private stopped = false;

  constructor(
    private readonly device: PrinterDeviceConfig,
    private readonly agent: Pick<AgentConfig, 'agentId' | 'reconnectMaxMs'>,
    private readonly outbox: Outbox,
    private readonly sink: DeviceSink,
  ) {
    this.deviceId = device.deviceId;
    this.link = new SerialLink(device.serial, agent.reconnectMaxMs);
    this.link.on('open', () => {
      this.decoder = new HostStatusDecoder();
      sink.presence('connected', device.serial.path);
      void this.poll();
    });
    this.link.on('down', (reason) => sink.presence('disconnected', reason));
    this.link.on('data', (chunk) => {
      const status = this.decoder.push(chunk);
      if (status && this.waiting) {
        const done = this.waiting;
        this.waiting = null;
        done('error' in status ? null : status);
      }
    });
  }

  start(): void {
    this.stopped = false;
    this.link.start();
    this.pollTimer = setInterval(() => void this.poll(), this.device.statusIntervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    this.waiting?.(null);
    await this.link.stop();
  }

  async execute(command: DeviceCommand): Promise<Record<string, unknown> | undefined> {
    if (command.type === 'printer-status') {
      const status = await this.status();
      if (!status) throw new Error(this.silentReason());
      return { ...status };
    }
    if (command.type !== 'print') throw new Error(`a printer cannot do "${command.type}"`);
    return this.exclusive(async () => {
      if (!this.outbox.claimPrintJob(this.deviceId, command.jobId)) {
        return { jobId: command.jobId, alreadyPrinted: true };
      }
      const status = await this.askStatus();
      if (!status?.ready) {
        this.outbox.releasePrintJob(this.deviceId, command.jobId); // nothing was sent: it may be tried again
        throw new Error(
          status ? `printer ${this.deviceId} cannot print: ${status.problems.join('; ')}` : this.silentReason(),
        );
      }
      await this.link.write(new Uint8Array(Buffer.from(tagWithJobId(command.zpl, command.jobId), 'utf8')));
      return { jobId: command.jobId, sent: true };
    });
  }

  private silentReason(): string {
    return `printer ${this.deviceId} does not answer: check that it is on, online and connected`;
  }

  private async status(): Promise<PrinterStatus | null> {
    return this.exclusive(() => this.askStatus());
  }

  /** One conversation with the printer at a time. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private askStatus(): Promise<PrinterStatus | null> {
    if (!this.link.isOpen) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve(null);
      }, this.device.replyTimeoutMs);
      this.waiting = (status) => {
        clearTimeout(timer);
        resolve(status);
      };
      this.link.write(HOST_STATUS_REQUEST).catch(() => this.waiting?.(null));
    });
  }

  private async poll(): Promise<void> {
    if (this.stopped || !this.link.isOpen) return;
    const status = await this.status();
    const next: PrinterState = !status
      ? 'fault'
      : status.paperOut
        ? 'paper-out'
        : status.headOpen
          ? 'head-open'
          : status.ribbonOut
            ? 'ribbon-out'
            : status.paused
              ? 'paused'
              : status.ready
                ? 'ok'
                : 'fault';
    if (next === this.state) return;
    this.state = next;
    this.sink.record([
      {
        type: 'device-status',
        eventId: randomUUID(),
        agentId: this.agent.agentId,
        deviceId: this.deviceId,
        stationId: this.device.stationId,
        occurredAt: new Date().toISOString(),
        status: next,
        ...(status
          ? status.problems.length
            ? { detail: status.problems.join('; ') }
            : {}
          : { detail: this.silentReason() }),
      },
    ]);
  }
}

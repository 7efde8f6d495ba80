import { randomUUID } from 'node:crypto';
import type { DeviceCommand } from '@wms/contracts';
import { int32 } from '@wms/contracts';
import type { AgentConfig, ScaleDeviceConfig } from '../config/agent-config.js';
import { MtSicsDecoder, type MtSicsReply, mtSics } from '../drivers/scale/mt-sics.codec.js';
import { ToledoContinuousDecoder } from '../drivers/scale/toledo-continuous.codec.js';
import { type ScaleReading, type WeightReport, WeightReporter } from '../drivers/scale/weight-reporter.js';
import type { NewEdgeEvent } from '../queue/outbox.js';
import { SerialLink } from '../transport/serial-port.js';
import type { DeviceSink } from './serial-scanner.device.js';

interface Pending {
  accept: (reply: MtSicsReply) => boolean;
  resolve: (reply: MtSicsReply | null) => void;
  timer: NodeJS.Timeout;
}

/**
 * A weighing scale on a serial port. MT-SICS scales are polled with `SI` and take commands (`S`,
 * `T`, `Z`) one at a time; Toledo continuous-output scales stream frames by themselves. Either
 * way, readings go through the weight reporter: one weight event per stable placement, status
 * events on change.
 */
export class SerialScaleDevice {
  readonly deviceId: string;
  private readonly link: SerialLink;
  private readonly reporter: WeightReporter;
  private mtSics = new MtSicsDecoder();
  private toledo: ToledoContinuousDecoder;
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pollTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private lastStable: { grams: number; tareGrams: number } | null = null;
  private stableWaiters: Array<(reading: { grams: number; tareGrams: number }) => void> = [];
  private stopped = false;

  constructor(
    private readonly device: ScaleDeviceConfig,
    private readonly agent: Pick<AgentConfig, 'agentId' | 'reconnectMaxMs'>,
    private readonly sink: DeviceSink,
  ) {
    this.deviceId = device.deviceId;
    this.reporter = new WeightReporter({
      emptyBelowGrams: device.emptyBelowGrams,
      resolutionGrams: device.resolutionGrams,
    });
    this.toledo = new ToledoContinuousDecoder({ checksum: device.checksum });
    this.link = new SerialLink(device.serial, agent.reconnectMaxMs);
    this.link.on('open', () => {
      sink.presence('connected', device.serial.path);
      this.mtSics = new MtSicsDecoder();
      this.toledo = new ToledoContinuousDecoder({ checksum: device.checksum });
      this.armWatchdog();
    });
    this.link.on('down', (reason) => sink.presence('disconnected', reason));
    this.link.on('data', (chunk) => this.onData(chunk));
  }

  start(): void {
    this.stopped = false;
    this.link.start();
    if (this.device.protocol === 'mt-sics') this.schedulePoll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.watchdog);
    this.pending?.resolve(null);
    await this.link.stop();
  }

  async execute(command: DeviceCommand): Promise<Record<string, unknown> | undefined> {
    if (command.type === 'read-weight') {
      if (this.device.protocol === 'mt-sics') {
        const reply = await this.ask(
          mtSics.stableWeight(),
          (r) => r.kind !== 'error' || r.code !== 'GARBLED',
          this.device.replyTimeoutMs * 5,
        );
        if (reply?.kind === 'weight') return { grossGrams: reply.grams, unit: 'g' };
        throw new Error(this.explain(reply, 'read a stable weight'));
      }
      const reading = await this.nextStable(this.device.replyTimeoutMs * 5);
      return {
        grossGrams: reading.grams,
        tareGrams: reading.tareGrams,
        netGrams: reading.grams - reading.tareGrams,
        unit: 'g',
      };
    }
    if (command.type === 'tare' || command.type === 'zero') {
      if (this.device.protocol !== 'mt-sics') {
        throw new Error(
          `scale ${this.deviceId} sends continuous output and takes no commands: press ${command.type === 'tare' ? 'TARE' : 'ZERO'} on the indicator`,
        );
      }
      const bytes = command.type === 'tare' ? mtSics.tare() : mtSics.zero();
      const expected = command.type === 'tare' ? 'T' : 'Z';
      const reply = await this.ask(
        bytes,
        (r) => ('command' in r && r.command === expected) || r.kind === 'tare' || r.kind === 'error',
        this.device.replyTimeoutMs * 5,
      );
      if (reply?.kind === 'tare') return { tareGrams: reply.grams };
      if (reply?.kind === 'ack') return { zeroed: true };
      throw new Error(this.explain(reply, command.type));
    }
    throw new Error(`a scale cannot do "${command.type}"`);
  }

  private explain(reply: MtSicsReply | null, what: string): string {
    if (!reply) return `scale ${this.deviceId} did not answer: check its cable and power, then try again`;
    if (reply.kind === 'busy')
      return `scale ${this.deviceId} is busy or the load is moving: keep the parcel still and try again`;
    if (reply.kind === 'overload') return `scale ${this.deviceId} is overloaded: take the load off`;
    if (reply.kind === 'underload') return `scale ${this.deviceId} is below zero: clear the platform and zero it`;
    if (reply.kind === 'error') return `scale ${this.deviceId} could not ${what}: ${reply.detail}`;
    return `scale ${this.deviceId} answered "${reply.raw}" to ${what}`;
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(async () => {
      if (this.link.isOpen) {
        const reply = await this.ask(mtSics.immediateWeight(), () => true, this.device.replyTimeoutMs);
        this.report(
          reply
            ? readingFromMtSics(reply)
            : { kind: 'no-reply', detail: `no answer to SI within ${this.device.replyTimeoutMs} ms` },
        );
      }
      this.schedulePoll();
    }, this.device.pollIntervalMs);
  }

  /** One MT-SICS command at a time: the next waits until this one is answered or timed out. */
  private ask(
    bytes: Uint8Array,
    accept: (reply: MtSicsReply) => boolean,
    timeoutMs: number,
  ): Promise<MtSicsReply | null> {
    const run = () =>
      new Promise<MtSicsReply | null>((resolve) => {
        if (!this.link.isOpen) return resolve(null);
        const timer = setTimeout(() => {
          this.pending = null;
          resolve(null);
        }, timeoutMs);
        this.pending = {
          accept,
          resolve: (r) => {
            clearTimeout(timer);
            this.pending = null;
            resolve(r);
          },
          timer,
        };
        this.link.write(bytes).catch(() => this.pending?.resolve(null));
      });
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private onData(chunk: Buffer): void {
    if (this.device.protocol === 'mt-sics') {
      for (const reply of this.mtSics.push(chunk)) {
        if (this.pending?.accept(reply)) this.pending.resolve(reply);
        else if (reply.kind === 'error') this.sink.warn('unexpected data from the scale', { detail: reply.detail });
      }
      return;
    }
    this.armWatchdog();
    for (const frame of this.toledo.push(chunk)) {
      if (frame.kind === 'error')
        this.report({ kind: frame.code === 'CHECKSUM' ? 'checksum-error' : 'garbled', detail: frame.detail });
      else if (frame.outOfRange) this.report({ kind: frame.grams < 0 ? 'underload' : 'overload' });
      else if (frame.motion) this.report({ kind: 'motion' });
      else
        this.report({
          kind: 'stable',
          grams: frame.net ? frame.grams + frame.tareGrams : frame.grams,
          tareGrams: frame.tareGrams,
          raw: frame.raw,
        });
    }
  }

  /** Continuous output: silence for longer than the reply timeout means the scale is gone. */
  private armWatchdog(): void {
    if (this.device.protocol !== 'toledo-continuous') return;
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (!this.stopped) this.report({ kind: 'no-reply', detail: `no frame for ${this.device.replyTimeoutMs} ms` });
      this.armWatchdog();
    }, this.device.replyTimeoutMs);
  }

  private nextStable(timeoutMs: number): Promise<{ grams: number; tareGrams: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `scale ${this.deviceId} gave no stable weight within ${timeoutMs / 1000} s: keep the parcel still`,
            ),
          ),
        timeoutMs,
      );
      this.stableWaiters.push((reading) => {
        clearTimeout(timer);
        resolve(reading);
      });
    });
  }

  private report(reading: ScaleReading): void {
    if (reading.kind === 'stable') {
      this.lastStable = { grams: reading.grams, tareGrams: reading.tareGrams };
      for (const waiter of this.stableWaiters.splice(0)) waiter(this.lastStable);
    }
    const events = this.reporter.next(reading).map((r) => this.toEvent(r));
    if (events.length) this.sink.record(events);
  }

  private toEvent(report: WeightReport): NewEdgeEvent {
    const base = {
      eventId: randomUUID(),
      agentId: this.agent.agentId,
      deviceId: this.deviceId,
      stationId: this.device.stationId,
      occurredAt: new Date().toISOString(),
    };
    if (report.kind === 'weight') {
      // a weight its column cannot hold is a scale fault, not an event the server refuses for ever
      const bad = [report.grossGrams, report.tareGrams, report.netGrams].find((g) => !int32.safeParse(g).success);
      if (bad !== undefined)
        return {
          ...base,
          type: 'device-status',
          status: 'overload',
          detail: `reported ${bad} g, outside the range a weight can have`,
        };
      return {
        ...base,
        type: 'weight',
        grossGrams: report.grossGrams,
        tareGrams: report.tareGrams,
        netGrams: report.netGrams,
        raw: Buffer.from(report.raw).toString('base64'),
        protocol: this.device.protocol,
      };
    }
    return {
      ...base,
      type: 'device-status',
      status: report.status,
      ...(report.detail ? { detail: report.detail } : {}),
    };
  }
}

function readingFromMtSics(reply: MtSicsReply): ScaleReading {
  switch (reply.kind) {
    case 'weight':
      // SI reports gross; the tare in use is not in the reply (ask TA when net is needed).
      return {
        kind: 'stable',
        grams: reply.grams,
        tareGrams: 0,
        raw: new Uint8Array(Buffer.from(reply.raw, 'latin1')),
      };
    case 'motion':
    case 'busy':
      return { kind: 'motion' };
    case 'overload':
      return { kind: 'overload' };
    case 'underload':
      return { kind: 'underload' };
    case 'error':
      return { kind: 'garbled', detail: reply.detail };
    default:
      return { kind: 'garbled', detail: `unexpected reply "${reply.raw}"` };
  }
}

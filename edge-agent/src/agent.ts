import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type CommandReply, type DeviceCommand, type EdgeEvent, handheldScanSchema } from '@wms/contracts';
import type { AgentConfig, HandheldDeviceConfig } from './config/agent-config.js';
import { ModbusSensorDevice } from './devices/modbus-sensor.device.js';
import { SerialScaleDevice } from './devices/serial-scale.device.js';
import { type DeviceSink, SerialScannerDevice } from './devices/serial-scanner.device.js';
import { ZplPrinterDevice } from './devices/zpl-printer.device.js';
import { DuplicateFilter } from './drivers/scanner/duplicate.filter.js';
import { Dispatcher } from './queue/dispatcher.js';
import { type NewEdgeEvent, Outbox } from './queue/outbox.js';
import { MqttTransport } from './transport/mqtt-transport.js';

export type AgentLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface Device {
  readonly deviceId: string;
  start(): void;
  stop(): Promise<void>;
  /** Carries out a server command; throws an Error whose message says why it failed. */
  execute?(command: DeviceCommand): Promise<Record<string, unknown> | undefined>;
}

export interface EdgeAgentEvents {
  /** An event is safely in the outbox: the station's immediate local feedback. */
  queued: [EdgeEvent];
  delivered: [{ committed: number; rejected: number; pending: number }];
}

/**
 * drivers -> outbox -> transport. Every reading is written to the outbox before anything else
 * happens to it; the dispatcher then delivers it whenever the broker and the server are there.
 */
export class EdgeAgent extends EventEmitter<EdgeAgentEvents> {
  readonly outbox: Outbox;
  readonly transport: MqttTransport;
  private readonly dispatcher: Dispatcher;
  private readonly devices: Device[] = [];
  private readonly handhelds = new Map<string, HandheldDeviceConfig>();
  private readonly handheldDuplicates = new DuplicateFilter({ windowMs: 60_000 });
  private readonly deviceStates = new Map<string, { state: string; detail?: string; at: string }>();

  constructor(
    private readonly config: AgentConfig,
    private readonly log: AgentLog,
  ) {
    super();
    this.outbox = new Outbox(config.outboxPath);
    this.transport = new MqttTransport({
      url: config.mqttUrl,
      agentId: config.agentId,
      secret: config.secret,
      protocolVersion: config.mqttProtocolVersion,
      backlog: () => this.outbox.stats().pending,
    });
    this.dispatcher = new Dispatcher(this.outbox, this.transport, {
      agentId: config.agentId,
      batchSize: config.batchSize,
      ackTimeoutMs: config.ackTimeoutMs,
    });
    this.transport.on('connect', () => {
      this.log('info', 'connected to broker', { backlog: this.outbox.stats().pending });
      this.dispatcher.pump();
    });
    this.transport.on('disconnect', () => this.dispatcher.onDisconnect());
    this.transport.on('ack', (ack) => this.dispatcher.onAck(ack));
    this.transport.on('serverOnline', () => {
      this.log('info', 'server is back; sending unacknowledged events again');
      this.dispatcher.onServerBack();
    });
    this.transport.on('error', (error) => this.log('warn', 'broker connection problem', { error: error.message }));
    this.transport.on('command', (command) => void this.execute(command));
    this.transport.on('handheldScan', ({ deviceId, payload }) => void this.onHandheldScan(deviceId, payload));
    this.transport.on('badCommand', ({ commandId, deviceId, reason }) => {
      this.log('warn', reason, { commandId, deviceId });
      if (commandId)
        void this.reply({
          commandId,
          deviceId: deviceId ?? '',
          status: 'failed',
          reason,
          at: new Date().toISOString(),
        });
    });
    this.dispatcher.on('delivered', (d) => this.emit('delivered', d));
    this.dispatcher.on('timeout', ({ events }) =>
      this.log('warn', 'server did not confirm in time; sending again', { events }),
    );
    this.dispatcher.on('rejected', (rejected) => {
      for (const r of rejected) this.log('error', 'server refused an event; kept in the dead-letter table', { ...r });
    });
    this.dispatcher.on('warning', (msg) => this.log('warn', msg));

    for (const device of config.devices) {
      const sink: DeviceSink = {
        record: (events, line) => this.record(events, line),
        serialLineStart: () => this.outbox.serialLineStart(device.deviceId),
        presence: (state, detail) => {
          this.deviceStates.set(device.deviceId, { state, detail, at: new Date().toISOString() });
          this.log(
            state === 'connected' ? 'info' : 'warn',
            `device ${device.deviceId} ${state}`,
            detail ? { detail } : {},
          );
          void this.transport
            .publishDevicePresence(device.deviceId, { state, at: new Date().toISOString(), detail })
            .catch(() => undefined);
        },
        warn: (msg, fields) => this.log('warn', msg, { deviceId: device.deviceId, ...fields }),
      };
      switch (device.kind) {
        case 'scanner':
          this.devices.push(new SerialScannerDevice(device, config, sink));
          break;
        case 'scale':
          this.devices.push(new SerialScaleDevice(device, config, sink));
          break;
        case 'printer':
          this.devices.push(new ZplPrinterDevice(device, config, this.outbox, sink));
          break;
        case 'sensor':
          this.devices.push(new ModbusSensorDevice(device, config, sink));
          break;
        case 'handheld':
          this.handhelds.set(device.deviceId, device);
          break;
      }
    }
  }

  /** What the health endpoint reports: broker link, backlog, each device's state. */
  health() {
    return {
      agentId: this.config.agentId,
      broker: this.transport.connected ? 'connected' : 'disconnected',
      ...this.outbox.stats(),
      devices: Object.fromEntries(this.deviceStates),
    };
  }

  start(): void {
    this.transport.start();
    for (const device of this.devices) device.start();
  }

  /** Durably stores readings, then tries to send. Returns them with their sequence numbers. */
  record(events: NewEdgeEvent[], line?: { deviceId: string; atLineStart: boolean }): EdgeEvent[] {
    const stored = this.outbox.append(events, line);
    for (const event of stored) this.emit('queued', event);
    this.dispatcher.pump();
    return stored;
  }

  /**
   * A read from an MQTT handheld joins the same path as a serial scanner: into the outbox first,
   * then the handheld is told it is safe (or why it was refused).
   */
  private async onHandheldScan(deviceId: string, payload: Buffer): Promise<void> {
    const device = this.handhelds.get(deviceId);
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      json = null;
    }
    const parsed = handheldScanSchema.safeParse(json);
    const scanId = parsed.success
      ? parsed.data.scanId
      : typeof (json as { scanId?: unknown })?.scanId === 'string'
        ? (json as { scanId: string }).scanId
        : null;
    const refuse = (reason: string) => {
      this.log('warn', 'handheld read refused', { deviceId, scanId, reason });
      return this.transport.replyToHandheld(deviceId, { scanId, status: 'refused', reason }).catch(() => undefined);
    };
    if (!device) return refuse(`handheld ${deviceId} is not in the device list of agent ${this.config.agentId}`);
    if (!parsed.success)
      return refuse(
        `not a scan: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`,
      );
    const now = Date.now();
    if (device.duplicateWindowMs > 0 && !this.handheldDuplicates.accept(device.stationId, parsed.data.code, now)) {
      return void this.transport
        .replyToHandheld(deviceId, {
          scanId,
          status: 'duplicate',
          reason: 'the same code was just scanned at this station',
        })
        .catch(() => undefined);
    }
    const result = this.outbox.appendHandheldScan(parsed.data.scanId, {
      type: 'scan',
      eventId: randomUUID(),
      agentId: this.config.agentId,
      deviceId,
      stationId: device.stationId,
      occurredAt: parsed.data.scannedAt ?? new Date(now).toISOString(),
      raw: Buffer.from(parsed.data.code, 'utf8').toString('base64'),
      code: parsed.data.code,
      symbology: parsed.data.symbology ?? null,
    });
    if (result.event) {
      this.emit('queued', result.event);
      this.dispatcher.pump();
      await this.transport
        .replyToHandheld(deviceId, { scanId, status: 'queued', seq: result.event.seq })
        .catch(() => undefined);
    } else {
      await this.transport
        .replyToHandheld(deviceId, {
          scanId,
          status: 'duplicate',
          seq: result.duplicateOf?.seq,
          reason: 'this read was already received',
        })
        .catch(() => undefined);
    }
  }

  /** Runs a command on its device and answers with the same command id, whatever happens. */
  async execute(command: DeviceCommand): Promise<void> {
    const base = { commandId: command.commandId, deviceId: command.deviceId };
    const device = this.devices.find((d) => d.deviceId === command.deviceId);
    let reply: CommandReply;
    if (Date.parse(command.expiresAt) < Date.now()) {
      reply = {
        ...base,
        status: 'failed',
        reason: 'the command expired before it reached the device; send it again',
        at: new Date().toISOString(),
      };
    } else if (!device?.execute) {
      reply = {
        ...base,
        status: 'failed',
        reason: `device ${command.deviceId} is not attached to agent ${this.config.agentId} or takes no commands`,
        at: new Date().toISOString(),
      };
    } else {
      try {
        const result = await device.execute(command);
        reply = { ...base, status: 'done', ...(result ? { result } : {}), at: new Date().toISOString() };
      } catch (error) {
        reply = { ...base, status: 'failed', reason: (error as Error).message, at: new Date().toISOString() };
      }
    }
    this.log(reply.status === 'done' ? 'info' : 'warn', `command ${command.type} ${reply.status}`, {
      ...base,
      reason: reply.reason,
    });
    await this.reply(reply);
  }

  private async reply(reply: CommandReply): Promise<void> {
    await this.transport
      .reply(reply)
      .catch((error: Error) =>
        this.log('warn', 'command reply not sent', { commandId: reply.commandId, error: error.message }),
      );
  }

  async stop(): Promise<void> {
    for (const device of this.devices) await device.stop();
    this.dispatcher.stop();
    await this.transport.stop();
    this.outbox.close();
  }
}

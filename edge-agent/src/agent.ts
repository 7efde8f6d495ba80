import { EventEmitter } from 'node:events';
import type { EdgeEvent } from '@wms/contracts';
import type { AgentConfig } from './config/agent-config.js';
import { SerialScannerDevice } from './devices/serial-scanner.device.js';
import { Dispatcher } from './queue/dispatcher.js';
import { type NewEdgeEvent, Outbox } from './queue/outbox.js';
import { MqttTransport } from './transport/mqtt-transport.js';

export interface AgentLog {
  (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export interface Device {
  readonly deviceId: string;
  start(): void;
  stop(): Promise<void>;
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
    this.transport.on('error', (error) => this.log('warn', 'broker connection problem', { error: error.message }));
    this.dispatcher.on('delivered', (d) => this.emit('delivered', d));
    this.dispatcher.on('timeout', ({ events }) => this.log('warn', 'server did not confirm in time; sending again', { events }));
    this.dispatcher.on('rejected', (rejected) => {
      for (const r of rejected) this.log('error', 'server refused an event; kept in the dead-letter table', { ...r });
    });
    this.dispatcher.on('warning', (msg) => this.log('warn', msg));

    for (const device of config.devices) {
      if (device.kind === 'scanner') {
        this.devices.push(
          new SerialScannerDevice(device, config, {
            record: (event) => this.record(event),
            presence: (state, detail) => {
              this.log(state === 'connected' ? 'info' : 'warn', `device ${device.deviceId} ${state}`, detail ? { detail } : {});
              void this.transport.publishDevicePresence(device.deviceId, { state, at: new Date().toISOString(), detail }).catch(() => undefined);
            },
            warn: (msg, fields) => this.log('warn', msg, { deviceId: device.deviceId, ...fields }),
          }),
        );
      }
    }
  }

  start(): void {
    this.transport.start();
    for (const device of this.devices) device.start();
  }

  /** Durably stores readings, then tries to send. Returns them with their sequence numbers. */
  record(events: NewEdgeEvent[]): EdgeEvent[] {
    const stored = this.outbox.append(events);
    for (const event of stored) this.emit('queued', event);
    this.dispatcher.pump();
    return stored;
  }

  async stop(): Promise<void> {
    for (const device of this.devices) await device.stop();
    this.dispatcher.stop();
    await this.transport.stop();
    this.outbox.close();
  }
}

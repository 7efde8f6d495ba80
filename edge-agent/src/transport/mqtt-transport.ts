import { EventEmitter } from 'node:events';
import {
  type Ack,
  ackSchema,
  type CommandReply,
  type DeviceCommand,
  type DevicePresence,
  deviceCommandSchema,
  type EventBatch,
  type HandheldAck,
  serverPresenceSchema,
  topics,
} from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';

export interface TransportOptions {
  url: string;
  agentId: string;
  secret?: string;
  protocolVersion: 4 | 5;
  /** Events waiting, reported in the presence message. */
  backlog: () => number;
}

export interface TransportEvents {
  connect: [];
  disconnect: [];
  ack: [Ack];
  command: [DeviceCommand];
  /** A handheld published a read (payload not yet checked). */
  handheldScan: [{ deviceId: string; payload: Buffer }];
  /** A command message that could not be read; answered as failed when it has a command id. */
  badCommand: [{ commandId: string | null; deviceId: string | null; reason: string }];
  /** The server (re)connected to the broker with a fresh session: unacknowledged batches are lost there. */
  serverOnline: [];
  error: [Error];
}

/**
 * The agent's one wrapper around the MQTT client: a persistent session, a retained presence with
 * a last will (offline), the ack subscription, and publishing of batches. It keeps reconnecting
 * on its own; the outbox holds everything meanwhile.
 */
export class MqttTransport extends EventEmitter<TransportEvents> {
  private client?: MqttClient;
  /** The server connection last announced on `serverPresence`. */
  private serverConnection?: string;
  private serverWasAway = false;

  constructor(private readonly options: TransportOptions) {
    super();
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    const { agentId } = this.options;
    const presenceTopic = topics.agentPresence(agentId);
    const client = mqtt.connect(this.options.url, {
      clientId: `agent-${agentId}`,
      username: agentId,
      password: this.options.secret,
      protocolVersion: this.options.protocolVersion,
      clean: false,
      ...(this.options.protocolVersion === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}),
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      keepalive: 15,
      will: {
        topic: presenceTopic,
        payload: Buffer.from(JSON.stringify({ state: 'offline', at: new Date().toISOString() })),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    client.on('connect', () => {
      // Small request/ack messages: without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms a hop.
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      void client
        .subscribeAsync(
          [
            topics.agentAcks(agentId),
            topics.agentCommands(agentId),
            topics.handheldScansFilter(agentId),
            topics.serverPresence,
          ],
          { qos: 1 },
        )
        .then(() => this.publishPresence('online'))
        .then(() => this.emit('connect'))
        .catch((error: Error) => this.emit('error', error));
    });
    client.on('close', () => this.emit('disconnect'));
    client.on('error', (error) => this.emit('error', error));
    client.on('message', (topic, payload) => {
      if (topic === topics.agentCommands(agentId)) return this.onCommand(payload);
      if (topic === topics.serverPresence) return this.onServerPresence(payload);
      const handheld = /\/handhelds\/([^/]+)\/scans$/.exec(topic);
      if (handheld) return void this.emit('handheldScan', { deviceId: handheld[1], payload });
      if (topic !== topics.agentAcks(agentId)) return;
      let parsed: ReturnType<typeof ackSchema.safeParse> | null;
      try {
        parsed = ackSchema.safeParse(JSON.parse(payload.toString('utf8')));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        this.emit('error', new Error(`ignored an unreadable ack on ${topic}`));
        return;
      }
      this.emit('ack', parsed.data);
    });
  }

  /**
   * Publishes an event batch (the `EventBatch` message). The events come as the outbox stored them,
   * JSON text, and are joined as they are: parsing and re-serialising a thousand events per batch
   * was a good part of the agent's work.
   */
  async sendBatch(batch: { agentId: string; sentAt: string; events: string[] }): Promise<void> {
    if (!this.client) throw new Error('transport not started');
    const head: Omit<EventBatch, 'events'> = { agentId: batch.agentId, sentAt: batch.sentAt };
    const message = `${JSON.stringify(head).slice(0, -1)},"events":[${batch.events.join(',')}]}`;
    await this.client.publishAsync(topics.agentEvents(this.options.agentId), message, { qos: 1 });
  }

  async replyToHandheld(deviceId: string, ack: HandheldAck): Promise<void> {
    if (!this.client) return;
    await this.client.publishAsync(topics.handheldAcks(this.options.agentId, deviceId), JSON.stringify(ack), {
      qos: 1,
    });
  }

  async reply(reply: CommandReply): Promise<void> {
    if (!this.client) throw new Error('transport not started');
    await this.client.publishAsync(topics.agentCommandReplies(this.options.agentId), JSON.stringify(reply), { qos: 1 });
  }

  /** A new `online` connection id (not the retained one we already saw) means the server came back. */
  private onServerPresence(payload: Buffer): void {
    let parsed: ReturnType<typeof serverPresenceSchema.safeParse> | null;
    try {
      parsed = serverPresenceSchema.safeParse(JSON.parse(payload.toString('utf8')));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) return;
    if (parsed.data.state === 'offline') {
      this.serverWasAway = true;
      return;
    }
    if (parsed.data.connectionId === this.serverConnection) return;
    // the first announcement we see is the server as it already was, unless it was away before
    const cameBack = this.serverConnection !== undefined || this.serverWasAway;
    this.serverConnection = parsed.data.connectionId;
    this.serverWasAway = false;
    if (cameBack) this.emit('serverOnline');
  }

  private onCommand(payload: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      this.emit('badCommand', { commandId: null, deviceId: null, reason: 'command is not JSON' });
      return;
    }
    const parsed = deviceCommandSchema.safeParse(json);
    if (!parsed.success) {
      const raw = json as { commandId?: unknown; deviceId?: unknown } | null;
      this.emit('badCommand', {
        commandId: typeof raw?.commandId === 'string' ? raw.commandId : null,
        deviceId: typeof raw?.deviceId === 'string' ? raw.deviceId : null,
        reason: `command not understood: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      });
      return;
    }
    this.emit('command', parsed.data);
  }

  async publishDevicePresence(deviceId: string, presence: DevicePresence): Promise<void> {
    if (!this.client?.connected) return;
    await this.client.publishAsync(topics.devicePresence(this.options.agentId, deviceId), JSON.stringify(presence), {
      qos: 1,
      retain: true,
    });
  }

  async stop(): Promise<void> {
    if (!this.client) return;
    if (this.client.connected) await this.publishPresence('offline').catch(() => undefined);
    await this.client.endAsync();
  }

  private async publishPresence(state: 'online' | 'offline'): Promise<void> {
    await this.client?.publishAsync(
      topics.agentPresence(this.options.agentId),
      JSON.stringify({ state, at: new Date().toISOString(), backlog: this.options.backlog() }),
      { qos: 1, retain: true },
    );
  }
}

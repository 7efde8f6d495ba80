import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export type MessageHandler = (topic: string, payload: Buffer) => void;

export interface MqttConnectOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  protocolVersion: 4 | 5;
  /** Retained topic announcing this client: `online` (see announcePresence), `offline` as its last will. */
  presenceTopic?: string;
}

/**
 * The server's one wrapper around the MQTT client: connect with a persistent session, keep
 * subscriptions across reconnects, publish with QoS 1. Nothing else in the server imports `mqtt`.
 */
export class MqttService extends EventEmitter {
  private readonly logger = new Logger('mqtt');
  private client?: MqttClient;
  private presenceTopic?: string;
  private bootId = '';
  private connections = 0;
  /** Set once the server has subscribed to what it needs and said it is online. */
  private announced = false;
  private readonly subscriptions: string[] = [];
  private readonly handlers: Array<{ filter: string; handler: MessageHandler }> = [];

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async connect(options: MqttConnectOptions): Promise<void> {
    const bootId = randomUUID();
    this.presenceTopic = options.presenceTopic;
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      protocolVersion: options.protocolVersion,
      // A clean session on purpose: delivery is guaranteed by the agents' outboxes (they resend
      // until acknowledged), and a persistent session of a dead instance would keep taking its
      // share of a shared subscription until it expired.
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      resubscribe: true,
      ...(options.presenceTopic
        ? {
            will: {
              topic: options.presenceTopic,
              payload: Buffer.from(presence('offline', bootId)),
              qos: 1,
              retain: true,
            },
          }
        : {}),
    };
    const client = mqtt.connect(options.url, clientOptions);
    this.bootId = bootId;
    this.client = client;
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
    client.on('connect', () => {
      // Small request/ack messages: without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms a hop.
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      this.logger.log({ msg: 'connected to broker', url: redact(options.url) });
      // A reconnect with a clean session: what agents sent meanwhile is gone; once subscribed again, say so.
      if (this.announced)
        void Promise.all(this.subscriptions.map((filter) => client.subscribeAsync(filter, { qos: 1 })))
          .then(() => this.announcePresence())
          .catch((error: Error) => this.logger.warn({ msg: 'not subscribed again', error: error.message }));
      this.emit('connect');
    });
    client.on('close', () => this.emit('close'));
    client.on('error', (error) => this.logger.warn({ msg: 'broker error', error: error.message }));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`could not reach the MQTT broker at ${redact(options.url)} within 10 s`)),
        10_000,
      );
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      client.once('error', (error) => {
        if (
          (error as { code?: number }).code === 4 ||
          (error as { code?: number }).code === 5 ||
          /Not authorized|Bad username/i.test(error.message)
        ) {
          clearTimeout(timer);
          reject(new Error(`the MQTT broker refused our credentials: ${error.message}`));
        }
      });
    });
  }

  async subscribe(filter: string, handler: MessageHandler, match = filter): Promise<void> {
    if (!this.client) throw new Error('MQTT is not connected');
    this.handlers.push({ filter: match, handler });
    this.subscriptions.push(filter);
    await this.client.subscribeAsync(filter, { qos: 1 });
  }

  /**
   * Publishes the retained `online` presence with a new connection id. Called once the agents'
   * events are subscribed (an agent resends the moment it sees this), and again after every
   * reconnect. The last will says `offline`.
   */
  async announcePresence(): Promise<void> {
    if (!this.client || !this.presenceTopic) return;
    this.announced = true;
    await this.client
      .publishAsync(this.presenceTopic, presence('online', `${this.bootId}-${++this.connections}`), {
        qos: 1,
        retain: true,
      })
      .catch((error: Error) => this.logger.warn({ msg: 'presence not published', error: error.message }));
  }

  async publish(topic: string, payload: string | Buffer, options: { retain?: boolean } = {}): Promise<void> {
    if (!this.client) throw new Error('MQTT is not connected');
    await this.client.publishAsync(topic, payload, { qos: 1, retain: options.retain ?? false });
  }

  async close(): Promise<void> {
    if (this.client?.connected && this.presenceTopic)
      await this.client
        .publishAsync(this.presenceTopic, presence('offline', 'closed'), { qos: 1, retain: true })
        .catch(() => undefined);
    await this.client?.endAsync();
  }

  private dispatch(topic: string, payload: Buffer): void {
    for (const { filter, handler } of this.handlers) {
      if (topicMatches(filter, topic)) {
        try {
          handler(topic, payload);
        } catch (error) {
          this.logger.error({ msg: 'message handler failed', topic, error: String(error) });
        }
      }
    }
  }
}

export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

function presence(state: 'online' | 'offline', connectionId: string): string {
  return JSON.stringify({ state, at: new Date().toISOString(), connectionId });
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

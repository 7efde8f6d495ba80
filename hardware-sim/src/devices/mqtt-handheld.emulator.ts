import { randomUUID } from 'node:crypto';
import { brokerIdentity, type HandheldAck, handheldAckSchema, topics } from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';

export interface HandheldOptions {
  deviceId: string;
  agentId: string;
  mqttUrl: string;
  /** A handheld logs in as itself (`handheld/<deviceId>`, the default) with its own secret, never as its agent. */
  username?: string;
  password?: string;
  protocolVersion: 4 | 5;
  ackTimeoutMs?: number;
}

/**
 * A handheld terminal that publishes its own reads over MQTT (QoS 1) and waits for its agent to
 * confirm each one, resending the same scanId until it does — as a real handheld app would.
 */
export class MqttHandheld {
  private client?: MqttClient;
  private readonly waiting = new Map<string, (ack: HandheldAck) => void>();

  constructor(private readonly options: HandheldOptions) {}

  async connect(): Promise<void> {
    const { agentId, deviceId } = this.options;
    this.client = await mqtt.connectAsync(this.options.mqttUrl, {
      clientId: brokerIdentity.handheldClientId(deviceId),
      username: this.options.username ?? brokerIdentity.handheldUsername(deviceId),
      password: this.options.password,
      protocolVersion: this.options.protocolVersion,
      reconnectPeriod: 1000,
    });
    this.client.on('message', (_topic, payload) => {
      try {
        const ack = handheldAckSchema.parse(JSON.parse(payload.toString('utf8')));
        if (ack.scanId) this.waiting.get(ack.scanId)?.(ack);
      } catch {
        // not an ack: ignore, as a handheld would
      }
    });
    await this.client.subscribeAsync(topics.handheldAcks(agentId, deviceId), { qos: 1 });
  }

  /** Publishes one read (plus `extraCopies` resends of the same scanId) and returns the agent's answer. */
  async scan(
    code: string,
    options: { extraCopies?: number; attempts?: number } = {},
  ): Promise<HandheldAck & { sentCopies: number }> {
    if (!this.client) throw new Error(`handheld ${this.options.deviceId} is not connected`);
    const scanId = randomUUID();
    const payload = JSON.stringify({ scanId, code, scannedAt: new Date().toISOString() });
    const topic = topics.handheldScans(this.options.agentId, this.options.deviceId);
    let sentCopies = 0;
    for (let attempt = 0; attempt < (options.attempts ?? 3); attempt++) {
      const answered = new Promise<HandheldAck | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), this.options.ackTimeoutMs ?? 3000);
        this.waiting.set(scanId, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
      });
      for (let copy = 0; copy <= (attempt === 0 ? (options.extraCopies ?? 0) : 0); copy++) {
        await this.client.publishAsync(topic, payload, { qos: 1 });
        sentCopies++;
      }
      const ack = await answered;
      if (ack) {
        this.waiting.delete(scanId);
        return { ...ack, sentCopies };
      }
    }
    this.waiting.delete(scanId);
    return { scanId, status: 'refused', reason: 'no answer from the agent', sentCopies };
  }

  async close(): Promise<void> {
    await this.client?.endAsync();
  }
}

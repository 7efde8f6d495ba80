import type { MikroORM } from '@mikro-orm/postgresql';
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { topics } from '@wms/contracts';
import { DevicesRepository } from '../../modules/devices/devices.repository.js';
import { DevicesService } from '../../modules/devices/devices.service.js';
import { generateSecret } from '../auth/password.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ORM } from '../database/orm.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './embedded-broker.js';
import { MqttService } from './mqtt.service.js';

export const MQTT = Symbol('MQTT');

export interface MqttRuntime {
  client: MqttService;
  /** Where agents should connect (the external broker, or the embedded one). */
  brokerUrl: string;
  embedded: EmbeddedBroker | null;
  sharedSubscriptions: boolean;
  shareGroup: string;
}

const SERVICE_USERNAME = 'wms-server';

/**
 * Connects to MQTT_URL, or, when it is unset, starts the in-process broker and connects to it.
 * The embedded broker checks agents' credentials against the database.
 */
async function createMqttRuntime(config: AppConfig, orm: MikroORM): Promise<MqttRuntime> {
  const client = new MqttService();
  if (config.MQTT_URL) {
    await client.connect({
      url: config.MQTT_URL,
      clientId: `wms-${config.INSTANCE_ID}`,
      username: config.MQTT_USERNAME,
      password: config.MQTT_PASSWORD,
      protocolVersion: config.MQTT_PROTOCOL_VERSION,
      presenceTopic: topics.serverPresence,
    });
    // Shared subscriptions let several server instances split the agents' traffic (MQTT 5 `$share`).
    return {
      client,
      brokerUrl: config.MQTT_URL,
      embedded: null,
      sharedSubscriptions: config.MQTT_PROTOCOL_VERSION === 5,
      shareGroup: config.MQTT_SHARE_GROUP,
    };
  }
  const servicePassword = generateSecret(24);
  // Built here rather than injected: the devices module itself needs MQTT for device commands.
  const devices = new DevicesService(new DevicesRepository(orm));
  const embedded = await startEmbeddedBroker({
    port: config.MQTT_EMBEDDED_PORT,
    host: config.HTTP_HOST,
    authenticate: async (username, password) => {
      if (username === SERVICE_USERNAME) return password === servicePassword ? { kind: 'service' } : null;
      return (await devices.verifyAgentCredentials(username, password)) ? { kind: 'agent', agentId: username } : null;
    },
  });
  const brokerUrl = `mqtt://127.0.0.1:${embedded.port}`;
  new Logger('mqtt').log({ msg: 'embedded MQTT broker (aedes, MQTT 3.1.1) listening', url: brokerUrl });
  // aedes speaks MQTT 3.1.1 and has no shared subscriptions: one server instance per embedded broker.
  await client.connect({
    url: brokerUrl,
    clientId: `wms-${config.INSTANCE_ID}`,
    username: SERVICE_USERNAME,
    password: servicePassword,
    protocolVersion: 4,
    presenceTopic: topics.serverPresence,
  });
  return { client, brokerUrl, embedded, sharedSubscriptions: false, shareGroup: config.MQTT_SHARE_GROUP };
}

@Global()
@Module({
  providers: [
    {
      provide: MQTT,
      inject: [APP_CONFIG, ORM],
      useFactory: createMqttRuntime,
    },
  ],
  exports: [MQTT],
})
export class MqttModule implements OnApplicationShutdown {
  constructor(@Inject(MQTT) private readonly runtime: MqttRuntime) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.client.close();
    await this.runtime.embedded?.close();
  }
}

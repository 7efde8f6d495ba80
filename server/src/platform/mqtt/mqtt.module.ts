import { timingSafeEqual } from 'node:crypto';
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { topics } from '@wms/contracts';
import { generateSecret } from '../auth/password.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type BrokerAccounts, DynsecAccounts, embeddedAccounts, unmanagedAccounts } from './broker-accounts.js';
import type { BrokerPrincipal } from './broker-acl.js';
import { ConnectThrottle } from './connect-throttle.js';
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
  /** The broker's side of agent and handheld secrets (rotation, revocation). */
  accounts: BrokerAccounts;
  /**
   * Who checks agents' and handhelds' secrets on the embedded broker: the devices context hands
   * its check in when it starts (it needs MQTT itself, so MQTT cannot depend on it). Until then a
   * login is answered "server unavailable" and the client retries; no failure is counted.
   */
  checkCredentials(check: CredentialCheck): void;
}

/** A username and password to the identity the broker lets in (null: refused). */
export type CredentialCheck = (username: string, password: string) => Promise<BrokerPrincipal | null>;

const SERVICE_USERNAME = 'wms-server';

/**
 * Connects to MQTT_URL, or, when it is unset, starts the in-process broker and connects to it.
 * The embedded broker checks agents' credentials against the database.
 */
async function createMqttRuntime(config: AppConfig): Promise<MqttRuntime> {
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
    let accounts: BrokerAccounts = unmanagedAccounts();
    if (config.MQTT_BROKER_ACCOUNTS === 'dynsec') {
      if (!config.MQTT_USERNAME)
        throw new Error('MQTT_BROKER_ACCOUNTS=dynsec needs MQTT_USERNAME (the service account)');
      const dynsec = new DynsecAccounts(client);
      await dynsec.ensureServiceRole(config.MQTT_USERNAME);
      accounts = dynsec;
    }
    // Shared subscriptions let several server instances split the agents' traffic (MQTT 5 `$share`).
    return {
      client,
      brokerUrl: config.MQTT_URL,
      embedded: null,
      sharedSubscriptions: config.MQTT_PROTOCOL_VERSION === 5,
      shareGroup: config.MQTT_SHARE_GROUP,
      accounts,
      // an external broker checks secrets itself (Mosquitto's accounts, kept in step by `accounts`)
      checkCredentials: () => undefined,
    };
  }
  const servicePassword = generateSecret(24);
  let check: CredentialCheck | null = null;
  const logger = new Logger('mqtt');
  const embedded = await startEmbeddedBroker({
    port: config.MQTT_EMBEDDED_PORT,
    host: config.MQTT_EMBEDDED_HOST,
    maxPacketBytes: config.MQTT_MAX_PACKET_BYTES,
    throttle: new ConnectThrottle({
      maxFailuresPerUsername: config.MQTT_CONNECT_MAX_FAILURES,
      maxFailuresPerAddress: config.MQTT_CONNECT_MAX_FAILURES_PER_ADDRESS,
      blockSeconds: config.MQTT_CONNECT_BLOCK_SECONDS,
    }),
    authenticate: async (username, password) => {
      if (username === SERVICE_USERNAME) return safeEqual(password, servicePassword) ? { kind: 'service' } : null;
      if (!check) throw new Error('the devices context has not started yet');
      return check(username, password);
    },
    onRefused: (refused) => logger.warn({ msg: 'MQTT client refused', ...refused }),
  });
  const brokerUrl = `mqtt://${connectHost(config.MQTT_EMBEDDED_HOST)}:${embedded.port}`;
  logger.log({
    msg: 'embedded MQTT broker (aedes, MQTT 3.1.1) listening; single instance only: run one server on it, use Mosquitto (MQTT_URL) for more',
    url: brokerUrl,
    host: config.MQTT_EMBEDDED_HOST,
  });
  // aedes speaks MQTT 3.1.1 and has no shared subscriptions: one server instance per embedded broker.
  await client.connect({
    url: brokerUrl,
    clientId: `wms-${config.INSTANCE_ID}`,
    username: SERVICE_USERNAME,
    password: servicePassword,
    protocolVersion: 4,
    presenceTopic: topics.serverPresence,
  });
  return {
    client,
    brokerUrl,
    embedded,
    sharedSubscriptions: false,
    shareGroup: config.MQTT_SHARE_GROUP,
    accounts: embeddedAccounts(embedded),
    checkCredentials: (given) => {
      check = given;
    },
  };
}

/** Where this process reaches a broker listening on `host` (all interfaces: through loopback). */
function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

@Global()
@Module({
  providers: [
    {
      provide: MQTT,
      inject: [APP_CONFIG],
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

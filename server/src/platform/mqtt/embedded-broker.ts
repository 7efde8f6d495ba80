import { createServer, type Server } from 'node:net';
import { TOPIC_ROOT, topics } from '@wms/contracts';
import { Aedes, type AuthenticateError } from 'aedes';

export type BrokerPrincipal = { kind: 'service' } | { kind: 'agent'; agentId: string };

export interface EmbeddedBrokerOptions {
  port: number;
  host?: string;
  /**
   * Checks a client's username/password. Returns who it is, or null to refuse. Without it the
   * broker accepts anonymous clients (tests and benchmarks only).
   */
  authenticate?: (username: string, password: string) => Promise<BrokerPrincipal | null>;
}

export interface EmbeddedBroker {
  port: number;
  close(): Promise<void>;
}

const agentTopicPrefix = (agentId: string) => `${TOPIC_ROOT}/agents/${agentId}/`;

/**
 * In-process MQTT 3.1.1 broker (aedes) for the embedded defaults: no Mosquitto needed to try the
 * system. Agents may publish and subscribe only under their own `wms/v1/agents/<id>/` topics.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const principals = new WeakMap<object, BrokerPrincipal>();
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      if (!options.authenticate) return done(null, true);
      if (!username || !password) return done(authError('username and password are required'), false);
      options
        .authenticate(username, password.toString('utf8'))
        .then((principal) => {
          if (!principal) return done(authError(`bad username or password for "${username}"`), false);
          principals.set(client, principal);
          done(null, true);
        })
        .catch(() => done(authError('authentication is unavailable (database down?)', 3), false));
    },
    authorizePublish: (client, packet, callback) => {
      const principal = client ? principals.get(client) : undefined;
      if (principal?.kind === 'agent' && !packet.topic.startsWith(agentTopicPrefix(principal.agentId))) {
        return callback(new Error(`agent ${principal.agentId} may not publish to ${packet.topic}`));
      }
      callback(null);
    },
    authorizeSubscribe: (client, subscription, callback) => {
      const principal = principals.get(client);
      // agents also read the server's retained presence (only the server may publish it)
      if (
        principal?.kind === 'agent' &&
        !subscription.topic.startsWith(agentTopicPrefix(principal.agentId)) &&
        subscription.topic !== topics.serverPresence
      ) {
        return callback(new Error(`agent ${principal.agentId} may not subscribe to ${subscription.topic}`));
      }
      callback(null, subscription);
    },
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

function authError(message: string, returnCode = 4): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { type BrokerPrincipal, expectedClientId, isServerClientId, mayPublish, maySubscribe } from './broker-acl.js';
import type { ConnectThrottle } from './connect-throttle.js';

export type { BrokerPrincipal } from './broker-acl.js';

export interface EmbeddedBrokerOptions {
  port: number;
  host?: string;
  /**
   * Checks a client's username/password. Returns who it is, or null to refuse. Without it the
   * broker accepts anonymous clients (tests and benchmarks only).
   */
  authenticate?: (username: string, password: string) => Promise<BrokerPrincipal | null>;
  /** Back-off on failed logins (per username and per source address). */
  throttle?: ConnectThrottle;
  /** Largest MQTT packet accepted; a bigger one closes the connection. */
  maxPacketBytes?: number;
  /** Told of every refused login or topic, for the log. */
  onRefused?: (what: { reason: string; clientId?: string; username?: string; address?: string }) => void;
}

export interface EmbeddedBroker {
  port: number;
  /** Closes every connection logged in as `username` (after its secret was rotated or revoked). */
  disconnect(username: string): number;
  close(): Promise<void>;
}

const DEFAULT_MAX_PACKET_BYTES = 4 * 1024 * 1024;

/**
 * In-process MQTT 3.1.1 broker (aedes) for the embedded defaults: no Mosquitto needed to try the
 * system. Single instance by design: its sessions and throttle live in this process's memory.
 * Each client is held to its identity (broker-acl.ts): its own client id, its own topics.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const principals = new WeakMap<Client, BrokerPrincipal>();
  const byUsername = new Map<string, Set<Client>>();
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const refuse = (reason: string, client: Client | null, username?: string) =>
    options.onRefused?.({ reason, clientId: client?.id, username, address: addressOf(client) });

  const broker = await Aedes.createBroker({
    // Client ids are `agent-<agentId>`, `handheld-<deviceId>` (ids up to 64) or `wms-<instance>`.
    maxClientsIdLength: 100,
    authenticate: (client, username, password, done) => {
      if (!options.authenticate) return done(null, true);
      if (!username || !password) return done(authError('username and password are required'), false);
      const address = addressOf(client) ?? 'unknown';
      void (async () => {
        const wait = (await options.throttle?.refusedFor(username, address)) ?? 0;
        if (wait > 0) {
          refuse(`too many failed logins: refused for ${wait} s more`, client, username);
          return done(authError(`too many failed logins for "${username}"; try again in ${wait} s`), false);
        }
        const principal = await options.authenticate!(username, password.toString('utf8'));
        if (!principal) {
          await options.throttle?.failed(username, address);
          refuse('bad username or password', client, username);
          return done(authError(`bad username or password for "${username}"`), false);
        }
        const clientIdProblem = clientIdRefusal(principal, client.id);
        if (clientIdProblem) {
          refuse(clientIdProblem, client, username);
          return done(authError(clientIdProblem, 5), false);
        }
        await options.throttle?.succeeded(username, address);
        principals.set(client, principal);
        const sessions = byUsername.get(username) ?? new Set<Client>();
        sessions.add(client);
        byUsername.set(username, sessions);
        done(null, true);
      })().catch(() => done(authError('authentication is unavailable (database down?)', 3), false));
    },
    authorizePublish: (client, packet, callback) => {
      if (packet.payload.length > maxPacketBytes) {
        refuse(`message of ${packet.payload.length} bytes on ${packet.topic} is over the limit`, client);
        return callback(new Error(`messages are limited to ${maxPacketBytes} bytes`));
      }
      // No client: aedes publishing a will of a session that is gone; it was checked when set.
      if (!client || !options.authenticate) return callback(null);
      const principal = principals.get(client);
      if (!principal || !mayPublish(principal, packet.topic)) {
        refuse(`may not publish to ${packet.topic}`, client);
        return callback(new Error(`${client.id} may not publish to ${packet.topic}`));
      }
      callback(null);
    },
    authorizeSubscribe: (client, subscription, callback) => {
      if (!options.authenticate) return callback(null, subscription);
      const principal = principals.get(client);
      if (!principal || !maySubscribe(principal, subscription.topic)) {
        refuse(`may not subscribe to ${subscription.topic}`, client);
        // A null subscription is refused in the SUBACK (0x80) and the client stays connected.
        return callback(null, null);
      }
      callback(null, subscription);
    },
  });
  broker.on('clientDisconnect', (client) => {
    for (const [username, sessions] of byUsername) {
      if (sessions.delete(client) && sessions.size === 0) byUsername.delete(username);
    }
  });

  const server: Server = createServer((socket) => {
    const client = broker.handle(socket);
    limitPacketSize(client, maxPacketBytes, () => refuse('packet over the size limit', client));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    disconnect(username) {
      const sessions = [...(byUsername.get(username) ?? [])];
      byUsername.delete(username);
      for (const client of sessions) client.close();
      return sessions.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

function clientIdRefusal(principal: BrokerPrincipal, clientId: string): string | null {
  const expected = expectedClientId(principal);
  if (expected === null) {
    return isServerClientId(clientId) ? null : `the service account must connect as wms-<instance>, not "${clientId}"`;
  }
  return clientId === expected ? null : `client id "${clientId}" is not allowed for this login (use "${expected}")`;
}

/**
 * Stops reading a packet whose header announces more than the limit, before its body is buffered
 * (aedes has no byte bound of its own). Uses the packet parser's length step; if a future aedes
 * changes it, the size check in authorizePublish still holds, only later.
 */
function limitPacketSize(client: Client, maxBytes: number, onRefused: () => void): void {
  const parser = (client as unknown as { _parser?: { _parseLength?: () => boolean; packet: { length: number } } })
    ._parser;
  const parseLength = parser?._parseLength;
  if (!parser || typeof parseLength !== 'function') return;
  parser._parseLength = function limitedParseLength(this: typeof parser) {
    const done = parseLength.call(this);
    if (done && this.packet.length > maxBytes) {
      onRefused();
      client.conn.destroy();
      return false;
    }
    return done;
  };
}

function addressOf(client: Client | null): string | undefined {
  return (client?.conn as { remoteAddress?: string } | undefined)?.remoteAddress;
}

function authError(message: string, returnCode = 4): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

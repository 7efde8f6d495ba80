import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { brokerIdentity } from '@wms/contracts';
import { type BrokerPrincipal, dynsecAcls, expectedClientId } from './broker-acl.js';
import type { EmbeddedBroker } from './embedded-broker.js';

/**
 * The broker's side of an identity. The database keeps every secret's hash (the embedded broker
 * checks logins against it); a broker with accounts of its own (Mosquitto's dynamic security) is
 * told here when an agent or handheld gets a secret or loses it. Both close the live session.
 */
export interface BrokerAccounts {
  readonly kind: 'embedded' | 'dynsec' | 'none';
  /** Creates or updates the account with this secret, enabled; a connected session is closed. */
  upsert(principal: AccountPrincipal, secret: string): Promise<void>;
  /** Disables the account and closes its sessions. */
  revoke(principal: AccountPrincipal): Promise<void>;
}

export type AccountPrincipal = Exclude<BrokerPrincipal, { kind: 'service' }>;

export function usernameOf(principal: AccountPrincipal): string {
  return principal.kind === 'agent'
    ? brokerIdentity.agentUsername(principal.agentId)
    : brokerIdentity.handheldUsername(principal.deviceId);
}

/** The embedded broker reads the database at every login: only the live sessions need closing. */
export function embeddedAccounts(broker: EmbeddedBroker): BrokerAccounts {
  return {
    kind: 'embedded',
    upsert: async (principal) => void broker.disconnect(usernameOf(principal)),
    revoke: async (principal) => void broker.disconnect(usernameOf(principal)),
  };
}

/** An external broker with its own password file: the operator updates it (deploy/mosquitto/README.md). */
export function unmanagedAccounts(): BrokerAccounts {
  const logger = new Logger('mqtt');
  const tell = (what: string, principal: AccountPrincipal) =>
    logger.warn({
      msg: `${what}: MQTT_BROKER_ACCOUNTS is "none", so the broker's own accounts were not changed; update them by hand`,
      username: usernameOf(principal),
    });
  return {
    kind: 'none',
    upsert: async (principal) => tell('a broker secret was set', principal),
    revoke: async (principal) => tell('a broker secret was revoked', principal),
  };
}

/** What the dynamic-security client needs of an MQTT connection (the server's MqttService). */
export interface ControlChannel {
  subscribe(filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void>;
  publish(topic: string, payload: string): Promise<void>;
}

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
/** The role the server's service account gets, next to the `admin` role `dynsec init` gave it. */
export const SERVICE_ROLE = 'wms-service';

interface DynsecCommand {
  command: string;
  [field: string]: unknown;
}
interface DynsecResponse {
  command: string;
  error?: string;
  data?: unknown;
  correlationData?: string;
}

/** Errors that mean "already as wanted" when a command is repeated. */
const ALREADY = /already exists|already has|not found/i;

/**
 * Mosquitto's dynamic-security plugin, driven over `$CONTROL/dynamic-security/v1` with the
 * service account (docs: mosquitto.org/documentation/dynamic-security). Each account gets a role
 * of its own holding the ACLs of broker-acl.ts, and its client id pinned: Mosquitto then refuses
 * (CONNACK 0x87) any other client id for that username. setClientPassword, disableClient and any
 * change of a client's roles (or of a role's ACLs) disconnect its sessions (reason 0x98).
 */
export class DynsecAccounts implements BrokerAccounts {
  readonly kind = 'dynsec' as const;
  private readonly waiting = new Map<string, (responses: DynsecResponse[]) => void>();
  private ready?: Promise<void>;

  constructor(
    private readonly channel: ControlChannel,
    private readonly timeoutMs = 10_000,
  ) {}

  /**
   * Gives the service account its WMS topics (idempotent; run at every boot). Mosquitto
   * disconnects a client whose roles change, the server among them, and the answer is lost with
   * that session: the role is added once, unanswered, and then read back after the reconnect.
   */
  async ensureServiceRole(serviceUsername: string): Promise<void> {
    if (await this.hasServiceRole(serviceUsername, this.timeoutMs)) return;
    await this.run([{ command: 'createRole', rolename: SERVICE_ROLE, acls: dynsecAcls({ kind: 'service' }) }], ALREADY);
    await this.channel.publish(
      CONTROL_TOPIC,
      JSON.stringify({
        commands: [{ command: 'addClientRole', username: serviceUsername, rolename: SERVICE_ROLE, priority: 1 }],
      }),
    );
    const deadline = Date.now() + this.timeoutMs * 3;
    while (Date.now() < deadline) {
      if (await this.hasServiceRole(serviceUsername, 2000).catch(() => false)) return;
    }
    throw new Error(`the broker did not give ${serviceUsername} the ${SERVICE_ROLE} role`);
  }

  private async hasServiceRole(username: string, timeoutMs: number): Promise<boolean> {
    const [answer] = await this.run([{ command: 'getClient', username }], undefined, timeoutMs);
    const roles = (answer.data as { client?: { roles?: Array<{ rolename: string }> } } | undefined)?.client?.roles;
    return !!roles?.some((r) => r.rolename === SERVICE_ROLE);
  }

  async upsert(principal: AccountPrincipal, secret: string): Promise<void> {
    const username = usernameOf(principal);
    const rolename = username;
    const clientid = expectedClientId(principal)!;
    const acls = dynsecAcls(principal);
    const [, created] = await this.run(
      [
        { command: 'createRole', rolename, acls },
        { command: 'createClient', username, password: secret, clientid, roles: [{ rolename }] },
      ],
      /already exists/i,
    );
    if (!created.error) return;
    // The account exists: same role and client id, the new password (this closes its session), enabled.
    await this.run([
      { command: 'modifyClient', username, clientid, roles: [{ rolename }] },
      { command: 'setClientPassword', username, password: secret },
      { command: 'enableClient', username },
    ]);
  }

  async revoke(principal: AccountPrincipal): Promise<void> {
    await this.run([{ command: 'disableClient', username: usernameOf(principal) }], /not found/i);
  }

  /** Sends commands in one message and returns their responses; an error not in `tolerated` throws. */
  private async run(
    commands: DynsecCommand[],
    tolerated?: RegExp,
    timeoutMs = this.timeoutMs,
  ): Promise<DynsecResponse[]> {
    this.ready ??= this.channel.subscribe(RESPONSE_TOPIC, (_topic, payload) => this.onResponse(payload));
    await this.ready;
    const correlationData = randomUUID();
    const answered = new Promise<DynsecResponse[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(correlationData);
        reject(
          new Error(`the broker did not answer ${commands.map((c) => c.command).join(', ')} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.waiting.set(correlationData, (responses) => {
        clearTimeout(timer);
        resolve(responses);
      });
    });
    await this.channel.publish(
      CONTROL_TOPIC,
      JSON.stringify({ commands: commands.map((c) => ({ ...c, correlationData })) }),
    );
    const responses = await answered;
    const failed = responses.filter((r) => r.error && !tolerated?.test(r.error));
    if (failed.length > 0) {
      throw new Error(`the broker refused ${failed.map((r) => `${r.command} (${r.error})`).join(', ')}`);
    }
    return responses;
  }

  private onResponse(payload: Buffer): void {
    let responses: DynsecResponse[];
    try {
      responses = (JSON.parse(payload.toString('utf8')) as { responses?: DynsecResponse[] }).responses ?? [];
    } catch {
      return;
    }
    // Every server instance sees every response; each takes only its own.
    const id = responses.find((r) => r.correlationData)?.correlationData;
    if (id) this.waiting.get(id)?.(responses);
    if (id) this.waiting.delete(id);
  }
}

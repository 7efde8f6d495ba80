import { Injectable } from '@nestjs/common';
import { brokerIdentity } from '@wms/contracts';
import { generateSecret, hashPassword, verifyPassword } from '../../platform/auth/password.js';
import { AppError } from '../../platform/http/app-error.js';
import type { BrokerPrincipal } from '../../platform/mqtt/broker-acl.js';
import { DevicesRepository } from './devices.repository.js';

const HANDHELD_PREFIX = brokerIdentity.handheldUsername('');
/** Agent ids may not start with this: it names the server's own broker accounts and client ids. */
export const RESERVED_AGENT_PREFIX = 'wms-';

export interface DeviceInfo {
  deviceId: string;
  agentId: string;
  stationId: string;
  kind: string;
  active: boolean;
}

/** How long a device lookup is trusted before it is read again (devices rarely change). */
const DEVICE_CACHE_MS = 30_000;

@Injectable()
export class DevicesService {
  private readonly deviceCache = new Map<string, { info: DeviceInfo | null; at: number }>();
  /** Agents known to be active, with the time each was last read. */
  private readonly activeAgents = new Map<string, number>();

  constructor(private readonly repository: DevicesRepository) {}

  /** Agents authenticate to the broker with their id and secret (checked against the scrypt hash). */
  async verifyAgentCredentials(agentId: string, secret: string): Promise<boolean> {
    const agent = await this.repository.findAgent(agentId);
    return !!agent?.active && !!agent.secretHash && (await verifyPassword(secret, agent.secretHash));
  }

  /**
   * Who a broker login is (embedded broker): `handheld/<deviceId>` with the handheld's own secret,
   * or an agent id with the agent's. Null for a wrong secret, a revoked one, or an inactive device.
   */
  async brokerPrincipal(username: string, secret: string): Promise<BrokerPrincipal | null> {
    if (username.startsWith(HANDHELD_PREFIX)) {
      const deviceId = username.slice(HANDHELD_PREFIX.length);
      const device = await this.repository.findDevice(deviceId);
      if (!device?.active || !device.brokerSecretHash) return null;
      if (!(await this.isActiveAgent(device.agentId))) return null;
      if (!(await verifyPassword(secret, device.brokerSecretHash))) return null;
      return { kind: 'handheld', agentId: device.agentId, deviceId };
    }
    return (await this.verifyAgentCredentials(username, secret)) ? { kind: 'agent', agentId: username } : null;
  }

  /**
   * Agent lookup for ingestion, once per message. A known, active agent is trusted for as long as
   * a device lookup; an unknown or disabled one is read again every time, so an agent registered
   * a moment ago (perhaps through another server) is not refused on a stale answer.
   */
  async isActiveAgent(agentId: string, now = Date.now()): Promise<boolean> {
    const readAt = this.activeAgents.get(agentId);
    if (readAt !== undefined && now - readAt < DEVICE_CACHE_MS) return true;
    const agent = await this.repository.findAgent(agentId);
    if (agent?.active) this.activeAgents.set(agentId, now);
    else this.activeAgents.delete(agentId);
    return !!agent?.active;
  }

  /** Device lookup for ingestion: cached so per-scan work does not grow with traffic. */
  async device(deviceId: string, now = Date.now()): Promise<DeviceInfo | null> {
    const cached = this.deviceCache.get(deviceId);
    if (cached && now - cached.at < DEVICE_CACHE_MS) return cached.info;
    const found = await this.repository.findDevice(deviceId);
    const info = found
      ? {
          deviceId: found.deviceId,
          agentId: found.agentId,
          stationId: found.stationId,
          kind: found.kind,
          active: found.active,
        }
      : null;
    this.deviceCache.set(deviceId, { info, at: now });
    return info;
  }

  listStations() {
    return this.repository.listStationsWithDevices();
  }

  findAgent(agentId: string) {
    return this.repository.findAgent(agentId);
  }

  findDevice(deviceId: string) {
    return this.repository.findDevice(deviceId);
  }

  /** New secret hash (or null: revoked); the lookups trusted for a while are read again. */
  async setAgentSecretHash(agentId: string, hash: string | null): Promise<boolean> {
    const found = await this.repository.setAgentSecret(agentId, hash);
    this.activeAgents.clear();
    return found;
  }

  async setHandheldSecretHash(deviceId: string, hash: string | null): Promise<boolean> {
    const found = await this.repository.setDeviceBrokerSecret(deviceId, hash);
    this.deviceCache.clear();
    return found;
  }

  setAgentPresence(agentId: string, presence: 'online' | 'offline', at: Date) {
    return this.repository.setAgentPresence(agentId, presence, at);
  }

  /**
   * Registers a station, an agent and its devices (idempotent). Returns the agent's new secret
   * when `secret` is not given; the secret is stored only as a hash.
   */
  async registerAgent(input: {
    agentId: string;
    name: string;
    secret?: string;
    stations: Array<{ stationId: string; name: string }>;
    devices: Array<{
      deviceId: string;
      stationId: string;
      kind: 'scanner' | 'scale' | 'printer' | 'sensor';
      name: string;
    }>;
  }): Promise<{ secret: string }> {
    if (input.agentId.toLowerCase().startsWith(RESERVED_AGENT_PREFIX)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `Agent id ${input.agentId} is not allowed: ids starting with "${RESERVED_AGENT_PREFIX}" are the server's own broker accounts.`,
      );
    }
    const secret = input.secret ?? generateSecret();
    for (const station of input.stations) await this.repository.upsertStation(station.stationId, station.name);
    await this.repository.upsertAgent(input.agentId, input.name, await hashPassword(secret));
    for (const device of input.devices) await this.repository.upsertDevice({ ...device, agentId: input.agentId });
    this.deviceCache.clear();
    this.activeAgents.clear();
    return { secret };
  }
}

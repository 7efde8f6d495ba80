import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import {
  type Device,
  DeviceEntity,
  type EdgeAgent,
  EdgeAgentEntity,
  StationEntity,
} from '../../platform/database/entities.js';
import { ORM } from '../../platform/database/orm.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import type { stationsListed } from './devices.answers.js';

@Injectable()
export class DevicesRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  findAgent(agentId: string): Promise<EdgeAgent | null> {
    return this.orm.em.fork().findOne(EdgeAgentEntity, { agentId });
  }

  findDevice(deviceId: string): Promise<Device | null> {
    return this.orm.em.fork().findOne(DeviceEntity, { deviceId });
  }

  async listStationsWithDevices(): Promise<Answer<typeof stationsListed>['items']> {
    type Device = Answer<typeof stationsListed>['items'][number]['devices'][number];
    const em = this.orm.em.fork();
    const [stations, devices, agents] = await Promise.all([
      em.find(StationEntity, {}, { orderBy: { stationId: 'asc' } }),
      em.find(DeviceEntity, { active: true }, { orderBy: { deviceId: 'asc' } }),
      em.find(EdgeAgentEntity, {}),
    ]);
    const presence = new Map(
      // the columns' check constraints hold these to the answer's values
      agents.map((a) => [
        a.agentId,
        { state: a.presence as Device['agentPresence']['state'], at: a.presenceAt?.toISOString() ?? null },
      ]),
    );
    return stations.map((s) => ({
      stationId: s.stationId,
      name: s.name,
      devices: devices
        .filter((d) => d.stationId === s.stationId)
        .map((d) => ({
          deviceId: d.deviceId,
          kind: d.kind as Device['kind'],
          agentId: d.agentId,
          name: d.name,
          agentPresence: presence.get(d.agentId) ?? { state: 'unknown', at: null },
        })),
    }));
  }

  async setAgentPresence(agentId: string, presence: 'online' | 'offline', at: Date): Promise<void> {
    // Only move forward in time: a stale retained message must not overwrite a newer state.
    await this.orm.em.execute(
      'update edge_agent set presence = ?, presence_at = ? where agent_id = ? and (presence_at is null or presence_at <= ?)',
      [presence, at, agentId, at],
    );
  }

  async upsertStation(stationId: string, name: string): Promise<void> {
    await this.orm.em.execute(
      'insert into station (station_id, name) values (?, ?) on conflict (station_id) do update set name = excluded.name',
      [stationId, name],
    );
  }

  async upsertAgent(agentId: string, name: string, secretHash: string): Promise<void> {
    await this.orm.em.execute(
      `insert into edge_agent (agent_id, name, secret_hash, secret_changed_at) values (?, ?, ?, now())
       on conflict (agent_id) do update set name = excluded.name, secret_hash = excluded.secret_hash,
         secret_changed_at = now(), secret_revoked_at = null`,
      [agentId, name, secretHash],
    );
  }

  /** A new secret (hash), or null to revoke it. Returns false when there is no such agent. */
  async setAgentSecret(agentId: string, secretHash: string | null): Promise<boolean> {
    const result = await this.orm.em.execute(
      `update edge_agent set secret_hash = ?,
         secret_changed_at = case when ?::text is null then secret_changed_at else now() end,
         secret_revoked_at = case when ?::text is null then now() else null end
       where agent_id = ? returning agent_id`,
      [secretHash, secretHash, secretHash, agentId],
    );
    return result.length === 1;
  }

  /** An MQTT handheld's own broker secret (hash), or null to revoke it. */
  async setDeviceBrokerSecret(deviceId: string, secretHash: string | null): Promise<boolean> {
    const result = await this.orm.em.execute(
      `update device set broker_secret_hash = ?,
         broker_secret_changed_at = case when ?::text is null then broker_secret_changed_at else now() end,
         broker_secret_revoked_at = case when ?::text is null then now() else null end
       where device_id = ? returning device_id`,
      [secretHash, secretHash, secretHash, deviceId],
    );
    return result.length === 1;
  }

  async upsertDevice(device: {
    deviceId: string;
    agentId: string;
    stationId: string;
    kind: string;
    name: string;
  }): Promise<void> {
    await this.orm.em.execute(
      `insert into device (device_id, agent_id, station_id, kind, name) values (?, ?, ?, ?, ?)
       on conflict (device_id) do update set agent_id = excluded.agent_id, station_id = excluded.station_id,
         kind = excluded.kind, name = excluded.name, active = true`,
      [device.deviceId, device.agentId, device.stationId, device.kind, device.name],
    );
  }
}

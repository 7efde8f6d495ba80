import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

// Mapped entities for the master data the server reads and writes one row at a time. High-volume
// ingestion (scan events) goes through SQL in the ingestion repository instead: one multi-row
// statement per batch, no identity map.

export const UserEntity = defineEntity({
  name: 'AppUser',
  tableName: 'app_user',
  properties: {
    id: p.uuid().primary(),
    username: p.string().unique(),
    displayName: p.string(),
    passwordHash: p.string().hidden(),
    roles: p.array(),
    sellerCode: p.string().nullable(),
    active: p.boolean(),
    createdAt: p.datetime(),
  },
});
export type User = InferEntity<typeof UserEntity>;

export const StationEntity = defineEntity({
  name: 'Station',
  tableName: 'station',
  properties: {
    stationId: p.string().primary(),
    name: p.string(),
    createdAt: p.datetime(),
  },
});
export type Station = InferEntity<typeof StationEntity>;

export const EdgeAgentEntity = defineEntity({
  name: 'EdgeAgent',
  tableName: 'edge_agent',
  properties: {
    agentId: p.string().primary(),
    name: p.string(),
    /** Null when the secret was revoked: nobody can log in as the agent until it gets a new one. */
    secretHash: p.string().hidden().nullable(),
    secretChangedAt: p.datetime().nullable(),
    secretRevokedAt: p.datetime().nullable(),
    active: p.boolean(),
    presence: p.string(),
    presenceAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});
export type EdgeAgent = InferEntity<typeof EdgeAgentEntity>;

export const DeviceEntity = defineEntity({
  name: 'Device',
  tableName: 'device',
  properties: {
    deviceId: p.string().primary(),
    agentId: p.string(),
    stationId: p.string(),
    kind: p.string(),
    name: p.string(),
    active: p.boolean(),
    /** An MQTT handheld's own broker secret (scrypt); null for devices behind the agent. */
    brokerSecretHash: p.string().hidden().nullable(),
    brokerSecretChangedAt: p.datetime().nullable(),
    brokerSecretRevokedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});
export type Device = InferEntity<typeof DeviceEntity>;

export const entities = [UserEntity, StationEntity, EdgeAgentEntity, DeviceEntity];

import type { MikroORM } from '@mikro-orm/postgresql';
import { entityId } from '@wms/contracts';
import { z } from 'zod';
import { hashPassword } from '../../platform/auth/password.js';
import { ROLES } from '../../platform/auth/roles.js';
import { UsersRepository } from '../../platform/auth/users.repository.js';
import type { BrokerAccounts } from '../../platform/mqtt/broker-accounts.js';
import { SellerRegistry } from '../sellers/seller-registry.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';

/**
 * What a site needs before the first scan: sellers, users with roles, stations, edge agents and their
 * devices. Secrets are given directly or named by environment variable, never stored in clear.
 */
export const provisioningSchema = z.strictObject({
  /** Sellers (tenants) with the owner enterprises and warehouses they use: set up before their users. */
  sellers: z
    .array(
      z.strictObject({
        sellerCode: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
        name: z.string().min(1).max(200),
        ownerCodes: z.array(z.string().min(1).max(18)).default([]),
        warehouseCodes: z.array(z.string().min(1).max(20)).default([]),
      }),
    )
    .default([]),
  users: z
    .array(
      z.strictObject({
        username: z.string().min(1).max(100),
        displayName: z.string().min(1),
        roles: z.array(z.enum(ROLES)).min(1),
        sellerCode: z.string().optional(),
        password: z.string().min(8).optional(),
        passwordEnv: z.string().optional(),
      }),
    )
    .default([]),
  stations: z.array(z.strictObject({ stationId: entityId, name: z.string().min(1) })).default([]),
  agents: z
    .array(
      z.strictObject({
        agentId: entityId,
        name: z.string().min(1),
        secret: z.string().min(8).optional(),
        secretEnv: z.string().optional(),
        devices: z.array(
          z.strictObject({
            deviceId: entityId,
            stationId: entityId,
            kind: z.enum(['scanner', 'scale', 'printer', 'sensor']),
            name: z.string().min(1),
            /**
             * An MQTT handheld (a scanner that publishes its own reads) logs in with a secret of
             * its own, as `handheld/<deviceId>`: give it here or name its environment variable.
             */
            mqttSecret: z.string().min(8).optional(),
            mqttSecretEnv: z.string().optional(),
          }),
        ),
      }),
    )
    .default([]),
});
export type Provisioning = z.infer<typeof provisioningSchema>;

function secretFrom(
  what: string,
  direct: string | undefined,
  envName: string | undefined,
  env: NodeJS.ProcessEnv,
): string {
  const value = direct ?? (envName ? env[envName] : undefined);
  if (!value)
    throw new Error(`${what}: give "password"/"secret" or set the environment variable ${envName ?? '(none named)'}`);
  return value;
}

/** Applies the spec (idempotent: running it again updates what exists). */
export async function provision(
  orm: MikroORM,
  spec: Provisioning,
  env: NodeJS.ProcessEnv = process.env,
  /** The broker's own accounts (Mosquitto dynamic security), kept in step; the embedded broker needs none. */
  accounts?: BrokerAccounts,
): Promise<{ users: number; agents: number; devices: number }> {
  const sellers = new SellerRegistry(orm);
  for (const seller of spec.sellers ?? []) await sellers.upsert(seller);
  const users = new UsersRepository(orm);
  const devices = new DevicesService(new DevicesRepository(orm));
  for (const user of spec.users) {
    const password = secretFrom(`user ${user.username}`, user.password, user.passwordEnv, env);
    await users.upsert({
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      sellerCode: user.sellerCode,
      passwordHash: await hashPassword(password),
    });
  }
  let deviceCount = 0;
  for (const agent of spec.agents) {
    const secret = secretFrom(`agent ${agent.agentId}`, agent.secret, agent.secretEnv, env);
    const stationIds = new Set(agent.devices.map((d) => d.stationId));
    await devices.registerAgent({
      agentId: agent.agentId,
      name: agent.name,
      secret,
      stations: spec.stations.filter((s) => stationIds.has(s.stationId)),
      devices: agent.devices.map(({ mqttSecret: _secret, mqttSecretEnv: _env, ...device }) => device),
    });
    await accounts?.upsert({ kind: 'agent', agentId: agent.agentId }, secret);
    for (const device of agent.devices) {
      if (device.mqttSecret === undefined && device.mqttSecretEnv === undefined) continue;
      const deviceSecret = secretFrom(`handheld ${device.deviceId}`, device.mqttSecret, device.mqttSecretEnv, env);
      await devices.setHandheldSecretHash(device.deviceId, await hashPassword(deviceSecret));
      await accounts?.upsert({ kind: 'handheld', agentId: agent.agentId, deviceId: device.deviceId }, deviceSecret);
    }
    deviceCount += agent.devices.length;
  }
  const devicesRepository = new DevicesRepository(orm);
  for (const station of spec.stations) await devicesRepository.upsertStation(station.stationId, station.name);
  return { users: spec.users.length, agents: spec.agents.length, devices: deviceCount };
}

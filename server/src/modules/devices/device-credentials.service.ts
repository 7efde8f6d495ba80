import { Inject, Injectable, Logger } from '@nestjs/common';
import { brokerIdentity } from '@wms/contracts';
import { generateSecret, hashPassword } from '../../platform/auth/password.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { AppError } from '../../platform/http/app-error.js';
import type { AccountPrincipal } from '../../platform/mqtt/broker-accounts.js';
import { MQTT, type MqttRuntime } from '../../platform/mqtt/mqtt.module.js';
import type {
  agentSecretIssued,
  agentSecretRevoked,
  handheldSecretIssued,
  handheldSecretRevoked,
} from './devices.answers.js';
import { DevicesService } from './devices.service.js';

/**
 * Broker secrets of agents and MQTT handhelds: a new one replaces the old at once (the live
 * session is closed, the old secret stops working), and a revoked one lets nobody in until a new
 * one is issued. The database and the broker's own accounts (dynamic security) change together.
 */
@Injectable()
export class DeviceCredentialsService {
  private readonly logger = new Logger('device-credentials');

  constructor(
    private readonly devices: DevicesService,
    @Inject(MQTT) private readonly mqtt: MqttRuntime,
  ) {}

  async rotateAgentSecret(agentId: string, by: string): Promise<Answer<typeof agentSecretIssued>> {
    await this.agent(agentId);
    const secret = generateSecret();
    await this.devices.setAgentSecretHash(agentId, await hashPassword(secret));
    await this.broker('rotate', { kind: 'agent', agentId }, secret);
    this.logger.log({ msg: 'agent secret rotated', agentId, by });
    return {
      agentId,
      username: brokerIdentity.agentUsername(agentId),
      clientId: brokerIdentity.agentClientId(agentId),
      secret,
    };
  }

  async revokeAgentSecret(agentId: string, by: string): Promise<Answer<typeof agentSecretRevoked>> {
    await this.agent(agentId);
    await this.devices.setAgentSecretHash(agentId, null);
    await this.broker('revoke', { kind: 'agent', agentId });
    this.logger.log({ msg: 'agent secret revoked', agentId, by });
    return { agentId, revoked: true };
  }

  async rotateHandheldSecret(deviceId: string, by: string): Promise<Answer<typeof handheldSecretIssued>> {
    const device = await this.handheld(deviceId);
    const secret = generateSecret();
    await this.devices.setHandheldSecretHash(deviceId, await hashPassword(secret));
    await this.broker('rotate', { kind: 'handheld', agentId: device.agentId, deviceId }, secret);
    this.logger.log({ msg: 'handheld secret rotated', deviceId, by });
    return {
      deviceId,
      agentId: device.agentId,
      username: brokerIdentity.handheldUsername(deviceId),
      clientId: brokerIdentity.handheldClientId(deviceId),
      secret,
    };
  }

  async revokeHandheldSecret(deviceId: string, by: string): Promise<Answer<typeof handheldSecretRevoked>> {
    const device = await this.handheld(deviceId);
    await this.devices.setHandheldSecretHash(deviceId, null);
    await this.broker('revoke', { kind: 'handheld', agentId: device.agentId, deviceId });
    this.logger.log({ msg: 'handheld secret revoked', deviceId, by });
    return { deviceId, revoked: true };
  }

  private async agent(agentId: string) {
    const agent = await this.devices.findAgent(agentId);
    if (!agent) throw new AppError('NOT_FOUND', `There is no agent ${agentId}.`);
    return agent;
  }

  private async handheld(deviceId: string) {
    const device = await this.devices.findDevice(deviceId);
    if (!device) throw new AppError('NOT_FOUND', `There is no device ${deviceId}.`);
    if (device.kind !== 'scanner') {
      throw new AppError(
        'VALIDATION_FAILED',
        `Device ${deviceId} is a ${device.kind}; only a handheld scanner logs in to the broker itself.`,
      );
    }
    return device;
  }

  /** The database already changed: a broker that cannot follow is an outage the admin must see. */
  private async broker(action: 'rotate' | 'revoke', principal: AccountPrincipal, secret?: string): Promise<void> {
    try {
      if (action === 'rotate') await this.mqtt.accounts.upsert(principal, secret!);
      else await this.mqtt.accounts.revoke(principal);
    } catch (error) {
      throw new AppError(
        'DEPENDENCY_DOWN',
        `The broker did not take the change (${(error as Error).message}); send the request again.`,
      );
    }
  }
}

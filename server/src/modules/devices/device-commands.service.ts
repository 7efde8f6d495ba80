import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CommandReply, DeviceCommand } from '@wms/contracts';
import { AppError } from '../../platform/http/app-error.js';
import { DeviceCommandsGateway } from './device-commands.gateway.js';
import { type CommandRecord, DeviceCommandsRepository } from './device-commands.repository.js';
import { DevicesService } from './devices.service.js';
import { LabelImageError, pngToGraphicFieldAsync, withLogo } from './zpl-graphic.js';

export type CommandRequest =
  | {
      type: 'print';
      jobId?: string;
      zpl: string;
      reprintOf?: string;
      logo?: { pngBase64: string; x: number; y: number };
    }
  | { type: 'printer-status' | 'read-weight' | 'tare' | 'zero' };

const KIND_FOR: Record<DeviceCommand['type'], string> = {
  print: 'printer',
  'printer-status': 'printer',
  'read-weight': 'scale',
  tare: 'scale',
  zero: 'scale',
};

/**
 * Sends a command to a device through its agent and waits for the device's answer. Print jobs are
 * printed once: the same job id again returns the first outcome; a reprint is a new, recorded job.
 */
@Injectable()
export class DeviceCommandsService implements OnModuleInit {
  private readonly waiting = new Map<string, (reply: CommandReply) => void>();

  constructor(
    private readonly devices: DevicesService,
    private readonly repository: DeviceCommandsRepository,
    private readonly gateway: DeviceCommandsGateway,
  ) {}

  onModuleInit(): void {
    this.gateway.onReply((reply) => {
      void this.repository.answer(reply);
      this.waiting.get(reply.commandId)?.(reply);
    });
  }

  async send(
    deviceId: string,
    request: CommandRequest,
    requestedBy: string | null,
    timeoutMs = 10_000,
  ): Promise<CommandRecord> {
    const device = await this.devices.device(deviceId);
    if (!device?.active) throw new AppError('NOT_FOUND', `Device ${deviceId} is not registered.`);
    if (KIND_FOR[request.type] !== device.kind) {
      throw new AppError(
        'VALIDATION_FAILED',
        `Device ${deviceId} is a ${device.kind}; "${request.type}" needs a ${KIND_FOR[request.type]}.`,
      );
    }
    if (request.type === 'print' && request.reprintOf) {
      const original = await this.repository.findJob(deviceId, request.reprintOf);
      if (!original)
        throw new AppError('NOT_FOUND', `There is no print job ${request.reprintOf} on ${deviceId} to reprint.`);
    }
    if (request.type === 'print' && request.logo) {
      try {
        const field = await pngToGraphicFieldAsync(Buffer.from(request.logo.pngBase64, 'base64'));
        request = { ...request, zpl: withLogo(request.zpl, field, request.logo.x, request.logo.y), logo: undefined };
      } catch (error) {
        if (error instanceof LabelImageError) throw new AppError('VALIDATION_FAILED', error.message);
        throw error;
      }
    }
    const commandId = randomUUID();
    const expiresAt = new Date(Date.now() + timeoutMs).toISOString();
    const command: DeviceCommand =
      request.type === 'print'
        ? { type: 'print', commandId, deviceId, expiresAt, jobId: request.jobId ?? commandId, zpl: request.zpl }
        : { type: request.type, commandId, deviceId, expiresAt };
    const record = await this.repository.insert(
      command,
      device.agentId,
      requestedBy,
      request.type === 'print' ? (request.reprintOf ?? null) : null,
    );
    if (!record) {
      // Same print job again: answer with what happened the first time, do not print twice.
      return (await this.repository.findJob(deviceId, (command as { jobId: string }).jobId))!;
    }
    const reply = new Promise<CommandReply | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      this.waiting.set(commandId, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    try {
      await this.gateway.send(device.agentId, command);
      const answered = await reply;
      if (!answered) {
        await this.repository.markTimeout(
          commandId,
          `agent ${device.agentId} did not answer within ${timeoutMs / 1000} s (offline?)`,
        );
      } else {
        await this.repository.answer(answered);
      }
    } finally {
      this.waiting.delete(commandId);
    }
    return (await this.repository.find(commandId))!;
  }
}

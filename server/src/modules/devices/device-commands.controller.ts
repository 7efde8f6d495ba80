import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { entityId } from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { DeviceCommandsService } from './device-commands.service.js';
import { commandRecord } from './devices.answers.js';

const commandBody = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('print'),
    zpl: z
      .string()
      .min(5)
      .max(1_000_000)
      .regex(/\^XA[\s\S]*\^XZ/, 'must contain a ^XA … ^XZ label'),
    jobId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('The same job id twice prints once; leave it out for a new job.'),
    reprintOf: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('An explicit reprint: a new job that names the job it repeats.'),
    /** A logo (PNG, base64) placed at (x, y) dots, turned into a ^GF graphic. */
    logo: z
      .strictObject({
        pngBase64: z.base64().max(2_000_000),
        x: z.number().int().min(0).max(10_000),
        y: z.number().int().min(0).max(10_000),
      })
      .optional(),
  }),
  z.strictObject({ type: z.enum(['printer-status', 'read-weight', 'tare', 'zero']) }),
]);

@ApiTags('devices')
@ApiBearerAuth()
@Controller('api/devices')
export class DeviceCommandsController {
  constructor(private readonly commands: DeviceCommandsService) {}

  @Post(':deviceId/commands')
  @ApiAnswer({
    description: "The command with the device's answer (printed, status, weight), or why it did not answer",
    schema: commandRecord,
  })
  @HttpCode(200)
  @Roles('staff', 'supervisor', 'admin')
  @ApiOperation({
    summary: 'Send a command to a device (print, printer-status, read-weight, tare, zero) and wait for its answer',
  })
  send(
    @Param('deviceId', { schema: entityId.describe('The device id, as registered') }) deviceId: string,
    @Body({ schema: commandBody }) body: z.infer<typeof commandBody>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof commandRecord>> {
    return this.commands.send(deviceId, body, request.user.username);
  }
}

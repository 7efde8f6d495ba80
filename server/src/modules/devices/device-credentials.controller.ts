import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { entityId } from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { DeviceCredentialsService } from './device-credentials.service.js';
import {
  agentSecretIssued,
  agentSecretRevoked,
  handheldSecretIssued,
  handheldSecretRevoked,
} from './devices.answers.js';

const agentIdParam = entityId.describe('The agent id (its broker username)');
const deviceIdParam = entityId.describe('The MQTT handheld’s device id');

/** Why the secret changes (kept in the log); the body may be left out. */
const secretChangeBody = z
  .strictObject({ reason: z.string().min(1).max(200).optional() })
  .optional()
  .meta({ example: { reason: 'agent PC replaced' } });

@ApiTags('devices')
@ApiBearerAuth()
@Controller('api')
export class DeviceCredentialsController {
  constructor(private readonly credentials: DeviceCredentialsService) {}

  @Post('agents/:agentId/secret')
  @HttpCode(200)
  @Roles('admin')
  @ApiAnswer({
    description: "The agent's new broker identity: the secret is shown only in this answer",
    schema: agentSecretIssued,
  })
  @ApiOperation({
    summary:
      "Give an agent a new broker secret (shown once); the old one stops working and the agent's session is closed",
  })
  rotateAgent(
    @Param('agentId', { schema: agentIdParam }) agentId: string,
    @Body({ schema: secretChangeBody }) body: z.infer<typeof secretChangeBody>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof agentSecretIssued>> {
    return this.credentials.rotateAgentSecret(agentId, by(request, body));
  }

  @Post('agents/:agentId/secret/revoke')
  @HttpCode(200)
  @Roles('admin')
  @ApiAnswer({ description: "The agent's secret revoked", schema: agentSecretRevoked })
  @ApiOperation({
    summary: "Revoke an agent's broker secret: it is disconnected and cannot log in until given a new one",
  })
  revokeAgent(
    @Param('agentId', { schema: agentIdParam }) agentId: string,
    @Body({ schema: secretChangeBody }) body: z.infer<typeof secretChangeBody>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof agentSecretRevoked>> {
    return this.credentials.revokeAgentSecret(agentId, by(request, body));
  }

  @Post('devices/:deviceId/secret')
  @HttpCode(200)
  @Roles('admin')
  @ApiAnswer({
    description: "The handheld's new broker identity: the secret is shown only in this answer",
    schema: handheldSecretIssued,
  })
  @ApiOperation({
    summary:
      'Give an MQTT handheld its own broker secret (shown once; username handheld/<deviceId>, client id handheld-<deviceId>)',
  })
  rotateHandheld(
    @Param('deviceId', { schema: deviceIdParam }) deviceId: string,
    @Body({ schema: secretChangeBody }) body: z.infer<typeof secretChangeBody>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof handheldSecretIssued>> {
    return this.credentials.rotateHandheldSecret(deviceId, by(request, body));
  }

  @Post('devices/:deviceId/secret/revoke')
  @HttpCode(200)
  @Roles('admin')
  @ApiAnswer({ description: "The handheld's secret revoked", schema: handheldSecretRevoked })
  @ApiOperation({ summary: "Revoke an MQTT handheld's broker secret: it is disconnected and cannot log in" })
  revokeHandheld(
    @Param('deviceId', { schema: deviceIdParam }) deviceId: string,
    @Body({ schema: secretChangeBody }) body: z.infer<typeof secretChangeBody>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof handheldSecretRevoked>> {
    return this.credentials.revokeHandheldSecret(deviceId, by(request, body));
  }
}

function by(request: AuthenticatedRequest, body: z.infer<typeof secretChangeBody>): string {
  return body?.reason ? `${request.user.username} (${body.reason})` : request.user.username;
}

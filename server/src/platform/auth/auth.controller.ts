import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiAnswer } from '../http/api-docs.js';
import { type AuthenticatedRequest, Public } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginThrottlerGuard } from './login-throttler.guard.js';

export const loginSchema = z.strictObject({
  username: z.string().min(1).max(100).meta({ example: 'supervisor' }),
  password: z.string().min(1).max(200).meta({ example: 'the password from .data/dev-stack.json' }),
});

const loginAnswer = z.object({
  accessToken: z.string().describe('Send it as `Authorization: Bearer <accessToken>`'),
  expiresAt: z.string().describe('When the access token stops working (ISO time): renew it before then'),
  refreshToken: z.string().describe('Single use: POST /api/auth/refresh {refreshToken} renews both tokens'),
  refreshExpiresAt: z.string().describe('When the session ends and a new sign-in is needed (ISO time)'),
  user: z
    .object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()) })
    .describe('Who signed in, with the roles that decide what the token may do'),
});

export const refreshSchema = z.strictObject({ refreshToken: z.string().min(10).max(200) });

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  @ApiOperation({
    summary:
      'Sign in; returns a short-lived bearer token for the API and the live socket, and a refresh token to renew it. Attempts are limited per username and per address (429 with Retry-After).',
  })
  @ApiAnswer({ description: 'A bearer token for the API and the live socket', schema: loginAnswer, anonymous: true })
  login(@Body({ schema: loginSchema }) body: z.infer<typeof loginSchema>) {
    return this.auth.login(body.username, body.password);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Renew the access token with the refresh token; the refresh token is spent and a new one comes back',
  })
  @ApiAnswer({ description: 'A new access token and a new refresh token', schema: loginAnswer, anonymous: true })
  refresh(@Body({ schema: refreshSchema }) body: z.infer<typeof refreshSchema>) {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: this session’s tokens stop working and its live sockets close' })
  @ApiAnswer({ description: 'The session is ended' })
  logout(@Req() request: AuthenticatedRequest) {
    return this.auth.logout(request.user.id, request.sessionId);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the token belongs to' })
  @ApiAnswer({ description: 'The signed-in user: id, username, display name, roles, seller' })
  me(@Req() request: AuthenticatedRequest) {
    return request.user;
  }
}

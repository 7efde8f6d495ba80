import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Answer } from '../http/answer-fields.js';
import { ApiAnswer } from '../http/api-docs.js';
import { signedIn, signedOut } from './auth.answers.js';
import { type AuthenticatedRequest, Public } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginThrottlerGuard } from './login-throttler.guard.js';
import { authenticatedUser } from './roles.js';

export const loginSchema = z.strictObject({
  username: z.string().min(1).max(100).meta({ example: 'supervisor' }),
  password: z.string().min(1).max(200).meta({ example: 'the password from .data/dev-stack.json' }),
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
  @ApiAnswer({ description: 'A bearer token for the API and the live socket', schema: signedIn, anonymous: true })
  login(@Body({ schema: loginSchema }) body: z.infer<typeof loginSchema>): Promise<Answer<typeof signedIn>> {
    return this.auth.login(body.username, body.password);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Renew the access token with the refresh token; the refresh token is spent and a new one comes back',
  })
  @ApiAnswer({ description: 'A new access token and a new refresh token', schema: signedIn, anonymous: true })
  refresh(@Body({ schema: refreshSchema }) body: z.infer<typeof refreshSchema>): Promise<Answer<typeof signedIn>> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: this session’s tokens stop working and its live sockets close' })
  @ApiAnswer({ description: 'The session is ended', schema: signedOut })
  logout(@Req() request: AuthenticatedRequest): Promise<Answer<typeof signedOut>> {
    return this.auth.logout(request.user.id, request.sessionId);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the token belongs to' })
  @ApiAnswer({
    description: 'The signed-in user: id, username, display name, roles, seller',
    schema: authenticatedUser,
  })
  me(@Req() request: AuthenticatedRequest): Answer<typeof authenticatedUser> {
    return request.user;
  }
}

import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { type AuthenticatedRequest, Public } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginThrottlerGuard } from './login-throttler.guard.js';

export const loginSchema = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
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
  @ApiBody({ schema: z.toJSONSchema(loginSchema) as object })
  login(@Body(new ZodValidationPipe(loginSchema, 'login form')) body: z.infer<typeof loginSchema>) {
    return this.auth.login(body.username, body.password);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Renew the access token with the refresh token; the refresh token is spent and a new one comes back',
  })
  @ApiBody({ schema: z.toJSONSchema(refreshSchema) as object })
  refresh(@Body(new ZodValidationPipe(refreshSchema, 'refresh request')) body: z.infer<typeof refreshSchema>) {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: this session’s tokens stop working and its live sockets close' })
  logout(@Req() request: AuthenticatedRequest) {
    return this.auth.logout(request.user.id, request.sessionId);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the token belongs to' })
  me(@Req() request: AuthenticatedRequest) {
    return request.user;
  }
}

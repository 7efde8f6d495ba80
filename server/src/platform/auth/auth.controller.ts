import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiAnswer } from '../http/api-docs.js';
import { type AuthenticatedRequest, Public } from './auth.guard.js';
import { AuthService } from './auth.service.js';

export const loginSchema = z.strictObject({
  username: z.string().min(1).max(100).meta({ example: 'supervisor' }),
  password: z.string().min(1).max(200).meta({ example: 'the password from .data/dev-stack.json' }),
});

const loginAnswer = z.object({
  accessToken: z.string().describe('Send it as `Authorization: Bearer <accessToken>`'),
  user: z
    .object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()) })
    .describe('Who signed in, with the roles that decide what the token may do'),
});

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; returns a bearer token for the API and the live socket' })
  @ApiAnswer({ description: 'A bearer token for the API and the live socket', schema: loginAnswer, anonymous: true })
  login(@Body({ schema: loginSchema }) body: z.infer<typeof loginSchema>) {
    return this.auth.login(body.username, body.password);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the token belongs to' })
  @ApiAnswer({ description: 'The signed-in user: id, username, display name, roles, seller' })
  me(@Req() request: AuthenticatedRequest) {
    return request.user;
  }
}

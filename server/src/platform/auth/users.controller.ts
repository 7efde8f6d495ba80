import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Answer } from '../http/answer-fields.js';
import { ApiAnswer } from '../http/api-docs.js';
import { userActiveChanged, usersListed } from './auth.answers.js';
import { type AuthenticatedRequest, Roles } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { UsersRepository } from './users.repository.js';

const usernameParam = z
  .string()
  .min(1)
  .max(100)
  .refine((name) => !/\p{Cc}/u.test(name), 'no control characters')
  .describe('The username');

/** User administration: the administrator's own room. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Roles('admin')
  @ApiAnswer({ description: 'The users', schema: usersListed })
  @ApiOperation({ summary: 'Every user with its roles and whether it may sign in' })
  async list(): Promise<Answer<typeof usersListed>> {
    return { items: await this.users.list() };
  }

  @Post(':username/disable')
  @HttpCode(200)
  @Roles('admin')
  @ApiAnswer({ description: 'The user, now disabled', schema: userActiveChanged })
  @ApiOperation({ summary: 'Disable a user: it cannot sign in, and its sessions and live sockets end at once' })
  disable(
    @Param('username', { schema: usernameParam }) username: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof userActiveChanged>> {
    return this.auth.setUserActive(username, false, request.user.username);
  }

  @Post(':username/enable')
  @HttpCode(200)
  @Roles('admin')
  @ApiAnswer({ description: 'The user, enabled again', schema: userActiveChanged })
  @ApiOperation({ summary: 'Enable a disabled user again (it signs in anew)' })
  enable(
    @Param('username', { schema: usernameParam }) username: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<Answer<typeof userActiveChanged>> {
    return this.auth.setUserActive(username, true, request.user.username);
  }
}

import { Injectable } from '@nestjs/common';
import { AppError } from '../http/app-error.js';
import { verifyPassword } from './password.js';
import type { AuthenticatedUser, Role } from './roles.js';
import { TokenService } from './token.service.js';
import { UsersRepository } from './users.repository.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
  ) {}

  async login(username: string, password: string): Promise<{ accessToken: string; user: AuthenticatedUser }> {
    const found = await this.users.findActiveByUsername(username);
    // Same answer for an unknown user and a wrong password: no hint which usernames exist.
    if (!found || !(await verifyPassword(password, found.passwordHash))) {
      throw new AppError('AUTH_INVALID_CREDENTIALS', 'Wrong username or password. Check both and try again.');
    }
    const user: AuthenticatedUser = {
      id: found.id,
      username: found.username,
      displayName: found.displayName,
      roles: found.roles as Role[],
      sellerCode: found.sellerCode ?? null,
    };
    return { accessToken: await this.tokens.issue(user), user };
  }
}

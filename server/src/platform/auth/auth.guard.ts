import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../http/app-error.js';
import type { AuthenticatedUser, Role } from './roles.js';
import { TokenService } from './token.service.js';

const PUBLIC_KEY = 'wms:public';
const ROLES_KEY = 'wms:roles';

/** Marks a route that needs no token (login, health, OpenAPI). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/**
 * Any one of the listed roles grants access. Admin is a role like the others: it passes only where
 * it is listed (administration: users, devices, master data), never a customs or floor decision.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type AuthenticatedRequest = Request & { user: AuthenticatedUser; sessionId: string };

/** Every route is authenticated unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new AppError(
        'AUTH_REQUIRED',
        'Sign in first: send the token from POST /api/auth/login as "Authorization: Bearer <token>".',
      );
    const verified = await this.tokens.verifySession(match[1]);
    request.user = verified.user;
    request.sessionId = verified.sessionId;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !request.user.roles.some((r) => required.includes(r))) {
      throw new AppError(
        'FORBIDDEN',
        `This needs one of the roles: ${required.join(', ')}. Ask an administrator for access.`,
      );
    }
    return true;
  }
}

import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../http/app-error.js';
import { type ApiKeyScope, parseApiKey, secretMatches } from './api-key.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import type { AuthenticatedUser, Role } from './roles.js';
import { TokenService } from './token.service.js';

const PUBLIC_KEY = 'wms:public';
const ROLES_KEY = 'wms:roles';
const API_KEY_SCOPE = 'wms:apiKeyScope';

/** Marks a route that needs no token (login, health, OpenAPI). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/**
 * Any one of the listed roles grants access. Admin is a role like the others: it passes only where
 * it is listed (administration: users, devices, master data), never a customs or floor decision.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/**
 * A seller route that a seller's API key may call too, with the scope it needs (`write` routes
 * refuse a read-only key). Routes without it refuse every API key: keys are for /api/seller/*.
 */
export const SellerApiKey = (scope: ApiKeyScope) => SetMetadata(API_KEY_SCOPE, scope);

export type AuthenticatedRequest = Request & {
  user: AuthenticatedUser;
  sessionId: string;
  /** Set when the caller signed with a seller API key rather than a user's token. */
  apiKey?: { id: string; scopes: ApiKeyScope[] };
};

const badKey = () =>
  new AppError(
    'AUTH_TOKEN_INVALID',
    'This API key is not valid or has been revoked: ask your administrator for a new one.',
  );

/** Every route is authenticated unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const apiKeyHeader = request.headers['x-api-key'];
    const apiKey = typeof apiKeyHeader === 'string' ? apiKeyHeader.trim() : bearer?.startsWith('wmsk_') ? bearer : null;
    if (apiKey !== null) {
      await this.signWithApiKey(request, apiKey, this.reflector.getAllAndOverride<ApiKeyScope>(API_KEY_SCOPE, targets));
    } else {
      if (!bearer)
        throw new AppError(
          'AUTH_REQUIRED',
          'Sign in first: send the token from POST /api/auth/login as "Authorization: Bearer <token>".',
        );
      const verified = await this.tokens.verifySession(bearer);
      request.user = verified.user;
      request.sessionId = verified.sessionId;
    }
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !request.user.roles.some((r) => required.includes(r))) {
      throw new AppError(
        'FORBIDDEN',
        `This needs one of the roles: ${required.join(', ')}. Ask an administrator for access.`,
      );
    }
    return true;
  }

  /** A seller API key acts as a seller of its tenant, on the seller routes that accept keys only. */
  private async signWithApiKey(request: AuthenticatedRequest, text: string, needs: ApiKeyScope | undefined) {
    if (!needs)
      throw new AppError(
        'AUTH_TOKEN_INVALID',
        'An API key works only on the /api/seller routes that accept one: sign in for this route.',
      );
    const parsed = parseApiKey(text);
    if (!parsed) throw badKey();
    const key = await this.apiKeys.usable(parsed.prefix);
    if (!key || !secretMatches(parsed.secret, key.secretHash)) throw badKey();
    await this.apiKeys.noteUse(key.id);
    request.user = {
      id: key.id,
      username: `api-key:${parsed.prefix}`,
      displayName: key.name,
      roles: ['seller'],
      sellerCode: key.sellerCode,
    };
    request.sessionId = '';
    request.apiKey = { id: key.id, scopes: key.scopes };
    if (!key.scopes.includes(needs))
      throw new AppError(
        'FORBIDDEN',
        `This API key may only ${key.scopes.join(' and ')}: this route needs a ${needs} key.`,
      );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError } from '../http/app-error.js';
import { type AuthenticatedUser, ROLES, type Role } from './roles.js';

const ISSUER = 'bonded-wms';

/** Signed bearer tokens (HS256) for the REST API and the socket.io gateway. */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = new TextEncoder().encode(config.JWT_SECRET);
  }

  async issue(user: AuthenticatedUser): Promise<string> {
    return new SignJWT({ username: user.username, name: user.displayName, roles: user.roles, seller: user.sellerCode })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${this.config.JWT_TTL_SECONDS}s`)
      .sign(this.key);
  }

  /**
   * Tokens already verified, until they expire: a handheld sends the same token with every scan,
   * and checking its signature each time is most of the cost of a small request.
   */
  private readonly verified = new Map<string, { user: AuthenticatedUser; expiresAt: number }>();

  async verify(token: string): Promise<AuthenticatedUser> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.user;
    if (known) this.verified.delete(token);
    const user = await this.verifySignature(token);
    if (this.verified.size >= 10_000) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { user: user.user, expiresAt: user.expiresAt });
    return user.user;
  }

  private async verifySignature(token: string): Promise<{ user: AuthenticatedUser; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const roles = Array.isArray(payload.roles)
        ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role))
        : [];
      return {
        user: {
          id: String(payload.sub),
          username: String(payload.username),
          displayName: String(payload.name),
          roles,
          sellerCode: typeof payload.seller === 'string' ? payload.seller : null,
        },
        expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now() + 60_000,
      };
    } catch {
      throw new AppError('AUTH_TOKEN_INVALID', 'Your session has expired or is not valid: sign in again.');
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError } from '../http/app-error.js';
import { type AuthenticatedUser, ROLES, type Role } from './roles.js';
import { type SessionState, SessionsRepository } from './sessions.repository.js';

const ISSUER = 'bonded-wms';

/** A token that passed every check: whose it is now, its session, and when it runs out. */
export interface VerifiedToken {
  user: AuthenticatedUser;
  sessionId: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface SignedClaims {
  userId: string;
  sessionId: string;
  expiresAt: number;
}

const invalid = () => new AppError('AUTH_TOKEN_INVALID', 'Your session has expired or is not valid: sign in again.');
const ended = () =>
  new AppError('AUTH_TOKEN_INVALID', 'Your session has ended (signed out, or the user was disabled): sign in again.');

/**
 * Signed bearer tokens (HS256) for the REST API and the socket.io gateway. A token names its
 * sign-in session; the session and its user must still be there and active, so a sign-out, a
 * disabled or a deleted user ends the token too (within AUTH_SESSION_CHECK_MS on other instances,
 * at once on this one).
 */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
  ) {
    this.key = new TextEncoder().encode(config.JWT_SECRET);
  }

  async issue(user: AuthenticatedUser, sessionId: string): Promise<{ accessToken: string; expiresAt: number }> {
    const expiresAt = Date.now() + this.config.JWT_TTL_SECONDS * 1000;
    const accessToken = await new SignJWT({
      username: user.username,
      name: user.displayName,
      roles: user.roles,
      seller: user.sellerCode,
      sid: sessionId,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.key);
    return { accessToken, expiresAt: Math.floor(expiresAt / 1000) * 1000 };
  }

  /**
   * Signatures already checked, until the token expires: a handheld sends the same token with
   * every scan, and checking its signature each time is most of the cost of a small request.
   */
  private readonly signed = new Map<string, SignedClaims>();
  /** Session states read recently, so a scan costs no extra query (AUTH_SESSION_CHECK_MS). */
  private readonly states = new Map<string, { state: SessionState | null; readAt: number }>();

  async verify(token: string): Promise<AuthenticatedUser> {
    return (await this.verifySession(token)).user;
  }

  async verifySession(token: string): Promise<VerifiedToken> {
    const claims = await this.signedClaims(token);
    const state = await this.sessionState(claims.sessionId);
    if (!state || state.userId !== claims.userId || state.revoked || !state.userActive) throw ended();
    return {
      user: {
        id: state.userId,
        username: state.username,
        displayName: state.displayName,
        roles: state.roles.filter((r): r is Role => ROLES.includes(r as Role)),
        sellerCode: state.sellerCode,
      },
      sessionId: state.sessionId,
      expiresAt: claims.expiresAt,
    };
  }

  /** Whether the session is still open for this user (signed out, disabled or deleted elsewhere: no). */
  async sessionIsOpen(sessionId: string, userId: string): Promise<boolean> {
    const state = await this.sessionState(sessionId);
    return !!state && state.userId === userId && !state.revoked && state.userActive;
  }

  /** Forgets what this instance knew of these sessions, so their next request reads them again. */
  forgetSessions(sessionIds: string[]): void {
    for (const id of sessionIds) this.states.delete(id);
  }

  private async signedClaims(token: string): Promise<SignedClaims> {
    const known = this.signed.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    if (known) this.signed.delete(token);
    const claims = await this.verifySignature(token);
    if (this.signed.size >= 10_000) this.signed.delete(this.signed.keys().next().value as string);
    this.signed.set(token, claims);
    return claims;
  }

  private async sessionState(sessionId: string): Promise<SessionState | null> {
    const known = this.states.get(sessionId);
    const now = Date.now();
    if (known && now - known.readAt < this.config.AUTH_SESSION_CHECK_MS) return known.state;
    const state = await this.sessions.state(sessionId);
    if (this.config.AUTH_SESSION_CHECK_MS > 0) {
      if (this.states.size >= 10_000) this.states.delete(this.states.keys().next().value as string);
      this.states.set(sessionId, { state, readAt: now });
    }
    return state;
  }

  private async verifySignature(token: string): Promise<SignedClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number')
        throw invalid();
      return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
    } catch {
      throw invalid();
    }
  }
}

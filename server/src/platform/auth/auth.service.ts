import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainEvents } from '../events/domain-events.js';
import type { Answer } from '../http/answer-fields.js';
import { AppError } from '../http/app-error.js';
import type { SignedIn, signedOut } from './auth.answers.js';
import { hashPassword, verifyPassword } from './password.js';
import type { AuthenticatedUser, Role } from './roles.js';
import { SessionsRepository } from './sessions.repository.js';
import { TokenService } from './token.service.js';
import { UsersRepository } from './users.repository.js';

export type { SignedIn };

const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');
const wrongCredentials = () =>
  new AppError('AUTH_INVALID_CREDENTIALS', 'Wrong username or password. Check both and try again.');
const badRefresh = () =>
  new AppError('AUTH_TOKEN_INVALID', 'This sign-in has ended or the refresh token is not valid: sign in again.');

/**
 * A hash of a random password, verified for unknown and disabled users so that their answer takes
 * as long as a wrong password for a real one: the time says nothing about which usernames exist.
 */
let dummyHash: Promise<string> | undefined;
const unknownUserHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64'));
  return dummyHash;
};

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly events: DomainEvents,
  ) {
    void unknownUserHash();
  }

  async login(username: string, password: string): Promise<SignedIn> {
    const found = await this.users.findActiveByUsername(username);
    // Same answer, and the same scrypt work, for an unknown user and a wrong password.
    const matches = await verifyPassword(password, found?.passwordHash ?? (await unknownUserHash()));
    if (!found || !matches) throw wrongCredentials();
    const user: AuthenticatedUser = {
      id: found.id,
      username: found.username,
      displayName: found.displayName,
      roles: found.roles as Role[],
      sellerCode: found.sellerCode ?? null,
    };
    const secret = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.AUTH_SESSION_TTL_SECONDS * 1000);
    const sessionId = await this.sessions.create(user.id, digest(secret), refreshExpiresAt);
    return this.signedIn(user, sessionId, `${sessionId}.${secret}`, refreshExpiresAt);
  }

  /** A new access token and a new refresh token for a session still open; the old refresh token is spent. */
  async refresh(refreshToken: string): Promise<SignedIn> {
    const [sessionId, secret] = refreshToken.split('.');
    if (!sessionId || !secret) throw badRefresh();
    const state = await this.sessions.state(sessionId);
    if (!state || state.revoked || !state.userActive || state.expiresAt.getTime() <= Date.now()) throw badRefresh();
    if (state.refreshTokenHash !== digest(secret)) {
      // A spent refresh token came back: someone else may hold the session. End it for both.
      await this.revoke(state.userId, [sessionId], 'a spent refresh token was presented again');
      throw badRefresh();
    }
    const next = randomBytes(32).toString('base64url');
    if (!(await this.sessions.rotate(sessionId, digest(secret), digest(next)))) throw badRefresh();
    const user: AuthenticatedUser = {
      id: state.userId,
      username: state.username,
      displayName: state.displayName,
      roles: state.roles as Role[],
      sellerCode: state.sellerCode,
    };
    return this.signedIn(user, sessionId, `${sessionId}.${next}`, state.expiresAt);
  }

  /** Signs this session out: its tokens stop working and its live sockets close. */
  async logout(userId: string, sessionId: string): Promise<Answer<typeof signedOut>> {
    await this.revoke(userId, [sessionId], 'signed out');
    return { signedOut: true };
  }

  /** An administrator disables or enables a user; disabling ends every session of the user at once. */
  async setUserActive(username: string, active: boolean, by: string) {
    const userId = await this.users.setActive(username, active);
    if (!userId) throw new AppError('NOT_FOUND', `There is no user "${username}".`);
    let sessionsEnded = 0;
    if (!active) {
      const ended = await this.sessions.revokeAllOfUser(userId, `user disabled by ${by}`);
      this.tokens.forgetSessions(ended);
      if (ended.length) this.events.emit('session.revoked', { userId, sessionIds: ended, reason: 'user disabled' });
      sessionsEnded = ended.length;
    }
    return { username, active, sessionsEnded };
  }

  private async revoke(userId: string, sessionIds: string[], reason: string): Promise<void> {
    for (const id of sessionIds) await this.sessions.revoke(id, reason);
    this.tokens.forgetSessions(sessionIds);
    this.events.emit('session.revoked', { userId, sessionIds, reason });
  }

  private async signedIn(
    user: AuthenticatedUser,
    sessionId: string,
    refreshToken: string,
    refreshExpiresAt: Date,
  ): Promise<SignedIn> {
    const { accessToken, expiresAt } = await this.tokens.issue(user, sessionId);
    return {
      accessToken,
      expiresAt: new Date(expiresAt).toISOString(),
      expiresIn: Math.round((expiresAt - Date.now()) / 1000),
      refreshToken,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
      user,
    };
  }
}

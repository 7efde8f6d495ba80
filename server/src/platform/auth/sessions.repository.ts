import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../database/orm.js';

/** What a request needs to know of its session: is it still good, and whose is it now. */
export interface SessionState {
  sessionId: string;
  userId: string;
  username: string;
  displayName: string;
  roles: string[];
  sellerCode: string | null;
  userActive: boolean;
  revoked: boolean;
  expiresAt: Date;
}

interface SessionRow {
  session_id: string;
  user_id: string;
  username: string;
  display_name: string;
  roles: string[];
  seller_code: string | null;
  user_active: boolean;
  revoked_at: Date | null;
  expires_at: Date;
  refresh_token_hash: string;
}

const SELECT_STATE = `
  select s.id as session_id, u.id as user_id, u.username, u.display_name, u.roles, u.seller_code,
         u.active as user_active, s.revoked_at, s.expires_at, s.refresh_token_hash
    from auth_session s join app_user u on u.id = s.user_id`;

/** The `auth_session` table (migration 20261201000740): one row per sign-in. */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async create(userId: string, refreshTokenHash: string, expiresAt: Date): Promise<string> {
    const rows = await this.orm.em.execute<Array<{ id: string }>>(
      'insert into auth_session (user_id, refresh_token_hash, expires_at) values (?, ?, ?::timestamptz) returning id',
      [userId, refreshTokenHash, expiresAt.toISOString()],
    );
    return rows[0].id;
  }

  /** The session and its user as they are now; null when either is gone (a deleted user takes its sessions). */
  async state(sessionId: string): Promise<(SessionState & { refreshTokenHash: string }) | null> {
    if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
    const rows = await this.orm.em.execute<SessionRow[]>(`${SELECT_STATE} where s.id = ?`, [sessionId]);
    const row = rows[0];
    if (!row) return null;
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      roles: row.roles,
      sellerCode: row.seller_code,
      userActive: row.user_active,
      revoked: row.revoked_at !== null,
      expiresAt: new Date(row.expires_at),
      refreshTokenHash: row.refresh_token_hash,
    };
  }

  /** Replaces the refresh token only if it is still the one presented: of two racing refreshes one wins. */
  async rotate(sessionId: string, presentedHash: string, nextHash: string): Promise<boolean> {
    const rows = await this.orm.em.execute<Array<{ id: string }>>(
      `update auth_session set refresh_token_hash = ?, refreshed_at = now()
        where id = ? and refresh_token_hash = ? and revoked_at is null and expires_at > now() returning id`,
      [nextHash, sessionId, presentedHash],
    );
    return rows.length === 1;
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.orm.em.execute(
      'update auth_session set revoked_at = now(), revoked_reason = ? where id = ? and revoked_at is null',
      [reason, sessionId],
    );
  }

  /** Ends every open session of a user; returns the ids ended. */
  async revokeAllOfUser(userId: string, reason: string): Promise<string[]> {
    const rows = await this.orm.em.execute<Array<{ id: string }>>(
      `update auth_session set revoked_at = now(), revoked_reason = ?
        where user_id = ? and revoked_at is null returning id`,
      [reason, userId],
    );
    return rows.map((r) => r.id);
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in sessions: a short-lived access token names its session, and the session is what a
 * refresh renews and a sign-out or a disabled user ends. The refresh token is kept only as its
 * SHA-256 (it is 256 random bits: a slow hash adds nothing), and is replaced at every refresh.
 * Deleting a user ends its sessions with it.
 */
export class Migration20261201000740AuthSessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table auth_session (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references app_user (id) on delete cascade,
        refresh_token_hash text not null,
        created_at timestamptz not null default now(),
        refreshed_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        revoked_reason text,
        constraint auth_session_revoked_reason check ((revoked_at is null) = (revoked_reason is null))
      )`);
    this.addSql('create index auth_session_user_idx on auth_session (user_id) where revoked_at is null');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists auth_session');
  }
}

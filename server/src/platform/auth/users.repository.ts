import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { type User, UserEntity } from '../database/entities.js';
import { ORM } from '../database/orm.js';
import { pgArray } from '../database/pg-array.js';
import type { Answer } from '../http/answer-fields.js';
import type { usersListed } from './auth.answers.js';
import type { Role } from './roles.js';

@Injectable()
export class UsersRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  findActiveByUsername(username: string): Promise<User | null> {
    return this.orm.em.fork().findOne(UserEntity, { username, active: true });
  }

  /** Every user, for the administrator's list (no password hashes). */
  async list(): Promise<Answer<typeof usersListed>['items']> {
    const rows = await this.orm.em.execute<
      Array<{ username: string; display_name: string; roles: Role[]; seller_code: string | null; active: boolean }>
    >('select username, display_name, roles, seller_code, active from app_user order by username');
    return rows.map((r) => ({
      username: r.username,
      displayName: r.display_name,
      roles: r.roles,
      sellerCode: r.seller_code,
      active: r.active,
    }));
  }

  /** Enables or disables a user; returns its id, or null when there is no such user. */
  async setActive(username: string, active: boolean): Promise<string | null> {
    const rows = await this.orm.em.execute<Array<{ id: string }>>(
      'update app_user set active = ? where username = ? returning id',
      [active, username],
    );
    return rows[0]?.id ?? null;
  }

  /** Creates the user, or updates its name, roles and password when it exists (seeding is repeatable). */
  async upsert(user: {
    username: string;
    displayName: string;
    passwordHash: string;
    roles: string[];
    sellerCode?: string | null;
  }) {
    await this.orm.em.execute(
      `insert into app_user (username, display_name, password_hash, roles, seller_code)
       values (?, ?, ?, ?::text[], ?)
       on conflict (username) do update set display_name = excluded.display_name,
         password_hash = excluded.password_hash, roles = excluded.roles, seller_code = excluded.seller_code`,
      [user.username, user.displayName, user.passwordHash, pgArray(user.roles), user.sellerCode ?? null],
    );
  }
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../database/orm.js';
import type { ApiKeyScope } from './api-key.js';

export interface ApiKeyState {
  id: string;
  sellerCode: string;
  name: string;
  secretHash: string;
  scopes: ApiKeyScope[];
}

/**
 * The guard's look-up of a presented API key. It runs before any tenant is known, so on the
 * centre's connection; what the key may then read runs on the tenant's.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** The key by its prefix, when not revoked and its seller is active. */
  async usable(prefix: string): Promise<ApiKeyState | null> {
    const rows = await this.orm.em.execute<
      Array<{ id: string; seller_code: string; name: string; secret_hash: string; scopes: ApiKeyScope[] }>
    >(
      `select k.id, k.seller_code, k.name, k.secret_hash, k.scopes from seller_api_key k
         join seller s on s.seller_code = k.seller_code and s.status = 'active'
        where k.prefix = ? and k.revoked_at is null`,
      [prefix],
    );
    const row = rows[0];
    return row
      ? { id: row.id, sellerCode: row.seller_code, name: row.name, secretHash: row.secret_hash, scopes: row.scopes }
      : null;
  }

  /** Notes that a verified key was used (at most one write a minute per key). */
  async noteUse(id: string): Promise<void> {
    await this.orm.em.execute(
      `update seller_api_key set last_used_at = now()
        where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}

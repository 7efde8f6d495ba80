import { Inject, Injectable } from '@nestjs/common';
import { newApiKey } from '../../platform/auth/api-key.js';
import type { AuthenticatedUser } from '../../platform/auth/roles.js';
import { type SqlRunner, TENANT_SQL } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { AppError } from '../../platform/http/app-error.js';
import { SellersRepository } from './sellers.repository.js';
import type {
  ApiKeyCreate,
  apiKeyAnswer,
  apiKeyCreated,
  apiKeysListed,
  GoodsBulk,
  GoodUpsert,
  goodsBulkAnswer,
  sellerGood,
  sellerGoodsPage,
  sellerMe,
  sellerStock,
} from './sellers.schemas.js';
import { goodsBulkItem } from './sellers.schemas.js';

/** The seller a signed-in seller user or API key acts for; a user of the centre has none. */
export function sellerCodeOf(user: AuthenticatedUser): string {
  if (!user.sellerCode)
    throw new AppError('FORBIDDEN', 'This user acts for no seller: ask the centre to link it to its seller.');
  return user.sellerCode;
}

/** Another tenant's row and no row at all answer alike: "not found", never "forbidden" (issue 12). */
const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found.`);

const cursorOf = (good: { ownerCode: string; sku: string }) =>
  Buffer.from(JSON.stringify([good.ownerCode, good.sku])).toString('base64url');

function parseCursor(cursor: string | undefined): { ownerCode: string; sku: string } | null {
  if (!cursor) return null;
  try {
    const [ownerCode, sku] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof ownerCode === 'string' && typeof sku === 'string') return { ownerCode, sku };
  } catch {
    // answered below
  }
  throw new AppError('VALIDATION_FAILED', 'after: not a cursor this API gave out; start again without it.');
}

/**
 * A seller's own view (issue 12): every call runs in one transaction of the tenant pool, bound to
 * the caller's seller, so PostgreSQL's row-level security decides what exists for it.
 */
@Injectable()
export class SellersService {
  constructor(
    @Inject(TENANT_SQL) private readonly tenant: SqlRunner,
    private readonly sellers: SellersRepository,
  ) {}

  private sellerOf(user: AuthenticatedUser): string {
    return sellerCodeOf(user);
  }

  me(user: AuthenticatedUser): Promise<Answer<typeof sellerMe>> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const me = await this.sellers.me(sql);
      if (!me) throw notFound(`seller ${user.sellerCode}`);
      return me;
    });
  }

  goods(user: AuthenticatedUser, limit: number, after?: string): Promise<Answer<typeof sellerGoodsPage>> {
    const from = parseCursor(after);
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const items = await this.sellers.goodsPage(sql, limit + 1, from);
      const more = items.length > limit;
      const page = more ? items.slice(0, limit) : items;
      return { items: page, nextCursor: more ? cursorOf(page[page.length - 1]) : null };
    });
  }

  good(user: AuthenticatedUser, sku: string, ownerCode?: string): Promise<Answer<typeof sellerGood>> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const found = await this.sellers.goods(sql, sku, ownerCode);
      if (!found.length) throw notFound(`SKU ${sku}`);
      if (found.length > 1)
        throw new AppError('CONFLICT', `SKU ${sku} is held by more than one of your owners: name the ownerCode.`);
      return found[0];
    });
  }

  /** Creates or updates one SKU of the seller; an owner that is not the seller's is "not found". */
  putGood(user: AuthenticatedUser, sku: string, good: GoodUpsert): Promise<Answer<typeof sellerGood>> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const owners = (await this.sellers.ownerCodes(sql)).map((o) => o.owner_code);
      const ownerCode = good.ownerCode ?? (owners.length === 1 ? owners[0] : undefined);
      if (!ownerCode)
        throw new AppError('VALIDATION_FAILED', `ownerCode: name one of your owners (${owners.join(', ') || 'none'}).`);
      // the same answer for another tenant's owner and for none at all; it names only the caller's own
      if (!owners.includes(ownerCode))
        throw new AppError('NOT_FOUND', `No such owner among yours (${owners.join(', ') || 'none'}).`);
      return this.sellers.upsertGood(sql, ownerCode, sku, good);
    });
  }

  /**
   * Many SKUs in one transaction, each answered on its own: a row naming an owner that is not the
   * seller's, or needing one, is refused with its reason; the others are written.
   */
  putGoods(user: AuthenticatedUser, body: GoodsBulk): Promise<Answer<typeof goodsBulkAnswer>> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const owners = (await this.sellers.ownerCodes(sql)).map((o) => o.owner_code);
      const results: Answer<typeof goodsBulkAnswer>['results'] = [];
      const seen = new Set<string>();
      for (const [row, raw] of body.items.entries()) {
        const parsed = goodsBulkItem.safeParse(raw);
        if (!parsed.success) {
          const sku = typeof (raw as { sku?: unknown })?.sku === 'string' ? (raw as { sku: string }).sku : '';
          const why = parsed.error.issues
            .map((i) => `${i.path.join('.') || 'row'}: ${i.message}`)
            .slice(0, 5)
            .join('; ');
          results.push({ row, sku, ok: false, error: why });
          continue;
        }
        const { sku, ...good } = parsed.data;
        const ownerCode = good.ownerCode ?? (owners.length === 1 ? owners[0] : undefined);
        const key = `${ownerCode}/${sku}`;
        if (!ownerCode)
          results.push({ row, sku, ok: false, error: `ownerCode: name one of your owners (${owners.join(', ')})` });
        else if (!owners.includes(ownerCode))
          results.push({ row, sku, ok: false, error: `no such owner among yours (${owners.join(', ')})` });
        else if (seen.has(key)) results.push({ row, sku, ok: false, error: `SKU ${sku} appears twice in this file` });
        else {
          seen.add(key);
          await this.sellers.upsertGood(sql, ownerCode, sku, { ...good, ownerCode });
          results.push({ row, sku, ok: true });
        }
      }
      const written = results.filter((r) => r.ok).length;
      return { written, refused: results.length - written, results };
    });
  }

  stock(
    user: AuthenticatedUser,
    q: { warehouseCode?: string; limit: number; offset: number },
  ): Promise<Answer<typeof sellerStock>> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => ({
      items: await this.sellers.stock(sql, q.warehouseCode, q.limit, q.offset),
    }));
  }

  apiKeys(user: AuthenticatedUser): Promise<Answer<typeof apiKeysListed>> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => ({ items: await this.sellers.apiKeys(sql) }));
  }

  /** A new key: its secret is in this answer only; the database keeps its SHA-256. */
  createApiKey(user: AuthenticatedUser, body: ApiKeyCreate): Promise<Answer<typeof apiKeyCreated>> {
    const sellerCode = this.sellerOf(user);
    const made = newApiKey();
    return this.tenant.forTenant(sellerCode, async (sql) => {
      const row = await this.sellers.createApiKey(sql, {
        sellerCode,
        name: body.name,
        prefix: made.prefix,
        secretHash: made.secretHash,
        scopes: body.scopes,
        createdBy: user.username,
      });
      return { ...row, key: made.key };
    });
  }

  revokeApiKey(user: AuthenticatedUser, id: string): Promise<Answer<typeof apiKeyAnswer>> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const row = await this.sellers.revokeApiKey(sql, id, user.username);
      if (!row) throw notFound(`API key ${id}`);
      return row;
    });
  }
}

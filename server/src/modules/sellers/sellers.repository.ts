import { Injectable } from '@nestjs/common';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import type { apiKeyAnswer, GoodUpsert, sellerGood, sellerMe, sellerStock } from './sellers.schemas.js';

type Good = Answer<typeof sellerGood>;
type ApiKey = Answer<typeof apiKeyAnswer>;

const GOOD_COLUMNS = `owner_code as "ownerCode", sku, gtin, gcode, name, model, unit,
  declared_price::text as "declaredPrice", currency, country, gross_grams as "grossGrams",
  legal_unit as "legalUnit", legal_qty_per_unit::text as "legalQtyPerUnit", legal_unit2 as "legalUnit2",
  legal_qty2_per_unit::text as "legalQty2PerUnit", length_mm as "lengthMm",
  width_mm as "widthMm", height_mm as "heightMm", battery, dangerous_goods as "dangerousGoods",
  un_number as "unNumber"`;
const KEY_COLUMNS = `id, name, prefix, scopes, created_by as "createdBy", created_at::text as "createdAt",
  last_used_at::text as "lastUsedAt", revoked_at::text as "revokedAt"`;
/**
 * The owners this transaction's tenant holds. Row-level security already limits every table to
 * them; saying it in the query too lets PostgreSQL use the owner indexes (the policy's OR cannot).
 */
const MY_OWNERS = 'select owner_code from seller_owner';

/**
 * The sellers' tables and a seller's view of goods and stock. Every method runs in a transaction
 * of the tenant pool (`SqlRunner.forTenant`): PostgreSQL shows it the tenant's rows only.
 */
@Injectable()
export class SellersRepository {
  async me(sql: Sql): Promise<Answer<typeof sellerMe> | null> {
    const [seller] = await sql.execute<Array<{ sellerCode: string; name: string; status: 'active' | 'suspended' }>>(
      'select seller_code as "sellerCode", name, status from seller',
    );
    if (!seller) return null;
    const warehouses = await sql.execute<Answer<typeof sellerMe>['warehouses']>(
      `select w.code, w.name, w.kind, w.country from seller_warehouse sw join warehouse w on w.code = sw.warehouse_code
        order by w.code`,
    );
    const owners = await sql.execute<Answer<typeof sellerMe>['owners']>(
      `select e.code, e.name from seller_owner so join enterprise e on e.code = so.owner_code order by e.code`,
    );
    return { ...seller, warehouses, owners };
  }

  ownerCodes(sql: Sql): Promise<Array<{ owner_code: string }>> {
    return sql.execute(`${MY_OWNERS} order by owner_code`);
  }

  goodsPage(sql: Sql, limit: number, after: { ownerCode: string; sku: string } | null): Promise<Good[]> {
    return sql.execute<Good[]>(
      `select ${GOOD_COLUMNS} from goods
        where owner_code in (${MY_OWNERS}) and (?::text is null or (owner_code, sku) > (?::text, ?::text))
        order by owner_code, sku limit ?`,
      [after?.ownerCode ?? null, after?.ownerCode ?? null, after?.sku ?? null, limit],
    );
  }

  goods(sql: Sql, sku: string, ownerCode: string | undefined): Promise<Good[]> {
    return sql.execute<Good[]>(
      `select ${GOOD_COLUMNS} from goods
        where owner_code in (${MY_OWNERS}) and sku = ? and (?::text is null or owner_code = ?)
        order by owner_code limit 2`,
      [sku, ownerCode ?? null, ownerCode ?? null],
    );
  }

  async upsertGood(sql: Sql, ownerCode: string, sku: string, good: GoodUpsert): Promise<Good> {
    const [row] = await sql.execute<Good[]>(
      `insert into goods (owner_code, sku, gtin, gcode, name, model, unit, declared_price, currency, country, gross_grams,
         legal_unit, legal_qty_per_unit, legal_unit2, legal_qty2_per_unit, length_mm, width_mm, height_mm, battery,
         dangerous_goods, un_number)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (owner_code, sku) do update set gtin = excluded.gtin, gcode = excluded.gcode, name = excluded.name,
         model = excluded.model, unit = excluded.unit, declared_price = excluded.declared_price,
         currency = excluded.currency, country = excluded.country, gross_grams = excluded.gross_grams,
         legal_unit = excluded.legal_unit, legal_qty_per_unit = excluded.legal_qty_per_unit,
         legal_unit2 = excluded.legal_unit2, legal_qty2_per_unit = excluded.legal_qty2_per_unit,
         length_mm = excluded.length_mm, width_mm = excluded.width_mm, height_mm = excluded.height_mm,
         battery = excluded.battery, dangerous_goods = excluded.dangerous_goods, un_number = excluded.un_number
       returning ${GOOD_COLUMNS}`,
      [
        ownerCode,
        sku,
        good.gtin ?? null,
        good.gcode,
        good.name,
        good.model,
        good.unit,
        good.declaredPrice,
        good.currency,
        good.country,
        good.grossGrams ?? null,
        good.legalUnit ?? null,
        good.legalQtyPerUnit ?? null,
        good.legalUnit2 ?? null,
        good.legalQty2PerUnit ?? null,
        good.lengthMm ?? null,
        good.widthMm ?? null,
        good.heightMm ?? null,
        good.battery,
        good.dangerousGoods,
        good.unNumber ?? null,
      ],
    );
    return row;
  }

  /** Shelf balance per warehouse, owner, SKU and batch: the sum of the shelf ledger's movements. */
  stock(
    sql: Sql,
    warehouseCode: string | undefined,
    limit: number,
    offset: number,
  ): Promise<Answer<typeof sellerStock>['items']> {
    return sql.execute(
      `select warehouse_code as "warehouseCode", owner_code as "ownerCode", sku, batch, sum(qty)::text as qty,
              max(created_at)::text as "lastMovedAt"
         from stock_movement
        where ledger = 'shelf' and owner_code in (${MY_OWNERS}) and (?::text is null or warehouse_code = ?)
        group by warehouse_code, owner_code, sku, batch
       having sum(qty) <> 0
        order by warehouse_code, owner_code, sku, batch
        limit ? offset ?`,
      [warehouseCode ?? null, warehouseCode ?? null, limit, offset],
    );
  }

  apiKeys(sql: Sql): Promise<ApiKey[]> {
    return sql.execute<ApiKey[]>(`select ${KEY_COLUMNS} from seller_api_key order by created_at desc, id`);
  }

  async createApiKey(
    sql: Sql,
    key: { sellerCode: string; name: string; prefix: string; secretHash: string; scopes: string[]; createdBy: string },
  ): Promise<ApiKey> {
    const [row] = await sql.execute<ApiKey[]>(
      `insert into seller_api_key (seller_code, name, prefix, secret_hash, scopes, created_by)
       values (?, ?, ?, ?, ?::text[], ?) returning ${KEY_COLUMNS}`,
      [key.sellerCode, key.name, key.prefix, key.secretHash, pgArray(key.scopes), key.createdBy],
    );
    return row;
  }

  /** Revokes the key (a key already revoked stays as it was); null when this tenant has no such key. */
  async revokeApiKey(sql: Sql, id: string, by: string): Promise<ApiKey | null> {
    const [row] = await sql.execute<ApiKey[]>(
      `update seller_api_key set revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, ?)
        where id = ? returning ${KEY_COLUMNS}`,
      [by, id],
    );
    return row ?? null;
  }
}

import type { MikroORM } from '@mikro-orm/postgresql';

export interface SellerSetup {
  sellerCode: string;
  name: string;
  /** Enterprise codes whose goods, stock and documents are the seller's (they must exist). */
  ownerCodes: string[];
  /** Warehouses the seller uses (they must exist). */
  warehouseCodes: string[];
}

/**
 * The centre's side of sellers: sets a tenant up (provisioning, the demo). Runs on the centre's
 * connection; the seller's own reads go through SellersRepository on the tenant pool.
 */
export class SellerRegistry {
  constructor(private readonly orm: MikroORM) {}

  /** Creates the seller or updates its name; its owners and warehouses become exactly these (repeatable). */
  async upsert(seller: SellerSetup): Promise<void> {
    await this.orm.em.transactional(async (em) => {
      await em.execute(
        `insert into seller (seller_code, name) values (?, ?)
         on conflict (seller_code) do update set name = excluded.name`,
        [seller.sellerCode, seller.name],
      );
      await em.execute('delete from seller_owner where seller_code = ?', [seller.sellerCode]);
      for (const owner of seller.ownerCodes)
        await em.execute('insert into seller_owner (seller_code, owner_code) values (?, ?)', [
          seller.sellerCode,
          owner,
        ]);
      await em.execute('delete from seller_warehouse where seller_code = ?', [seller.sellerCode]);
      for (const warehouse of seller.warehouseCodes)
        await em.execute('insert into seller_warehouse (seller_code, warehouse_code) values (?, ?)', [
          seller.sellerCode,
          warehouse,
        ]);
    });
  }
}

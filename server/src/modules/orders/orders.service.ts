import { Inject, Injectable } from '@nestjs/common';
import {
  type SellerOrderCreate,
  type SellerOrderDetail,
  type SellerOrderResult,
  type SellerOrderStatus,
  type SellerOrderSummary,
  sellerOrderCreate,
  siteTime,
} from '@wms/contracts';
import type { AuthenticatedUser } from '../../platform/auth/roles.js';
import { type Sql, type SqlRunner, TENANT_SQL } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { parseRequestPart } from '../../platform/http/zod-validation.pipe.js';
import { SellerStockRepository, type StockMove } from '../sellers/stock/seller-stock.repository.js';
import { OrdersRepository } from './orders.repository.js';
import {
  type Allocation,
  type AvailableLot,
  allocateOrder,
  cancelRefusal,
  normalOrder,
  orderBodyHash,
  shortfallText,
  stockKey,
} from './orders.rules.js';

type Source = 'api' | 'bulk' | 'import' | 'exchange';

/** One order of a batch: its place in the request and its body (parsed here, so one bad order spoils only itself). */
export interface OrderRequest {
  index: number;
  body: unknown;
}

/** What became of one order of a batch, for the caller (the API, an import, an exchange). */
export type PlacedOrder = SellerOrderResult & { sellerCode?: string };

const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found.`);

export const localTime = (timeZone: string | null) => (t: string) => siteTime(t, timeZone ?? undefined);

/**
 * A seller's outbound orders (issue 12, "Outbound orders from the seller"): placing them one by
 * one, in bulk, from an import or for an exchange, all through one path (`place`), which reserves
 * the stock at order time: per line the lots the ledger lists as available, FEFO then FIFO, moved
 * 'available' → 'reserved' in the same transaction as the order. Short stock refuses the order
 * whole and names each short line. Every call runs in a transaction of the tenant pool.
 */
@Injectable()
export class OrdersService {
  constructor(
    @Inject(TENANT_SQL) private readonly tenant: SqlRunner,
    private readonly orders: OrdersRepository,
    private readonly stock: SellerStockRepository,
    private readonly events: DomainEvents,
  ) {}

  sellerOf(user: AuthenticatedUser): string {
    if (!user.sellerCode)
      throw new AppError('FORBIDDEN', 'This user acts for no seller: ask the centre to link it to its seller.');
    return user.sellerCode;
  }

  /** POST /api/seller/orders: the order created, or the existing one for the same body. */
  async createOne(user: AuthenticatedUser, body: SellerOrderCreate, source: Source = 'api') {
    const sellerCode = this.sellerOf(user);
    const [result] = await this.placeBatch(sellerCode, user.username, [{ index: 0, body }], source);
    if (result.outcome === 'refused') {
      const [first] = result.errors;
      throw new AppError(
        first.code as 'CONFLICT',
        first.message,
        first.shortfall ? { shortfall: first.shortfall } : undefined,
      );
    }
    const detail = await this.detail(user, body.orderNo);
    return { ...detail, created: result.outcome === 'created' };
  }

  /** POST /api/seller/orders/bulk: each order on its own; good ones are created, bad ones say why. */
  async createBulk(user: AuthenticatedUser, orders: unknown[]) {
    const sellerCode = this.sellerOf(user);
    const results = await this.placeBatch(
      sellerCode,
      user.username,
      orders.map((body, index) => ({ index, body })),
      'bulk',
    );
    return {
      created: results.filter((r) => r.outcome === 'created').length,
      existing: results.filter((r) => r.outcome === 'existing').length,
      refused: results.filter((r) => r.outcome === 'refused').length,
      results,
    };
  }

  /**
   * Places a batch in chunks, each chunk one tenant transaction; emits one 'seller.changed' per
   * chunk that created orders, after its commit.
   */
  async placeBatch(
    sellerCode: string,
    actor: string,
    requests: OrderRequest[],
    source: Source,
    chunk = 500,
  ): Promise<PlacedOrder[]> {
    const out: PlacedOrder[] = [];
    for (let i = 0; i < requests.length; i += chunk) {
      const part = requests.slice(i, i + chunk);
      const results = await this.tenant.forTenant(sellerCode, (sql) =>
        this.place(sql, sellerCode, actor, part, source),
      );
      const created = results.filter((r) => r.outcome === 'created').map((r) => String(r.orderNo));
      if (created.length) this.changed(sellerCode, created);
      out.push(...results);
    }
    return out;
  }

  /**
   * Emits the seller's live update for these orders (after the commit that changed them): one
   * event per order, or one for the batch when it is large (the screen reloads its list).
   */
  changed(sellerCode: string, orderNos: string[], warehouseCode?: string): void {
    const at = new Date().toISOString();
    const many = orderNos.length > 20;
    for (const ref of many ? [orderNos[0]] : orderNos)
      this.events.emit('seller.changed', {
        sellerCode,
        kind: 'order',
        ref,
        ...(warehouseCode ? { warehouseCode } : {}),
        ...(many ? { detail: { orders: orderNos.length } } : {}),
        at,
      });
  }

  /**
   * The one path every order takes, inside the caller's tenant transaction: parse, find the SKUs'
   * owners, answer repeats, allocate each new order from the lots (all or nothing per order),
   * then write the orders, their lines and allocations and the ledger's reservations.
   */
  async place(
    sql: Sql,
    sellerCode: string,
    actor: string,
    requests: OrderRequest[],
    source: Source,
  ): Promise<PlacedOrder[]> {
    const results = new Map<number, PlacedOrder>();
    const refuse = (r: OrderRequest, orderNo: string | null, code: string, message: string, extra: object = {}) =>
      results.set(r.index, {
        index: r.index,
        orderNo,
        outcome: 'refused',
        status: null,
        errors: [{ code, message, ...extra }],
      });
    // 1. each order through the API's schema
    const parsed: Array<{ r: OrderRequest; order: SellerOrderCreate; hash: string }> = [];
    for (const r of requests) {
      try {
        const order = normalOrder(parseRequestPart(sellerOrderCreate, r.body, 'order'));
        parsed.push({ r, order, hash: orderBodyHash(order) });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const orderNo = (r.body as { orderNo?: unknown } | null)?.orderNo;
        refuse(r, typeof orderNo === 'string' ? orderNo : null, error.code, error.message);
      }
    }
    // 2. repeats: of an order that exists, or of one earlier in this batch
    const existing = new Map(
      (
        await this.orders.existing(
          sql,
          sellerCode,
          parsed.map((p) => p.order.orderNo),
        )
      ).map((e) => [e.orderNo, e]),
    );
    const firstInBatch = new Map<string, string>();
    const fresh: typeof parsed = [];
    for (const p of parsed) {
      const known = existing.get(p.order.orderNo);
      const twin = firstInBatch.get(p.order.orderNo);
      const hash = known?.bodyHash ?? twin;
      if (hash === undefined) {
        firstInBatch.set(p.order.orderNo, p.hash);
        fresh.push(p);
      } else if (hash === p.hash && known) {
        results.set(p.r.index, {
          index: p.r.index,
          orderNo: p.order.orderNo,
          outcome: 'existing',
          status: known.status,
          errors: [],
        });
      } else if (hash === p.hash) {
        results.set(p.r.index, {
          index: p.r.index,
          orderNo: p.order.orderNo,
          outcome: 'existing',
          status: null,
          errors: [],
        });
      } else
        refuse(
          p.r,
          p.order.orderNo,
          'CONFLICT',
          `Order ${p.order.orderNo} exists already with other contents: send it as it was, or use a new order number.`,
        );
    }
    // 3. warehouses and the SKUs' owners, once for the batch
    const warehouses = new Map<string, { kind: string } | null>();
    for (const code of new Set(fresh.map((p) => p.order.warehouseCode)))
      warehouses.set(code, await this.orders.warehouse(sql, code));
    const owners = new Map<string, string[]>();
    for (const g of await this.orders.goodsOwners(sql, [
      ...new Set(fresh.flatMap((p) => p.order.lines.map((l) => l.sku))),
    ]))
      owners.set(g.sku, [...(owners.get(g.sku) ?? []), g.ownerCode]);
    const ready: Array<(typeof parsed)[number] & { ownerCode: string }> = [];
    for (const p of fresh) {
      const w = warehouses.get(p.order.warehouseCode);
      if (w?.kind !== 'overseas') {
        refuse(
          p.r,
          p.order.orderNo,
          'NOT_FOUND',
          `Warehouse ${p.order.warehouseCode} not found among the overseas warehouses you use.`,
        );
        continue;
      }
      const problems: string[] = [];
      let ownerCode = p.order.ownerCode;
      for (const line of p.order.lines) {
        const holders = owners.get(line.sku) ?? [];
        if (!holders.length) problems.push(`SKU ${line.sku} is not one of your SKUs`);
        else if (ownerCode && !holders.includes(ownerCode))
          problems.push(`SKU ${line.sku} is not held by your owner ${ownerCode}`);
        else if (!ownerCode && holders.length > 1)
          problems.push(
            `SKU ${line.sku} is held by more than one of your owners (${holders.join(', ')}): name the ownerCode`,
          );
        else if (!ownerCode) ownerCode = holders[0];
        else if (!holders.includes(ownerCode)) problems.push(`SKU ${line.sku} is not held by your owner ${ownerCode}`);
      }
      if (problems.length || !ownerCode) {
        refuse(p.r, p.order.orderNo, 'VALIDATION_FAILED', `Order ${p.order.orderNo}: ${problems.join('; ')}.`);
        continue;
      }
      ready.push({ ...p, ownerCode });
    }
    // 4. the lots, once per SKU of the batch, locked in one order (warehouse, owner, SKU) so two
    // batches of the same SKUs queue behind each other instead of deadlocking; then each order in turn
    const stock = new Map<string, AvailableLot[]>();
    const wanted = new Map<string, { warehouseCode: string; ownerCode: string; sku: string }>();
    for (const p of ready)
      for (const line of p.order.lines)
        wanted.set(`${p.order.warehouseCode}\u0000${stockKey(p.ownerCode, line.sku)}`, {
          warehouseCode: p.order.warehouseCode,
          ownerCode: p.ownerCode,
          sku: line.sku,
        });
    for (const key of [...wanted.keys()].sort()) {
      const w = wanted.get(key) as { warehouseCode: string; ownerCode: string; sku: string };
      const lots = await this.stock.allocatable(sql, w.ownerCode, w.warehouseCode, w.sku);
      stock.set(
        key,
        lots.map((l) => toLot(l)),
      );
    }
    const allocated: Array<(typeof ready)[number] & { allocations: Allocation[] }> = [];
    for (const p of ready) {
      const view = new Map<string, AvailableLot[]>();
      for (const line of p.order.lines) {
        const key = stockKey(p.ownerCode, line.sku);
        view.set(key, stock.get(`${p.order.warehouseCode}\u0000${key}`) ?? []);
      }
      const allocation = allocateOrder(
        p.order.lines.map((l) => ({ ownerCode: p.ownerCode, sku: l.sku, qty: l.qty })),
        view,
      );
      if (!allocation.ok) {
        refuse(p.r, p.order.orderNo, 'INSUFFICIENT_STOCK', shortfallText(allocation.shortfall), {
          shortfall: allocation.shortfall,
        });
        continue;
      }
      allocated.push({ ...p, allocations: allocation.allocations });
    }
    // 5. the orders (a twin committed meanwhile by another request keeps its number), then what they hold
    const inserted = new Map(
      (
        await this.orders.insertOrders(
          sql,
          allocated.map((p) => ({
            sellerCode,
            orderNo: p.order.orderNo,
            ownerCode: p.ownerCode,
            warehouseCode: p.order.warehouseCode,
            shipTo: p.order.shipTo,
            carrier: p.order.carrier ?? null,
            bodyHash: p.hash,
            source,
            units: p.order.lines.reduce((s, l) => s + l.qty, 0),
            createdBy: actor,
          })),
        )
      ).map((o) => [o.orderNo, o.id]),
    );
    const written = allocated.filter((p) => inserted.has(p.order.orderNo));
    // a twin that another request committed while this one ran (the insert waited for it): a repeat after all
    const raced = allocated.filter((p) => !inserted.has(p.order.orderNo));
    if (raced.length) {
      const twins = new Map(
        (
          await this.orders.existing(
            sql,
            sellerCode,
            raced.map((p) => p.order.orderNo),
          )
        ).map((e) => [e.orderNo, e]),
      );
      for (const p of raced) {
        const twin = twins.get(p.order.orderNo);
        if (twin?.bodyHash === p.hash)
          results.set(p.r.index, {
            index: p.r.index,
            orderNo: p.order.orderNo,
            outcome: 'existing',
            status: twin.status,
            errors: [],
          });
        else
          refuse(
            p.r,
            p.order.orderNo,
            'CONFLICT',
            `Order ${p.order.orderNo} exists already with other contents: send it as it was, or use a new order number.`,
          );
      }
    }
    const moves: StockMove[] = written.flatMap((p) =>
      p.allocations.map((a) => ({
        ownerCode: a.ownerCode,
        warehouseCode: p.order.warehouseCode,
        sku: a.sku,
        lotNo: a.lotNo,
        from: 'available' as const,
        to: 'reserved' as const,
        qty: a.qty,
        event: 'order.reserved' as const,
        docType: 'order',
        docNo: p.order.orderNo,
      })),
    );
    if (moves.length) await this.stock.post(sql, moves, actor);
    await this.orders.insertContents(
      sql,
      sellerCode,
      actor,
      written.map((p) => ({
        id: String(inserted.get(p.order.orderNo)),
        lines: p.order.lines,
        allocations: p.allocations,
        note: source === 'api' ? null : `by ${source}`,
      })),
    );
    for (const p of written)
      results.set(p.r.index, {
        index: p.r.index,
        orderNo: p.order.orderNo,
        outcome: 'created',
        status: 'reserved',
        errors: [],
      });
    return requests.map((r) => results.get(r.index) as PlacedOrder);
  }

  list(
    user: AuthenticatedUser,
    q: {
      status?: SellerOrderStatus;
      from?: string;
      to?: string;
      sku?: string;
      warehouseCode?: string;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: SellerOrderSummary[]; total: number; limit: number; offset: number }> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => ({
      ...(await this.orders.page(sql, q)),
      limit: q.limit,
      offset: q.offset,
    }));
  }

  detail(user: AuthenticatedUser, orderNo: string): Promise<SellerOrderDetail> {
    const sellerCode = this.sellerOf(user);
    return this.tenant.forTenant(sellerCode, async (sql) => {
      const found = await this.orders.detail(sql, sellerCode, orderNo);
      if (!found) throw notFound(`Order ${orderNo}`);
      const { timeZone, history, ...order } = found;
      const local = localTime(timeZone);
      return { ...order, history: history.map((h) => ({ ...h, atLocal: local(h.at) })) };
    });
  }

  /** Cancels an order the warehouse has not started picking: its reservations go back to available. */
  async cancel(user: AuthenticatedUser, orderNo: string): Promise<SellerOrderDetail> {
    const sellerCode = this.sellerOf(user);
    await this.tenant.forTenant(sellerCode, async (sql) => {
      const order = await this.orders.order(sql, { sellerCode, orderNo }, true);
      if (!order) throw notFound(`Order ${orderNo}`);
      const refusal = cancelRefusal(order, localTime(order.timeZone));
      if (refusal) throw new AppError('CONFLICT', refusal);
      const allocations = await this.orders.allocations(sql, order.id);
      await this.stock.post(
        sql,
        allocations.map((a) => ({
          ownerCode: order.ownerCode,
          warehouseCode: order.warehouseCode,
          sku: a.sku,
          lotNo: a.lotNo,
          from: 'reserved' as const,
          to: 'available' as const,
          qty: a.qty,
          event: 'order.released' as const,
          docType: 'order',
          docNo: order.orderNo,
          reason: 'cancelled by the seller',
        })),
        user.username,
      );
      await this.orders.move(sql, order, 'cancelled', user.username, 'cancelled by the seller');
    });
    this.changed(sellerCode, [orderNo]);
    return this.detail(user, orderNo);
  }
}

/** The ledger's lot as the allocation rule reads it. */
function toLot(l: {
  lotNo: string;
  qty: number | string;
  expiry?: string | Date | null;
  arrivedAt?: string | Date | null;
}): AvailableLot {
  const expiry = l.expiry instanceof Date ? l.expiry.toISOString().slice(0, 10) : (l.expiry ?? null);
  return { lotNo: l.lotNo, qty: Number(l.qty), expiry, arrivedAt: l.arrivedAt ?? null };
}

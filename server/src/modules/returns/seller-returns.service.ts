import { Inject, Injectable } from '@nestjs/common';
import type { RmaCreate, RmaDetail, RmaSummary } from '@wms/contracts';
import type { AuthenticatedUser } from '../../platform/auth/roles.js';
import { DocNumbers } from '../../platform/database/doc-numbers.js';
import { type Sql, type SqlRunner, TENANT_SQL } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { ReturnsRepository } from './returns.repository.js';

const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found.`);

/**
 * The seller's RMAs (issue 12): announced to one of its overseas warehouses, read back with what
 * the warehouse received and graded. Every call is one tenant transaction (row-level security):
 * another seller's RMA does not exist for it.
 */
@Injectable()
export class SellerReturnsService {
  constructor(
    @Inject(TENANT_SQL) private readonly tenant: SqlRunner,
    private readonly returns: ReturnsRepository,
    private readonly numbers: DocNumbers,
    private readonly events: DomainEvents,
  ) {}

  private sellerOf(user: AuthenticatedUser): string {
    if (!user.sellerCode)
      throw new AppError('FORBIDDEN', 'This user acts for no seller: ask the centre to link it to its seller.');
    return user.sellerCode;
  }

  async create(user: AuthenticatedUser, body: RmaCreate): Promise<RmaDetail> {
    const sellerCode = this.sellerOf(user);
    const detail = await this.tenant.forTenant(sellerCode, async (sql) => {
      const [warehouse] = await this.returns.myWarehouse(sql, body.warehouseCode);
      if (!warehouse) throw new AppError('NOT_FOUND', `No warehouse ${body.warehouseCode} among yours.`);
      if (warehouse.kind !== 'overseas')
        throw new AppError(
          'VALIDATION_FAILED',
          `warehouseCode: ${body.warehouseCode} is not an overseas warehouse; returns abroad go to one of your overseas warehouses.`,
        );
      const ownerCode = await this.ownerFor(sql, body);
      const rmaNo = body.rmaNo ?? (await this.numbers.next(sql, 'RMA'));
      try {
        await this.returns.create(sql, {
          sellerCode,
          ownerCode,
          rmaNo,
          warehouseCode: body.warehouseCode,
          orderNo: body.orderNo ?? null,
          reason: body.reason,
          unannounced: false,
          exchange: body.exchange ?? null,
          createdBy: user.username,
          lines: body.lines,
        });
      } catch (error) {
        if ((error as { code?: string }).code === '23505')
          throw new AppError('CONFLICT', `You already have RMA ${rmaNo}: give another rmaNo, or leave it out for one.`);
        throw error;
      }
      return (await this.returns.detail(sql, rmaNo)) as RmaDetail;
    });
    this.changed(
      sellerCode,
      detail.rmaNo,
      detail.warehouseCode,
      detail.lines.map((l) => l.sku),
    );
    return detail;
  }

  /** The owner whose goods come back: named, or the one of the seller's owners that holds every SKU. */
  private async ownerFor(sql: Sql, body: RmaCreate): Promise<string> {
    const skus = [...new Set([...body.lines, ...(body.exchange?.lines ?? [])].map((l) => l.sku))];
    const held = await this.returns.ownersOfSkus(sql, skus);
    if (body.ownerCode) {
      const owners = (await this.returns.myOwners(sql)).map((o) => o.ownerCode);
      if (!owners.includes(body.ownerCode))
        throw new AppError('NOT_FOUND', `No owner ${body.ownerCode} among yours (${owners.join(', ') || 'none'}).`);
    }
    const candidates = [...new Set(held.map((h) => h.ownerCode))].filter(
      (owner) =>
        (!body.ownerCode || owner === body.ownerCode) &&
        skus.every((sku) => held.some((h) => h.ownerCode === owner && h.sku === sku)),
    );
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1)
      throw new AppError(
        'VALIDATION_FAILED',
        `ownerCode: these SKUs are held by more than one of your owners (${candidates.join(', ')}): name one.`,
      );
    const missing = skus.filter(
      (sku) => !held.some((h) => h.sku === sku && (!body.ownerCode || h.ownerCode === body.ownerCode)),
    );
    if (missing.length) throw new AppError('NOT_FOUND', `SKU ${missing.join(', ')} not found among yours.`);
    throw new AppError('VALIDATION_FAILED', 'lines: the SKUs of one RMA must belong to one of your owners; split it.');
  }

  list(
    user: AuthenticatedUser,
    q: { status?: string; warehouseCode?: string; sku?: string; limit: number; offset: number },
  ): Promise<{ items: RmaSummary[] }> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => ({ items: await this.returns.list(sql, q) }));
  }

  get(user: AuthenticatedUser, rmaNo: string): Promise<RmaDetail> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const detail = await this.returns.detail(sql, rmaNo);
      if (!detail) throw notFound(`RMA ${rmaNo}`);
      return detail;
    });
  }

  async photo(user: AuthenticatedUser, rmaNo: string, id: string): Promise<{ photo: Buffer; contentType: string }> {
    const found = await this.tenant.forTenant(this.sellerOf(user), (sql) => this.returns.photo(sql, rmaNo, id));
    if (!found) throw notFound(`Photo ${id} of RMA ${rmaNo}`);
    return found;
  }

  private changed(sellerCode: string, rmaNo: string, warehouseCode: string, skus: string[]): void {
    this.events.emit('seller.changed', {
      sellerCode,
      kind: 'return',
      ref: rmaNo,
      warehouseCode,
      skus,
      at: new Date().toISOString(),
    });
  }
}

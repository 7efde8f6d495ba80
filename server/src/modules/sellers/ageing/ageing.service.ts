import { Inject, Injectable } from '@nestjs/common';
import type { AgeingRow, SellerAgeing, SellerAlert, WarehouseAgeing, WarehouseAgeingInput } from '@wms/contracts';
import type { AuthenticatedUser } from '../../../platform/auth/roles.js';
import { SqlRunner, TENANT_SQL } from '../../../platform/database/sql.js';
import { DomainEvents } from '../../../platform/events/domain-events.js';
import { AppError } from '../../../platform/http/app-error.js';
import { type AgeingGroup, AgeingRepository, type WarehouseAgeingRow } from './ageing.repository.js';
import { bandsOf } from './ageing.rules.js';

const settings = (w: WarehouseAgeingRow): WarehouseAgeing => ({
  ...w,
  labels: bandsOf(w.bands).map((b) => b.label),
});

/** Groups per SKU and warehouse, in the warehouse's bands. */
export function ageingRows(groups: AgeingGroup[], warehouses: WarehouseAgeingRow[]): AgeingRow[] {
  const limits = new Map(warehouses.map((w) => [w.warehouseCode, w.bands]));
  const rows = new Map<string, AgeingRow>();
  for (const g of groups) {
    const key = JSON.stringify([g.warehouseCode, g.ownerCode, g.sku]);
    let row = rows.get(key);
    if (!row) {
      row = {
        warehouseCode: g.warehouseCode,
        ownerCode: g.ownerCode,
        sku: g.sku,
        name: g.name,
        qty: 0,
        bands: bandsOf(limits.get(g.warehouseCode) ?? []).map((b) => ({ ...b, qty: 0 })),
        unknownAgeQty: 0,
        oldestArrivedAt: null,
        oldestAgeDays: null,
      };
      rows.set(key, row);
    }
    row.qty += g.qty;
    if (g.band === null) row.unknownAgeQty += g.qty;
    else {
      row.bands[Math.min(g.band, row.bands.length - 1)].qty += g.qty;
      if (g.oldestArrivedAt && (!row.oldestArrivedAt || g.oldestArrivedAt < row.oldestArrivedAt))
        row.oldestArrivedAt = g.oldestArrivedAt;
      if (g.oldestAgeDays !== null) row.oldestAgeDays = Math.max(row.oldestAgeDays ?? 0, g.oldestAgeDays);
    }
  }
  return [...rows.values()];
}

/**
 * Ageing (issue 12): the seller's units by age band per SKU and warehouse, the warehouse's
 * bands and alert age (set by its staff), and the seller's alerts.
 */
@Injectable()
export class AgeingService {
  constructor(
    private readonly sql: SqlRunner,
    @Inject(TENANT_SQL) private readonly tenant: SqlRunner,
    private readonly ageing: AgeingRepository,
    private readonly events: DomainEvents,
  ) {}

  private sellerOf(user: AuthenticatedUser): string {
    if (!user.sellerCode)
      throw new AppError('FORBIDDEN', 'This user acts for no seller: ask the centre to link it to its seller.');
    return user.sellerCode;
  }

  sellerAgeing(
    user: AuthenticatedUser,
    q: { warehouseCode?: string; sku?: string; limit: number; offset: number },
  ): Promise<SellerAgeing> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const groups = await this.ageing.groups(sql, q);
      const warehouses = await this.ageing.myWarehouses(sql, [...new Set(groups.map((g) => g.warehouseCode))]);
      return { warehouses: warehouses.map(settings), items: ageingRows(groups, warehouses) };
    });
  }

  alerts(user: AuthenticatedUser, open: boolean | null, limit: number): Promise<{ items: SellerAlert[] }> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => ({
      items: await this.ageing.alerts(sql, open, limit),
    }));
  }

  async ack(user: AuthenticatedUser, id: string): Promise<SellerAlert> {
    const sellerCode = this.sellerOf(user);
    const alert = await this.tenant.forTenant(sellerCode, (sql) => this.ageing.ack(sql, id, user.username));
    if (!alert) throw new AppError('NOT_FOUND', `Alert ${id} not found.`);
    this.events.emit('seller.changed', {
      sellerCode,
      kind: 'alert',
      ref: alert.id,
      warehouseCode: alert.warehouseCode,
      skus: [alert.sku],
      detail: { acked: true },
      at: new Date().toISOString(),
    });
    return alert;
  }

  async warehouse(code: string): Promise<WarehouseAgeing> {
    const [row] = await this.sql.transaction((sql) => this.ageing.warehouse(sql, code));
    if (!row) throw new AppError('NOT_FOUND', `Warehouse ${code} not found.`);
    return settings(row);
  }

  async setWarehouse(code: string, body: WarehouseAgeingInput): Promise<WarehouseAgeing> {
    const [row] = await this.sql.transaction((sql) => this.ageing.setWarehouse(sql, code, body.bands, body.alertDays));
    if (!row) throw new AppError('NOT_FOUND', `Warehouse ${code} not found.`);
    return settings(row);
  }
}

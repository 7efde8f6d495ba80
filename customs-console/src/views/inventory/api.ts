import type { BookLineDetail, BookLinesPage, InventoryTotals, StorageAgeAlert } from '@wms/contracts';
import { qs, request } from '../../api.js';

/** The inventory area's calls: /api/customs/inventory/…, /reconciliation, /ageing (issue 13). */
export interface BookLineFilters {
  warehouseCode: string;
  gcode?: string;
  gname?: string;
  itemNo?: string;
  putrecSeqno?: number;
  ownerCode?: string;
  customsState?: string;
  differences?: 'true' | 'false';
  after?: string;
  limit?: number;
}

export interface Unbooked {
  reason: string;
  deliveryNo: string | null;
  ownerCode: string;
  sku: string;
  batch: string;
  location: string;
  units: number;
  message: string;
  messageZh: string;
}

export interface Reconciliation {
  balanced: boolean;
  totals: {
    bookLines: number;
    bookUnits: number;
    shelfUnits: number;
    linesWithDifference: number;
    unbookedUnits: number;
    physicalUnits: number;
  };
  unbooked: { units: number; items: Unbooked[] };
}

export interface AgeingItem {
  ownerCode: string;
  sku: string;
  batch: string;
  bookLine: { emsNo: string; putrecSeqno: number | null } | null;
  units: number;
  firstEntryAt: string | null;
  ageDays: number | null;
  limitDays: number;
  daysLeft: number | null;
  level: 'ok' | 'warning' | 'over-limit' | 'unknown';
  message: string | null;
}

export interface Discrepancy {
  stocktakeNo: string;
  closedAt: string;
  closedBy: string;
  differences: Array<{
    location: string;
    ownerCode: string;
    sku: string;
    batch: string;
    expected: number;
    counted: number;
    /** counted − expected */
    difference: number;
  }>;
}

export const inventoryApi = {
  warehouses: () =>
    request<{ items: Array<{ code: string; name: string; kind: string }> }>('GET', '/api/master-data/warehouses'),
  bookLines: (f: BookLineFilters) => request<BookLinesPage>('GET', `/api/customs/inventory/book-lines${qs({ ...f })}`),
  totals: (warehouseCode: string) =>
    request<InventoryTotals>('GET', `/api/customs/inventory/totals${qs({ warehouseCode })}`),
  line: (warehouseCode: string, emsNo: string, putrecSeqno: number) =>
    request<BookLineDetail>(
      'GET',
      `/api/customs/inventory/book-lines/${encodeURIComponent(emsNo)}/${putrecSeqno}${qs({ warehouseCode })}`,
    ),
  reconciliation: (warehouseCode: string) =>
    request<Reconciliation>('GET', `/api/customs/reconciliation${qs({ warehouseCode })}`),
  discrepancies: (warehouseCode: string) =>
    request<Discrepancy[]>('GET', `/api/floor/discrepancies${qs({ warehouseCode })}`),
  ageing: (warehouseCode: string) =>
    request<{ items: AgeingItem[]; alerts: AgeingItem[] }>('GET', `/api/customs/ageing${qs({ warehouseCode })}`),
  ageAlerts: (warehouseCode: string) =>
    request<{ items: StorageAgeAlert[] }>('GET', `/api/customs/ageing/alerts${qs({ warehouseCode })}`),
};

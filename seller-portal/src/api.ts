import type {
  BucketRow,
  bucketSummary,
  bucketsPage,
  LedgerEntry,
  ledgerPage,
  RmaCreate,
  RmaDetail,
  RmaSummary,
  SellerAgeing,
  SellerAlert,
  SellerOrderCreate,
  SellerOrderDetail,
  SellerOrderImport,
  SellerOrderSummary,
  ShipmentCreate,
  ShipmentDetail,
  ShipmentSummary,
} from '@wms/contracts';
import { createClient, type Page, qs, type User } from '@wms/desktop-kit';
import type { z } from 'zod';

/**
 * The seller portal's side of the server's API: the desktop kit's sign-in and token renewal
 * (desktop-kit/src/client.ts) and the /api/seller routes. The server decides; this only asks.
 */

export type { Page, SignedIn, User } from '@wms/desktop-kit';
export { ApiError, allPages, isRouteMissing } from '@wms/desktop-kit';

/** The roles this portal is for (the server's SELLER_ROLES). */
export const SELLER_ROLES = ['seller', 'seller_admin'];
export const isSeller = (user: User | null) => !!user?.roles.some((r) => SELLER_ROLES.includes(r));
export const isSellerAdmin = (user: User | null) => !!user?.roles.includes('seller_admin');

/** Kept in sessionStorage under its own key: closing the tab ends the session on this computer. */
export const client = createClient('wms.seller.session');
export const { session, renewSession, fetchDocument, fetchDataUrl, onTokenRenewed, whenSessionRejected } = client;
const request = client.request;
const enc = encodeURIComponent;

// ---- answers of the seller API (server/src/modules/sellers/*.schemas.ts) ----

export type { BucketRow, LedgerEntry };
export type BucketSummary = z.infer<typeof bucketSummary>;

export interface SellerWarehouse {
  code: string;
  name: string;
  kind: string;
  country: string | null;
}

export interface SellerMe {
  sellerCode: string;
  name: string;
  status: 'active' | 'suspended';
  warehouses: SellerWarehouse[];
  owners: Array<{ code: string; name: string }>;
}

export interface Good {
  ownerCode: string;
  sku: string;
  gtin: string | null;
  gcode: string;
  name: string;
  model: string;
  unit: string;
  declaredPrice: string;
  currency: string;
  country: string;
  grossGrams: number | null;
  legalUnit: string | null;
  legalQtyPerUnit: string | null;
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
  battery: Battery;
  dangerousGoods: boolean;
  unNumber: string | null;
}

export const BATTERY = ['none', 'contained', 'packed-with', 'standalone'] as const;
export type Battery = (typeof BATTERY)[number];

export interface GoodUpsert {
  ownerCode?: string;
  gtin?: string;
  gcode: string;
  name: string;
  model?: string;
  unit: string;
  declaredPrice: string;
  currency?: string;
  country: string;
  grossGrams?: number;
  legalUnit?: string;
  legalQtyPerUnit?: string;
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
  battery?: Battery;
  dangerousGoods?: boolean;
  unNumber?: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Array<'read' | 'write'>;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Any JSON answer we show as it comes (routes still landing: the page reads the fields it knows). */
// biome-ignore lint/suspicious/noExplicitAny: shapes of routes that land later are read field by field
export type Loose = Record<string, any>;

export const api = {
  login: client.login,
  logout: client.logout,
  me: () => request<SellerMe>('GET', '/api/seller/me'),

  goods: (after?: string, limit = 500) => request<Page<Good>>('GET', `/api/seller/goods${qs({ limit, after })}`),
  good: (sku: string) => request<Good>('GET', `/api/seller/goods/${enc(sku)}`),
  putGood: (sku: string, body: GoodUpsert) => request<Good>('PUT', `/api/seller/goods/${enc(sku)}`, body),
  /** Up to 1,000 SKUs in one call, each answered on its own (`row` is the index in `items`). */
  putGoods: (items: Array<GoodUpsert & { sku: string }>) =>
    request<{
      written: number;
      refused: number;
      results: Array<{ row: number; sku: string; ok: boolean; error?: string }>;
    }>('POST', '/api/seller/goods/bulk', { items }),

  /** Shelf balance per warehouse, SKU and batch (before the bucket ledger). */
  stock: (warehouseCode?: string) =>
    request<Page<Loose>>('GET', `/api/seller/stock${qs({ warehouseCode, limit: 1000 })}`),
  buckets: (q: { warehouseCode?: string; sku?: string; bucket?: string; after?: string; limit?: number }) =>
    request<z.infer<typeof bucketsPage>>('GET', `/api/seller/buckets${qs({ limit: 200, ...q })}`),
  bucketSummary: () => request<BucketSummary>('GET', '/api/seller/buckets/summary'),
  ledger: (q: { sku: string; warehouseCode?: string; before?: string; limit?: number }) =>
    request<z.infer<typeof ledgerPage>>('GET', `/api/seller/ledger${qs({ limit: 100, ...q })}`),
  ageing: (q: { warehouseCode?: string; limit?: number } = {}) =>
    request<SellerAgeing>('GET', `/api/seller/ageing${qs({ limit: 1000, ...q })}`),
  alerts: () => request<{ items: SellerAlert[] }>('GET', '/api/seller/alerts?open=true&limit=20'),
  ackAlert: (id: string) => request<SellerAlert>('POST', `/api/seller/alerts/${enc(id)}/ack`, {}),

  shipments: (q: { offset?: number; limit?: number; status?: string; warehouseCode?: string } = {}) =>
    request<{ items: ShipmentSummary[] }>('GET', `/api/seller/shipments${qs({ limit: 100, ...q })}`),
  shipment: (no: string) => request<ShipmentDetail>('GET', `/api/seller/shipments/${enc(no)}`),
  createShipment: (body: ShipmentCreate) => request<ShipmentDetail>('POST', '/api/seller/shipments', body),
  /** The box labels: PNG (one under the other, or one carton's) or ZPL for a label printer. */
  shipmentLabelsUrl: (no: string, format: 'png' | 'zpl' = 'png', sscc?: string) =>
    `/api/seller/shipments/${enc(no)}/labels${qs({ format, sscc })}`,

  orders: (q: { offset?: number; limit?: number; status?: string; from?: string; warehouseCode?: string } = {}) =>
    request<{ items: SellerOrderSummary[]; total: number; limit: number; offset: number }>(
      'GET',
      `/api/seller/orders${qs({ limit: 50, ...q })}`,
    ),
  order: (no: string) => request<SellerOrderDetail>('GET', `/api/seller/orders/${enc(no)}`),
  createOrder: (body: SellerOrderCreate) => request<SellerOrderDetail>('POST', '/api/seller/orders', body),
  cancelOrder: (no: string) => request<SellerOrderDetail>('POST', `/api/seller/orders/${enc(no)}/cancel`, {}),
  importOrders: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<{ importId: string }>('POST', '/api/seller/orders/imports', form);
  },
  orderImport: (id: string) => request<SellerOrderImport>('GET', `/api/seller/orders/imports/${enc(id)}`),
  orderTemplate: (format: 'csv' | 'xlsx') =>
    request<{ fileName: string; contentType: string; columns: string[]; content: string }>(
      'GET',
      `/api/seller/orders/imports/template?format=${format}`,
    ),

  returns: (q: { offset?: number; limit?: number; status?: string; warehouseCode?: string } = {}) =>
    request<{ items: RmaSummary[] }>('GET', `/api/seller/returns${qs({ limit: 100, ...q })}`),
  returnOne: (rmaNo: string) => request<RmaDetail>('GET', `/api/seller/returns/${enc(rmaNo)}`),
  createReturn: (body: RmaCreate) => request<RmaDetail>('POST', '/api/seller/returns', body),

  apiKeys: () => request<Page<ApiKey>>('GET', '/api/seller/api-keys'),
  createApiKey: (name: string, scopes: Array<'read' | 'write'>) =>
    request<ApiKey & { key: string }>('POST', '/api/seller/api-keys', { name, scopes }),
  revokeApiKey: (id: string) => request<ApiKey>('POST', `/api/seller/api-keys/${enc(id)}/revoke`, {}),
};

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
import type { z } from 'zod';

/**
 * The seller portal's side of the server's API: sign-in, token renewal (same flow as the handheld
 * app, scanner-ui/src/api.ts) and the /api/seller routes. The server decides; this only asks.
 */

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  sellerCode: string | null;
}

/** What the server answers to a sign-in and to a refresh. */
export interface SignedIn {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  user: User;
}

/** An answer the server refused: `message` is written for the person at the screen. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = {},
  ) {
    super(message);
  }
}

/** The roles this portal is for (the server's SELLER_ROLES). */
export const SELLER_ROLES = ['seller', 'seller_admin'];
export const isSeller = (user: User | null) => !!user?.roles.some((r) => SELLER_ROLES.includes(r));
export const isSellerAdmin = (user: User | null) => !!user?.roles.includes('seller_admin');

const KEY = 'wms.seller.session';

/** Kept in sessionStorage: closing the tab ends the session on this computer. */
export const session = {
  read(): SignedIn | null {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    } catch {
      return null;
    }
  },
  get token(): string | null {
    return this.read()?.accessToken ?? null;
  },
  get user(): User | null {
    return this.read()?.user ?? null;
  },
  save(signedIn: SignedIn) {
    sessionStorage.setItem(KEY, JSON.stringify(signedIn));
    scheduleRenewal();
  },
  clear() {
    clearTimeout(renewalTimer);
    sessionStorage.removeItem(KEY);
  },
};

let renewalTimer: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<boolean> | null = null;
const renewalListeners = new Set<(token: string) => void>();
let onSessionRejected: () => void = () => {};

/** Called with the new access token after every renewal; returns the unsubscribe. */
export function onTokenRenewed(listener: (token: string) => void): () => void {
  renewalListeners.add(listener);
  return () => renewalListeners.delete(listener);
}

/** Called when the server refuses our session (401 on a signed-in request): back to sign-in. */
export function whenSessionRejected(handler: () => void): void {
  onSessionRejected = handler;
}

function scheduleRenewal(): void {
  clearTimeout(renewalTimer);
  const current = session.read();
  const expiresAt = Date.parse(current?.expiresAt ?? '');
  if (!current || !Number.isFinite(expiresAt)) return;
  const left = expiresAt - Date.now();
  // a quarter of the lifetime before the end, at most a minute before
  const delay = Math.max(0, left - Math.min(60_000, Math.max(1000, left / 4)));
  renewalTimer = setTimeout(() => void renewSession(), delay);
}

/** Renews the access token now (one renewal at a time); false when the session is over. */
export function renewSession(): Promise<boolean> {
  renewing ??= (async () => {
    const refreshToken = session.read()?.refreshToken;
    if (!refreshToken) return false;
    let response: Response;
    try {
      response = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
    } catch {
      clearTimeout(renewalTimer);
      renewalTimer = setTimeout(() => void renewSession(), 5000);
      return false;
    }
    if (!response.ok) {
      if (response.status === 401) onSessionRejected();
      return false;
    }
    session.save((await response.json()) as SignedIn);
    for (const listener of renewalListeners) listener(session.token ?? '');
    return true;
  })().finally(() => {
    renewing = null;
  });
  return renewing;
}

if (session.token) scheduleRenewal();

async function request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
    });
  } catch {
    // status 0: the request never reached the server
    throw new ApiError(0, 'NETWORK', '');
  }
  if (response.status === 401 && token && !retried && !path.startsWith('/api/auth/')) {
    if (await renewSession()) return request<T>(method, path, body, true);
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401 && token) onSessionRejected();
    throw new ApiError(response.status, data.code ?? 'ERROR', data.message ?? response.statusText, data.details ?? {});
  }
  return data as T;
}

/** A signed-in GET whose answer is a document (labels): the body as it comes, with its type. */
export async function fetchDocument(path: string): Promise<Blob> {
  const send = () => fetch(path, { headers: { authorization: `Bearer ${session.token ?? ''}` } });
  let response = await send();
  if (response.status === 401 && (await renewSession())) response = await send();
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    throw new ApiError(response.status, data.code ?? 'ERROR', data.message ?? response.statusText, data.details ?? {});
  }
  return response.blob();
}

/**
 * A picture behind the token (a damage or return photo, box labels) as a data URL: the page's CSP
 * allows images from 'self' and data: only, and an <img> cannot send the token.
 */
export async function fetchDataUrl(path: string): Promise<string> {
  const blob = await fetchDocument(path);
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

const qs = (params: Record<string, string | number | undefined | null>) => {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  const text = query.toString();
  return text ? `?${text}` : '';
};
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

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/** Fetches every page of a cursor-paged list (`nextCursor` passed back as `after`). */
export async function allPages<T>(fetchPage: (after?: string) => Promise<Page<T>>, max = 20): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (let i = 0; i < max; i++) {
    const page = await fetchPage(after);
    out.push(...page.items);
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  return out;
}

/** Any JSON answer we show as it comes (routes still landing: the page reads the fields it knows). */
// biome-ignore lint/suspicious/noExplicitAny: shapes of routes that land later are read field by field
export type Loose = Record<string, any>;

export const api = {
  login: (username: string, password: string) => request<SignedIn>('POST', '/api/auth/login', { username, password }),
  logout: () => request<{ signedOut: true }>('POST', '/api/auth/logout', {}),
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

/**
 * A route this server does not have yet answers 404 without a row id in the path: the page shows
 * "not available yet" instead of an error. (A missing row answers 404 on a path with an id.)
 */
export const isRouteMissing = (error: unknown) =>
  error instanceof ApiError && error.status === 404 && /^Cannot (GET|POST|PUT)/.test(error.message);

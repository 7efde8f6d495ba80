import type { ScanRecordedMessage } from '@wms/contracts';

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export interface StationDevice {
  deviceId: string;
  kind: string;
  agentId: string;
  /** Sent by servers that know it; live `agent.presence` events keep it current either way. */
  agentPresence?: { state: string; at: string | null };
}

export interface Station {
  stationId: string;
  name: string;
  devices: StationDevice[];
}

/** An answer the server refused: `message` is written for the person at the screen. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What the server added (a gate refusal carries its reason in Chinese as `reasonZh`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'wms.token';
const USER_KEY = 'wms.user';

/** Kept in sessionStorage: closing the tab signs the shared station device out. */
export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  get user(): User | null {
    try {
      return JSON.parse(sessionStorage.getItem(USER_KEY) ?? 'null');
    } catch {
      return null;
    }
  },
  save(token: string, user: User) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
  },
};

let onSessionRejected: () => void = () => {};

/** Called when the server refuses our token (401 on a signed-in request): the app goes back to login. */
export function whenSessionRejected(handler: () => void): void {
  onSessionRejected = handler;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    // status 0: the request never reached the server (network down, server stopped).
    throw new ApiError(0, 'NETWORK', '');
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new ApiError(
      response.status,
      data.code ?? 'ERROR',
      data.message ?? response.statusText,
      data.details ?? {},
    );
    // A 401 on the login call is a wrong password, not an expired session.
    if (response.status === 401 && token) onSessionRejected();
    throw error;
  }
  return data as T;
}

export type FloorOperation = 'receive' | 'putaway' | 'pick' | 'stocktake' | 'load' | 'returns' | 'inspection';

/** The answer to one scan, as the server gives it (English, with the Chinese beside it). */
export interface ScanAnswer {
  scanId: string;
  operation: string;
  outcome: 'ok' | 'refused';
  message: string;
  next: string;
  zh?: { message: string; next: string };
  detail?: Record<string, unknown>;
}

export interface Warehouse {
  code: string;
  name: string;
  kind: string;
}

export const api = {
  login: (username: string, password: string) =>
    request<{ accessToken: string; user: User }>('POST', '/api/auth/login', { username, password }),
  stations: () => request<{ items: Station[] }>('GET', '/api/stations'),
  /** Newest first. `null` means every station the user may see. */
  latestScans: (stationId: string | null, limit = 50) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (stationId) query.set('stationId', stationId);
    return request<{ items: ScanRecordedMessage[] }>('GET', `/api/scans?${query}`);
  },
  warehouses: () => request<{ items: Warehouse[] }>('GET', '/api/master-data/warehouses'),
  deliveries: (warehouseCode: string) =>
    request<{ items: Array<{ deliveryNo: string; ownerCode: string; expectedUnits: number; countedUnits: number }> }>(
      'GET',
      `/api/floor/deliveries?warehouseCode=${encodeURIComponent(warehouseCode)}`,
    ),
  stocktakes: (warehouseCode: string) =>
    request<{ items: Array<{ stocktakeNo: string; locations: string[] }> }>(
      'GET',
      `/api/floor/stocktakes?warehouseCode=${encodeURIComponent(warehouseCode)}`,
    ),
  scan: (body: {
    scanId: string;
    operation: FloorOperation;
    warehouseCode: string;
    stationId: string;
    code: string;
    deliveryNo?: string;
    stocktakeNo?: string;
    tripNo?: string;
    condition?: 'good' | 'damaged';
  }) => request<ScanAnswer>('POST', '/api/floor/scans', body),
  trips: (warehouseCode: string) =>
    request<{ items: Array<{ tripNo: string; plate: string }> }>(
      'GET',
      `/api/floor/trips?warehouseCode=${encodeURIComponent(warehouseCode)}`,
    ),
  gatePass: (logisticsNo: string, readPoint: string) =>
    request<{ logisticsNo: string; gatePassNo: string }>('POST', '/api/gate/passes', { logisticsNo, readPoint }),
  pack: (logisticsNo: string, readPoint: string) =>
    request<{ logisticsNo: string }>('POST', `/api/parcels/${encodeURIComponent(logisticsNo)}/pack`, { readPoint }),
  weigh: (logisticsNo: string, stationId: string) =>
    request<{
      within: boolean;
      grossGrams: number;
      declaredGrams: number | null;
      expectedGrams: number | null;
      message: string;
      held: boolean;
    }>('POST', '/api/floor/weighings', { logisticsNo, stationId }),
  label: (logisticsNo: string, stationId: string, reprintReason?: string) =>
    request<{ sscc: string; jobId: string; status: string; reason: string | null; reprint: number }>(
      'POST',
      `/api/floor/parcels/${encodeURIComponent(logisticsNo)}/label`,
      { stationId, ...(reprintReason ? { reprint: { reason: reprintReason } } : {}) },
    ),
  parcel: (logisticsNo: string) =>
    request<{
      logisticsNo: string;
      orderNo: string;
      customsStatus: number | null;
      customsStatusInfo: string | null;
      requiredAction: string;
      hold: { reason: string } | null;
      packedAt: string | null;
      gatePassedAt: string | null;
      lines: Array<{ sku?: string; itemNo?: string; units: number; gname?: string }>;
    }>('GET', `/api/customs/parcels/${encodeURIComponent(logisticsNo)}`),
  board: (warehouseCode: string) =>
    request<{
      counts: Record<string, number>;
      holds: Array<{ logisticsNo: string; reason: string; by: string; at: string }>;
      refusedScans: Array<{
        scanId: string;
        operation: string;
        actor: string;
        stationId: string;
        code: string;
        message: string;
        at: string;
      }>;
    }>('GET', `/api/floor/board?warehouseCode=${encodeURIComponent(warehouseCode)}`),
};

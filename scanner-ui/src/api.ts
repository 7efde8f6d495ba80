import type {
  FloorOperation,
  NextPick,
  ReceivingReportLine,
  ScanAnswer,
  ScanRecordedMessage,
  ScanRequest,
  StationAnswer,
  StationModeInput,
  StationState,
} from '@wms/contracts';

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
const REFRESH_KEY = 'wms.refresh';
const EXPIRES_KEY = 'wms.expiresAt';

/** What the server answers to a sign-in and to a refresh. */
export interface SignedIn {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  user: User;
}

/** Kept in sessionStorage: closing the tab signs the shared station device out. */
export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  get refreshToken(): string | null {
    return sessionStorage.getItem(REFRESH_KEY);
  },
  /** When the access token runs out (epoch ms), or null when unknown. */
  get expiresAt(): number | null {
    const at = Date.parse(sessionStorage.getItem(EXPIRES_KEY) ?? '');
    return Number.isFinite(at) ? at : null;
  },
  get user(): User | null {
    try {
      return JSON.parse(sessionStorage.getItem(USER_KEY) ?? 'null');
    } catch {
      return null;
    }
  },
  save(signedIn: SignedIn) {
    sessionStorage.setItem(TOKEN_KEY, signedIn.accessToken);
    sessionStorage.setItem(REFRESH_KEY, signedIn.refreshToken);
    sessionStorage.setItem(EXPIRES_KEY, signedIn.expiresAt);
    sessionStorage.setItem(USER_KEY, JSON.stringify(signedIn.user));
    scheduleRenewal();
  },
  clear() {
    clearTimeout(renewalTimer);
    for (const key of [TOKEN_KEY, REFRESH_KEY, EXPIRES_KEY, USER_KEY]) sessionStorage.removeItem(key);
  },
};

/*
 * The access token lives minutes; a shift lasts hours. The page renews it with the refresh token
 * before it runs out (and once more if the server refuses it), and tells the live sockets.
 */
let renewalTimer: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<boolean> | null = null;
const renewalListeners = new Set<(token: string) => void>();

/** Called with the new access token after every renewal; returns the unsubscribe. */
export function onTokenRenewed(listener: (token: string) => void): () => void {
  renewalListeners.add(listener);
  return () => renewalListeners.delete(listener);
}

function scheduleRenewal(): void {
  clearTimeout(renewalTimer);
  const expiresAt = session.expiresAt;
  if (!expiresAt || !session.refreshToken) return;
  const left = expiresAt - Date.now();
  // a quarter of the lifetime before the end, at most a minute before
  const delay = Math.max(0, left - Math.min(60_000, Math.max(1000, left / 4)));
  renewalTimer = setTimeout(() => void renewSession(), delay);
}

/**
 * Renews the access token now (one renewal at a time). True when it worked; false when the
 * session is over (the app goes back to sign-in). Without network it tries again shortly.
 */
export function renewSession(): Promise<boolean> {
  renewing ??= (async () => {
    const refreshToken = session.refreshToken;
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
      if (response.status === 401 && session.token) onSessionRejected();
      return false;
    }
    session.save((await response.json()) as SignedIn);
    const token = session.token ?? '';
    for (const listener of renewalListeners) listener(token);
    return true;
  })().finally(() => {
    renewing = null;
  });
  return renewing;
}

if (session.token) scheduleRenewal();

let onSessionRejected: () => void = () => {};

/** Called when the server refuses our token (401 on a signed-in request): the app goes back to login. */
export function whenSessionRejected(handler: () => void): void {
  onSessionRejected = handler;
}

async function request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
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
  // An access token that ran out (a tab asleep past its renewal): renew once and send again.
  if (response.status === 401 && token && !retried && !path.startsWith('/api/auth/')) {
    if (await renewSession()) return request<T>(method, path, body, true);
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

/** The floor operations and the answer to one scan: the server's own schema (contracts). */
export type ReceivingLine = ReceivingReportLine;
export type { FloorOperation, NextPick, ScanAnswer, ScanRequest, StationAnswer, StationModeInput, StationState };

export interface Warehouse {
  code: string;
  name: string;
  kind: string;
}

export interface WaveTasks {
  waveNo: string;
  tasks: Array<{
    id: string;
    logisticsNo: string;
    sku: string;
    batch: string;
    location: string;
    qty: number;
    picked: number;
    status: 'open' | 'done' | 'short';
  }>;
}

export interface BatchDifference {
  sku: string;
  batch: string;
  expiry: string | null;
  qty: number;
  expectedBatches: string[];
}

export interface DeliveryDetail {
  deliveryNo: string;
  status: 'open' | 'held' | 'closed';
  progress: ReceivingReportLine[];
  differences: BatchDifference[];
  report: ReceivingReportLine[] | null;
}

export type DeliveryClosed = {
  deliveryNo: string;
  message: string;
  report: ReceivingReportLine[];
  differences: BatchDifference[];
} & ({ status: 'closed'; closedAt: string } | { status: 'held' });

export const api = {
  login: (username: string, password: string) => request<SignedIn>('POST', '/api/auth/login', { username, password }),
  /** Ends the session on the server too, so its tokens stop working at once. */
  logout: () => request<{ signedOut: true }>('POST', '/api/auth/logout', {}),
  stations: () => request<{ items: Station[] }>('GET', '/api/stations'),
  /** The station as the server holds it: its job, the parcel on its bench, its last answers. */
  stationJob: (stationId: string) =>
    request<StationState & { lastAnswers: StationAnswer[] }>(
      'GET',
      `/api/floor/stations/${encodeURIComponent(stationId)}`,
    ),
  setStationJob: (stationId: string, body: StationModeInput) =>
    request<StationState>('PUT', `/api/floor/stations/${encodeURIComponent(stationId)}/mode`, body),
  /** A code typed at the station: the server scans it for the station's job. */
  stationScan: (stationId: string, scanId: string, code: string) =>
    request<StationAnswer>('POST', `/api/floor/stations/${encodeURIComponent(stationId)}/scans`, { scanId, code }),
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
  delivery: (deliveryNo: string) =>
    request<DeliveryDetail>('GET', `/api/floor/deliveries/${encodeURIComponent(deliveryNo)}`),
  closeDelivery: (deliveryNo: string) =>
    request<DeliveryClosed>('POST', `/api/floor/deliveries/${encodeURIComponent(deliveryNo)}/close`, {}),
  waves: (warehouseCode: string) =>
    request<{ items: Array<{ waveNo: string; parcels: number; openTasks: number; unitsLeft: number }> }>(
      'GET',
      `/api/floor/waves?warehouseCode=${encodeURIComponent(warehouseCode)}&status=open`,
    ),
  wave: (waveNo: string) => request<WaveTasks>('GET', `/api/floor/waves/${encodeURIComponent(waveNo)}`),
  shortPick: (taskId: string, reason: string) =>
    request<{ taskId: string; missing: number; next: NextPick | null }>(
      'POST',
      `/api/floor/picks/${encodeURIComponent(taskId)}/short`,
      { reason },
    ),
  scan: (body: ScanRequest) => request<ScanAnswer>('POST', '/api/floor/scans', body),
  /** A new bag or pallet; with a station its label prints on that station's printer. */
  createUnit: (warehouseCode: string, kind: 'bag' | 'pallet', stationId?: string) =>
    request<{
      sscc: string;
      kind: 'bag' | 'pallet';
      label?: { jobId: string; status: string; reason: string | null; message: string; zh: { message: string } };
    }>('POST', '/api/floor/units', { warehouseCode, kind, ...(stationId ? { stationId } : {}) }),
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

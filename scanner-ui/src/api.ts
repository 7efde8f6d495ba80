import type { ScanRecordedMessage } from '@wms/contracts';

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export interface Station {
  stationId: string;
  name: string;
  devices: Array<{
    deviceId: string;
    kind: string;
    agentId: string;
    agentPresence: { state: string; at: string | null };
  }>;
}

/** An answer the server refused: `message` is written for the person at the screen. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'wms.token';
const USER_KEY = 'wms.user';

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  get user(): User | null {
    const raw = sessionStorage.getItem(USER_KEY);
    return raw ? JSON.parse(raw) : null;
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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.code ?? 'ERROR', data.message ?? response.statusText);
  return data as T;
}

export const api = {
  login: (username: string, password: string) =>
    request<{ accessToken: string; user: User }>('POST', '/api/auth/login', { username, password }),
  stations: () => request<{ items: Station[] }>('GET', '/api/stations'),
  latestScans: (stationId: string | null, limit = 50) =>
    request<{ items: ScanRecordedMessage[] }>(
      'GET',
      `/api/scans?limit=${limit}${stationId ? `&stationId=${encodeURIComponent(stationId)}` : ''}`,
    ),
};

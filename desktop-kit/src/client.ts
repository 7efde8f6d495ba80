/**
 * A desktop app's side of the server's API: sign-in, token renewal before expiry and after a 401,
 * signed-in requests, documents behind the token. Same flow as the handheld app
 * (scanner-ui/src/api.ts). One client per app, each with its own storage key, so a seller tab and a
 * customs tab in the same browser never share a session. The server decides; this only asks.
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

/**
 * A route this server does not have yet answers 404 without a row id in the path: the page shows
 * "not available yet" instead of an error. (A missing row answers 404 on a path with an id.)
 */
export const isRouteMissing = (error: unknown) =>
  error instanceof ApiError && error.status === 404 && /^Cannot (GET|POST|PUT|DELETE)/.test(error.message);

/** The server's words for a refusal (or the network's). */
export const messageOf = (e: unknown) => (e instanceof ApiError ? e.message || e.code : String(e));

/** A query string of the set parameters (`?a=1&b=x`, or nothing). */
export const qs = (params: Record<string, string | number | boolean | undefined | null>) => {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  const text = query.toString();
  return text ? `?${text}` : '';
};

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

export type ApiClient = ReturnType<typeof createClient>;

/** The client of one app; `storageKey` names its session in sessionStorage (closing the tab ends it). */
export function createClient(storageKey: string) {
  let renewalTimer: ReturnType<typeof setTimeout> | undefined;
  let renewing: Promise<boolean> | null = null;
  const renewalListeners = new Set<(token: string) => void>();
  let onSessionRejected: () => void = () => {};

  const session = {
    read(): SignedIn | null {
      try {
        return JSON.parse(sessionStorage.getItem(storageKey) ?? 'null');
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
      sessionStorage.setItem(storageKey, JSON.stringify(signedIn));
      scheduleRenewal();
    },
    clear() {
      clearTimeout(renewalTimer);
      sessionStorage.removeItem(storageKey);
    },
  };

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
  function renewSession(): Promise<boolean> {
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
      throw new ApiError(
        response.status,
        data.code ?? 'ERROR',
        data.message ?? response.statusText,
        data.details ?? {},
      );
    }
    return data as T;
  }

  /** A signed-in GET whose answer is a document (labels, exports): the body as it comes. */
  async function fetchDocument(path: string): Promise<Blob> {
    const send = () => fetch(path, { headers: { authorization: `Bearer ${session.token ?? ''}` } });
    let response = await send();
    if (response.status === 401 && (await renewSession())) response = await send();
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      throw new ApiError(
        response.status,
        data.code ?? 'ERROR',
        data.message ?? response.statusText,
        data.details ?? {},
      );
    }
    return response.blob();
  }

  /**
   * A picture behind the token (a photo, box labels) as a data URL: the pages' CSP allows images
   * from 'self' and data: only, and an <img> cannot send the token.
   */
  async function fetchDataUrl(path: string): Promise<string> {
    const blob = await fetchDocument(path);
    return new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }

  /** Downloads a signed-in document (an export) and hands it to the browser as a file to save. */
  async function saveDocument(path: string, fileName: string): Promise<void> {
    const blob = await fetchDocument(path);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }

  if (session.token) scheduleRenewal();

  return {
    session,
    request,
    renewSession,
    fetchDocument,
    fetchDataUrl,
    saveDocument,
    /** Called with the new access token after every renewal; returns the unsubscribe. */
    onTokenRenewed(listener: (token: string) => void): () => void {
      renewalListeners.add(listener);
      return () => renewalListeners.delete(listener);
    },
    /** Called when the server refuses our session (401 on a signed-in request): back to sign-in. */
    whenSessionRejected(handler: () => void): void {
      onSessionRejected = handler;
    },
    login: (username: string, password: string) => request<SignedIn>('POST', '/api/auth/login', { username, password }),
    logout: () => request<{ signedOut: true }>('POST', '/api/auth/logout', {}),
  };
}

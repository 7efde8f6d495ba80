import { ClientToServer, REALTIME_NAMESPACE, ServerToClient } from '@wms/contracts';
import { io, type Socket } from 'socket.io-client';
import type { ApiClient } from './client.js';

/** live: changes appear as they happen; reconnecting: a blip; offline: no network or no server. */
export type ConnectionState = 'live' | 'reconnecting' | 'offline';

interface ServerError {
  code?: string;
  message?: string;
}
const isSessionError = (code: string | undefined) => code?.startsWith('AUTH_') ?? false;

/**
 * One socket for a desktop app: the server puts the user's sockets in the rooms its roles allow
 * (a seller's own room, the customs room), so every event arriving here is for this user. The token
 * is read at every (re)connection and a renewed one is handed to the open socket, like the handheld
 * app (scanner-ui/src/live.ts).
 */
export class LiveConnection {
  private readonly socket: Socket;
  private closed = false;
  private renewedAfterRefusal = false;
  private readonly offRenewed: () => void;
  private downTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly handlers: {
      /** Socket event name -> what to do with its payload. */
      // biome-ignore lint/suspicious/noExplicitAny: each event's payload type is its handler's own
      events: Record<string, (payload: any) => void>;
      onState(state: ConnectionState): void;
      onSessionRejected(): void;
    },
  ) {
    this.socket = io(REALTIME_NAMESPACE, {
      auth: (send) => send({ token: client.session.token ?? '' }),
      transports: ['websocket'],
      reconnectionDelayMax: 5000,
    });
    this.offRenewed = client.onTokenRenewed((token) => {
      if (this.socket.connected) this.socket.emit(ClientToServer.renewSession, { token });
    });
    this.socket.on('connect', () => {
      this.renewedAfterRefusal = false;
      this.settle();
    });
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') setTimeout(() => this.closed || this.socket.connect(), 1000);
      this.settle();
    });
    this.socket.on('connect_error', (error: Error & { data?: ServerError }) => {
      if (isSessionError(error.data?.code)) {
        if (this.renewedAfterRefusal) return this.reject();
        this.renewedAfterRefusal = true;
        void client.renewSession().then(() => this.closed || this.socket.connect());
        return;
      }
      this.settle();
    });
    for (const [event, handle] of Object.entries(handlers.events)) this.socket.on(event, handle);
    this.socket.on(ServerToClient.error, (error: ServerError) => {
      if (error?.code === 'AUTH_TOKEN_EXPIRED')
        void client.renewSession().then(() => this.closed || this.socket.connect());
      else if (isSessionError(error?.code)) this.reject();
    });
    this.settle();
  }

  close(): void {
    this.closed = true;
    this.offRenewed();
    clearTimeout(this.downTimer);
    this.socket.close();
  }

  private reject(): void {
    if (this.closed) return;
    this.close();
    this.handlers.onSessionRejected();
  }

  private settle(): void {
    if (this.socket.connected) {
      clearTimeout(this.downTimer);
      this.downTimer = undefined;
      this.handlers.onState('live');
      return;
    }
    this.handlers.onState(navigator.onLine ? 'reconnecting' : 'offline');
    this.downTimer ??= setTimeout(() => {
      this.downTimer = undefined;
      if (!this.socket.connected && !this.closed) this.handlers.onState('offline');
    }, 10_000);
  }
}

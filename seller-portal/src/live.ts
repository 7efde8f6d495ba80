import { ClientToServer, REALTIME_NAMESPACE, type SellerChange, ServerToClient } from '@wms/contracts';
import { io, type Socket } from 'socket.io-client';
import { onTokenRenewed, renewSession, session } from './api.js';

/** live: changes appear as they happen; reconnecting: a blip; offline: no network or no server. */
export type ConnectionState = 'live' | 'reconnecting' | 'offline';

interface ServerError {
  code?: string;
  message?: string;
}
const isSessionError = (code: string | undefined) => code?.startsWith('AUTH_') ?? false;

/**
 * One socket for the portal: the server puts a seller's sockets in that seller's room only, so
 * every `seller.changed` arriving here is ours. The token is read at every (re)connection and a
 * renewed one is handed to the open socket, like the handheld app (scanner-ui/src/live.ts).
 */
export class LiveConnection {
  private readonly socket: Socket;
  private closed = false;
  private renewedAfterRefusal = false;
  private readonly offRenewed: () => void;
  private downTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly handlers: {
      onChange(change: SellerChange): void;
      onState(state: ConnectionState): void;
      onSessionRejected(): void;
    },
  ) {
    this.socket = io(REALTIME_NAMESPACE, {
      auth: (send) => send({ token: session.token ?? '' }),
      transports: ['websocket'],
      reconnectionDelayMax: 5000,
    });
    this.offRenewed = onTokenRenewed((token) => {
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
        void renewSession().then(() => this.closed || this.socket.connect());
        return;
      }
      this.settle();
    });
    this.socket.on(ServerToClient.sellerChanged, (change: SellerChange) => handlers.onChange(change));
    this.socket.on(ServerToClient.error, (error: ServerError) => {
      if (error?.code === 'AUTH_TOKEN_EXPIRED') void renewSession().then(() => this.closed || this.socket.connect());
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

import {
  type AgentPresenceMessage,
  ClientToServer,
  type DeviceStatusMessage,
  REALTIME_NAMESPACE,
  type ScanRecordedMessage,
  ServerToClient,
  type StationAnswer,
  type StationJobChanged,
  type WeightRecordedMessage,
} from '@wms/contracts';
import { io, type Socket } from 'socket.io-client';
import { onTokenRenewed, renewSession } from './api.js';

/**
 * What the floor needs to know about the live feed: `live` (scans appear as they happen),
 * `reconnecting` (a blip, or still connecting: we keep trying) and `offline` (no network, or the
 * server has been unreachable for a while: new scans will not show until this clears).
 */
export type ConnectionState = 'live' | 'reconnecting' | 'offline';

export interface LiveHandlers {
  onScan(scan: ScanRecordedMessage): void;
  onPresence(presence: AgentPresenceMessage): void;
  onState(state: ConnectionState): void;
  /** The server confirmed it is sending us this station's events (`*` = all). */
  onWatching(stationId: string): void;
  /** The server refused our token: the session is over. */
  onSessionRejected(): void;
  /** Any other refusal, with the server's words for the user. */
  onServerError(message: string): void;
  /** A stable weight from a watched station's scale. */
  onWeight?(weight: WeightRecordedMessage): void;
  /** A device of a watched station reported its state (paper out, head open, ok, ...). */
  onDeviceStatus?(status: DeviceStatusMessage): void;
  /** What the server decided about a scan or weight at a watched station. */
  onStationAnswered?(answer: StationAnswer): void;
  /** A watched station's job was set or changed. */
  onStationJobChanged?(job: StationJobChanged): void;
}

/** After this long without a connection, "reconnecting" becomes "offline". */
const OFFLINE_AFTER_MS = 10_000;
/** How long to wait for the server to confirm a watch before assuming it took. */
const WATCH_ACK_TIMEOUT_MS = 3_000;

interface ServerError {
  code?: string;
  message?: string;
}

const isSessionError = (code: string | undefined) => code?.startsWith('AUTH_') ?? false;
/** The server closes a socket when its token runs out: renew and connect again, the session goes on. */
const isExpiry = (code: string | undefined) => code === 'AUTH_TOKEN_EXPIRED';

/**
 * The live channel: one socket, watching one station (or all), re-watching after every reconnect.
 * Every (re)connection presents the current access token; a renewed token is handed to the open
 * socket so it is not closed at the old token's expiry.
 */
export class LiveConnection {
  private readonly socket: Socket;
  private stationId = '*';
  private closed = false;
  /** Set once the connection has been down for OFFLINE_AFTER_MS. */
  private downTooLong = false;
  private downTimer: ReturnType<typeof setTimeout> | undefined;
  private state: ConnectionState | undefined;
  /** Set while a renewal after an expiry or a refused token runs: the renewal reconnects. */
  private renewingAfter: 'expiry' | 'refusal' | null = null;
  /** A refused token is renewed once per connection; refused again, the session is over. */
  private renewedAfterRefusal = false;
  private readonly offRenewed: () => void;

  constructor(
    token: string | (() => string | null),
    private readonly handlers: LiveHandlers,
  ) {
    const currentToken = typeof token === 'function' ? token : () => token;
    this.socket = io(REALTIME_NAMESPACE, {
      auth: (send) => send({ token: currentToken() ?? '' }),
      transports: ['websocket'],
      reconnectionDelayMax: 5000,
    });
    this.offRenewed = onTokenRenewed((renewed) => {
      if (this.socket.connected) this.socket.emit(ClientToServer.renewSession, { token: renewed });
    });
    this.socket.on('connect', () => {
      this.renewedAfterRefusal = false;
      this.settleState();
      this.sendWatch(this.stationId);
    });
    this.socket.on('disconnect', (reason) => {
      // socket.io does not retry by itself after the server ends the session; a floor screen must.
      if (reason === 'io server disconnect' && !this.renewingAfter)
        setTimeout(() => this.closed || this.socket.connect(), 1000);
      this.settleState();
    });
    this.socket.on('connect_error', (error: Error & { data?: ServerError }) => {
      // The server checks the token before accepting the connection and says why it refused:
      // perhaps only run out (a tab asleep), so renew once before giving up.
      if (isSessionError(error.data?.code)) {
        if (this.renewedAfterRefusal) return this.rejectSession();
        this.renewedAfterRefusal = true;
        return this.renewThenConnect('refusal');
      }
      this.settleState();
    });
    this.socket.on(ServerToClient.scanRecorded, (scan: ScanRecordedMessage) => handlers.onScan(scan));
    this.socket.on(ServerToClient.agentPresence, (presence: AgentPresenceMessage) => handlers.onPresence(presence));
    this.socket.on(ServerToClient.weightRecorded, (weight: WeightRecordedMessage) => handlers.onWeight?.(weight));
    this.socket.on(ServerToClient.deviceStatus, (status: DeviceStatusMessage) => handlers.onDeviceStatus?.(status));
    this.socket.on(ServerToClient.stationAnswered, (answer: StationAnswer) => handlers.onStationAnswered?.(answer));
    this.socket.on(ServerToClient.stationJobChanged, (job: StationJobChanged) => handlers.onStationJobChanged?.(job));
    this.socket.on(ServerToClient.error, (error: ServerError) => {
      if (isExpiry(error?.code)) this.renewThenConnect('expiry');
      else if (isSessionError(error?.code)) this.rejectSession();
      else if (error?.message) handlers.onServerError(error.message);
    });
    window.addEventListener('online', this.onNetworkBack);
    window.addEventListener('offline', this.onNetworkLost);
    this.settleState();
  }

  /** Watch one station, or every station with `null`. */
  watch(stationId: string | null): void {
    const next = stationId ?? '*';
    if (next === this.stationId) return;
    if (this.socket.connected) this.socket.emit(ClientToServer.unwatchStation, { stationId: this.stationId });
    this.stationId = next;
    // While disconnected, the next `connect` sends the watch.
    if (this.socket.connected) this.sendWatch(next);
  }

  close(): void {
    this.closed = true;
    this.offRenewed();
    clearTimeout(this.downTimer);
    window.removeEventListener('online', this.onNetworkBack);
    window.removeEventListener('offline', this.onNetworkLost);
    this.socket.close();
    this.settleState();
  }

  private sendWatch(stationId: string): void {
    this.socket
      .timeout(WATCH_ACK_TIMEOUT_MS)
      .emit(
        ClientToServer.watchStation,
        { stationId },
        (timedOut: Error | null, reply?: ServerError & { ok?: boolean }) => {
          if (stationId !== this.stationId || this.closed) return; // another station was picked since
          if (!timedOut && reply?.ok === false) {
            if (isSessionError(reply.code)) this.rejectSession();
            else this.handlers.onServerError(reply.message ?? reply.code ?? '');
            return;
          }
          // No answer in time: the watch went out on a live socket, so assume the server has it.
          this.handlers.onWatching(stationId);
        },
      );
  }

  private readonly onNetworkLost = () => this.settleState();

  /** Back on the network: retry now rather than at the end of the back-off. */
  private readonly onNetworkBack = () => {
    if (this.closed || this.socket.connected) return;
    this.downTooLong = false;
    clearTimeout(this.downTimer);
    this.downTimer = undefined;
    this.socket.disconnect().connect();
    this.settleState();
  };

  private renewThenConnect(after: 'expiry' | 'refusal'): void {
    if (this.renewingAfter || this.closed) return;
    this.renewingAfter = after;
    void renewSession().then(() => {
      this.renewingAfter = null;
      // A session that is over has already taken the app back to sign-in (and closed this socket);
      // otherwise connect with whatever token there is now (without network, socket.io retries).
      if (!this.closed) this.socket.connect();
    });
  }

  private rejectSession(): void {
    if (this.closed) return;
    this.close();
    this.handlers.onSessionRejected();
  }

  private settleState(): void {
    const connected = this.socket.connected;
    if (connected || this.closed) {
      clearTimeout(this.downTimer);
      this.downTimer = undefined;
      this.downTooLong = false;
    } else if (this.downTimer === undefined && !this.downTooLong) {
      this.downTimer = setTimeout(() => {
        this.downTimer = undefined;
        this.downTooLong = true;
        this.settleState();
      }, OFFLINE_AFTER_MS);
    }
    let next: ConnectionState = 'reconnecting';
    if (connected) next = 'live';
    else if (this.closed || !navigator.onLine || this.downTooLong) next = 'offline';
    if (next !== this.state) {
      this.state = next;
      this.handlers.onState(next);
    }
  }
}

import {
  type AgentPresenceMessage,
  ClientToServer,
  REALTIME_NAMESPACE,
  type ScanRecordedMessage,
  ServerToClient,
} from '@wms/contracts';
import { io, type Socket } from 'socket.io-client';

export type ConnectionState = 'live' | 'reconnecting' | 'offline';

export interface LiveHandlers {
  onScan(scan: ScanRecordedMessage): void;
  onPresence(presence: AgentPresenceMessage): void;
  onState(state: ConnectionState): void;
  onAuthError(): void;
}

/** The live channel: one socket, re-watching its station after every reconnect. */
export class LiveConnection {
  private readonly socket: Socket;
  private stationId = '*';

  constructor(token: string, handlers: LiveHandlers) {
    this.socket = io(REALTIME_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5000 });
    this.socket.on('connect', () => {
      handlers.onState('live');
      this.socket.emit(ClientToServer.watchStation, { stationId: this.stationId });
    });
    this.socket.on('disconnect', () => handlers.onState(this.socket.active ? 'reconnecting' : 'offline'));
    this.socket.io.on('reconnect_attempt', () => handlers.onState('reconnecting'));
    this.socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      if (error.data?.code === 'AUTH_TOKEN_INVALID') {
        this.socket.close();
        handlers.onAuthError();
        return;
      }
      handlers.onState(this.socket.active ? 'reconnecting' : 'offline');
    });
    this.socket.on(ServerToClient.scanRecorded, handlers.onScan);
    this.socket.on(ServerToClient.agentPresence, handlers.onPresence);
    this.socket.on(ServerToClient.error, (error: { code: string }) => {
      if (error.code === 'AUTH_TOKEN_INVALID') handlers.onAuthError();
    });
  }

  watch(stationId: string | null): void {
    const next = stationId ?? '*';
    if (next === this.stationId) return;
    this.socket.emit(ClientToServer.unwatchStation, { stationId: this.stationId });
    this.stationId = next;
    this.socket.emit(ClientToServer.watchStation, { stationId: next });
  }

  close(): void {
    this.socket.close();
  }
}

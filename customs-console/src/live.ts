import { type CustomsChange, ServerToClient } from '@wms/contracts';
import { type ConnectionState, LiveConnection } from '@wms/desktop-kit';
import { client } from './api.js';

/** The console's socket: the server puts customs officers' sockets in the customs room, which hears `customs.changed`. */
export function customsLive(handlers: {
  onChange(change: CustomsChange): void;
  onState(state: ConnectionState): void;
  onSessionRejected(): void;
}): LiveConnection {
  return new LiveConnection(client, {
    events: { [ServerToClient.customsChanged]: handlers.onChange },
    onState: handlers.onState,
    onSessionRejected: handlers.onSessionRejected,
  });
}

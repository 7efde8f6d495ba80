import { type SellerChange, ServerToClient } from '@wms/contracts';
import { type ConnectionState, LiveConnection } from '@wms/desktop-kit';
import { client } from './api.js';

export type { ConnectionState };

/**
 * The portal's socket: the server puts a seller's sockets in that seller's room only, so every
 * `seller.changed` arriving here is ours (the kit's LiveConnection does the token and reconnects).
 */
export function sellerLive(handlers: {
  onChange(change: SellerChange): void;
  onState(state: ConnectionState): void;
  onSessionRejected(): void;
}): LiveConnection {
  return new LiveConnection(client, {
    events: { [ServerToClient.sellerChanged]: handlers.onChange },
    onState: handlers.onState,
    onSessionRejected: handlers.onSessionRejected,
  });
}

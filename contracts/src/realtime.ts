import { z } from 'zod';
import { entityId } from './edge-events.js';

/** socket.io namespace used by the scanner UI. */
export const REALTIME_NAMESPACE = '/live';

/** server -> client events */
export const ServerToClient = {
  scanRecorded: 'scan.recorded',
  weightRecorded: 'weight.recorded',
  deviceStatus: 'device.status',
  agentPresence: 'agent.presence',
  /** A parcel's customs status, hold or gate pass changed (to the centre's own people, never sellers). */
  parcelCustomsStatus: 'parcel.customsStatus',
  parcelHold: 'parcel.hold',
  parcelGatePassed: 'parcel.gatePassed',
  /** A trade-document import job advanced (same audience). */
  importProgress: 'import.progress',
  /** What the server decided about a scan or weight at the station (a `StationAnswer`). */
  stationAnswered: 'station.answered',
  /** The station's job was set or changed (a `StationJobChanged`). */
  stationJobChanged: 'station.jobChanged',
  /** A seller's shipment, order, return, stock, alert or import changed (a `SellerChange`, to that seller only). */
  sellerChanged: 'seller.changed',
  /** Something the customs console shows changed (a `CustomsChange`, to customs and supervisor sockets only). */
  customsChanged: 'customs.changed',
  error: 'error.message',
} as const;

/** client -> server events */
export const ClientToServer = {
  /** Subscribe to one station's live events (or `*` for every station the user may see). */
  watchStation: 'station.watch',
  unwatchStation: 'station.unwatch',
  /** Hand the socket the renewed access token before the old one runs out (the socket closes at expiry). */
  renewSession: 'session.renew',
} as const;

export const renewSessionSchema = z.strictObject({ token: z.string().min(10).max(4000) });

export const watchStationSchema = z.strictObject({ stationId: z.union([entityId, z.literal('*')]) });

/** A scan as stored: the live socket's `scan.recorded` event and the items of `GET /api/scans`. */
export const scanRecordedMessage = z.object({
  eventId: z.uuid(),
  agentId: z.string().meta({ example: 'agent-01' }),
  deviceId: z.string().meta({ example: 'ST01-SCANNER' }),
  stationId: z.string().meta({ example: 'ST01' }),
  seq: z.number().int().describe("The agent's sequence number of the event"),
  code: z.string().meta({ example: '0690000000003' }),
  symbology: z.string().nullable().meta({ example: 'ean13' }),
  occurredAt: z.iso.datetime().describe('When the scanner read it (agent clock)'),
  recordedAt: z.iso.datetime().describe('When the server stored it'),
});
export type ScanRecordedMessage = z.infer<typeof scanRecordedMessage>;

export interface WeightRecordedMessage {
  eventId: string;
  agentId: string;
  deviceId: string;
  stationId: string;
  seq: number;
  grossGrams: number;
  tareGrams: number;
  netGrams: number;
  protocol: string;
  occurredAt: string;
  recordedAt: string;
}

/** A probe's temperature reading was stored (DOMAIN.md §8): tenths of a degree Celsius. */
export interface TemperatureRecordedMessage {
  eventId: string;
  agentId: string;
  deviceId: string;
  stationId: string;
  seq: number;
  deciCelsius: number;
  humidityDeciPct: number | null;
  protocol: string;
  occurredAt: string;
  recordedAt: string;
}

export interface DeviceStatusMessage {
  eventId: string;
  agentId: string;
  deviceId: string;
  stationId: string;
  seq: number;
  status: string;
  detail: string | null;
  occurredAt: string;
  recordedAt: string;
}

export interface AgentPresenceMessage {
  agentId: string;
  state: 'online' | 'offline';
  at: string;
  backlog?: number;
}

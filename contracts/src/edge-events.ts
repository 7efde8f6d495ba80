import { z } from 'zod';
import { int32, safeCounter, safeText } from './safe-values.js';

/** Ids of agents, devices and stations: short, printable, safe in an MQTT topic level. */
export const entityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits and _ . : - (no spaces, no / + #)');

/** A frame's raw bytes as base64: a 4096-character read in 4-byte UTF-8, with room to spare. */
const MAX_RAW_BASE64 = 32_768;

/**
 * What a scanner can mean: safe text without control characters, except GS (0x1D, FNC1 in GS1
 * data). A NUL or 0xFF in a read is line noise, not a code.
 */
export const scannedCode = safeText(4096, 1).superRefine((value, ctx) => {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x1d) || c === 0x7f) {
      const hex = c.toString(16).padStart(2, '0');
      ctx.addIssue({
        code: 'custom',
        message: `control character 0x${hex} at ${i}: a scanner sends none except GS (0x1D)`,
      });
      return;
    }
  }
});

const eventBase = {
  /** Unique per event, chosen by the agent when the event enters its outbox. The server's unique key. */
  eventId: z.uuid(),
  agentId: entityId,
  deviceId: entityId,
  stationId: entityId,
  /** Per-device sequence number, strictly increasing in outbox order. */
  seq: safeCounter,
  /** When the device produced it (agent clock, ISO 8601 with offset). */
  occurredAt: z.iso.datetime({ offset: true }),
};

/** One read from a barcode scanner: the bytes as received and what they decode to. */
export const scanEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('scan'),
  /** The frame exactly as it came off the wire (without the line terminator), base64. */
  raw: z.base64().max(MAX_RAW_BASE64),
  /** The decoded data, AIM prefix removed, GS (FNC1) kept as \u001d. */
  code: scannedCode,
  /** AIM symbology identifier (e.g. `]C1`) when the scanner sends one. */
  symbology: safeText(3).nullable(),
});
export type ScanEvent = z.infer<typeof scanEventSchema>;

/**
 * A stable weight from a scale (DOMAIN.md §9: only a stable reading is a weight). Integer grams.
 * Reported once per placement: the same load staying on the scale is not weighed again.
 */
export const weightEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('weight'),
  grossGrams: int32,
  tareGrams: int32.nonnegative(),
  netGrams: int32,
  /** The reply or frame the weight came from, base64. */
  raw: z.base64().max(MAX_RAW_BASE64),
  protocol: z.enum(['mt-sics', 'toledo-continuous', 'toledo-8217']),
});
export type WeightEvent = z.infer<typeof weightEventSchema>;

/**
 * A cold-chain temperature reading (DOMAIN.md §8), in tenths of a degree Celsius as the probe
 * gives it (-4.5 °C is -45), with the relative humidity in tenths of a percent when the probe has
 * one. Sent when it moved or at the logger's heartbeat, never per poll.
 */
export const temperatureEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('temperature'),
  deciCelsius: z.number().int().min(-2000).max(2000),
  humidityDeciPct: z.number().int().min(0).max(1000).nullable(),
  /** The reply frame the reading came from, base64. */
  raw: z.base64().max(MAX_RAW_BASE64),
  protocol: z.enum(['modbus-rtu']),
});
export type TemperatureEvent = z.infer<typeof temperatureEventSchema>;

/** A device's state changed: scale in motion / overloaded / not answering, printer paper out, … */
export const deviceStatusEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('device-status'),
  status: z.enum([
    'ok',
    'motion',
    'overload',
    'underload',
    'no-reply',
    'checksum-error',
    'garbled',
    'paper-out',
    'head-open',
    'ribbon-out',
    'paused',
    'fault',
  ]),
  detail: safeText(500).optional(),
});
export type DeviceStatusEvent = z.infer<typeof deviceStatusEventSchema>;

export const edgeEventSchema = z.discriminatedUnion('type', [
  scanEventSchema,
  weightEventSchema,
  temperatureEventSchema,
  deviceStatusEventSchema,
]);
export type EdgeEvent = z.infer<typeof edgeEventSchema>;
export type EdgeEventType = EdgeEvent['type'];

/** Largest agent message the server reads; a bigger one is refused (with its record) unparsed. */
export const MAX_AGENT_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Most events the server takes in one MQTT message; the agent never sends more. */
export const MAX_EVENTS_PER_BATCH = 2000;

/**
 * What an agent publishes on `agentEvents`. Events are checked one by one so that one bad event
 * is rejected on its own and never holds back the good ones around it.
 */
export const eventBatchSchema = z.strictObject({
  agentId: entityId,
  sentAt: z.iso.datetime({ offset: true }),
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
});
export type EventBatch = z.infer<typeof eventBatchSchema>;

export const rejectionSchema = z.strictObject({
  eventId: z.string(),
  code: z.string(),
  message: z.string(),
});
export type EventRejection = z.infer<typeof rejectionSchema>;

/**
 * The server's answer on `agentAcks`, sent only after the database transaction committed.
 * `committed` includes events the server already had (a resend): they are safe to forget too.
 * `rejected` events were stored server-side as rejected with the reason; the agent keeps them
 * aside in its own dead-letter table, so nothing is lost on either side.
 */
export const ackSchema = z.strictObject({
  committed: z.array(z.string()),
  rejected: z.array(rejectionSchema),
  /** Set when the whole MQTT message could not be read (not JSON, wrong shape). */
  error: z.string().optional(),
});
export type Ack = z.infer<typeof ackSchema>;

export const presenceSchema = z.strictObject({
  state: z.enum(['online', 'offline']),
  at: z.iso.datetime({ offset: true }),
  /** Events still waiting in the agent's outbox (agent presence only). */
  backlog: z.number().int().nonnegative().optional(),
});
export type Presence = z.infer<typeof presenceSchema>;

/** The server's retained presence on `serverPresence`. `connectionId` changes at every (re)connect. */
export const serverPresenceSchema = z.strictObject({
  state: z.enum(['online', 'offline']),
  at: z.iso.datetime({ offset: true }),
  connectionId: z.string().max(100),
});
export type ServerPresence = z.infer<typeof serverPresenceSchema>;

export const devicePresenceSchema = z.strictObject({
  state: z.enum(['connected', 'disconnected', 'error']),
  at: z.iso.datetime({ offset: true }),
  detail: z.string().optional(),
});
export type DevicePresence = z.infer<typeof devicePresenceSchema>;

/** What a handheld publishes for one read. `scanId` is unique per handheld: a resend of the same read is one scan. */
export const handheldScanSchema = z.strictObject({
  scanId: safeText(64, 1),
  code: scannedCode,
  symbology: z
    .string()
    .regex(/^\][A-Za-z][0-9A-Za-z]$/)
    .nullable()
    .optional(),
  scannedAt: z.iso.datetime({ offset: true }).optional(),
});
export type HandheldScan = z.infer<typeof handheldScanSchema>;

export const handheldAckSchema = z.strictObject({
  scanId: z.string().nullable(),
  status: z.enum(['queued', 'duplicate', 'refused']),
  reason: z.string().optional(),
  seq: z.number().int().optional(),
});
export type HandheldAck = z.infer<typeof handheldAckSchema>;

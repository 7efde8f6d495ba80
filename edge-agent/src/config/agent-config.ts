import { readFileSync } from 'node:fs';
import { entityId } from '@wms/contracts';
import { z } from 'zod';

const serialPort = z.strictObject({
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
});

const scannerDevice = z.strictObject({
  kind: z.literal('scanner'),
  deviceId: entityId,
  stationId: entityId,
  transport: z.literal('serial').default('serial'),
  serial: serialPort,
  /** The same code read again at this station within this window is one scan (scanners repeat; staff double-scan). 0 = off. */
  duplicateWindowMs: z.number().int().min(0).max(60_000).default(0),
  maxLineLength: z.number().int().min(16).max(65_536).default(4096),
});

const scaleDevice = z.strictObject({
  kind: z.literal('scale'),
  deviceId: entityId,
  stationId: entityId,
  protocol: z.enum(['mt-sics', 'toledo-continuous']),
  serial: serialPort,
  /** MT-SICS: how often the weight is asked for (`SI`). */
  pollIntervalMs: z.number().int().min(50).max(10_000).default(250),
  /** No answer (MT-SICS) or no frame (continuous) for this long: the scale counts as not answering. */
  replyTimeoutMs: z.number().int().min(100).max(30_000).default(1000),
  /** Toledo continuous output usually carries a checksum byte after CR; some indicators are set without. */
  checksum: z.boolean().default(true),
  emptyBelowGrams: z.number().int().min(0).default(20),
  resolutionGrams: z.number().int().min(0).default(10),
});

const printerDevice = z.strictObject({
  kind: z.literal('printer'),
  deviceId: entityId,
  stationId: entityId,
  /** `tcp://host:9100` for a network printer, or a serial port. */
  serial: serialPort,
  /** How often `~HS` is asked; a printer that does not answer within `replyTimeoutMs` is faulted. */
  statusIntervalMs: z.number().int().min(500).max(600_000).default(5000),
  replyTimeoutMs: z.number().int().min(100).max(30_000).default(2000),
});

/**
 * A cold-chain temperature (and humidity) probe on RS-485, Modbus RTU (DOMAIN.md §8). The common
 * SHT20-type transmitters answer function 04 with temperature in register 1 and humidity in
 * register 2, both signed tenths; other models differ, hence the register settings.
 */
const sensorDevice = z.strictObject({
  kind: z.literal('sensor'),
  deviceId: entityId,
  stationId: entityId,
  protocol: z.literal('modbus-rtu').default('modbus-rtu'),
  serial: serialPort,
  slaveAddress: z.number().int().min(1).max(247).default(1),
  functionCode: z.union([z.literal(3), z.literal(4)]).default(4),
  temperatureRegister: z.number().int().min(0).max(65_535).default(1),
  /** null: the probe measures temperature only. */
  humidityRegister: z.number().int().min(0).max(65_535).nullable().default(2),
  pollIntervalMs: z.number().int().min(100).max(600_000).default(5000),
  replyTimeoutMs: z.number().int().min(50).max(30_000).default(1000),
  /** A change of at least this many tenths of a degree is reported at once. */
  deltaDeciC: z.number().int().min(0).max(1000).default(5),
  /** A reading is reported at least this often (the cold-chain log's heartbeat). */
  reportIntervalMs: z.number().int().min(100).max(3_600_000).default(60_000),
});

const handheldDevice = z.strictObject({
  kind: z.literal('handheld'),
  deviceId: entityId,
  stationId: entityId,
  duplicateWindowMs: z.number().int().min(0).max(60_000).default(0),
});

/** One schema for every setting, with defaults; environment variables override the file (see README). */
export const agentConfigSchema = z.strictObject({
  agentId: entityId,
  /** MQTT password of this agent (its credential); the server stores only a hash. */
  secret: z.string().min(1).optional(),
  mqttUrl: z.string().regex(/^(mqtts?|wss?|tcp):\/\//, 'must be an mqtt:// URL'),
  /** MQTT protocol: 5 for Mosquitto, 4 (3.1.1) for the embedded broker. */
  mqttProtocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
  outboxPath: z.string().min(1),
  /** Most events in one message to the server. */
  batchSize: z.number().int().min(1).max(2000).default(1000),
  /** Resend a batch the server has not acknowledged within this time. */
  ackTimeoutMs: z.number().int().min(100).max(600_000).default(5000),
  /** Serial ports are reopened after unplug with backoff up to this. */
  reconnectMaxMs: z.number().int().min(100).max(60_000).default(5000),
  devices: z
    .array(z.discriminatedUnion('kind', [scannerDevice, scaleDevice, printerDevice, sensorDevice, handheldDevice]))
    .default([]),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type ScannerDeviceConfig = z.infer<typeof scannerDevice>;
export type ScaleDeviceConfig = z.infer<typeof scaleDevice>;
export type PrinterDeviceConfig = z.infer<typeof printerDevice>;
export type SensorDeviceConfig = z.infer<typeof sensorDevice>;
export type HandheldDeviceConfig = z.infer<typeof handheldDevice>;

export class AgentConfigError extends Error {
  constructor(source: string, problems: string[]) {
    super(`Agent configuration (${source}) is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AgentConfigError';
  }
}

/**
 * Reads the JSON file at `path` (if given), then applies overrides from the environment:
 * AGENT_ID, AGENT_SECRET, MQTT_URL, MQTT_PROTOCOL_VERSION, OUTBOX_PATH.
 */
export function loadAgentConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let fromFile: Record<string, unknown> = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new AgentConfigError(path, [`cannot read the file: ${(error as Error).message}`]);
    }
    try {
      fromFile = JSON.parse(text);
    } catch (error) {
      throw new AgentConfigError(path, [`not valid JSON: ${(error as Error).message}`]);
    }
  }
  const merged: Record<string, unknown> = { ...fromFile };
  if (env.AGENT_ID) merged.agentId = env.AGENT_ID;
  if (env.AGENT_SECRET) merged.secret = env.AGENT_SECRET;
  if (env.MQTT_URL) merged.mqttUrl = env.MQTT_URL;
  if (env.MQTT_PROTOCOL_VERSION) merged.mqttProtocolVersion = Number(env.MQTT_PROTOCOL_VERSION);
  if (env.OUTBOX_PATH) merged.outboxPath = env.OUTBOX_PATH;
  const parsed = agentConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new AgentConfigError(
      path ?? 'environment',
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

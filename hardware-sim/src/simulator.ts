import { createServer, type Server, type Socket } from 'node:net';
import { entityId } from '@wms/contracts';
import { z } from 'zod';
import { type CustomsDesk, startControlServer } from './control/control-server.js';
import { MqttHandheld } from './devices/mqtt-handheld.emulator.js';
import { MtSicsScaleEmulator, ScaleModel, ToledoContinuousEmulator } from './devices/scale.emulator.js';
import { encodeScan, type ScanOptions, splitEveryByte } from './devices/scanner.emulator.js';
import { ColdRoomModel, ModbusTemperatureSlave } from './devices/temperature-sensor.emulator.js';
import { ZplPrinterEmulator } from './devices/zpl-printer.emulator.js';
import { openVirtualSerial, type VirtualSerial } from './pty/virtual-serial.js';

const scannerConfig = z.strictObject({
  kind: z.literal('scanner'),
  deviceId: entityId,
  /** Stable symlink paths for the agent side and the injection side of the pty pair. */
  agentLink: z.string().optional(),
  injectLink: z.string().optional(),
  /** Also offer the scanner as a serial device server in raw TCP mode (for containers). */
  tcpPort: z.number().int().min(0).max(65535).optional(),
  tcpHost: z.string().default('0.0.0.0'),
});

const scaleConfig = z.strictObject({
  kind: z.literal('scale'),
  deviceId: entityId,
  protocol: z.enum(['mt-sics', 'toledo-continuous']),
  agentLink: z.string().optional(),
  injectLink: z.string().optional(),
  tcpPort: z.number().int().min(0).max(65535).optional(),
  tcpHost: z.string().default('0.0.0.0'),
  /** Continuous output: one frame every this many ms. */
  frameIntervalMs: z.number().int().min(10).max(5000).default(200),
});

const printerConfig = z.strictObject({
  kind: z.literal('printer'),
  deviceId: entityId,
  /** Raw TCP like a network printer's port 9100 (0 = any free port). */
  tcpPort: z.number().int().min(0).max(65535).default(9100),
  tcpHost: z.string().default('0.0.0.0'),
  /** A serial printer instead or as well: pty links. */
  agentLink: z.string().optional(),
  injectLink: z.string().optional(),
});

/** A cold-room temperature probe (Modbus RTU slave) with scripted excursions (DOMAIN.md §8). */
const sensorConfig = z.strictObject({
  kind: z.literal('sensor'),
  deviceId: entityId,
  agentLink: z.string().optional(),
  injectLink: z.string().optional(),
  tcpPort: z.number().int().min(0).max(65535).optional(),
  tcpHost: z.string().default('0.0.0.0'),
  slaveAddress: z.number().int().min(1).max(247).default(1),
  /** The room's set point, °C. */
  celsius: z.number().min(-60).max(60).default(4),
  humidityPct: z.number().min(0).max(100).default(65),
  /** Excursions from the start of the simulator: a door left open, a compressor failing. */
  excursions: z
    .array(
      z.strictObject({
        afterMs: z.number().int().min(0),
        celsius: z.number().min(-60).max(60),
        forMs: z.number().int().min(1),
      }),
    )
    .default([]),
});

const handheldConfig = z.strictObject({
  kind: z.literal('handheld'),
  deviceId: entityId,
  agentId: entityId,
  mqttUrl: z.string().regex(/^(mqtts?|tcp):\/\//),
  /** The handheld's own login (default `handheld/<deviceId>`) and secret, never its agent's. */
  username: z.string().optional(),
  password: z.string().optional(),
  protocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
});

export const simulatorConfigSchema = z.strictObject({
  controlPort: z.number().int().min(0).max(65535).default(4010),
  controlHost: z.string().default('127.0.0.1'),
  stations: z
    .array(
      z.strictObject({
        stationId: entityId,
        devices: z
          .array(
            z.discriminatedUnion('kind', [scannerConfig, scaleConfig, printerConfig, sensorConfig, handheldConfig]),
          )
          .min(1),
      }),
    )
    .min(1),
});
export type SimulatorConfig = z.input<typeof simulatorConfigSchema>;

export interface SimScanner {
  kind: 'scanner';
  stationId: string;
  deviceId: string;
  /** /dev/pts/N the agent opens, and the stable link to it when configured. */
  agentPath: string;
  injectPath: string;
  agentLink?: string;
  injectLink?: string;
  tcpPort?: number;
  plugged: boolean;
  scan(code: string, options?: ScanOptions & { splitEveryByte?: boolean; delayMs?: number }): Promise<void>;
  sendRaw(bytes: Uint8Array, options?: { splitEveryByte?: boolean; delayMs?: number }): Promise<void>;
  unplug(): Promise<void>;
  replug(): Promise<void>;
}

export interface SimScale {
  kind: 'scale';
  stationId: string;
  deviceId: string;
  protocol: 'mt-sics' | 'toledo-continuous';
  agentPath: string;
  injectPath: string;
  agentLink?: string;
  injectLink?: string;
  tcpPort?: number;
  plugged: boolean;
  /** Puts a load on the platform; it moves for `settleMs`, then is stable. */
  place(grams: number, settleMs?: number): void;
  remove(): void;
  fault(kind: 'overload' | 'underload' | 'silent' | 'bad-checksum' | 'clear'): void;
  sendRaw(bytes: Uint8Array): Promise<void>;
  unplug(): Promise<void>;
  replug(): Promise<void>;
}

export interface SimPrinter {
  kind: 'printer';
  stationId: string;
  deviceId: string;
  tcpPort: number;
  agentPath: string;
  injectPath: string;
  agentLink?: string;
  injectLink?: string;
  plugged: boolean;
  emulator: ZplPrinterEmulator;
}

export interface SimSensor {
  kind: 'sensor';
  stationId: string;
  deviceId: string;
  agentPath: string;
  injectPath: string;
  agentLink?: string;
  injectLink?: string;
  tcpPort?: number;
  plugged: boolean;
  /** The room's temperature now, °C. */
  celsius(): number;
  /** A new set point (ends any excursion). */
  set(celsius: number): void;
  /** The room goes to `celsius` (after `afterMs`) for `forMs`, then back to the set point. */
  excursion(celsius: number, forMs: number, afterMs?: number): void;
  fault(kind: 'silent' | 'bad-crc' | 'probe-open' | 'clear'): void;
  unplug(): Promise<void>;
  replug(): Promise<void>;
}

export interface Simulator {
  controlUrl: string;
  sensors: Map<string, SimSensor>;
  scanners: Map<string, SimScanner>;
  scales: Map<string, SimScale>;
  printers: Map<string, SimPrinter>;
  handhelds: Map<string, MqttHandheld>;
  stop(): Promise<void>;
}

export class SimulatorConfigError extends Error {}

/** Starts every configured device emulator and the control API (with `customs`, its inspection decisions too). */
export async function startSimulator(
  input: SimulatorConfig,
  extras: { customs?: CustomsDesk } = {},
): Promise<Simulator> {
  const parsed = simulatorConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new SimulatorConfigError(
      `simulator configuration is not valid:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const config = parsed.data;
  const scanners = new Map<string, SimScanner>();
  const scales = new Map<string, SimScale>();
  const printers = new Map<string, SimPrinter>();
  const handhelds = new Map<string, MqttHandheld>();
  const sensors = new Map<string, SimSensor>();
  const closers: Array<() => Promise<void>> = [];
  try {
    for (const station of config.stations) {
      for (const device of station.devices) {
        if (device.kind === 'scanner') {
          const scanner = await startScanner(station.stationId, device);
          scanners.set(station.stationId, scanner.scanner);
          closers.push(scanner.close);
        } else if (device.kind === 'scale') {
          const scale = await startScale(station.stationId, device);
          scales.set(station.stationId, scale.scale);
          closers.push(scale.close);
        } else if (device.kind === 'sensor') {
          const sensor = await startSensor(station.stationId, device);
          sensors.set(station.stationId, sensor.sensor);
          closers.push(sensor.close);
        } else if (device.kind === 'handheld') {
          const handheld = new MqttHandheld(device);
          await handheld.connect();
          handhelds.set(station.stationId, handheld);
          closers.push(() => handheld.close());
        } else {
          const printer = await startPrinter(station.stationId, device);
          printers.set(station.stationId, printer.printer);
          closers.push(printer.close);
        }
      }
    }
    const control = await startControlServer({
      port: config.controlPort,
      host: config.controlHost,
      scanners,
      scales,
      printers,
      handhelds,
      sensors,
      customs: extras.customs,
    });
    closers.push(control.close);
    return {
      controlUrl: control.url,
      sensors,
      scanners,
      scales,
      printers,
      handhelds,
      async stop() {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

/**
 * The wire of one serial device: the pty pair, and optionally a raw-TCP listener carrying the same
 * bytes (a serial device server). `onData` gets what the agent writes, from either side.
 */
async function openWire(
  device: { deviceId: string; agentLink?: string; injectLink?: string; tcpPort?: number; tcpHost: string },
  onTcpDisconnect?: () => void,
) {
  const serial: VirtualSerial = await openVirtualSerial({
    name: device.deviceId,
    agentLink: device.agentLink,
    injectLink: device.injectLink,
  });
  const clients = new Set<Socket>();
  const listeners = new Set<(chunk: Buffer) => void>();
  serial.onData((chunk) => {
    for (const l of listeners) l(chunk);
  });
  let tcp: Server | null = null;
  let tcpPort: number | undefined;
  if (device.tcpPort !== undefined) {
    tcp = createServer((socket) => {
      clients.add(socket);
      socket.on('data', (chunk) => {
        for (const l of listeners) l(chunk);
      });
      socket.on('close', () => {
        clients.delete(socket);
        onTcpDisconnect?.();
      });
      socket.on('error', () => clients.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      tcp!.once('error', reject);
      tcp!.listen(device.tcpPort, device.tcpHost, () => resolve());
    });
    const address = tcp.address();
    tcpPort = typeof address === 'object' && address ? address.port : device.tcpPort;
  }
  return {
    serial,
    tcpPort,
    onData: (listener: (chunk: Buffer) => void) => listeners.add(listener),
    async write(chunk: Uint8Array) {
      if (serial.plugged) await serial.write(chunk);
      for (const socket of clients) socket.write(chunk);
    },
    async close() {
      listeners.clear();
      await serial.close();
      for (const socket of clients) socket.destroy();
      if (tcp) await new Promise((r) => tcp!.close(r));
    },
  };
}

async function startPrinter(
  stationId: string,
  device: z.infer<typeof printerConfig>,
): Promise<{ printer: SimPrinter; close: () => Promise<void> }> {
  const emulator = new ZplPrinterEmulator();
  const wire = await openWire(device, () => emulator.disconnect());
  wire.onData((chunk) => {
    const { reply } = emulator.receive(chunk, Date.now());
    if (reply.length) void wire.write(reply).catch(() => undefined);
  });
  const printer: SimPrinter = {
    kind: 'printer',
    stationId,
    deviceId: device.deviceId,
    tcpPort: wire.tcpPort!,
    get agentPath() {
      return wire.serial.agentPath;
    },
    get injectPath() {
      return wire.serial.injectPath;
    },
    get plugged() {
      return wire.serial.plugged;
    },
    agentLink: wire.serial.agentLink,
    injectLink: wire.serial.injectLink,
    emulator,
  };
  return { printer, close: () => wire.close() };
}

async function startScale(
  stationId: string,
  device: z.infer<typeof scaleConfig>,
): Promise<{ scale: SimScale; close: () => Promise<void> }> {
  const wire = await openWire(device);
  const model = new ScaleModel();
  const mtSics = new MtSicsScaleEmulator(model);
  const toledo = new ToledoContinuousEmulator(model);
  let timer: NodeJS.Timeout | undefined;
  if (device.protocol === 'mt-sics') {
    wire.onData((chunk) => {
      const reply = mtSics.receive(chunk, Date.now());
      if (reply.length) void wire.write(reply).catch(() => undefined);
    });
  } else {
    timer = setInterval(() => {
      const frame = toledo.frame(Date.now());
      if (frame.length) void wire.write(frame).catch(() => undefined);
    }, device.frameIntervalMs);
  }
  const scale: SimScale = {
    kind: 'scale',
    stationId,
    deviceId: device.deviceId,
    protocol: device.protocol,
    get agentPath() {
      return wire.serial.agentPath;
    },
    get injectPath() {
      return wire.serial.injectPath;
    },
    get plugged() {
      return wire.serial.plugged;
    },
    agentLink: wire.serial.agentLink,
    injectLink: wire.serial.injectLink,
    tcpPort: wire.tcpPort,
    place: (grams, settleMs = 300) => model.place(grams, Date.now(), settleMs),
    remove: () => model.remove(Date.now()),
    fault(kind) {
      const s = model.state;
      if (kind === 'clear') model.state = { ...s, overload: false, underload: false, silent: false };
      else if (kind === 'bad-checksum') toledo.corruptNextChecksum = true;
      else model.state = { ...s, [kind]: true };
    },
    sendRaw: (bytes) => wire.write(bytes),
    unplug: () => wire.serial.unplug(),
    replug: () => wire.serial.replug(),
  };
  return {
    scale,
    close: async () => {
      clearInterval(timer);
      await wire.close();
    },
  };
}

async function startSensor(
  stationId: string,
  device: z.infer<typeof sensorConfig>,
): Promise<{ sensor: SimSensor; close: () => Promise<void> }> {
  const wire = await openWire(device);
  const deci = (celsius: number) => Math.round(celsius * 10);
  const model = new ColdRoomModel(deci(device.celsius), Math.round(device.humidityPct * 10));
  const slave = new ModbusTemperatureSlave(model, device.slaveAddress);
  const started = Date.now();
  for (const e of device.excursions) model.excursion(deci(e.celsius), e.forMs, started, e.afterMs);
  wire.onData((chunk) => {
    const reply = slave.receive(chunk, Date.now());
    if (reply.length) void wire.write(reply).catch(() => undefined);
  });
  const sensor: SimSensor = {
    kind: 'sensor',
    stationId,
    deviceId: device.deviceId,
    get agentPath() {
      return wire.serial.agentPath;
    },
    get injectPath() {
      return wire.serial.injectPath;
    },
    get plugged() {
      return wire.serial.plugged;
    },
    agentLink: wire.serial.agentLink,
    injectLink: wire.serial.injectLink,
    tcpPort: wire.tcpPort,
    celsius: () => model.deciCelsius(Date.now()) / 10,
    set: (celsius) => model.set(deci(celsius)),
    excursion: (celsius, forMs, afterMs = 0) => void model.excursion(deci(celsius), forMs, Date.now(), afterMs),
    fault(kind) {
      const s = model.state;
      if (kind === 'clear') model.state = { ...s, silent: false, badCrc: false, probeOpen: false };
      else
        model.state = { ...s, [kind === 'bad-crc' ? 'badCrc' : kind === 'probe-open' ? 'probeOpen' : 'silent']: true };
    },
    unplug: () => wire.serial.unplug(),
    replug: () => wire.serial.replug(),
  };
  return { sensor, close: () => wire.close() };
}

async function startScanner(
  stationId: string,
  device: z.infer<typeof scannerConfig>,
): Promise<{ scanner: SimScanner; close: () => Promise<void> }> {
  const wire = await openWire(device);
  const serial = wire.serial;
  const tcpPort = wire.tcpPort;

  // Sends are queued so concurrent scans never interleave their bytes on the wire.
  let queue: Promise<void> = Promise.resolve();
  const sendRaw = (bytes: Uint8Array, options: { splitEveryByte?: boolean; delayMs?: number } = {}) => {
    const run = async () => {
      const chunks = options.splitEveryByte ? splitEveryByte(bytes) : [bytes];
      for (const chunk of chunks) {
        await wire.write(chunk);
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      }
    };
    const next = queue.then(run);
    queue = next.catch(() => undefined);
    return next;
  };

  const scanner: SimScanner = {
    kind: 'scanner',
    stationId,
    deviceId: device.deviceId,
    get agentPath() {
      return serial.agentPath;
    },
    get injectPath() {
      return serial.injectPath;
    },
    get plugged() {
      return serial.plugged;
    },
    agentLink: serial.agentLink,
    injectLink: serial.injectLink,
    tcpPort,
    scan: (code, options = {}) => sendRaw(encodeScan(code, options), options),
    sendRaw,
    unplug: () => serial.unplug(),
    replug: () => serial.replug(),
  };
  return {
    scanner,
    close: () => wire.close(),
  };
}

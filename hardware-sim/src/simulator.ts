import { createServer, type Server, type Socket } from 'node:net';
import { entityId } from '@wms/contracts';
import { z } from 'zod';
import { startControlServer } from './control/control-server.js';
import { encodeScan, type ScanOptions, splitEveryByte } from './devices/scanner.emulator.js';
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

export const simulatorConfigSchema = z.strictObject({
  controlPort: z.number().int().min(0).max(65535).default(4010),
  controlHost: z.string().default('127.0.0.1'),
  stations: z
    .array(
      z.strictObject({
        stationId: entityId,
        devices: z.array(z.discriminatedUnion('kind', [scannerConfig])).min(1),
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

export interface Simulator {
  controlUrl: string;
  scanners: Map<string, SimScanner>;
  stop(): Promise<void>;
}

export class SimulatorConfigError extends Error {}

/** Starts every configured device emulator and the control API. */
export async function startSimulator(input: SimulatorConfig): Promise<Simulator> {
  const parsed = simulatorConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new SimulatorConfigError(`simulator configuration is not valid:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const config = parsed.data;
  const scanners = new Map<string, SimScanner>();
  const closers: Array<() => Promise<void>> = [];
  try {
    for (const station of config.stations) {
      for (const device of station.devices) {
        const scanner = await startScanner(station.stationId, device);
        scanners.set(station.stationId, scanner.scanner);
        closers.push(scanner.close);
      }
    }
    const control = await startControlServer({ port: config.controlPort, host: config.controlHost, scanners });
    closers.push(control.close);
    return {
      controlUrl: control.url,
      scanners,
      async stop() {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function startScanner(stationId: string, device: z.infer<typeof scannerConfig>): Promise<{ scanner: SimScanner; close: () => Promise<void> }> {
  const serial: VirtualSerial = await openVirtualSerial({ name: device.deviceId, agentLink: device.agentLink, injectLink: device.injectLink });
  const clients = new Set<Socket>();
  let tcp: Server | null = null;
  let tcpPort: number | undefined;
  if (device.tcpPort !== undefined) {
    tcp = createServer((socket) => {
      clients.add(socket);
      socket.on('close', () => clients.delete(socket));
      socket.on('error', () => clients.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      tcp!.once('error', reject);
      tcp!.listen(device.tcpPort, device.tcpHost, () => resolve());
    });
    const address = tcp.address();
    tcpPort = typeof address === 'object' && address ? address.port : device.tcpPort;
  }

  // Sends are queued so concurrent scans never interleave their bytes on the wire.
  let queue: Promise<void> = Promise.resolve();
  const sendRaw = (bytes: Uint8Array, options: { splitEveryByte?: boolean; delayMs?: number } = {}) => {
    const run = async () => {
      const chunks = options.splitEveryByte ? splitEveryByte(bytes) : [bytes];
      for (const chunk of chunks) {
        if (serial.plugged) await serial.write(chunk);
        for (const socket of clients) socket.write(chunk);
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
    close: async () => {
      await serial.close();
      for (const socket of clients) socket.destroy();
      if (tcp) await new Promise((r) => tcp!.close(r));
    },
  };
}

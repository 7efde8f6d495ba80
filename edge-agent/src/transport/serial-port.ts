import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { SerialPort } from 'serialport';

export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export interface SerialLinkEvents {
  open: [];
  data: [Buffer];
  /** The port closed or failed; the link reopens it by itself after a backoff. */
  down: [string];
}

/**
 * The agent's one wrapper around `serialport`: opens the port, and when it is unplugged or fails,
 * reopens it with exponential backoff (100 ms doubling up to `reconnectMaxMs`) until stopped.
 * A path `tcp://host:port` reaches a serial device server (Moxa NPort, Lantronix, ser2net in raw
 * TCP mode) instead of a local port; the simulator offers the same for containers.
 */
export class SerialLink extends EventEmitter<SerialLinkEvents> {
  private port?: SerialPort | TcpSerial;
  private retryMs = 100;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly settings: SerialSettings,
    private readonly reconnectMaxMs: number,
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error(`serial port ${this.settings.path} is not open`);
    await new Promise<void>((resolve, reject) =>
      port.write(Buffer.from(bytes), (error) =>
        error ? reject(error) : port.drain((e) => (e ? reject(e) : resolve())),
      ),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private open(): void {
    if (this.stopped) return;
    const port = this.settings.path.startsWith('tcp://')
      ? new TcpSerial(this.settings.path)
      : new SerialPort({ ...this.settings, autoOpen: false });
    this.port = port;
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('close', () => this.down(port, 'port closed (unplugged?)'));
    port.on('error', (error) => this.down(port, error.message));
    port.open((error) => {
      if (error) {
        this.down(port, `cannot open ${this.settings.path}: ${error.message}`);
        return;
      }
      this.retryMs = 100;
      this.emit('open');
    });
  }

  private down(port: SerialPort | TcpSerial, reason: string): void {
    if (this.port !== port) return; // already handled for this port instance
    this.port = undefined;
    port.removeAllListeners('data');
    if (port.isOpen) port.close(() => undefined);
    if (this.stopped) return;
    this.emit('down', reason);
    this.timer = setTimeout(() => this.open(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, this.reconnectMaxMs);
  }
}

/** Raw TCP to a serial device server, with the small part of SerialPort's surface the link uses. */
class TcpSerial extends EventEmitter {
  private socket?: Socket;
  isOpen = false;

  constructor(private readonly url: string) {
    super();
  }

  open(callback: (error: Error | null) => void): void {
    const { hostname, port } = new URL(this.url);
    if (!hostname || !port) {
      callback(new Error(`${this.url} is not a tcp://host:port address`));
      return;
    }
    const socket = connect({ host: hostname, port: Number(port) });
    this.socket = socket;
    let settled = false;
    socket.setNoDelay(true);
    socket.once('connect', () => {
      settled = true;
      this.isOpen = true;
      callback(null);
    });
    socket.on('data', (chunk) => this.emit('data', chunk));
    socket.on('error', (error) => {
      if (!settled) {
        settled = true;
        callback(error);
      } else this.emit('error', error);
    });
    socket.on('close', () => {
      const wasOpen = this.isOpen;
      this.isOpen = false;
      if (wasOpen) this.emit('close');
    });
  }

  write(bytes: Buffer, callback: (error?: Error | null) => void): void {
    if (!this.socket) {
      callback(new Error('not connected'));
      return;
    }
    this.socket.write(bytes, callback);
  }

  drain(callback: (error?: Error | null) => void): void {
    callback(null);
  }

  close(callback: () => void): void {
    this.isOpen = false;
    this.socket?.destroy();
    callback();
  }
}

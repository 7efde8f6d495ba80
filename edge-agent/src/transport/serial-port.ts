import { EventEmitter } from 'node:events';
import { closeSync, constants, openSync, readSync } from 'node:fs';
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
  /** The port is open; `waiting` is what was already on the line, read before the library's flush. */
  open: [{ waiting: Buffer }];
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
    /** Read what waits on the line before opening (scanners: reads sent while the agent was away). */
    private readonly keepWaiting = false,
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
    const tcp = this.settings.path.startsWith('tcp://');
    const port = tcp ? new TcpSerial(this.settings.path) : new SerialPort({ ...this.settings, autoOpen: false });
    this.port = port;
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('close', () => this.down(port, 'port closed (unplugged?)'));
    port.on('error', (error) => this.down(port, error.message));
    const opening = tcp || !this.keepWaiting ? Promise.resolve(null) : drainWaiting(this.settings.path);
    void opening.then((drained) => {
      if (this.port !== port) {
        if (drained) closeSync(drained.fd);
        return;
      }
      port.open((error) => {
        // Held open until the library has the port, so the tty is never closed in between.
        if (drained) closeSync(drained.fd);
        if (error) {
          this.down(port, `cannot open ${this.settings.path}: ${error.message}`);
          return;
        }
        this.retryMs = 100;
        this.emit('open', { waiting: drained?.bytes ?? Buffer.alloc(0) });
      });
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

const DRAIN_QUIET_MS = 30;
const DRAIN_MAX_MS = 2000;
const DRAIN_MAX_BYTES = 4 * 1024 * 1024;

/**
 * What is already waiting on a local serial line, read before `serialport` opens it.
 *
 * Why: @serialport/bindings-cpp (13.x) opens a port with `tcflush(fd, TCIOFLUSH)` inside its
 * native open (serialport_unix.cpp, setBaudRate(): "throw away all the buffered data") for every
 * standard baud rate, and offers no option to skip it (`hupcl`, `lock`, `vmin`/`vtime` do not);
 * nor can JavaScript ask how many bytes a flush would drop (no FIONREAD/TIOCINQ). So the agent
 * opens the tty itself first (non-blocking, no controlling tty), reads until the line has been
 * quiet for 30 ms (at most 2 s / 4 MB), and keeps that descriptor open until the library has the
 * port. Left uncounted: bytes that arrive in the instant between this last read and the
 * library's flush; the framer then treats the first line after the open as suspect, so the rest
 * of a read cut there is discarded and reported, never stored as a scan.
 */
async function drainWaiting(path: string): Promise<{ fd: number; bytes: Buffer } | null> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch {
    return null; // the library's open reports why the port cannot be opened
  }
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(65_536);
  let total = 0;
  const started = Date.now();
  let lastData = started;
  while (total < DRAIN_MAX_BYTES && Date.now() - started < DRAIN_MAX_MS) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') break;
      n = -1;
    }
    if (n > 0) {
      chunks.push(Buffer.from(buffer.subarray(0, n)));
      total += n;
      lastData = Date.now();
      continue;
    }
    if (n === 0 || Date.now() - lastData >= DRAIN_QUIET_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { fd, bytes: Buffer.concat(chunks) };
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

import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, constants, openSync, readSync, write as writeFd } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { ReadStream } from 'node:tty';
import { SerialPort } from 'serialport';

export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export interface SerialLinkEvents {
  /**
   * The port is open. `waiting`: the bytes that were already on the line (read, not thrown away;
   * they follow as `data`), or null when that cannot be known (TCP, or a port `serialport` opened).
   */
  open: [{ waiting: Buffer | null }];
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
  private port?: SerialPort | TcpSerial | UnflushedTty;
  private retryMs = 100;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly settings: SerialSettings,
    private readonly reconnectMaxMs: number,
    /** Keep the bytes waiting on the line at open (scanners: reads sent while the agent was away). */
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
    const port = tcp
      ? new TcpSerial(this.settings.path)
      : // `stty -F` and tty streams on a device node: Linux (the agent's platform); elsewhere the
        // library's flushing open, and the first line after it is treated as cut (see line.framer.ts)
        this.keepWaiting && process.platform === 'linux'
        ? new UnflushedTty(this.settings)
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
      if (this.port !== port) {
        port.close(() => undefined); // stopped while opening
        return;
      }
      this.retryMs = 100;
      const waiting = port instanceof UnflushedTty ? port.takeWaiting() : null;
      this.emit('open', { waiting });
      if (waiting?.length) this.emit('data', waiting);
      if (port instanceof UnflushedTty) port.startReading();
    });
  }

  private down(port: SerialPort | TcpSerial | UnflushedTty, reason: string): void {
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

/**
 * A local serial port opened without throwing away what is waiting on it.
 *
 * Why not `serialport` here: @serialport/bindings-cpp (13.x) calls `tcflush(fd, TCIOFLUSH)` inside
 * its native open for every standard baud rate (serialport_unix.cpp, setBaudRate(): "throw away
 * all the buffered data"), and no open option skips it (`hupcl`, `lock`, `vmin`/`vtime` do not);
 * nor can JavaScript learn how many bytes a flush dropped (no FIONREAD/TIOCINQ). Every read a
 * scanner sent while the agent was stopped or restarting was lost that way. So a scanner's port
 * (read-only) is opened here: the descriptor with `O_NOCTTY | O_NONBLOCK`, the line settings by
 * `stty` (GNU coreutils, which applies them with TCSADRAIN: no input flush), and the bytes read by
 * Node's own tty stream. Scales and printers, which write, keep `serialport`.
 */
class UnflushedTty extends EventEmitter {
  isOpen = false;
  private fd: number | null = null;
  private stream?: ReadStream;

  constructor(private readonly settings: SerialSettings) {
    super();
  }

  open(callback: (error: Error | null) => void): void {
    let fd: number;
    try {
      fd = openSync(this.settings.path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    } catch (error) {
      callback(error as Error);
      return;
    }
    // our descriptor is open first, so stty's own close is never the port's last close
    execFile(
      'stty',
      ['-F', this.settings.path, ...sttyArguments(this.settings)],
      { timeout: 5000 },
      (error, _out, err) => {
        if (error) {
          closeSync(fd);
          callback(
            new Error(
              `cannot set the line (${sttyArguments(this.settings).slice(0, 4).join(' ')}): ${err.trim() || error.message}`,
            ),
          );
          return;
        }
        this.fd = fd;
        this.isOpen = true;
        callback(null);
      },
    );
  }

  /** What is already on the line, read at once (bounded), before the stream takes over. */
  takeWaiting(): Buffer {
    const chunks: Buffer[] = [];
    const buffer = Buffer.alloc(65_536);
    let total = 0;
    while (this.fd !== null && total < 16 * 1024 * 1024) {
      let n: number;
      try {
        n = readSync(this.fd, buffer, 0, buffer.length, null);
      } catch {
        break; // EAGAIN: nothing more waiting (any other error shows on the stream)
      }
      if (n <= 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, n)));
      total += n;
    }
    return Buffer.concat(chunks);
  }

  startReading(): void {
    if (this.fd === null || this.stream) return;
    const stream = new ReadStream(this.fd);
    this.stream = stream;
    stream.on('data', (chunk: Buffer) => this.emit('data', chunk));
    stream.on('error', (e) => this.emit('error', e));
    stream.on('close', () => {
      const wasOpen = this.isOpen;
      this.isOpen = false;
      this.fd = null;
      if (wasOpen) this.emit('close');
    });
  }

  write(bytes: Buffer, callback: (error?: Error | null) => void): void {
    if (this.fd === null) {
      callback(new Error('not open'));
      return;
    }
    writeFd(this.fd, bytes, (error) => callback(error));
  }

  drain(callback: (error?: Error | null) => void): void {
    callback(null);
  }

  close(callback: () => void): void {
    this.isOpen = false;
    if (this.stream) this.stream.destroy();
    else if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    callback();
  }
}

/** The port settings as `stty` arguments: raw 8-bit input, no echo, no flow control. */
function sttyArguments(s: SerialSettings): string[] {
  const parity = s.parity === 'none' ? ['-parenb'] : s.parity === 'even' ? ['parenb', '-parodd'] : ['parenb', 'parodd'];
  return [
    String(s.baudRate),
    `cs${s.dataBits}`,
    ...parity,
    s.stopBits === 2 ? 'cstopb' : '-cstopb',
    'raw',
    '-echo',
    '-iexten',
    'clocal',
    'cread',
    '-crtscts',
    '-ixon',
    '-ixoff',
    'min',
    '1',
    'time',
    '0',
  ];
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

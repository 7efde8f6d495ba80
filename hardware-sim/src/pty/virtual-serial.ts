import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BRIDGE = fileURLToPath(new URL('../../pty-bridge.py', import.meta.url));

export interface VirtualSerial {
  /** The pseudo-terminal the edge agent opens (as it would /dev/ttyUSB0): /dev/pts/N. */
  readonly agentPath: string;
  /** A second pty: bytes written into it reach the agent as if the device sent them. */
  readonly injectPath: string;
  /** Stable symlinks to the two (the /dev/pts numbers change on replug). */
  readonly agentLink?: string;
  readonly injectLink?: string;
  /** Device -> agent. */
  write(bytes: Uint8Array): Promise<void>;
  /** Agent -> device. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Pulls the cable: the agent's port fails. The link paths stay reserved for `replug`. */
  unplug(): Promise<void>;
  /** Plugs it back: a new pty pair behind the same link paths (the /dev/pts numbers may change). */
  replug(): Promise<void>;
  readonly plugged: boolean;
  close(): Promise<void>;
}

export interface VirtualSerialOptions {
  name: string;
  /** Stable symlink to the agent side, e.g. .data/dev/ST01-scanner. */
  agentLink?: string;
  injectLink?: string;
}

export class VirtualSerialError extends Error {}

/**
 * A serial device's cable as a real pseudo-terminal pair, made by a small python3 helper (python3
 * is on every target machine; socat is not).
 */
export async function openVirtualSerial(options: VirtualSerialOptions): Promise<VirtualSerial> {
  const listeners = new Set<(chunk: Buffer) => void>();
  let bridge: ChildProcessWithoutNullStreams | null = null;
  let paths = { agentPath: '', injectPath: '' };

  async function plug(): Promise<void> {
    const args = [BRIDGE];
    if (options.agentLink) args.push('--agent-link', options.agentLink);
    if (options.injectLink) args.push('--inject-link', options.injectLink);
    const child = spawn(process.env.PYTHON ?? 'python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      for (const listener of listeners) listener(chunk);
    });
    child.stdin.on('error', () => undefined); // the bridge went away: reported by `exit`
    paths = await new Promise((resolve, reject) => {
      let stderr = '';
      const fail = (why: string) =>
        reject(new VirtualSerialError(`cannot create the pseudo-terminal for ${options.name}: ${why}`));
      child.once('error', (error) =>
        fail(
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'python3 is not installed (set PYTHON to its path)'
            : error.message,
        ),
      );
      child.once('exit', (code) => fail(`the pty bridge exited (${code}): ${stderr.trim()}`));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const line = stderr.split('\n').find((l) => l.startsWith('{'));
        if (!line) return;
        try {
          const ready = JSON.parse(line);
          child.removeAllListeners('exit');
          resolve({ agentPath: ready.agentPath, injectPath: ready.injectPath });
        } catch {
          fail(`unreadable ready line: ${line}`);
        }
      });
    });
    bridge = child;
  }

  async function unplugBridge(): Promise<void> {
    const child = bridge;
    bridge = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  await plug();
  return {
    get agentPath() {
      return paths.agentPath;
    },
    get injectPath() {
      return paths.injectPath;
    },
    agentLink: options.agentLink,
    injectLink: options.injectLink,
    get plugged() {
      return bridge !== null;
    },
    async write(bytes) {
      const child = bridge;
      if (!child) throw new VirtualSerialError(`${options.name} is unplugged`);
      await new Promise<void>((resolve, reject) =>
        child.stdin.write(Buffer.from(bytes), (error) => (error ? reject(error) : resolve())),
      );
    },
    onData(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    unplug: unplugBridge,
    async replug() {
      if (!bridge) await plug();
    },
    async close() {
      listeners.clear();
      await unplugBridge();
    },
  };
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Proc, runNode } from './processes.js';
import { freePort, tcpReachable, waitFor } from './services.js';

export interface TestBroker {
  url: string;
  protocolVersion: 4 | 5;
  kind: 'mosquitto' | 'aedes';
  start(): Promise<void>;
  /** SIGKILL: the broker vanishes without a goodbye. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function hasMosquitto(): boolean {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // `mosquitto -h` exits non-zero but runs: ENOENT is the only "not installed"
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * A broker of the test's own, so it can be killed and restarted mid-stream: Mosquitto when it is
 * installed (with persistence and no queue limit, as in production), else the aedes broker tool.
 */
export async function startTestBroker(): Promise<TestBroker> {
  const port = await freePort();
  const mosquitto = process.env.TEST_BROKER !== 'aedes' && hasMosquitto();
  let child: ChildProcess | undefined;
  let proc: Proc | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'wms-broker-'));
  const config = join(dir, 'mosquitto.conf');
  if (mosquitto) {
    writeFileSync(
      config,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${dir}/`,
        'max_queued_messages 0',
        'set_tcp_nodelay true',
        'log_dest none',
      ].join('\n'),
    );
  }
  const broker: TestBroker = {
    url: `mqtt://127.0.0.1:${port}`,
    protocolVersion: mosquitto ? 5 : 4,
    kind: mosquitto ? 'mosquitto' : 'aedes',
    async start() {
      if (mosquitto) child = spawn('mosquitto', ['-c', config], { stdio: 'ignore' });
      else proc = runNode('server/dist/tools/mqtt-broker.js', ['--port', String(port)], process.env);
      await waitFor(`the ${broker.kind} broker on port ${port}`, () => tcpReachable('127.0.0.1', port), 15_000, 50);
    },
    async kill() {
      if (child) {
        child.kill('SIGKILL');
        await new Promise((r) => child!.once('exit', r));
        child = undefined;
      }
      if (proc) {
        await proc.stop('SIGKILL');
        proc = undefined;
      }
    },
    async stop() {
      if (child) {
        child.kill('SIGTERM');
        await new Promise((r) => child!.once('exit', r));
        child = undefined;
      }
      await proc?.stop();
      proc = undefined;
    },
  };
  await broker.start();
  return broker;
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

export interface DynsecMosquitto {
  url: string;
  /** The service account `dynsec init` made administrator, as docker-compose.yml does. */
  serviceUsername: string;
  servicePassword: string;
  stop(): Promise<void>;
}

/**
 * Mosquitto with deploy/mosquitto/mosquitto.conf (dynamic security, no anonymous logins), moved
 * onto a free port and a temporary data folder, its security file made as mosquitto-init makes it.
 */
export async function startDynsecMosquitto(): Promise<DynsecMosquitto> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wms-dynsec-'));
  const servicePassword = `svc-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const deployed = readFileSync(join(import.meta.dirname, '../../deploy/mosquitto/mosquitto.conf'), 'utf8');
  const config = deployed
    .replace(/^listener .*$/m, `listener ${port} 127.0.0.1`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`)
    .replace(/^plugin .*$/m, `plugin ${process.env.MOSQUITTO_DYNSEC_PLUGIN ?? DYNSEC_PLUGIN}`)
    .replace(/^plugin_opt_config_file .*$/m, `plugin_opt_config_file ${dir}/dynamic-security.json`)
    .replace(/^log_dest .*$/m, `log_dest file ${dir}/mosquitto.log`);
  writeFileSync(join(dir, 'mosquitto.conf'), config);
  execFileSync(
    'mosquitto_ctrl',
    ['dynsec', 'init', join(dir, 'dynamic-security.json'), 'wms-server', servicePassword],
    {
      stdio: 'ignore',
    },
  );
  // Started as root, Mosquitto runs as the `mosquitto` user: it must be able to keep its files.
  chmodSync(dir, 0o777);
  chmodSync(join(dir, 'dynamic-security.json'), 0o666);
  const child = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await waitFor(`Mosquitto (dynamic security) on port ${port}`, () => tcpReachable('127.0.0.1', port), 15_000, 50);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    serviceUsername: 'wms-server',
    servicePassword,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

import { mkdtempSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/services.js';
import { type Simulator, startSimulator } from '../src/simulator.js';

// Real pseudo-terminals, opened with the same serial library the edge agent uses.
const dir = mkdtempSync(join(tmpdir(), 'wms-sim-'));
let sim: Simulator;

async function openPort(path: string): Promise<{ port: SerialPort; received: () => Buffer }> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  let data = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => (data = Buffer.concat([data, chunk])));
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return { port, received: () => data };
}

const closePort = (port: SerialPort) =>
  new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));

beforeAll(async () => {
  sim = await startSimulator({
    controlPort: 0,
    stations: [
      {
        stationId: 'ST01',
        devices: [
          {
            kind: 'scanner',
            deviceId: 'SCN-1',
            agentLink: join(dir, 'scanner'),
            injectLink: join(dir, 'scanner-in'),
            tcpPort: 0,
            tcpHost: '127.0.0.1',
          },
        ],
      },
    ],
  });
});
afterAll(() => sim?.stop());

describe('simulated scanner on a pseudo-terminal', () => {
  it('delivers the exact bytes of a read, CR and GS included', async () => {
    const scanner = sim.scanners.get('ST01')!;
    expect(scanner.agentPath).toMatch(/^\/dev\/pts\/\d+$/);
    expect(readlinkSync(scanner.agentLink!)).toBe(scanner.agentPath);
    const { port, received } = await openPort(scanner.agentPath);
    try {
      await scanner.scan('0104006381333931\u001d10LOT7', { aimPrefix: ']C1' });
      await waitFor('the read on the port', () => received().toString('latin1').endsWith('\r\n'), 5000, 10);
      expect(received().toString('latin1')).toBe(']C10104006381333931\u001d10LOT7\r\n');
    } finally {
      await closePort(port);
    }
  });

  it('passes bytes written into the injection pty, and a read split at every byte', async () => {
    const scanner = sim.scanners.get('ST01')!;
    const { port, received } = await openPort(scanner.agentPath);
    try {
      writeFileSync(scanner.injectPath, 'TYPED-1\r');
      // Two writers on one wire interleave: let the typed line through before the split read.
      await waitFor('the typed line', () => received().toString() === 'TYPED-1\r', 5000, 10);
      await scanner.scan('SPLIT-2', { splitEveryByte: true, delayMs: 1 });
      await waitFor('both reads', () => received().toString().includes('SPLIT-2\r\n'), 5000, 10);
      expect(received().toString()).toBe('TYPED-1\rSPLIT-2\r\n');
    } finally {
      await closePort(port);
    }
  });

  it('an unplugged cable fails the open port; replugged, the same path works again', async () => {
    const scanner = sim.scanners.get('ST01')!;
    const { port } = await openPort(scanner.agentPath);
    const closed = new Promise((resolve) => {
      port.once('close', resolve);
      port.once('error', resolve);
    });
    await scanner.unplug();
    await closed;
    await closePort(port);
    await scanner.replug();
    const again = await openPort(scanner.agentLink!);
    try {
      await scanner.scan('BACK');
      await waitFor('the read after replug', () => again.received().toString() === 'BACK\r\n', 5000, 10);
    } finally {
      await closePort(again.port);
    }
  });

  it('answers the control API, with clear errors for bad requests', async () => {
    const post = (path: string, body: unknown) =>
      fetch(new URL(path, sim.controlUrl), {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const devices = await (await fetch(new URL('/devices', sim.controlUrl))).json();
    expect(devices).toEqual([
      expect.objectContaining({ stationId: 'ST01', deviceId: 'SCN-1', kind: 'scanner', plugged: true }),
    ]);
    const ok = await post('/stations/ST01/scanner/scan', { code: 'API-1' });
    expect(ok.status).toBe(200);
    const unknown = await post('/stations/NOPE/scanner/scan', { code: 'X' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toBe('no scanner at station NOPE; stations: ST01');
    const bad = await post('/stations/ST01/scanner/scan', { code: '', colour: 'red' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/code/);
    const garbled = await post('/stations/ST01/scanner/scan', '{not json');
    expect(garbled.status).toBe(400);
  });
});

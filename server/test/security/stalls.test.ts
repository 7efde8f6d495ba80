import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/services.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { provision } from '../../src/modules/devices/provisioning.js';
import { MAX_LOGO_PIXELS } from '../../src/modules/devices/zpl-graphic.js';
import { ORM } from '../../src/platform/database/orm.js';

// The event loop of the server (in this process) stays free while an attacker posts a 40 MB JSON
// body without a token and six ~9.9 MB files land in the customs inbox: the figures were
// 0.9 s and 2.7 s of stall. Lag is measured inside the server's process.
const FILE_BYTES = 9.9 * 1024 * 1024;
let t: TestServer;
let inbox: string;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'stalls-'));
  inbox = join(root, 'inbox');
  mkdirSync(inbox, { recursive: true });
  t = await startTestServer(
    'stalls',
    { CUSTOMS_INBOX_DIR: inbox, CUSTOMS_OUTBOX_DIR: join(root, 'outbox'), CUSTOMS_POLL_MS: '50' },
    { printing: ['staff'] },
  );
  // a printer with no agent connected: a logo is turned into ZPL (or refused) before sending
  await provision(t.server.app.get(ORM), {
    users: [],
    stations: [{ stationId: 'STALL-ST', name: 'stall test station' }],
    agents: [
      {
        agentId: 'stall-agent',
        name: 'stall agent',
        secret: 'stall-agent-secret',
        devices: [{ deviceId: 'STALL-PRINTER', stationId: 'STALL-ST', kind: 'printer', name: 'printer' }],
      },
    ],
  });
});

/**
 * A decompression bomb as an attacker sends it: a 1-bit greyscale PNG of n×n pixels, a few kB of
 * zlib that a decoder would blow up to n×n×4 bytes of RGBA.
 */
function bombPng(n: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(n, 0);
  header.writeUInt32BE(n, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method, no interlace
  const rows = Buffer.alloc(n * (1 + Math.ceil(n / 8))); // each row: filter byte 0, then all black
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A checkerboard PNG of n×n pixels (a logo that is really decoded). */
function checkerboardPng(n: number): Buffer {
  const png = new PNG({ width: n, height: n });
  for (let i = 0; i < n * n; i++) {
    const v = (((i % n) >> 4) + (Math.floor(i / n) >> 4)) % 2 ? 0 : 255;
    png.data.fill(v, i * 4, i * 4 + 3);
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

afterAll(async () => {
  await t?.close();
});

/** Event-loop delay (max, ms) inside this process while `work` runs. */
async function maxLagDuring(work: () => Promise<void>): Promise<number> {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  try {
    await work();
  } finally {
    lag.disable();
  }
  return lag.max / 1e6;
}

const setAside = (n: number) => () =>
  waitFor(`${n} files set aside`, () => readdirSync(join(inbox, 'error')).length === 2 * n, 30_000, 50).then(
    () => undefined,
  );

describe('event loop under large inputs', () => {
  it('stays under 100 ms of lag while six 9.9 MB files land in the customs inbox', async () => {
    const big = Buffer.alloc(Math.floor(FILE_BYTES), 'x');
    const maxMs = await maxLagDuring(async () => {
      // written asynchronously: the test shares the server's process and must not stall it itself
      await Promise.all(Array.from({ length: 6 }, (_, i) => writeFile(join(inbox, `CEB622_alone_${i}.xml`), big)));
      await setAside(6)();
    });
    expect(maxMs, `max event-loop delay ${maxMs.toFixed(1)} ms`).toBeLessThan(100);
  });

  // Needs the per-route body limits (small by default) of the HTTP input part of issue 10: with the
  // one 50 MB limit for every route, parsing the anonymous body alone stalls the loop ~250 ms here.
  it('stays under 100 ms of lag while a 40 MB anonymous body is posted and six 9.9 MB inbox files land', async () => {
    const big = Buffer.alloc(Math.floor(FILE_BYTES), 'x');
    // many small values, the costly shape to parse (one long string would parse quickly)
    const item = '{"code":"4006381333931","units":1},';
    const body = Buffer.from(`{"scanId":"s","items":[${item.repeat(Math.floor((40 * 1024 * 1024) / item.length))}{}]}`);
    let answer = { status: 0, body: '' };
    const maxMs = await maxLagDuring(async () => {
      const posted = fetch(`${t.server.url}/api/floor/scans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).then(async (res) => ({ status: res.status, body: await res.text() }));
      await Promise.all(Array.from({ length: 6 }, (_, i) => writeFile(join(inbox, `CEB622_big_${i}.xml`), big)));
      answer = await posted;
      await setAside(12)();
    });
    // refused, never a 5xx: 401 (no token) or 413 (too large for the route)
    expect([401, 413], answer.body.slice(0, 200)).toContain(answer.status);
    expect(maxMs, `max event-loop delay ${maxMs.toFixed(1)} ms`).toBeLessThan(100);
  });

  it('stays under 100 ms of lag while logos are printed: the largest allowed, and a 6000×6000 one refused unread', async () => {
    const bomb = bombPng(6000);
    const largest = checkerboardPng(MAX_LOGO_PIXELS);
    const print = (png: Buffer, jobId: string) =>
      t.api('POST', '/api/devices/STALL-PRINTER/commands', 'printing', {
        type: 'print',
        jobId,
        zpl: '^XA^FO50,50^A0N,40^FDlogo^FS^XZ',
        logo: { pngBase64: png.toString('base64'), x: 10, y: 10 },
      });
    const answers: Array<{ status: number; body: { code?: string; message?: string } }> = [];
    const maxMs = await maxLagDuring(async () => {
      // at once, as several stations would: each waits for a printer that is not there
      answers.push(
        ...(await Promise.all([0, 1, 2].flatMap((i) => [print(bomb, `bomb-${i}`), print(largest, `largest-${i}`)]))),
      );
    });
    for (const [i, answer] of answers.entries()) {
      if (i % 2 === 0) {
        expect(answer.status).toBe(400);
        expect(answer.body.message).toMatch(/6000×6000 pixels/);
      } else {
        // turned into ZPL, then refused or timed out only because no agent is there to print it
        expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
        expect(answer.body.message ?? '').not.toMatch(/logo/);
      }
    }
    console.log(`logo printing: max event-loop delay ${maxMs.toFixed(1)} ms`);
    expect(maxMs, `max event-loop delay ${maxMs.toFixed(1)} ms`).toBeLessThan(100);
  });
});

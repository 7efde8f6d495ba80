import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PARCELS } from '../../server/src/dev/demo-data.js';
import { launchChromium, signIn, waitForScanRow, watchStation } from '../support/browser.js';
import { type DevStackSummary, loginAs, startDevStack } from '../support/dev-stack.js';
import { type Proc, runNode } from '../support/processes.js';
import { query, waitFor } from '../support/services.js';

// `npm start` exactly as a new user runs it, with nothing external: embedded PostgreSQL, the
// in-process broker, the simulator's scanner on a real pseudo-terminal, the agent, the UI.
// Bytes go into the pty; the scan must land in PostgreSQL and appear in real Chromium.

const dataDir = mkdtempSync(join(tmpdir(), 'wms-e2e-'));
chmodSync(dataDir, 0o755);
let stack: Proc | undefined;
let summary: DevStackSummary | undefined;

async function startStack(): Promise<DevStackSummary> {
  const started = await startDevStack(dataDir);
  stack = started.proc;
  summary = started.summary;
  return started.summary;
}

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start, end to end', () => {
  const firstCode = `E2E-${Date.now()}`;

  it('takes a line written into the scanner pty to PostgreSQL and onto the page', async () => {
    const s = await startStack();
    const health = await fetch(s.healthUrl);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      database: { status: 'up' },
      broker: { status: 'up', embedded: true },
    });

    const scanner = s.scanners[0];
    expect(scanner.agentPath).toMatch(/^\/dev\/pts\/\d+$/);
    const staff = s.logins.find((l) => l.username === 'staff')!;
    // The banner says where the logins are, never the passwords; files holding secrets are owner-only.
    const banner = stack!.output();
    expect(banner).toContain('Logins (passwords in');
    for (const login of s.logins) expect(banner).not.toContain(login.password);
    for (const file of ['dev-stack.json', 'dev-secrets.json', 'postgres.password', 'agent-01.json'])
      expect(statSync(join(dataDir, file)).mode & 0o777, file).toBe(0o600);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await signIn(page, s.uiUrl, staff.username, staff.password);
      await watchStation(page, scanner.stationId);
      // A person typing into the port: bytes straight into the injection side of the pty pair.
      writeFileSync(scanner.injectPath, `${firstCode}\r\n`);
      const row = await waitForScanRow(page, firstCode, 20_000);
      expect(row).toContain(firstCode);
      expect(row).toContain(scanner.deviceId);

      // The simulator's CLI, as the README shows it.
      const cliCode = `CLI-${Date.now()}`;
      const cli = runNode(
        'hardware-sim/dist/cli.js',
        ['scan', scanner.stationId, cliCode, '--url', s.simControlUrl],
        process.env,
      );
      expect(await cli.exited).toBe(0);
      expect(await waitForScanRow(page, cliCode, 20_000)).toContain(cliCode);
    } finally {
      await browser.close();
    }

    const rows = await query<{
      device_id: string;
      station_id: string;
      raw: Buffer;
      code: string;
      occurred_at: Date;
      agent_id: string;
    }>(
      s.databaseUrl,
      'select device_id, station_id, raw, code, occurred_at, agent_id from scan_event where code = $1',
      [firstCode],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      device_id: scanner.deviceId,
      station_id: scanner.stationId,
      code: firstCode,
      agent_id: 'agent-01',
    });
    expect(rows[0].raw.toString()).toBe(firstCode);
    expect(rows[0].occurred_at).toBeInstanceOf(Date);
  });

  it('runs the customs loop on the demo: twelve lists declared, every one answered by the customs simulator', async () => {
    const s = summary!;
    const token = await loginAs(s, 'customs');
    const parcels = await waitFor(
      'the customs simulator to answer the demo lists',
      async () => {
        const response = await fetch(new URL('/api/customs/parcels?filter=all', s.uiUrl), {
          headers: { authorization: `Bearer ${token}` },
        });
        const { items } = (await response.json()) as {
          items: Array<{ logisticsNo: string; customsStatus: number | null; invtNo: string | null }>;
        };
        // the twelve demo parcels (the demo's ASNs to OW-DE1 are export lists of their own)
        const demo = items.filter((i) => DEMO_PARCELS.some((p) => p.logisticsNo === i.logisticsNo));
        return demo.length === 12 && demo.every((i) => i.customsStatus !== null && i.customsStatus !== 120)
          ? demo
          : null;
      },
      60_000,
      500,
    );
    expect(parcels.filter((p) => p.customsStatus === 800).length).toBeGreaterThan(0);
    expect(parcels.filter((p) => p.customsStatus === 800).every((p) => /^5165\d{4}I\d{9}$/.test(p.invtNo ?? ''))).toBe(
      true,
    );
    const rec = await fetch(new URL('/api/customs/reconciliation?warehouseCode=BC01', s.uiUrl), {
      headers: { authorization: `Bearer ${token}` },
    });
    // the customs demo's 600 bonded units and the risk demo's lines (some of them on their way out): book = shelf
    const { totals } = await rec.json();
    expect(totals).toMatchObject({ shelfUnits: totals.bookUnits, linesWithDifference: 0 });
    expect(totals.bookUnits).toBeGreaterThanOrEqual(600);
  });

  it('keeps the data and the logins across a stop and a start', async () => {
    await stack!.stop();
    const s = await startStack();
    const token = await loginAs(s, 'staff');
    const response = await fetch(new URL(`/api/scans?stationId=${s.scanners[0].stationId}`, s.uiUrl), {
      headers: { authorization: `Bearer ${token}` },
    });
    const { items } = await response.json();
    expect(items.map((i: { code: string }) => i.code)).toContain(firstCode);

    // and it still takes new scans after the restart
    const after = `AFTER-RESTART-${Date.now()}`;
    writeFileSync(s.scanners[0].injectPath, `${after}\r`);
    await waitFor(
      'the scan after the restart',
      async () => (await query(s.databaseUrl, 'select 1 from scan_event where code = $1', [after])).length === 1,
      20_000,
    );
  });
});
